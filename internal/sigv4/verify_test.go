package sigv4

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

const jsonBody = `{"InstanceArn":"arn:aws:sso:::instance/ssoins-1234567890abcdef"}`

func jsonHeaders() http.Header {
	return http.Header{
		"Content-Type":          {"application/x-amz-json-1.1"},
		"X-Amz-Target":          {"SWBExternalService.ListPermissionSets"},
		"Amz-Sdk-Invocation-Id": {"3f1c0f5e-6a7b-4c1d-9e2f-0a1b2c3d4e5f"},
		"Amz-Sdk-Request":       {"attempt=1; max=3"},
	}
}

func TestVerify(t *testing.T) {
	const base = "https://" + testHost
	post := func(c Credential, at time.Time) *http.Request {
		return signed(t, "POST", base+"/", jsonBody, jsonHeaders(), c, at)
	}
	type tc struct {
		name    string
		req     func(t *testing.T) *http.Request
		body    string
		mutate  func(r *http.Request)
		code    string // "" for success
		msg     string // exact message when set
		contain string // message substring when set
		presign bool
	}
	tests := []tc{
		{name: "json post", req: func(t *testing.T) *http.Request { return post(longKey, testNow) }, body: jsonBody},
		{name: "json post signed 4m59s ago", req: func(t *testing.T) *http.Request { return post(longKey, testNow.Add(-299*time.Second)) }, body: jsonBody},
		{name: "json post signed 4m in the future", req: func(t *testing.T) *http.Request { return post(longKey, testNow.Add(4*time.Minute)) }, body: jsonBody},
		{name: "session token", req: func(t *testing.T) *http.Request { return post(tempKey, testNow) }, body: jsonBody},
		{name: "query with special characters and repeated keys", req: func(t *testing.T) *http.Request {
			return signed(t, "GET", base+"/v1/things?b=2&b=1&a%20key=v%2Fa+l%2Bu%3De&x=%E2%98%83&flag&z=~-._", "", nil, longKey, testNow)
		}},
		{name: "query unencoded plus and reserved", req: func(t *testing.T) *http.Request {
			return signed(t, "GET", base+"/?q=a+b&r=(x)!*'&s=%7e", "", nil, longKey, testNow)
		}},
		{name: "path with spaces and unicode", req: func(t *testing.T) *http.Request {
			return signed(t, "GET", base+"/accounts/a b/ünïcödé/☃/x%2Fy/", "", nil, longKey, testNow)
		}},
		{name: "path with reserved characters", req: func(t *testing.T) *http.Request {
			return signed(t, "DELETE", base+"/a+b/c:d/e=f/g@h/i;j/$k/%25l", "", nil, longKey, testNow)
		}},
		{name: "path with empty and dot segments", req: func(t *testing.T) *http.Request {
			return signed(t, "GET", base+"//a/./b/../c//", "", nil, longKey, testNow)
		}},
		{name: "multi-valued header and excess spaces", req: func(t *testing.T) *http.Request {
			h := jsonHeaders()
			h["X-Amz-Meta-Tags"] = []string{"  one   two ", "three"}
			return signed(t, "POST", base+"/", jsonBody, h, longKey, testNow)
		}, body: jsonBody},
		{name: "host with port", req: func(t *testing.T) *http.Request {
			return signed(t, "POST", "http://127.0.0.1:8443/", jsonBody, jsonHeaders(), longKey, testNow)
		}, body: jsonBody},
		{name: "unsigned headers added in transit", req: func(t *testing.T) *http.Request { return post(longKey, testNow) }, body: jsonBody,
			mutate: func(r *http.Request) {
				r.Header.Set("X-Forwarded-For", "10.0.0.1")
				r.Header.Set("User-Agent", "proxy")
			}},
		{name: "payload hash header", req: func(t *testing.T) *http.Request {
			h := jsonHeaders()
			h.Set("X-Amz-Content-Sha256", hashHex(jsonBody))
			return signed(t, "POST", base+"/", jsonBody, h, longKey, testNow)
		}, body: jsonBody},
		{name: "payload hash header uppercase", req: func(t *testing.T) *http.Request {
			up := strings.ToUpper(hashHex(jsonBody))
			h := jsonHeaders()
			h.Set("X-Amz-Content-Sha256", up)
			r := newClientRequest(t, "POST", base+"/", jsonBody, h)
			signWith(t, r, up, longKey, testNow)
			return overTheWire(t, r)
		}, body: jsonBody},
		{name: "unsigned payload", req: func(t *testing.T) *http.Request {
			r := newClientRequest(t, "PUT", base+"/blob", "data", http.Header{"X-Amz-Content-Sha256": {"UNSIGNED-PAYLOAD"}})
			signWith(t, r, "UNSIGNED-PAYLOAD", longKey, testNow)
			return overTheWire(t, r)
		}, body: "data"},
		{name: "presigned get", presign: true, req: func(t *testing.T) *http.Request {
			return presigned(t, base+"/presign?Action=Get&p=a%20b", "300", longKey, testNow.Add(-4*time.Minute))
		}},
		{name: "presigned get without expires", presign: true, req: func(t *testing.T) *http.Request {
			return presigned(t, base+"/", "", longKey, testNow)
		}},
		{name: "presigned get with session token", presign: true, req: func(t *testing.T) *http.Request {
			return presigned(t, base+"/?Action=Get", "900", tempKey, testNow.Add(-10*time.Minute))
		}},

		// Tampering.
		{name: "tampered body", req: func(t *testing.T) *http.Request { return post(longKey, testNow) },
			body: strings.Replace(jsonBody, "1234", "9999", 1), code: CodeInvalidSignature, msg: msgSignatureMismatch},
		{name: "tampered signed header", req: func(t *testing.T) *http.Request { return post(longKey, testNow) }, body: jsonBody,
			mutate: func(r *http.Request) { r.Header.Set("X-Amz-Target", "SWBExternalService.DeletePermissionSet") },
			code:   CodeInvalidSignature},
		{name: "tampered query", req: func(t *testing.T) *http.Request {
			return signed(t, "GET", base+"/v1/things?b=2&b=1", "", nil, longKey, testNow)
		}, mutate: func(r *http.Request) { r.RequestURI = strings.Replace(r.RequestURI, "b=2", "b=3", 1) }, code: CodeInvalidSignature},
		{name: "added query parameter", req: func(t *testing.T) *http.Request {
			return signed(t, "GET", base+"/v1/things?b=2", "", nil, longKey, testNow)
		}, mutate: func(r *http.Request) { r.RequestURI += "&admin=true" }, code: CodeInvalidSignature},
		{name: "tampered path", req: func(t *testing.T) *http.Request {
			return signed(t, "GET", base+"/v1/things", "", nil, longKey, testNow)
		}, mutate: func(r *http.Request) { r.RequestURI = "/v1/other" }, code: CodeInvalidSignature},
		{name: "encoded slash is not a slash", req: func(t *testing.T) *http.Request {
			return signed(t, "GET", base+"/a/b", "", nil, longKey, testNow)
		}, mutate: func(r *http.Request) { r.RequestURI = "/a%2Fb" }, code: CodeInvalidSignature},
		{name: "tampered method", req: func(t *testing.T) *http.Request { return post(longKey, testNow) }, body: jsonBody,
			mutate: func(r *http.Request) { r.Method = "PUT" }, code: CodeInvalidSignature},
		{name: "tampered host", req: func(t *testing.T) *http.Request { return post(longKey, testNow) }, body: jsonBody,
			mutate: func(r *http.Request) { r.Host = "evil.example.com" }, code: CodeInvalidSignature},
		{name: "tampered date", req: func(t *testing.T) *http.Request { return post(longKey, testNow) }, body: jsonBody,
			mutate: func(r *http.Request) { r.Header.Set("X-Amz-Date", "20240101T120001Z") }, code: CodeInvalidSignature},
		{name: "tampered presigned query", presign: true, req: func(t *testing.T) *http.Request {
			return presigned(t, base+"/?Action=Get", "300", longKey, testNow)
		}, mutate: func(r *http.Request) { r.RequestURI = strings.Replace(r.RequestURI, "Action=Get", "Action=Delete", 1) }, code: CodeInvalidSignature},
		{name: "extended presigned expiry", presign: true, req: func(t *testing.T) *http.Request {
			return presigned(t, base+"/?Action=Get", "300", longKey, testNow)
		}, mutate: func(r *http.Request) {
			r.RequestURI = strings.Replace(r.RequestURI, "X-Amz-Expires=300", "X-Amz-Expires=3000", 1)
		}, code: CodeInvalidSignature},
		{name: "payload hash header not matching body", req: func(t *testing.T) *http.Request {
			h := jsonHeaders()
			h.Set("X-Amz-Content-Sha256", hashHex("other"))
			return signed(t, "POST", base+"/", jsonBody, h, longKey, testNow)
		}, body: jsonBody, code: CodeInvalidSignature, msg: msgContentSHAMismatch},
		{name: "unsigned payload declared in transit", req: func(t *testing.T) *http.Request { return post(longKey, testNow) }, body: "{}",
			mutate: func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD") }, code: CodeInvalidSignature},
		{name: "malformed signature", req: func(t *testing.T) *http.Request { return post(longKey, testNow) }, body: jsonBody,
			mutate: func(r *http.Request) { replaceAuth(r, "Signature=", "Signature=zz") }, code: CodeInvalidSignature},

		// Credentials.
		{name: "wrong secret", req: func(t *testing.T) *http.Request {
			c := longKey
			c.SecretAccessKey = "not the secret"
			return post(c, testNow)
		}, body: jsonBody, code: CodeInvalidSignature, msg: msgSignatureMismatch},
		{name: "unknown key", req: func(t *testing.T) *http.Request {
			return post(Credential{AccessKeyID: "AKIDNOBODY", SecretAccessKey: "x"}, testNow)
		}, body: jsonBody, code: CodeUnrecognizedClient, msg: msgInvalidToken},
		{name: "session token missing", req: func(t *testing.T) *http.Request {
			c := tempKey
			c.SessionToken = ""
			return post(c, testNow)
		}, body: jsonBody, code: CodeUnrecognizedClient, msg: msgInvalidToken},
		{name: "session token differs", req: func(t *testing.T) *http.Request {
			c := tempKey
			c.SessionToken = "FwoGZXIvYXdzE+tok/en=X"
			return post(c, testNow)
		}, body: jsonBody, code: CodeUnrecognizedClient},
		{name: "session token for long-term key", req: func(t *testing.T) *http.Request {
			c := longKey
			c.SessionToken = "sometoken"
			return post(c, testNow)
		}, body: jsonBody, code: CodeUnrecognizedClient},
		{name: "presigned session token differs", presign: true, req: func(t *testing.T) *http.Request {
			c := tempKey
			c.SessionToken = "other"
			return presigned(t, base+"/", "60", c, testNow)
		}, code: CodeUnrecognizedClient},

		// Time.
		{name: "signature expired", req: func(t *testing.T) *http.Request { return post(longKey, time.Date(2024, 1, 1, 11, 54, 0, 0, time.UTC)) }, body: jsonBody,
			code: CodeInvalidSignature, msg: "Signature expired: 20240101T115400Z is now earlier than 20240101T115500Z (20240101T120000Z - 5 min.)"},
		{name: "signature not yet current", req: func(t *testing.T) *http.Request { return post(longKey, time.Date(2024, 1, 1, 12, 6, 0, 0, time.UTC)) }, body: jsonBody,
			code: CodeInvalidSignature, msg: "Signature not yet current: 20240101T120600Z is still later than 20240101T120500Z (20240101T120000Z + 5 min.)"},
		{name: "presigned expired", presign: true, req: func(t *testing.T) *http.Request {
			return presigned(t, base+"/", "300", longKey, testNow.Add(-301*time.Second))
		}, code: CodeAccessDenied, msg: msgExpired},
		{name: "presigned in the future", presign: true, req: func(t *testing.T) *http.Request {
			return presigned(t, base+"/", "300", longKey, testNow.Add(6*time.Minute))
		}, code: CodeInvalidSignature, contain: "Signature not yet current"},
		{name: "presigned without expires is held to the skew", presign: true, req: func(t *testing.T) *http.Request {
			return presigned(t, base+"/", "", longKey, testNow.Add(-6*time.Minute))
		}, code: CodeInvalidSignature, contain: "Signature expired"},
		{name: "presigned expires over a week", presign: true, req: func(t *testing.T) *http.Request {
			return presigned(t, base+"/", "604801", longKey, testNow)
		}, code: CodeIncompleteSignature, msg: "X-Amz-Expires must be less than a week (in seconds) that is 604800"},
		{name: "presigned expires not a number", presign: true, req: func(t *testing.T) *http.Request {
			return presigned(t, base+"/", "soon", longKey, testNow)
		}, code: CodeIncompleteSignature, msg: "X-Amz-Expires should be a number"},

		// Missing and malformed pieces.
		{name: "unsigned", req: func(t *testing.T) *http.Request {
			return overTheWire(t, newClientRequest(t, "POST", base+"/", jsonBody, jsonHeaders()))
		}, body: jsonBody, code: CodeMissingAuthenticationToken, msg: "Missing Authentication Token"},
		{name: "missing signature", req: func(t *testing.T) *http.Request { return post(longKey, testNow) }, body: jsonBody,
			mutate: func(r *http.Request) { cutAuth(r, ", Signature=") },
			code:   CodeIncompleteSignature, contain: "Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 Credential="},
		{name: "missing signed headers", req: func(t *testing.T) *http.Request { return post(longKey, testNow) }, body: jsonBody,
			mutate: func(r *http.Request) {
				a := r.Header.Get("Authorization")
				i, j := strings.Index(a, ", SignedHeaders="), strings.Index(a, ", Signature=")
				r.Header.Set("Authorization", a[:i]+a[j:])
			},
			code: CodeIncompleteSignature, contain: "Authorization header requires 'SignedHeaders' parameter."},
		{name: "missing credential", req: func(t *testing.T) *http.Request { return post(longKey, testNow) }, body: jsonBody,
			mutate: func(r *http.Request) { replaceAuth(r, "Credential=", "Cred=") },
			code:   CodeIncompleteSignature, contain: "Authorization header requires 'Credential' parameter."},
		{name: "garbage authorization", req: func(t *testing.T) *http.Request { return post(longKey, testNow) }, body: jsonBody,
			mutate: func(r *http.Request) { r.Header.Set("Authorization", "Bearer abc"); r.Header.Del("X-Amz-Date") },
			code:   CodeIncompleteSignature,
			msg: "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
				"Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
				"Authorization=Bearer abc"},
		{name: "missing date", req: func(t *testing.T) *http.Request { return post(longKey, testNow) }, body: jsonBody,
			mutate: func(r *http.Request) { r.Header.Del("X-Amz-Date") },
			code:   CodeIncompleteSignature, contain: "requires existence of either a 'X-Amz-Date' or a 'Date' header"},
		{name: "malformed date", req: func(t *testing.T) *http.Request { return post(longKey, testNow) }, body: jsonBody,
			mutate: func(r *http.Request) { r.Header.Set("X-Amz-Date", "2024-01-01T12:00:00Z") },
			code:   CodeIncompleteSignature, contain: "ISO-8601 'basic format'"},
		{name: "unsupported algorithm", req: func(t *testing.T) *http.Request { return post(longKey, testNow) }, body: jsonBody,
			mutate: func(r *http.Request) { replaceAuth(r, "AWS4-HMAC-SHA256 ", "AWS4-ECDSA-P256-SHA256 ") },
			code:   CodeIncompleteSignature, contain: "AWS4-ECDSA-P256-SHA256"},
		{name: "credential scope too short", req: func(t *testing.T) *http.Request { return post(longKey, testNow) }, body: jsonBody,
			mutate: func(r *http.Request) { replaceAuth(r, "/aws4_request", "") },
			code:   CodeIncompleteSignature, contain: "Credential must have exactly 5 slash-delimited elements"},
		{name: "credential scope bad terminator", req: func(t *testing.T) *http.Request { return post(longKey, testNow) }, body: jsonBody,
			mutate: func(r *http.Request) { replaceAuth(r, "/aws4_request", "/aws5_request") },
			code:   CodeIncompleteSignature, contain: "valid terminator"},
		{name: "credential scope date differs", req: func(t *testing.T) *http.Request { return post(longKey, testNow) }, body: jsonBody,
			mutate: func(r *http.Request) { replaceAuth(r, "/20240101/", "/20231231/") },
			code:   CodeIncompleteSignature,
			msg:    "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20231231' != '20240101', from '20240101T120000Z'."},
		{name: "host not signed", req: func(t *testing.T) *http.Request { return post(longKey, testNow) }, body: jsonBody,
			mutate: func(r *http.Request) { replaceAuth(r, ";host;", ";") },
			code:   CodeIncompleteSignature, msg: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."},
		{name: "presigned missing signature", presign: true, req: func(t *testing.T) *http.Request {
			return presigned(t, base+"/", "300", longKey, testNow)
		}, mutate: func(r *http.Request) { r.RequestURI = r.RequestURI[:strings.Index(r.RequestURI, "&X-Amz-Signature=")] },
			code: CodeIncompleteSignature, msg: "AWS query-string parameters must include 'X-Amz-Signature'. Re-examine the query-string parameters."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.req(t)
			if tt.mutate != nil {
				tt.mutate(r)
			}
			res, err := Verify(context.Background(), r, []byte(tt.body), testNow, testLookup)
			if got := errCode(err); got != tt.code {
				t.Fatalf("Verify: code %q (err %v), want %q", got, err, tt.code)
			}
			if err != nil {
				e := err.(*Error)
				if e.Status != http.StatusBadRequest && !(e.Code == CodeAccessDenied && e.Status == http.StatusForbidden) {
					t.Errorf("status %d", e.Status)
				}
				if tt.msg != "" && e.Message != tt.msg {
					t.Errorf("message\n got %q\nwant %q", e.Message, tt.msg)
				}
				if tt.contain != "" && !strings.Contains(e.Message, tt.contain) {
					t.Errorf("message %q does not contain %q", e.Message, tt.contain)
				}
				return
			}
			if res.Region != testRegion || res.Service != testService || res.Presigned != tt.presign || res.AccessKeyID == "" || res.SignedAt.IsZero() {
				t.Errorf("result %+v", res)
			}
		})
	}
}

func TestVerifyLookupError(t *testing.T) {
	r := signed(t, "POST", "https://"+testHost+"/", jsonBody, jsonHeaders(), Credential{AccessKeyID: "AKIDBROKEN", SecretAccessKey: "x"}, testNow)
	_, err := Verify(context.Background(), r, []byte(jsonBody), testNow, testLookup)
	if !errors.Is(err, errStore) {
		t.Fatalf("err = %v, want wrapping errStore", err)
	}
	var e *Error
	if errors.As(err, &e) {
		t.Fatalf("store failure reported as AWS error %v", e)
	}
}

func TestVerifyResult(t *testing.T) {
	at := testNow.Add(-time.Minute)
	r := signed(t, "POST", "https://"+testHost+"/", jsonBody, jsonHeaders(), tempKey, at)
	res, err := Verify(context.Background(), r, []byte(jsonBody), testNow, testLookup)
	if err != nil {
		t.Fatal(err)
	}
	want := Result{AccessKeyID: tempKey.AccessKeyID, Region: testRegion, Service: testService, SignedAt: at}
	if res != want {
		t.Fatalf("got %+v, want %+v", res, want)
	}
}

// TestVerifyDoesNotReadBody checks the body comes from the argument only.
func TestVerifyDoesNotReadBody(t *testing.T) {
	r := signed(t, "POST", "https://"+testHost+"/", jsonBody, jsonHeaders(), longKey, testNow)
	r.Body = panicBody{}
	if _, err := Verify(context.Background(), r, []byte(jsonBody), testNow, testLookup); err != nil {
		t.Fatal(err)
	}
}

type panicBody struct{}

func (panicBody) Read([]byte) (int, error) { panic("Verify read r.Body") }
func (panicBody) Close() error             { panic("Verify closed r.Body") }

func replaceAuth(r *http.Request, old, new string) {
	r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), old, new, 1))
}

func cutAuth(r *http.Request, from string) {
	a := r.Header.Get("Authorization")
	r.Header.Set("Authorization", a[:strings.Index(a, from)])
}

// signWith signs r in place with an explicit payload hash.
func signWith(t *testing.T, r *http.Request, payloadHash string, c Credential, at time.Time) {
	t.Helper()
	if err := newSDKSigner().SignHTTP(context.Background(), awsCreds(c), r, payloadHash, testService, testRegion, at); err != nil {
		t.Fatal(err)
	}
}
