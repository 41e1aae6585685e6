// Package errs defines the domain error kinds of idcenter.
//
// Domain packages return errors built with E; they never choose an HTTP
// status or an AWS error code. The one mapping from a Kind to the AWS error
// a client sees lives in internal/awsproto. Kinds travel between packages
// and into logs: never reorder them, only append.
package errs

import (
	"errors"
	"fmt"
)

// Kind classifies an error by what the caller can do about it.
type Kind uint8

// The kinds, in the order they were added.
const (
	Other        Kind = iota // an unexpected failure: answered as an internal error
	Invalid                  // the request is malformed or breaks a rule (ValidationException)
	NotFound                 // the resource does not exist (ResourceNotFoundException)
	Conflict                 // the request clashes with existing state (ConflictException)
	Denied                   // the caller may not do this (AccessDeniedException)
	Throttled                // too many requests (ThrottlingException)
	Quota                    // a service quota would be exceeded (ServiceQuotaExceededException)
	Unauthorized             // the credentials are not valid (UnrecognizedClientException and friends)
)

var kindNames = [...]string{"other", "invalid", "not found", "conflict", "denied", "throttled", "quota", "unauthorized"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Error is a domain error: what happened (Kind), in which operation (Op), the
// message a client may see (Msg), and optional details an AWS error shape
// carries (Reason, ResourceType, ResourceID). Err is the underlying cause,
// for logs only: it never reaches a client.
type Error struct {
	Op           string
	Kind         Kind
	Msg          string
	Reason       string
	ResourceType string
	ResourceID   string
	Code         string // an explicit AWS error code, when the kind alone does not say it
	Err          error
}

func (e *Error) Error() string {
	s := e.Msg
	if e.Op != "" {
		s = e.Op + ": " + s
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an *Error of the given kind with a client-facing message.
func E(op string, kind Kind, msg string) *Error {
	return &Error{Op: op, Kind: kind, Msg: msg}
}

// Ef is E with a formatted message.
func Ef(op string, kind Kind, format string, args ...any) *Error {
	return &Error{Op: op, Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// Wrap records an unexpected failure (kind Other) with its cause.
func Wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Op: op, Kind: Other, Msg: "internal error", Err: err}
}

// KindOf reports the kind of err: Other when err is not an *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Other
}

// Is reports whether err is an *Error of kind k.
func Is(err error, k Kind) bool { return err != nil && KindOf(err) == k }

// Missing builds the error for a missing resource, naming its type and id as
// the identitystore and sso-admin error shapes do.
func Missing(op, resourceType, id, msg string) *Error {
	return &Error{Op: op, Kind: NotFound, Msg: msg, ResourceType: resourceType, ResourceID: id}
}

// WithReason returns e with its Reason set.
func (e *Error) WithReason(reason string) *Error { e.Reason = reason; return e }

// WithCode returns e with an explicit AWS error code.
func (e *Error) WithCode(code string) *Error { e.Code = code; return e }
