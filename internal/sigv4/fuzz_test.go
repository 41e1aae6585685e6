package sigv4

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzVerify feeds arbitrary request lines, Authorization headers, dates,
// tokens, payload hashes and bodies to Verify: it must never panic, and must
// fail only with an *Error carrying a code and a 400 or 403 status (or the
// store's own error).
func FuzzVerify(f *testing.F) {
	hdr := signed(f, "POST", "https://"+testHost+"/a%20b?x=1&y=%2F", jsonBody, jsonHeaders(), tempKey, testNow)
	pre := presigned(f, "https://"+testHost+"/?Action=Get", "300", longKey, testNow)
	f.Add("POST", hdr.RequestURI, hdr.Header.Get("Authorization"), hdr.Header.Get("X-Amz-Date"), tempKey.SessionToken, "", []byte(jsonBody))
	f.Add("GET", pre.RequestURI, "", "", "", "", []byte{})
	f.Add("GET", "/", "", "", "", "", []byte{})
	f.Add("GET", "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a%2Fb&X-Amz-Date=x&X-Amz-SignedHeaders=host&X-Amz-Signature=00&X-Amz-Expires=-1", "", "", "", "", []byte{})
	f.Add("GET", "//./../%zz/%/?&&=&a=%&+=+", "AWS4-HMAC-SHA256 Credential=AKIDLONGTERM/20240101/us-east-1/sso/aws4_request,SignedHeaders=host;;content-length;transfer-encoding;x,Signature=", "20240101T120000Z", "", "UNSIGNED-PAYLOAD", []byte("x"))
	f.Add("PUT", "/x", "AWS4-HMAC-SHA256 Credential=AKIDBROKEN/20240101/r/s/aws4_request, SignedHeaders=host, Signature="+strings.Repeat("a", 64), "20240101T120000Z", "", strings.Repeat("F", 64), []byte("{}"))
	f.Add("GET", "*", "AWS4-HMAC-SHA256", "99999999T999999Z", "t", "", []byte(nil))
	f.Add("GET", "http://h/p?q", "AWS4-HMAC-SHA256 Credential=////, SignedHeaders=HOST, Signature=x", "Mon, 01 Jan 2024 12:00:00 GMT", "", "", []byte(nil))

	f.Fuzz(func(t *testing.T, method, target, authz, date, token, sha string, body []byte) {
		r := &http.Request{Method: method, RequestURI: target, Host: testHost, Header: http.Header{}}
		r.URL, _ = url.ParseRequestURI(target)
		set := func(k, v string) {
			if v != "" {
				r.Header[k] = []string{v}
			}
		}
		set("Authorization", authz)
		set("X-Amz-Date", date)
		set("Date", date)
		set("X-Amz-Security-Token", token)
		set("X-Amz-Content-Sha256", sha)
		res, err := Verify(context.Background(), r, body, testNow, testLookup)
		if err == nil {
			if res.AccessKeyID != longKey.AccessKeyID && res.AccessKeyID != tempKey.AccessKeyID {
				t.Fatalf("verified for %q", res.AccessKeyID)
			}
			return
		}
		var e *Error
		switch {
		case errors.As(err, &e):
			if e.Code == "" || e.Message == "" || (e.Status != 400 && e.Status != 403) {
				t.Fatalf("bad error %#v", e)
			}
		case !errors.Is(err, errStore):
			t.Fatalf("unexpected error %v", err)
		}
	})
}

// FuzzRoundTrip signs requests with arbitrary paths, query parameters and
// header values using aws-sdk-go-v2, sends them through the HTTP/1.1 wire
// format, and requires Verify to accept them.
func FuzzRoundTrip(f *testing.F) {
	f.Add("a b/ü/./..//x", "k ey", "v/a+l=u&e", "  a   b  ")
	f.Add("%2F%zz", "%", "+", "\"quoted  value\"")
	f.Add("", "", "", "")
	f.Fuzz(func(t *testing.T, path, key, val, hv string) {
		if strings.ContainsAny(hv, "\r\n\x00") || strings.ContainsFunc(hv, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }) {
			t.Skip()
		}
		u := &url.URL{Scheme: "https", Host: testHost, Path: "/" + path, RawQuery: url.Values{key: {val, "2"}}.Encode()}
		r, err := http.NewRequest("POST", u.String(), strings.NewReader(jsonBody))
		if err != nil {
			t.Skip()
		}
		r.Header.Set("X-Amz-Meta-Fuzz", hv)
		if err := newSDKSigner().SignHTTP(context.Background(), awsCreds(longKey), r, hashHex(jsonBody), testService, testRegion, testNow); err != nil {
			t.Fatal(err)
		}
		sr := overTheWire(t, r)
		if _, err := Verify(context.Background(), sr, []byte(jsonBody), testNow.Add(time.Second), testLookup); err != nil {
			t.Fatalf("%v\nrequest URI %q header %q", err, sr.RequestURI, sr.Header.Get("X-Amz-Meta-Fuzz"))
		}
	})
}
