package awsshape

import (
	"errors"
	"fmt"
	"testing"
)

func errMessage(t *testing.T, c *Checker) string {
	t.Helper()
	err := c.Err()
	if err == nil {
		return ""
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Err() = %T, want *ValidationError", err)
	}
	if ve.Error() != ve.Message {
		t.Fatalf("Error() = %q, Message = %q", ve.Error(), ve.Message)
	}
	return ve.Message
}

func TestCheckerNoFailure(t *testing.T) {
	var c Checker
	c.Required("a", true)
	c.StringLen("a", "abc", false, 1, 3)
	c.StringLen("a", "日本語", false, 3, 3) // code points, not bytes
	c.Pattern("a", "abc", false, MustPattern(`^(?:[a-c]+)$`), "[a-c]+")
	c.Pattern("a", "x", false, nil, "untranslatable")
	c.Enum("a", "B", false, []string{"A", "B"})
	c.IntRange("a", 5, 1, 5, true, true)
	c.FloatRange("a", 0.5, 0, 1, true, true)
	c.ListLen("a", 2, 1, -1)
	c.StringListLen("a", []string{"x"}, false, 1, 1)
	c.MapLen("a", 0, 0, 10)
	c.BlobLen("a", []byte("xy"), false, 1, 2)
	c.Union("a", 1)
	if err := c.Err(); err != nil {
		t.Fatalf("Err() = %v", err)
	}
}

func TestCheckerMessages(t *testing.T) {
	pat := `d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`
	re := MustPattern(`^(?:` + pat + `)$`)
	cases := []struct {
		name string
		run  func(c *Checker)
		want string
	}{
		{"required", func(c *Checker) { c.Required("identityStoreId", false) },
			"1 validation error detected: Value null at 'identityStoreId' failed to satisfy constraint: Member must not be null"},
		{"pattern", func(c *Checker) { c.Pattern("identityStoreId", "d-12", false, re, pat) },
			"1 validation error detected: Value 'd-12' at 'identityStoreId' failed to satisfy constraint: Member must satisfy regular expression pattern: d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"},
		{"pattern sensitive", func(c *Checker) { c.Pattern("userName", "bob", true, re, "x") },
			"1 validation error detected: Value '***' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: x"},
		{"max length", func(c *Checker) { c.StringLen("a.b", "abcd", false, 1, 3) },
			"1 validation error detected: Value 'abcd' at 'a.b' failed to satisfy constraint: Member must have length less than or equal to 3"},
		{"min length", func(c *Checker) { c.StringLen("a", "", false, 1, -1) },
			"1 validation error detected: Value '' at 'a' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"length sensitive", func(c *Checker) { c.StringLen("a", "secret", true, 10, 20) },
			"1 validation error detected: Value '***' at 'a' failed to satisfy constraint: Member must have length greater than or equal to 10"},
		{"enum", func(c *Checker) { c.Enum("status", "X", false, []string{"A", "B", "C"}) },
			"1 validation error detected: Value 'X' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [A, B, C]"},
		{"enum sensitive", func(c *Checker) { c.Enum("status", "X", true, []string{"A"}) },
			"1 validation error detected: Value '***' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [A]"},
		{"int max", func(c *Checker) { c.IntRange("maxResults", 200, 1, 100, true, true) },
			"1 validation error detected: Value '200' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"},
		{"int min", func(c *Checker) { c.IntRange("maxResults", 0, 1, 100, true, true) },
			"1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"int no bounds", func(c *Checker) { c.IntRange("n", -5, 1, 100, false, false) }, ""},
		{"float max", func(c *Checker) { c.FloatRange("f", 100, 0, 1.5, true, true) },
			"1 validation error detected: Value '100.0' at 'f' failed to satisfy constraint: Member must have value less than or equal to 1.5"},
		{"float min", func(c *Checker) { c.FloatRange("f", -0.25, 0, 0, true, false) },
			"1 validation error detected: Value '-0.25' at 'f' failed to satisfy constraint: Member must have value greater than or equal to 0"},
		{"list min", func(c *Checker) { c.ListLen("emails", 0, 1, 1) },
			"1 validation error detected: Value '[]' at 'emails' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"list max", func(c *Checker) { c.ListLen("emails", 2, 1, 1) },
			"1 validation error detected: Value '[...]' at 'emails' failed to satisfy constraint: Member must have length less than or equal to 1"},
		{"string list", func(c *Checker) { c.StringListLen("names", []string{"a", "b"}, false, 0, 1) },
			"1 validation error detected: Value '[a, b]' at 'names' failed to satisfy constraint: Member must have length less than or equal to 1"},
		{"string list sensitive", func(c *Checker) { c.StringListLen("names", []string{"a", "b"}, true, 0, 1) },
			"1 validation error detected: Value '***' at 'names' failed to satisfy constraint: Member must have length less than or equal to 1"},
		{"map", func(c *Checker) { c.MapLen("tags", 3, 0, 2) },
			"1 validation error detected: Value '{...}' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 2"},
		{"map empty", func(c *Checker) { c.MapLen("tags", 0, 1, 2) },
			"1 validation error detected: Value '{}' at 'tags' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"blob", func(c *Checker) { c.BlobLen("b", nil, false, 1, -1) },
			"1 validation error detected: Value 'java.nio.HeapByteBuffer[pos=0 lim=0 cap=0]' at 'b' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"union none", func(c *Checker) { c.Union("alternateIdentifier", 0) },
			"1 validation error detected: Value '{}' at 'alternateIdentifier' failed to satisfy constraint: Member must have exactly one member set"},
		{"union two", func(c *Checker) { c.Union("alternateIdentifier", 2) },
			"1 validation error detected: Value '{...}' at 'alternateIdentifier' failed to satisfy constraint: Member must have exactly one member set, but 2 are set"},
		{"two failures", func(c *Checker) {
			c.Required("identityStoreId", false)
			c.IntRange("maxResults", 200, 1, 100, true, true)
		}, "2 validation errors detected: Value null at 'identityStoreId' failed to satisfy constraint: Member must not be null; Value '200' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var c Checker
			tc.run(&c)
			if got := errMessage(t, &c); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestCheckerStopsAtTen(t *testing.T) {
	var c Checker
	for i := range 15 {
		c.Required(fmt.Sprintf("m%d", i), false)
	}
	if !c.Full() || len(c.Failures()) != MaxFailures {
		t.Fatalf("collected %d failures", len(c.Failures()))
	}
	var ve *ValidationError
	errors.As(c.Err(), &ve)
	if len(ve.Failures) != 10 || ve.Failures[9].Path != "m9" {
		t.Fatalf("failures: %+v", ve.Failures)
	}
	if want := "10 validation errors detected: Value null at 'm0'"; ve.Message[:len(want)] != want {
		t.Fatalf("message %q", ve.Message)
	}
}

func TestPaths(t *testing.T) {
	if got := Join("", "emails"); got != "emails" {
		t.Error(got)
	}
	if got := Join(Index(Join("", "emails"), 0), "value"); got != "emails.1.member.value" {
		t.Error(got)
	}
	if got := Key(Join("a", "tags"), "k"); got != "a.tags.k" {
		t.Error(got)
	}
}

func TestValidateHelper(t *testing.T) {
	if err := Validate(&Empty{}); err != nil {
		t.Fatal(err)
	}
}
