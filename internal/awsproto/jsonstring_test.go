package awsproto

import (
	"encoding/json"
	"testing"
)

// TestAppendJSONString: every string comes back as it went in, plain ones
// unchanged between their quotes.
func TestAppendJSONString(t *testing.T) {
	for _, s := range []string{"", "arn:aws:sso:::instance/ssoins-1", `a "quote" \ back`, "tab\t nl\n", "é ☃", "<b>&", "\x00\x7f"} {
		b := AppendJSONString([]byte("x"), s)
		var got string
		if b[0] != 'x' || json.Unmarshal(b[1:], &got) != nil || got != s {
			t.Fatalf("%q: wrote %s", s, b)
		}
	}
	if b := AppendJSONString(nil, "ps-0123"); string(b) != `"ps-0123"` {
		t.Fatalf("plain string written as %s", b)
	}
}
