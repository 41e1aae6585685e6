package sigv4

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	testHost    = "sso.us-east-1.amazonaws.com"
	testRegion  = "us-east-1"
	testService = "sso"
)

var (
	testNow  = time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	longKey  = Credential{AccessKeyID: "AKIDLONGTERM", SecretAccessKey: "long/secret+KEY0123456789abcdefghijklmn"}
	tempKey  = Credential{AccessKeyID: "ASIATEMPORARY", SecretAccessKey: "temp/secret", SessionToken: "FwoGZXIvYXdzE+tok/en=="}
	errStore = errors.New("store unavailable")
)

// testLookup knows longKey and tempKey; "AKIDBROKEN" fails as a store would.
func testLookup(_ context.Context, id string) (Credential, error) {
	switch id {
	case longKey.AccessKeyID:
		return longKey, nil
	case tempKey.AccessKeyID:
		return tempKey, nil
	case "AKIDBROKEN":
		return Credential{}, errStore
	}
	return Credential{}, fmt.Errorf("%w: %s", ErrUnknownKey, id)
}

func awsCreds(c Credential) aws.Credentials {
	return aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}
}

func hashHex(b string) string {
	s := sha256.Sum256([]byte(b))
	return hex.EncodeToString(s[:])
}

// newClientRequest builds a request the way an SDK would before signing.
func newClientRequest(t testing.TB, method, url, body string, hdr http.Header) *http.Request {
	t.Helper()
	var rd *strings.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	var r *http.Request
	var err error
	if rd != nil {
		r, err = http.NewRequest(method, url, rd)
	} else {
		r, err = http.NewRequest(method, url, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range hdr {
		for _, v := range vs {
			r.Header.Add(k, v)
		}
	}
	return r
}

// signed signs a request with aws-sdk-go-v2's signer and returns it as the
// server receives it.
func signed(t testing.TB, method, url, body string, hdr http.Header, c Credential, at time.Time) *http.Request {
	t.Helper()
	r := newClientRequest(t, method, url, body, hdr)
	if err := v4.NewSigner().SignHTTP(context.Background(), awsCreds(c), r, hashHex(body), testService, testRegion, at); err != nil {
		t.Fatal(err)
	}
	return overTheWire(t, r)
}

// presigned presigns a GET with aws-sdk-go-v2 and returns it as the server
// receives it.
func presigned(t testing.TB, url string, expires string, c Credential, at time.Time) *http.Request {
	t.Helper()
	r := newClientRequest(t, http.MethodGet, url, "", nil)
	if expires != "" {
		q := r.URL.Query()
		q.Set("X-Amz-Expires", expires)
		r.URL.RawQuery = q.Encode()
	}
	u, hdr, err := v4.NewSigner().PresignHTTP(context.Background(), awsCreds(c), r, hashHex(""), testService, testRegion, at)
	if err != nil {
		t.Fatal(err)
	}
	out := newClientRequest(t, http.MethodGet, u, "", nil)
	for k, vs := range hdr {
		if k != "Host" {
			out.Header[k] = vs
		}
	}
	return overTheWire(t, out)
}

// overTheWire serializes a client request and parses it back with the
// server's parser, so tests see exactly what a handler would.
func overTheWire(t testing.TB, r *http.Request) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return parseWire(t, buf.String())
}

func parseWire(t testing.TB, raw string) *http.Request {
	t.Helper()
	sr, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	if err != nil {
		t.Fatalf("reading request: %v\n%s", err, raw)
	}
	return sr
}

// errCode returns the AWS code of err, "" for nil and "<not *Error>" for a
// foreign error.
func errCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return "<not *Error>"
}

func newSDKSigner() *v4.Signer { return v4.NewSigner() }
