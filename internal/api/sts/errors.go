package sts

import (
	"errors"
	"net/http"

	"github.com/idcenter/idcenter/internal/errs"
)

// queryError is an error of the query protocol itself.
type queryError struct {
	code   string
	status int
	msg    string
}

func (e *queryError) Error() string { return e.code + ": " + e.msg }

func errMalformed(msg string) error {
	return &queryError{code: "MalformedInput", status: 400, msg: msg}
}

// stsCode maps the codes the authenticator speaks (those of the JSON
// services) to the code and status STS answers with.
var stsCode = map[string]struct {
	code   string
	status int
}{
	"UnrecognizedClientException":         {"InvalidClientTokenId", 403},
	"InvalidSignatureException":           {"SignatureDoesNotMatch", 403},
	"IncompleteSignatureException":        {"IncompleteSignature", 400},
	"MissingAuthenticationTokenException": {"MissingAuthenticationToken", 403},
	"ExpiredTokenException":               {"ExpiredToken", 400},
	"AccessDeniedException":               {"AccessDenied", 403},
}

// kindCode maps a domain error kind to the STS code and status.
var kindCode = map[errs.Kind]struct {
	code   string
	status int
}{
	errs.Invalid:      {"ValidationError", 400},
	errs.NotFound:     {"ValidationError", 400},
	errs.Conflict:     {"ValidationError", 400},
	errs.Denied:       {"AccessDenied", 403},
	errs.Throttled:    {"Throttling", 400},
	errs.Quota:        {"LimitExceeded", 400},
	errs.Unauthorized: {"InvalidClientTokenId", 403},
}

// describe returns the code, status and message the client sees for err.
func describe(err error, reqID string) (code string, status int, msg string) {
	var qe *queryError
	if errors.As(err, &qe) {
		return qe.code, qe.status, qe.msg
	}
	var de *errs.Error
	if errors.As(err, &de) && de.Kind != errs.Other {
		if c, ok := stsCode[de.Code]; ok {
			return c.code, c.status, de.Msg
		}
		if c, ok := kindCode[de.Kind]; ok {
			return c.code, c.status, de.Msg
		}
	}
	return "InternalFailure", http.StatusInternalServerError, "An internal error occurred. Retry the request; if the problem persists, check the server log for request " + reqID + "."
}

// writeError sends err as an STS ErrorResponse.
func (h *Handler) writeError(w http.ResponseWriter, reqID string, err error) {
	code, status, msg := describe(err, reqID)
	if o, ok := w.(*observed); ok {
		o.c.Err, o.c.Code, o.c.Message = err, code, msg
	}
	typ := "Sender"
	if status >= 500 {
		typ = "Receiver"
		h.log.Error("STS request failed", "request_id", reqID, "err", err)
	}
	h.writeXML(w, reqID, status, errorResponse{Xmlns: xmlns, Error: errorDetail{Type: typ, Code: code, Message: msg}, RequestID: reqID})
}
