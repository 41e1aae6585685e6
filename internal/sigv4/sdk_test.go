package sigv4

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
)

// TestRealClient runs the generated ssoadmin client of aws-sdk-go-v2, with
// its whole middleware stack, against a server that verifies with Verify.
func TestRealClient(t *testing.T) {
	var got []Result
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		res, err := Verify(r.Context(), r, body, time.Now(), testLookup)
		if err != nil {
			e, _ := err.(*Error)
			if e == nil {
				e = &Error{Code: "InternalFailure", Message: err.Error(), Status: 500}
			}
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			w.WriteHeader(e.Status)
			_ = json.NewEncoder(w).Encode(map[string]string{"__type": e.Code, "message": e.Message})
			return
		}
		got = append(got, res)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = io.WriteString(w, `{"Instances":[]}`)
	}))
	defer srv.Close()

	for _, c := range []Credential{longKey, tempKey} {
		client := ssoadmin.New(ssoadmin.Options{
			Region:       "eu-west-1",
			BaseEndpoint: aws.String(srv.URL + "/base path/ü"),
			Credentials:  credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, c.SessionToken),
		})
		if _, err := client.ListInstances(context.Background(), &ssoadmin.ListInstancesInput{MaxResults: aws.Int32(5)}); err != nil {
			t.Fatalf("%s: %v", c.AccessKeyID, err)
		}
	}
	if len(got) != 2 || got[0].Service != "sso" || got[0].Region != "eu-west-1" || got[1].AccessKeyID != tempKey.AccessKeyID {
		t.Fatalf("results %+v", got)
	}

	bad := ssoadmin.New(ssoadmin.Options{
		Region:           "eu-west-1",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider(longKey.AccessKeyID, "wrong", ""),
		RetryMaxAttempts: 1,
	})
	_, err := bad.ListInstances(context.Background(), &ssoadmin.ListInstancesInput{})
	if err == nil || !containsCode(err, CodeInvalidSignature) {
		t.Fatalf("wrong secret: %v", err)
	}
}

func containsCode(err error, code string) bool {
	type coder interface{ ErrorCode() string }
	for e := err; e != nil; {
		if c, ok := e.(coder); ok && c.ErrorCode() == code {
			return true
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		e = u.Unwrap()
	}
	return false
}
