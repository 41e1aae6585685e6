package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Model is the subset of a botocore service-2.json that the generator uses.
type Model struct {
	Metadata   Metadata              `json:"metadata"`
	Operations map[string]*Operation `json:"operations"`
	Shapes     map[string]*Shape     `json:"shapes"`

	// Filled by Load.
	Paginators map[string]Paginator `json:"-"`
}

// Metadata is the model's "metadata" object.
type Metadata struct {
	APIVersion     string `json:"apiVersion"`
	EndpointPrefix string `json:"endpointPrefix"`
	JSONVersion    string `json:"jsonVersion"`
	Protocol       string `json:"protocol"`
	ServiceID      string `json:"serviceId"`
	SigningName    string `json:"signingName"`
	TargetPrefix   string `json:"targetPrefix"`
}

// Operation is one entry of "operations".
type Operation struct {
	Name string `json:"name"`
	HTTP struct {
		Method     string `json:"method"`
		RequestURI string `json:"requestUri"`
	} `json:"http"`
	Input  *ShapeRef  `json:"input"`
	Output *ShapeRef  `json:"output"`
	Errors []ShapeRef `json:"errors"`
}

// ShapeRef references a shape, with the member-level traits we use.
type ShapeRef struct {
	Shape        string `json:"shape"`
	JSONName     string `json:"jsonName"`
	Location     string `json:"location"`
	LocationName string `json:"locationName"`
	Deprecated   bool   `json:"deprecated"`
}

// Shape is one entry of "shapes". Numbers are kept as json.Number so that
// long bounds (up to 2^63-1) are not rounded.
type Shape struct {
	Type      string               `json:"type"`
	Members   map[string]*ShapeRef `json:"members"`
	Required  []string             `json:"required"`
	Member    *ShapeRef            `json:"member"`
	Key       *ShapeRef            `json:"key"`
	Value     *ShapeRef            `json:"value"`
	Enum      []string             `json:"enum"`
	Pattern   *string              `json:"pattern"`
	Min       *json.Number         `json:"min"`
	Max       *json.Number         `json:"max"`
	Sensitive bool                 `json:"sensitive"`
	Union     bool                 `json:"union"`
	Document  bool                 `json:"document"`
	Exception bool                 `json:"exception"`
	Fault     bool                 `json:"fault"`
	Error     *struct {
		Code           string `json:"code"`
		HTTPStatusCode int    `json:"httpStatusCode"`
	} `json:"error"`

	// MemberOrder lists the member names in model order (JSON object order).
	MemberOrder []string `json:"-"`
}

// Paginator is one entry of paginators-1.json; tokens may be strings or
// lists of strings in general, which we keep as lists.
type Paginator struct {
	InputToken  []string
	OutputToken []string
	LimitKey    string
	ResultKey   []string
}

// Load reads <dir>/service-2.json and, if present, <dir>/paginators-1.json.
func Load(dir string) (*Model, error) {
	data, err := os.ReadFile(filepath.Join(dir, "service-2.json"))
	if err != nil {
		return nil, err
	}
	var m Model
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	if err := m.loadMemberOrder(data); err != nil {
		return nil, fmt.Errorf("%s: %w", dir, err)
	}
	m.Paginators = map[string]Paginator{}
	pdata, err := os.ReadFile(filepath.Join(dir, "paginators-1.json"))
	if err == nil {
		var raw struct {
			Pagination map[string]map[string]json.RawMessage `json:"pagination"`
		}
		if err := json.Unmarshal(pdata, &raw); err != nil {
			return nil, fmt.Errorf("%s/paginators-1.json: %w", dir, err)
		}
		for op, p := range raw.Pagination {
			var pg Paginator
			pg.InputToken = stringOrList(p["input_token"])
			pg.OutputToken = stringOrList(p["output_token"])
			pg.ResultKey = stringOrList(p["result_key"])
			if lk := stringOrList(p["limit_key"]); len(lk) > 0 {
				pg.LimitKey = lk[0]
			}
			m.Paginators[op] = pg
		}
	} else if !os.IsNotExist(err) {
		return nil, err
	}
	return &m, nil
}

func stringOrList(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return []string{s}
	}
	var l []string
	_ = json.Unmarshal(raw, &l)
	return l
}

// loadMemberOrder records the order of each structure's members as written
// in the file: encoding/json maps lose it, and AWS reports failures in
// member order.
func (m *Model) loadMemberOrder(data []byte) error {
	var raw struct {
		Shapes map[string]struct {
			Members json.RawMessage `json:"members"`
		} `json:"shapes"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	for name, s := range raw.Shapes {
		if len(s.Members) == 0 {
			continue
		}
		keys, err := objectKeys(s.Members)
		if err != nil {
			return fmt.Errorf("shape %s: %w", name, err)
		}
		m.Shapes[name].MemberOrder = keys
	}
	return nil
}

// objectKeys returns the top-level keys of a JSON object in order.
func objectKeys(obj json.RawMessage) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(obj))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fmt.Errorf("members is not an object")
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// Reachable returns the names of all shapes reachable from the operations'
// inputs, outputs and errors, sorted.
func (m *Model) Reachable() ([]string, error) {
	seen := map[string]bool{}
	var visit func(name string) error
	visit = func(name string) error {
		if seen[name] {
			return nil
		}
		s, ok := m.Shapes[name]
		if !ok {
			return fmt.Errorf("unknown shape %q", name)
		}
		seen[name] = true
		for _, mn := range s.MemberOrder {
			if err := visit(s.Members[mn].Shape); err != nil {
				return err
			}
		}
		for _, r := range []*ShapeRef{s.Member, s.Key, s.Value} {
			if r != nil {
				if err := visit(r.Shape); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for _, op := range m.Operations {
		refs := append([]ShapeRef(nil), op.Errors...)
		if op.Input != nil {
			refs = append(refs, *op.Input)
		}
		if op.Output != nil {
			refs = append(refs, *op.Output)
		}
		for _, r := range refs {
			if err := visit(r.Shape); err != nil {
				return nil, err
			}
		}
	}
	names := make([]string, 0, len(seen))
	for n := range seen {
		names = append(names, n)
	}
	sort.Strings(names)
	return names, nil
}

// OperationNames returns the operation names sorted.
func (m *Model) OperationNames() []string {
	names := make([]string, 0, len(m.Operations))
	for n := range m.Operations {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
