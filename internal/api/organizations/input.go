package organizations

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/idcenter/idcenter/internal/awsproto"
	"github.com/idcenter/idcenter/internal/awsshape"
	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/org"
)

// input wraps a model input so that awsproto decodes it but leaves its
// validation to handle: AWS Organizations reports a bad input as
// InvalidInputException with a Reason, not as ValidationException.
type input[I any] struct{ v I }

func (in *input[I]) UnmarshalJSON(b []byte) error { return json.Unmarshal(b, &in.v) }

// Validate is done by handle.
func (*input[I]) Validate(*awsshape.Checker, string) {}

// handle registers an operation whose input is validated against the model
// and refused as InvalidInputException.
func handle[I any, PI interface {
	*I
	awsshape.Validator
}, O any](s *awsproto.Service, name string, fn func(ctx context.Context, in *I) (*O, error)) {
	awsproto.Handle(s, name, func(ctx context.Context, in *input[I]) (*O, error) {
		if err := awsshape.Validate(PI(&in.v)); err != nil {
			return nil, invalidInput(name, err)
		}
		return fn(ctx, &in.v)
	})
}

// invalidInput turns a model validation failure into InvalidInputException,
// with the Reason the first failure's constraint calls for.
func invalidInput(op string, err error) error {
	var ve *awsshape.ValidationError
	if !errors.As(err, &ve) || len(ve.Failures) == 0 {
		return err
	}
	return errs.E("organizations."+op, errs.Invalid, ve.Message).WithCode(org.CodeInvalidInput).WithReason(reason(ve.Failures[0].Constraint))
}

// reason maps a constraint message of awsshape.Checker to the
// InvalidInputExceptionReason AWS sends for it.
func reason(constraint string) string {
	switch {
	case strings.HasPrefix(constraint, "Member must not be null"):
		return "INPUT_REQUIRED"
	case strings.HasPrefix(constraint, "Member must have length greater"):
		return "MIN_LENGTH_EXCEEDED"
	case strings.HasPrefix(constraint, "Member must have length less"):
		return "MAX_LENGTH_EXCEEDED"
	case strings.HasPrefix(constraint, "Member must have value greater"):
		return "MIN_VALUE_EXCEEDED"
	case strings.HasPrefix(constraint, "Member must have value less"):
		return "MAX_VALUE_EXCEEDED"
	case strings.HasPrefix(constraint, "Member must satisfy enum"):
		return "INVALID_ENUM"
	default:
		return "INVALID_PATTERN"
	}
}
