// Package sts serves the AWS Security Token Service operations idcenter
// implements, GetCallerIdentity and AssumeRole, in the AWS query protocol:
// POST / with a form-encoded body (or a GET with the same query string)
// carrying Action and Version=2011-06-15, answered in XML.
//
// Every request is authenticated with SigV4 for the signing name "sts";
// authentication failures are reported in STS's own vocabulary
// (InvalidClientTokenId, SignatureDoesNotMatch, ExpiredToken, ...). The
// operations themselves live in internal/org.
package sts

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/idcenter/idcenter/internal/awsproto"
	"github.com/idcenter/idcenter/internal/ids"
	"github.com/idcenter/idcenter/internal/org"
)

// SigningName is the SigV4 service name STS requests are signed for.
const SigningName = "sts"

// Version is the API version of the query protocol.
const Version = "2011-06-15"

// maxBody bounds a request body.
const maxBody = 64 << 10

// Handler serves STS.
type Handler struct {
	auth awsproto.Authenticator
	org  *org.Service
	log  *slog.Logger
}

// New returns the STS handler: auth verifies requests, o runs AssumeRole.
func New(auth awsproto.Authenticator, o *org.Service, log *slog.Logger) *Handler {
	return &Handler{auth: auth, org: o, log: log}
}

// action runs one operation and returns its result element.
type action func(h *Handler, ctx context.Context, form url.Values) (any, error)

var actions = map[string]action{
	"GetCallerIdentity": (*Handler).getCallerIdentity,
	"AssumeRole":        (*Handler).assumeRole,
}

// ServeHTTP runs one call.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := ids.UUID()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(r.Body, maxBody+1)); err != nil || buf.Len() > maxBody {
		h.writeError(w, reqID, errMalformed("The request body could not be read or is too large"))
		return
	}
	body := buf.Bytes()
	ctx, err := h.auth.Authenticate(r, body, SigningName)
	if err != nil {
		h.writeError(w, reqID, err)
		return
	}
	form := r.URL.Query()
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			h.writeError(w, reqID, errMalformed("The request body is not a valid form"))
			return
		}
		for k, v := range vals {
			form[k] = append(form[k], v...)
		}
	}
	name := form.Get("Action")
	run := actions[name]
	if run == nil {
		h.writeError(w, reqID, &queryError{code: "InvalidAction", status: 400, msg: "Could not find operation " + name + " for version " + form.Get("Version")})
		return
	}
	out, err := run(h, ctx, form)
	if err != nil {
		h.writeError(w, reqID, err)
		return
	}
	h.writeResult(w, reqID, name, out)
}
