package ssoadmin

import (
	"encoding/json"
	"reflect"
	"testing"

	model "github.com/idcenter/idcenter/internal/model/ssoadmin"
)

// TestAssignmentsJSON checks the directly written list against what
// encoding/json makes of the model's answer, including values that need
// escaping (the patterns allow none, but nothing is assumed).
func TestAssignmentsJSON(t *testing.T) {
	items := [][4]string{
		{"111122223333", "arn:aws:sso:::permissionSet/ssoins-1/ps-1", "USER", "u-1"},
		{"111122223333", `arn "quoted" \ <b>&`, "GROUP", "é\n\x01"},
	}
	for _, next := range []string{"", "token/+="} {
		raw := assignmentsJSON(items, next, func(x [4]string) (string, string, string, string) { return x[0], x[1], x[2], x[3] })
		var got, want map[string]any
		if err := json.Unmarshal(*raw, &got); err != nil {
			t.Fatalf("%s: %v", *raw, err)
		}
		m := model.ListAccountAssignmentsResponse{}
		for _, x := range items {
			m.AccountAssignments = append(m.AccountAssignments, model.AccountAssignment{AccountId: &x[0], PermissionSetArn: &x[1], PrincipalType: &x[2], PrincipalId: &x[3]})
		}
		if next != "" {
			m.NextToken = &next
		}
		b, _ := json.Marshal(m)
		json.Unmarshal(b, &want)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("wrote %s\nwant %s", *raw, b)
		}
	}
	if raw := assignmentsJSON([]int(nil), "", nil); string(*raw) != `{"AccountAssignments":[]}` {
		t.Fatalf("empty list: %s", *raw)
	}
}

// BenchmarkAssignmentsJSON encodes a page of 100 assignments both ways.
func BenchmarkAssignmentsJSON(b *testing.B) {
	items := make([][4]string, 100)
	m := model.ListAccountAssignmentsForPrincipalResponse{}
	for i := range items {
		items[i] = [4]string{"111122223333", "arn:aws:sso:::permissionSet/ssoins-548560e4ca5a55af/ps-0123456789abcdef", "GROUP", "f787fa8b91-01a24dcf-515c-71c6-98dc-12c32c11deb3"}
		x := &items[i]
		m.AccountAssignments = append(m.AccountAssignments, model.AccountAssignmentForPrincipal{AccountId: &x[0], PermissionSetArn: &x[1], PrincipalType: &x[2], PrincipalId: &x[3]})
	}
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			json.Marshal(&m)
		}
	})
	b.Run("direct", func(b *testing.B) {
		for b.Loop() {
			assignmentsJSON(items, "", func(x [4]string) (string, string, string, string) { return x[0], x[1], x[2], x[3] })
		}
	})
}
