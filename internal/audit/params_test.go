package audit_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/idcenter/idcenter/internal/audit"
)

func TestParamsHideSecretsAtAnyDepth(t *testing.T) {
	in := `{"Credentials":{"AccessKeyId":"ASIAEXAMPLE","SecretAccessKey":"s3cr3t-1","SessionToken":"tok-2","Expiration":"2030-01-01T00:00:00Z"},
		"Users":[{"Password":"pw-3","UserName":"alice"}],"ClientSecret":"cs-4","ClientToken":"idem-5","NextToken":"page-6",
		"RefreshToken":"rt-7","Code":"c-8","SAMLAssertion":"sa-9","TokenCode":"987654","IdentityStoreId":"d-1234567890","MaxResults":7}`
	out := audit.Params([]byte(in))
	for _, secret := range []string{"s3cr3t-1", "tok-2", "pw-3", "cs-4", "rt-7", "c-8", "sa-9", "987654"} {
		if strings.Contains(out, secret) {
			t.Errorf("secret %q leaked: %s", secret, out)
		}
	}
	var m map[string]any
	must(t, json.Unmarshal([]byte(out), &m))
	creds := m["credentials"].(map[string]any)
	if creds["accessKeyId"] != "ASIAEXAMPLE" || creds["secretAccessKey"] != audit.Hidden || creds["sessionToken"] != audit.Hidden {
		t.Errorf("credentials = %v", creds)
	}
	if m["clientToken"] != "idem-5" || m["nextToken"] != "page-6" || m["identityStoreId"] != "d-1234567890" || m["maxResults"].(float64) != 7 {
		t.Errorf("non-secret members changed: %s", out)
	}
	if u := m["users"].([]any)[0].(map[string]any); u["userName"] != "alice" || u["password"] != audit.Hidden {
		t.Errorf("users = %v", u)
	}
	if m["samlAssertion"] != audit.Hidden {
		t.Errorf("member names not in CloudTrail's spelling: %s", out)
	}
}

func TestParamsOfOddDocuments(t *testing.T) {
	for _, doc := range []string{"", "  ", "[1,2]", "null", `"x"`, "{", "{}"} {
		if got := audit.Params([]byte(doc)); got != "" {
			t.Errorf("Params(%q) = %q, want none", doc, got)
		}
	}
	big := `{"Description":"` + strings.Repeat("x", 200<<10) + `"}`
	if got := audit.Params([]byte(big)); got != "" {
		t.Errorf("a document over the size limit was recorded (%d bytes)", len(got))
	}
}

func TestReadOnly(t *testing.T) {
	for op, want := range map[string]bool{
		"DescribeUser": true, "ListInstances": true, "GetQueryResults": true, "LookupEvents": true, "IsMemberInGroups": true,
		"AssumeRole": true, "GetCallerIdentity": true,
		"CreateInstance": false, "DeleteInstance": false, "StartQuery": false, "UpdateUser": false, "Getaway": false, "": false,
	} {
		if got := audit.ReadOnly(op); got != want {
			t.Errorf("ReadOnly(%s) = %v, want %v", op, got, want)
		}
	}
}

// TestParamsRewrite checks the one-pass conversion on documents with
// whitespace, escapes, nesting and every kind of value.
func TestParamsRewrite(t *testing.T) {
	for in, want := range map[string]string{
		` { "IdentityStoreId" : "d-1" , "MaxResults":1e3, "Filters":[ {"AttributePath":"UserName","AttributeValue":"a\"b\\c"} , [] , null ],"Empty":{},"On":true}`: `{"identityStoreId":"d-1","maxResults":1e3,"filters":[{"attributePath":"UserName","attributeValue":"a\"b\\c"},[],null],"empty":{},"on":true}`,
		`{"SAMLMetadataDocument":"<x/>","Nested":{"Deeper":[{"Password":{"a":[1,2]},"Name":"é"}]}}`:                                                                `{"samlMetadataDocument":"<x/>","nested":{"deeper":[{"password":"HIDDEN_DUE_TO_SECURITY_REASONS","name":"é"}]}}`,
		`{"\u0050assword":"pw","Key\"Q":1,"ClientToken":"t"}`:                                                                                                      `{"password":"HIDDEN_DUE_TO_SECURITY_REASONS","key\"Q":1,"clientToken":"t"}`,
		`{"A":-0.5,"B":[[[]]],"C":"\u00e9"}`: `{"a":-0.5,"b":[[[]]],"c":"\u00e9"}`,
	} {
		got := audit.Params([]byte(in))
		if got != want {
			t.Errorf("Params(%s)\n got %s\nwant %s", in, got, want)
		}
		if !json.Valid([]byte(got)) {
			t.Errorf("Params(%s) is not JSON: %s", in, got)
		}
	}
}

// FuzzParams: whatever the document, the conversion is a JSON object (or
// nothing), only of an object, and hides every secret member's value.
func FuzzParams(f *testing.F) {
	for _, seed := range []string{`{"a":1}`, `{"Password":"x","B":[{"SecretKey":[1]}]}`, `{"\u0041":"\ud83d\ude00"}`, `[]`, `{"a":{"b":{}}}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		got := audit.Params(doc)
		if got == "" {
			return
		}
		var in, out map[string]any
		if err := json.Unmarshal(doc, &in); err != nil {
			t.Fatalf("Params(%q) = %q for a document that is not an object", doc, got)
		}
		if err := json.Unmarshal([]byte(got), &out); err != nil {
			t.Fatalf("Params(%q) = %q: not a JSON object: %v", doc, got, err)
		}
		var check func(v any)
		check = func(v any) {
			switch x := v.(type) {
			case map[string]any:
				for k, val := range x {
					if audit.Secret(k) && val != audit.Hidden {
						t.Fatalf("Params(%q) = %q: secret member %q shown", doc, got, k)
					}
					check(val)
				}
			case []any:
				for _, val := range x {
					check(val)
				}
			}
		}
		check(out)
	})
}

// BenchmarkParams converts a CreateUser request, as every call's event does.
func BenchmarkParams(b *testing.B) {
	doc := []byte(`{"IdentityStoreId":"d-9067642ac7","UserName":"user-000123","DisplayName":"User 123","Name":{"GivenName":"Given","FamilyName":"Family"},"Emails":[{"Value":"user123@example.com","Type":"work","Primary":true}]}`)
	b.ReportAllocs()
	for b.Loop() {
		audit.Params(doc)
	}
}
