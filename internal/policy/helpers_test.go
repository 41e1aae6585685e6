package policy

import (
	"strings"
	"testing"
)

func mustParse(t testing.TB, doc string, kind Kind) *Policy {
	t.Helper()
	p, err := Parse(doc, kind)
	if err != nil {
		t.Fatalf("Parse(%s): %v", doc, err)
	}
	return p
}

// named parses doc and labels it.
func named(t testing.TB, name, doc string, kind Kind) *Policy {
	p := mustParse(t, doc, kind)
	p.Name = name
	return p
}

// req builds a request; kv is key, value pairs, and a value holding "|"
// is several values.
func req(action, resource string, kv ...string) Request {
	ctx := Context{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			ctx.Set(kv[i])
			continue
		}
		ctx.Set(kv[i], strings.Split(kv[i+1], "|")...)
	}
	return Request{Action: action, Resource: resource, Context: ctx}
}
