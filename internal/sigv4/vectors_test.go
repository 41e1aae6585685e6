package sigv4

import (
	"context"
	"testing"
	"time"
)

// TestSuiteVectors checks signatures published in AWS's SigV4 test suite
// (service "service", us-east-1, 2015-08-30T12:36:00Z), sent as wire
// requests.
func TestSuiteVectors(t *testing.T) {
	const (
		akid    = "AKIDEXAMPLE"
		secret  = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
		cred    = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders="
		vanilla = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
	)
	now := time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC)
	lookup := func(_ context.Context, id string) (Credential, error) {
		if id != akid {
			return Credential{}, ErrUnknownKey
		}
		return Credential{AccessKeyID: akid, SecretAccessKey: secret}, nil
	}
	tests := []struct {
		name, line, headers, signed, sig, body string
	}{
		{"get-vanilla", "GET /", "", "host;x-amz-date", vanilla, ""},
		{"get-vanilla-query-order-key-case", "GET /?Param2=value2&Param1=value1", "", "host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500", ""},
		{"get-vanilla-query-order-value", "GET /?Param1=value2&Param1=value1", "", "host;x-amz-date", "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694", ""},
		{"get-vanilla-utf8-query", "GET /?%E1%88%B4=bar", "", "host;x-amz-date", "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04", ""},
		{"get-unreserved", "GET /-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "", "host;x-amz-date", "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f", ""},
		{"get-header-value-trim", "GET /", "My-Header1: value1\r\nMy-Header2: \"a   b   c\"\r\n", "host;my-header1;my-header2;x-amz-date", "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736", ""},
		{"get-header-key-duplicate", "GET /", "My-Header1: value2\r\nMy-Header1: value2\r\nMy-Header1: value1\r\n", "host;my-header1;x-amz-date", "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea", ""},
		{"get-header-value-order", "GET /", "My-Header1: value4\r\nMy-Header1: value1\r\nMy-Header1: value3\r\nMy-Header1: value2\r\n", "host;my-header1;x-amz-date", "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01", ""},
		{"post-x-www-form-urlencoded", "POST /", "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 13\r\n", "content-type;host;x-amz-date", "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a", "Param1=value1"},
		// normalize-path vectors: signed over the normalized path.
		{"get-slash-dot-slash", "GET /./", "", "host;x-amz-date", vanilla, ""},
		{"get-relative-relative", "GET /example1/example2/../..", "", "host;x-amz-date", vanilla, ""},
		{"get-slashes", "GET //example//", "", "host;x-amz-date", "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := tt.line + " HTTP/1.1\r\nHost: example.amazonaws.com\r\nX-Amz-Date: 20150830T123600Z\r\n" + tt.headers +
				"Authorization: " + cred + tt.signed + ", Signature=" + tt.sig + "\r\n\r\n" + tt.body
			r := parseWire(t, raw)
			if _, err := Verify(context.Background(), r, []byte(tt.body), now, lookup); err != nil {
				t.Fatal(err)
			}
		})
	}
}
