package awsproto

import (
	"context"
	"encoding/json"

	"github.com/idcenter/idcenter/internal/awsshape"
)

// Service is one AWS JSON 1.1 service: its target prefix, SigV4 signing name,
// the HTTP status of each modelled error, and its operations.
type Service struct {
	TargetPrefix string         // e.g. "AWSIdentityStore"
	SigningName  string         // e.g. "identitystore"
	EventSource  string         // e.g. "identitystore.amazonaws.com"
	ErrorStatus  map[string]int // modelled error code -> HTTP status
	// RequestIDMember makes errors carry a RequestId member, as the
	// identitystore error shapes do.
	RequestIDMember bool

	ops map[string]op
}

// op decodes, validates and runs one operation.
type op func(ctx context.Context, body []byte) (any, error)

// Handle registers an operation. The input type must be a generated model
// structure (it validates itself); fn receives it decoded and valid.
func Handle[I any, PI interface {
	*I
	awsshape.Validator
}, O any](s *Service, name string, fn func(ctx context.Context, in *I) (*O, error)) {
	if s.ops == nil {
		s.ops = map[string]op{}
	}
	s.ops[name] = func(ctx context.Context, body []byte) (any, error) {
		in := new(I)
		if err := decode(body, in); err != nil {
			return nil, err
		}
		if err := awsshape.Validate(PI(in)); err != nil {
			return nil, err
		}
		out, err := fn(ctx, in)
		if err != nil {
			return nil, err
		}
		if out == nil {
			return struct{}{}, nil
		}
		return out, nil
	}
}

// Operations lists the names of the registered operations.
func (s *Service) Operations() []string {
	names := make([]string, 0, len(s.ops))
	for n := range s.ops {
		names = append(names, n)
	}
	return names
}

// serializationError is a body that is not valid JSON of the input's shape.
type serializationError struct{ msg string }

func (e *serializationError) Error() string { return e.msg }

// decode reads a JSON object into in. An empty body is an empty object.
func decode(body []byte, in any) error {
	if len(body) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, in); err != nil {
		switch e := err.(type) {
		case *json.UnmarshalTypeError:
			field := e.Field
			if field == "" {
				field = "the request"
			}
			return &serializationError{msg: "Unexpected value type for " + field + ": expected " + e.Type.String() + ", found " + e.Value}
		case *json.SyntaxError:
			return &serializationError{msg: "Malformed request body: " + e.Error()}
		default:
			return &serializationError{msg: "Unable to parse request body: " + e.Error()}
		}
	}
	return nil
}
