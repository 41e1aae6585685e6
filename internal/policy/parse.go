package policy

import (
	"strings"
)

// Kind is the kind of policy a document is parsed as; it decides which
// elements a statement may or must have.
type Kind uint8

const (
	// IdentityPolicy is an identity-based policy: a permission set's inline
	// or managed policy, a permissions boundary, a session policy. It may
	// not name a Principal and must have Resource or NotResource.
	IdentityPolicy Kind = iota
	// ServiceControlPolicy is an AWS Organizations SCP. Like an identity
	// policy it may not name a Principal and must have Resource or
	// NotResource. SCPs now take the full IAM policy language (AWS Security
	// Blog, "AWS Organizations service control policy now supports full IAM
	// language": conditions, resource ARNs and NotAction in Allow
	// statements, wildcards anywhere in actions, NotResource); see
	// Options.LegacySCP for the older, narrower grammar.
	ServiceControlPolicy
	// ResourcePolicy is a resource-based or trust policy: it must name a
	// Principal or NotPrincipal, and Resource is optional.
	ResourcePolicy
)

var kindNames = [...]string{"identity-based policy", "service control policy", "resource-based policy"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return sprintf("Kind(%d)", k)
}

func (k Kind) article() string {
	if k == IdentityPolicy {
		return "an " + k.String()
	}
	return "a " + k.String()
}

// Options say how to parse a document.
type Options struct {
	Kind Kind
	// LegacySCP applies the SCP grammar AWS Organizations enforced before
	// SCPs took the full IAM language: no NotResource; in Allow statements
	// no Condition, no NotAction and only "*" as Resource; and a wildcard in
	// an action only at its end. Only meaningful with ServiceControlPolicy.
	LegacySCP bool
}

// Policy is a parsed, validated policy document.
type Policy struct {
	// Name labels the policy in decisions and messages (a permission set's
	// name, "FullAWSAccess", ...). Parse leaves it empty; callers set it.
	Name string
	Kind Kind
	// Version is the document's Version, "2008-10-17" when absent. Policy
	// variables are substituted only in "2012-10-17" documents.
	Version    string
	ID         string
	Statements []Statement
	// Size is the document's size in bytes without white space outside
	// strings, the size IAM counts against its quotas. (AWS Organizations
	// counts every character of an SCP, white space included: compare
	// len(doc) with the SCP quota.)
	Size int
}

// Statement is one statement of a policy. Exactly one of Action and
// NotAction is set; at most one of Resource and NotResource (exactly one
// unless the policy is a ResourcePolicy) and of Principal and NotPrincipal
// (exactly one in a ResourcePolicy, neither otherwise).
type Statement struct {
	Sid                     string
	Effect                  Effect
	Principal, NotPrincipal *Principal
	Action, NotAction       []string
	Resource, NotResource   []string
	Conditions              []Condition

	actions   []*glob
	resources []resourcePattern
	templates []template // every value holding policy variables
}

// Effect is a statement's Effect.
type Effect string

// The two effects.
const (
	EffectAllow Effect = "Allow"
	EffectDeny  Effect = "Deny"
)

// resourcePattern is a compiled Resource or NotResource entry.
type resourcePattern struct {
	glob *glob
	tmpl template // set instead of glob when the entry holds variables
}

func (r *resourcePattern) match(resource string, ctx Context) bool {
	if r.glob != nil {
		return r.glob.match(resource)
	}
	pieces, ok := r.tmpl.resolve(ctx)
	return ok && compilePieces(pieces, matchResource).match(resource)
}

var (
	topElements       = []string{"Version", "Id", "Statement"}
	statementElements = []string{"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}
)

// Parse parses and validates a policy document of the given kind. Errors
// are *SyntaxError.
func Parse(doc string, kind Kind) (*Policy, error) {
	return Options{Kind: kind}.Parse(doc)
}

// Parse parses and validates a policy document. Errors are *SyntaxError.
func (o Options) Parse(doc string) (*Policy, error) {
	if strings.TrimSpace(doc) == "" {
		return nil, syntaxErr("", "policy document is empty")
	}
	root, err := decodeJSON(doc)
	if err != nil {
		return nil, err
	}
	if root.kind != objectNode {
		return nil, syntaxErr("", "policy document must be a JSON object, got %s", root.kind)
	}
	p := &Policy{Kind: o.Kind, Version: "2008-10-17", Size: compactSize(doc)}
	var statements *node
	for i, key := range root.keys {
		v := root.vals[i]
		switch key {
		case "Version":
			if v.kind != stringNode {
				return nil, syntaxErr(key, "must be a string, got %s", v.kind)
			}
			if v.text != "2012-10-17" && v.text != "2008-10-17" {
				return nil, syntaxErr(key, "must be \"2012-10-17\" or \"2008-10-17\", got %q", v.text)
			}
			p.Version = v.text
		case "Id":
			if v.kind != stringNode {
				return nil, syntaxErr(key, "must be a string, got %s", v.kind)
			}
			p.ID = v.text
		case "Statement":
			statements = v
		default:
			return nil, unknownElement(key, key, topElements)
		}
	}
	if statements == nil {
		return nil, syntaxErr("", "missing required element \"Statement\"")
	}
	if p.Statements, err = o.parseStatements(statements, p.Version == "2012-10-17"); err != nil {
		return nil, err
	}
	return p, nil
}

func (o Options) parseStatements(n *node, variables bool) ([]Statement, error) {
	var items []*node
	var paths []string
	switch n.kind {
	case objectNode:
		items, paths = []*node{n}, []string{"Statement"}
	case arrayNode:
		if len(n.vals) == 0 {
			return nil, syntaxErr("Statement", "must hold at least one statement")
		}
		for i, v := range n.vals {
			path := sprintf("Statement[%d]", i)
			if v.kind != objectNode {
				return nil, syntaxErr(path, "must be an object, got %s", v.kind)
			}
			items, paths = append(items, v), append(paths, path)
		}
	default:
		return nil, syntaxErr("Statement", "must be an object or an array of objects, got %s", n.kind)
	}
	out := make([]Statement, len(items))
	sids := make(map[string]string)
	for i, item := range items {
		s, err := o.parseStatement(paths[i], item, variables)
		if err != nil {
			return nil, err
		}
		if s.Sid != "" {
			if first, dup := sids[s.Sid]; dup {
				return nil, syntaxErr(paths[i]+".Sid", "duplicate Sid %q (also used by %s): statement IDs in a policy must be unique", s.Sid, first)
			}
			sids[s.Sid] = paths[i]
		}
		out[i] = s
	}
	return out, nil
}

func (o Options) parseStatement(path string, n *node, variables bool) (Statement, error) {
	var s Statement
	var err error
	for i, key := range n.keys {
		v, kpath := n.vals[i], joinPath(path, key)
		switch key {
		case "Sid":
			err = o.parseSid(kpath, v, &s)
		case "Effect":
			if v.kind != stringNode {
				return s, syntaxErr(kpath, "must be a string, got %s", v.kind)
			}
			if v.text != "Allow" && v.text != "Deny" {
				return s, syntaxErr(kpath, "must be \"Allow\" or \"Deny\", got %q", v.text)
			}
			s.Effect = Effect(v.text)
		case "Principal", "NotPrincipal":
			if o.Kind != ResourcePolicy {
				return s, syntaxErr(kpath, "not allowed in %s", o.Kind.article())
			}
			var pr *Principal
			if pr, err = parsePrincipal(kpath, v); key == "Principal" {
				s.Principal = pr
			} else {
				s.NotPrincipal = pr
			}
		case "Action", "NotAction":
			err = o.parseActions(kpath, key, v, &s)
		case "Resource", "NotResource":
			err = parseResources(kpath, key, v, variables, &s)
		case "Condition":
			s.Conditions, err = parseConditionBlock(kpath, v, variables)
		default:
			return s, unknownElement(kpath, key, statementElements)
		}
		if err != nil {
			return s, err
		}
	}
	if err := o.checkStatement(path, &s); err != nil {
		return s, err
	}
	for i := range s.Conditions {
		s.templates = append(s.templates, s.Conditions[i].templates()...)
	}
	return s, nil
}

func (o Options) parseSid(path string, v *node, s *Statement) error {
	if v.kind != stringNode {
		return syntaxErr(path, "must be a string, got %s", v.kind)
	}
	// IAM and Organizations allow letters and digits only (IAM answers
	// "Statement IDs (SID) must be alpha-numeric"); resource-based
	// policies of other services allow more.
	if o.Kind != ResourcePolicy {
		for _, c := range []byte(v.text) {
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
				return syntaxErr(path, "must contain only letters and digits, got %q", v.text)
			}
		}
	}
	s.Sid = v.text
	return nil
}

func (o Options) parseActions(path, key string, n *node, s *Statement) error {
	actions, err := stringList(path, n)
	if err != nil {
		return err
	}
	legacy := o.Kind == ServiceControlPolicy && o.LegacySCP
	for i, a := range actions {
		if msg := checkAction(a, legacy); msg != "" {
			return syntaxErr(indexPath(path, n, i), "%s", msg)
		}
		s.actions = append(s.actions, compileGlob(a, matchFold))
	}
	if key == "Action" {
		s.Action = actions
	} else {
		s.NotAction = actions
	}
	return nil
}

// checkAction validates one action: "*" or "service:action", where the
// service prefix is letters, digits and hyphens, the action name letters,
// digits, '-', '_' and '.', and both may hold '*' and '?' wildcards.
func checkAction(a string, legacySCP bool) string {
	if a == "*" {
		return ""
	}
	svc, name, ok := strings.Cut(a, ":")
	if !ok || svc == "" || name == "" {
		return sprintf("must be \"*\" or \"service:action\" such as \"sso:CreateInstance\", got %q", a)
	}
	for _, c := range []byte(svc) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || strings.IndexByte("-*?", c) >= 0) {
			return sprintf("service prefix %q of action %q may contain only letters, digits, hyphens and the wildcards \"*\" and \"?\"", svc, a)
		}
	}
	for _, c := range []byte(name) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || strings.IndexByte("-_.*?", c) >= 0) {
			return sprintf("action name %q of %q may contain only letters, digits, \"-\", \"_\", \".\" and the wildcards \"*\" and \"?\"", name, a)
		}
	}
	if legacySCP && strings.ContainsAny(strings.TrimSuffix(a, "*"), "*?") {
		return sprintf("a service control policy may use a wildcard only at the end of an action, got %q", a)
	}
	return ""
}

func parseResources(path, key string, n *node, variables bool, s *Statement) error {
	resources, err := stringList(path, n)
	if err != nil {
		return err
	}
	for i, r := range resources {
		if msg := checkResource(r); msg != "" {
			return syntaxErr(indexPath(path, n, i), "%s", msg)
		}
		var rp resourcePattern
		if t := parseTemplate(r); variables && (t.vars || len(t.parts) > 1 || len(t.parts) == 1 && t.parts[0].literal) {
			rp.tmpl = t
			s.templates = append(s.templates, t)
		} else {
			rp.glob = compileGlob(r, matchResource)
		}
		s.resources = append(s.resources, rp)
	}
	if key == "Resource" {
		s.Resource = resources
	} else {
		s.NotResource = resources
	}
	return nil
}

// checkResource validates one resource: "*" or an ARN, whose service
// segment may not hold wildcards.
func checkResource(r string) string {
	if r == "*" {
		return ""
	}
	if !strings.HasPrefix(r, "arn:") {
		return sprintf("must be \"*\" or an ARN such as \"arn:aws:sso:::instance/*\", got %q", r)
	}
	if parts := strings.SplitN(r, ":", 4); len(parts) >= 3 && !strings.Contains(r, "${") && strings.ContainsAny(parts[2], "*?") {
		return sprintf("the service segment of ARN %q may not contain wildcards", r)
	}
	return ""
}

// checkStatement enforces the elements a statement of o.Kind must have.
func (o Options) checkStatement(path string, s *Statement) error {
	switch {
	case s.Effect == "":
		return syntaxErr(path, "missing required element \"Effect\"")
	case s.Action != nil && s.NotAction != nil:
		return syntaxErr(path, "must not have both Action and NotAction")
	case s.Action == nil && s.NotAction == nil:
		return syntaxErr(path, "must have an Action or NotAction element")
	case s.Resource != nil && s.NotResource != nil:
		return syntaxErr(path, "must not have both Resource and NotResource")
	case s.Resource == nil && s.NotResource == nil && o.Kind != ResourcePolicy:
		return syntaxErr(path, "must have a Resource or NotResource element")
	case s.Principal != nil && s.NotPrincipal != nil:
		return syntaxErr(path, "must not have both Principal and NotPrincipal")
	case s.Principal == nil && s.NotPrincipal == nil && o.Kind == ResourcePolicy:
		return syntaxErr(path, "must have a Principal or NotPrincipal element")
	}
	if o.Kind == ServiceControlPolicy && o.LegacySCP {
		return checkLegacySCP(path, s)
	}
	return nil
}

func checkLegacySCP(path string, s *Statement) error {
	if s.NotResource != nil {
		return syntaxErr(path+".NotResource", "not supported in a service control policy")
	}
	if s.Effect != EffectAllow {
		return nil
	}
	switch {
	case s.Conditions != nil:
		return syntaxErr(path+".Condition", "not supported in an Allow statement of a service control policy")
	case s.NotAction != nil:
		return syntaxErr(path+".NotAction", "not supported in an Allow statement of a service control policy")
	case len(s.Resource) != 1 || s.Resource[0] != "*":
		return syntaxErr(path+".Resource", "must be \"*\" in an Allow statement of a service control policy")
	}
	return nil
}

// stringList reads a string or a non-empty array of strings.
func stringList(path string, n *node) ([]string, error) {
	switch n.kind {
	case stringNode:
		if n.text == "" {
			return nil, syntaxErr(path, "must not be empty")
		}
		return []string{n.text}, nil
	case arrayNode:
		if len(n.vals) == 0 {
			return nil, syntaxErr(path, "must not be an empty array")
		}
		out := make([]string, len(n.vals))
		for i, v := range n.vals {
			ipath := sprintf("%s[%d]", path, i)
			if v.kind != stringNode {
				return nil, syntaxErr(ipath, "must be a string, got %s", v.kind)
			}
			if v.text == "" {
				return nil, syntaxErr(ipath, "must not be empty")
			}
			out[i] = v.text
		}
		return out, nil
	}
	return nil, syntaxErr(path, "must be a string or an array of strings, got %s", n.kind)
}

// indexPath names the i-th value of n: path[i] for an array, path itself
// for a single value.
func indexPath(path string, n *node, i int) string {
	if n.kind == arrayNode {
		return sprintf("%s[%d]", path, i)
	}
	return path
}

// unknownElement reports an element the grammar does not have, with the
// right spelling when only its case is wrong (element names are
// case-sensitive).
func unknownElement(path, key string, valid []string) error {
	for _, v := range valid {
		if strings.EqualFold(v, key) {
			return syntaxErr(path, "unknown element (did you mean %q?)", v)
		}
	}
	return syntaxErr(path, "unknown element; valid elements are %s", strings.Join(valid, ", "))
}
