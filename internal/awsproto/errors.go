package awsproto

import (
	"errors"
	"net/http"

	"github.com/idcenter/idcenter/internal/awsshape"
	"github.com/idcenter/idcenter/internal/errs"
)

// codeOfKind is the one table from a domain error kind to the AWS error code
// JSON services use for it.
var codeOfKind = map[errs.Kind]string{
	errs.Invalid:      "ValidationException",
	errs.NotFound:     "ResourceNotFoundException",
	errs.Conflict:     "ConflictException",
	errs.Denied:       "AccessDeniedException",
	errs.Throttled:    "ThrottlingException",
	errs.Quota:        "ServiceQuotaExceededException",
	errs.Unauthorized: "UnrecognizedClientException",
	errs.Other:        "InternalServerException",
}

// protocolError is an error of the protocol itself, with its own status.
type protocolError struct {
	code   string
	status int
	msg    string
}

func (e *protocolError) Error() string { return e.code + ": " + e.msg }

func protoErr(code string, status int, msg string) error {
	return &protocolError{code: code, status: status, msg: msg}
}

// errorBody is the JSON of an AWS error; members a shape lacks are omitted.
type errorBody struct {
	Type         string `json:"__type"`
	Message      string `json:"Message"`
	Reason       string `json:"Reason,omitempty"`
	ResourceType string `json:"ResourceType,omitempty"`
	ResourceID   string `json:"ResourceId,omitempty"`
	RequestID    string `json:"RequestId,omitempty"`
}

// Describe maps err to the AWS error code, HTTP status and body a client
// of service s must see.
func Describe(s *Service, requestID string, err error) (code string, status int, body errorBody) {
	var (
		pe *protocolError
		se *serializationError
		ve *awsshape.ValidationError
		de *errs.Error
	)
	switch {
	case errors.As(err, &pe):
		code, status, body.Message = pe.code, pe.status, pe.msg
	case errors.As(err, &se):
		code, status, body.Message = "SerializationException", 400, se.msg
	case errors.As(err, &ve):
		code, status, body.Message = "ValidationException", 400, ve.Message
	case errors.As(err, &de) && de.Kind != errs.Other:
		code = de.Code
		if code == "" {
			code = codeOfKind[de.Kind]
		}
		status, body.Message = 400, de.Msg
		body.Reason, body.ResourceType, body.ResourceID = de.Reason, de.ResourceType, de.ResourceID
	default:
		code, status, body.Message = "InternalServerException", 500, "An internal error occurred. Retry the request; if the problem persists, check the server log for request "+requestID+"."
	}
	if s != nil {
		if st, ok := s.ErrorStatus[code]; ok {
			status = st
		}
		if s.RequestIDMember {
			body.RequestID = requestID
		}
	}
	body.Type = code
	return code, status, body
}

// writeError sends err as the AWS error the client expects.
func (h *Handler) writeError(w http.ResponseWriter, c *Call, err error) {
	code, status, body := Describe(c.Service, c.RequestID, err)
	if status >= 500 {
		h.log.Error("request failed", "request_id", c.RequestID, "operation", c.Operation, "err", err)
	}
	c.Err, c.Code, c.Message = err, code, body.Message
	w.Header()["X-Amzn-Errortype"] = []string{code}
	h.writeJSON(w, c, status, body)
}
