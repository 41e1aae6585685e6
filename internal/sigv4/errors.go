package sigv4

import (
	"errors"
	"net/http"
	"time"
)

// AWS error codes returned in Error.Code.
const (
	CodeMissingAuthenticationToken = "MissingAuthenticationTokenException"
	CodeIncompleteSignature        = "IncompleteSignatureException"
	CodeUnrecognizedClient         = "UnrecognizedClientException"
	CodeInvalidSignature           = "InvalidSignatureException"
	CodeAccessDenied               = "AccessDeniedException"
)

// Messages AWS uses for the fixed-text failures.
const (
	msgMissingToken      = "Missing Authentication Token"
	msgInvalidToken      = "The security token included in the request is invalid."
	msgSignatureMismatch = "The request signature we calculated does not match the signature you provided. " +
		"Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
	msgContentSHAMismatch = "The provided 'x-amz-content-sha256' header does not match what was computed."
	msgExpired            = "Request has expired"
)

// ErrUnknownKey is returned (possibly wrapped) by a Lookup when no
// credential exists for the access key id. Verify reports it to the client as
// UnrecognizedClientException.
var ErrUnknownKey = errors.New("sigv4: unknown access key id")

// Error is an authentication failure to be reported to the client as an AWS
// error: Code is the AWS error code (the JSON "__type"), Message its text and
// Status the HTTP status code of the response.
type Error struct {
	Code    string
	Message string
	Status  int
}

// Error implements the error interface as "Code: Message".
func (e *Error) Error() string { return e.Code + ": " + e.Message }

func newError(code, msg string, status int) *Error {
	return &Error{Code: code, Message: msg, Status: status}
}

func errMissingAuth() *Error {
	return newError(CodeMissingAuthenticationToken, msgMissingToken, http.StatusBadRequest)
}

func errIncomplete(msg string) *Error {
	return newError(CodeIncompleteSignature, msg, http.StatusBadRequest)
}

func errUnrecognized() *Error {
	return newError(CodeUnrecognizedClient, msgInvalidToken, http.StatusBadRequest)
}

func errSignature() *Error {
	return newError(CodeInvalidSignature, msgSignatureMismatch, http.StatusBadRequest)
}

func errContentSHA() *Error {
	return newError(CodeInvalidSignature, msgContentSHAMismatch, http.StatusBadRequest)
}

func errPresignExpired() *Error {
	return newError(CodeAccessDenied, msgExpired, http.StatusForbidden)
}

// errSkewPast reports a signing time more than maxSkew before now, in AWS's
// words: "Signature expired: X is now earlier than Y (Z - 5 min.)".
func errSkewPast(amzDate string, now time.Time) *Error {
	now = now.UTC()
	return newError(CodeInvalidSignature, "Signature expired: "+amzDate+" is now earlier than "+
		now.Add(-maxSkew).Format(timeFormat)+" ("+now.Format(timeFormat)+" - 5 min.)", http.StatusBadRequest)
}

// errSkewFuture reports a signing time more than maxSkew after now:
// "Signature not yet current: X is still later than Y (Z + 5 min.)".
func errSkewFuture(amzDate string, now time.Time) *Error {
	now = now.UTC()
	return newError(CodeInvalidSignature, "Signature not yet current: "+amzDate+" is still later than "+
		now.Add(maxSkew).Format(timeFormat)+" ("+now.Format(timeFormat)+" + 5 min.)", http.StatusBadRequest)
}
