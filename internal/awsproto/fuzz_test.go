package awsproto

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	m "github.com/idcenter/idcenter/internal/model/identitystore"
)

type allowAll struct{}

func (allowAll) Authenticate(r *http.Request, body []byte, signingName string) (context.Context, error) {
	return r.Context(), nil
}

// FuzzHandler feeds arbitrary targets and bodies to the JSON 1.1 handler:
// no input may panic, and every answer must be JSON with a request id.
func FuzzHandler(f *testing.F) {
	s := &Service{TargetPrefix: "AWSIdentityStore", SigningName: "identitystore", ErrorStatus: m.ErrorStatus, RequestIDMember: true}
	Handle(s, "CreateUser", func(ctx context.Context, in *m.CreateUserRequest) (*m.CreateUserResponse, error) {
		return &m.CreateUserResponse{IdentityStoreId: in.IdentityStoreId, UserId: in.UserName}, nil
	})
	Handle(s, "UpdateUser", func(ctx context.Context, in *m.UpdateUserRequest) (*m.UpdateUserResponse, error) {
		return &m.UpdateUserResponse{}, nil
	})
	h := NewHandler(allowAll{}, slog.New(slog.NewTextHandler(io.Discard, nil)), s)
	for _, seed := range []struct{ target, body string }{
		{"AWSIdentityStore.CreateUser", `{"IdentityStoreId":"d-1234567890","UserName":"a","Emails":[{"Value":"x"}]}`},
		{"AWSIdentityStore.UpdateUser", `{"IdentityStoreId":"d-1234567890","UserId":"x","Operations":[{"AttributePath":"name.givenName","AttributeValue":{"a":[1,2]}}]}`},
		{"AWSIdentityStore.CreateUser", `{"Emails":"notalist"}`},
		{"AWSIdentityStore.CreateUser", `{`},
		{"AWSIdentityStore.Nope", ``},
		{"", `[]`},
	} {
		f.Add(seed.target, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, target string, body []byte) {
		r := httptest.NewRequest("POST", "/", bytes.NewReader(body))
		r.Header.Set("X-Amz-Target", target)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Header().Get("X-Amzn-Requestid") == "" {
			t.Fatalf("no request id for %q", target)
		}
		if !json.Valid(w.Body.Bytes()) {
			t.Fatalf("answer is not JSON: %q", w.Body.String())
		}
		if w.Code >= 500 {
			t.Fatalf("server fault %d for %q %q: %s", w.Code, target, body, w.Body.String())
		}
	})
}
