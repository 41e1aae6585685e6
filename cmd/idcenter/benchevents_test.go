package main

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/types"

	"github.com/idcenter/idcenter/internal/loadgen"
	"github.com/idcenter/idcenter/internal/testenv"
)

// TestBenchEvents runs bench events briefly against a test server: every
// LookupEvents scenario answers without errors and the Lake queries run.
func TestBenchEvents(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		e.Server.SetBaseline(loadgen.BaselineHandler())
		if _, err := identitystore.NewFromConfig(e.Management()).CreateUser(context.Background(), &identitystore.CreateUserInput{IdentityStoreId: aws.String(e.StoreID()),
			UserName: aws.String("alice"), DisplayName: aws.String("Alice"), Name: &types.Name{GivenName: aws.String("A"), FamilyName: aws.String("L")}}); err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		if err := benchEvents([]string{"--url", e.URL, "--key", e.Boot.Key.AccessKeyID, "--secret", e.Boot.Key.SecretAccessKey,
			"--store", e.StoreID(), "--conns", "1", "--duration", "20ms"}, &out); err != nil {
			t.Fatal(err)
		}
		t.Log("\n" + out.String())
		for _, want := range []string{"baseline ", "LookupEvents(none) ", "LookupEvents(EventName=CreateUser, last 20 min) ", "LookupEvents(Username=root) ",
			"LookupEvents(EventId) ", "SELECT count(*) in", "issue 4: userARN of CreateInstance, DeleteInstance |", "count(*) of DescribeUser "} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("no %q in the output", want)
			}
		}
		if strings.Contains(out.String(), " error: ") {
			t.Error("a scenario had errors")
		}
	})
}

// TestEventsPage checks the Expect of the LookupEvents scenarios.
func TestEventsPage(t *testing.T) {
	var p eventsPage
	if err := p.expect(200, []byte(`{}`)); err != nil || !p.got.Load() || !p.empty.Load() {
		t.Errorf("empty answer: %v, got %v, empty %v", err, p.got.Load(), p.empty.Load())
	}
	for _, bad := range []string{`{"Events":5}`, `[]`, `{"Events":[`} {
		if err := (&eventsPage{}).expect(200, []byte(bad)); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
	if err := (&eventsPage{}).expect(400, []byte(`{"Events":[]}`)); err == nil {
		t.Error("status 400 accepted")
	}
	p = eventsPage{}
	if err := p.expect(200, []byte(`{"Events":[{"EventId":"e1"}],"NextToken":"n"}`)); err != nil || p.empty.Load() {
		t.Errorf("a page: %v, empty %v", err, p.empty.Load())
	}
}
