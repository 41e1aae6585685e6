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
