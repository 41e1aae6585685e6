package audit

import (
	"sort"
	"strings"

	"github.com/idcenter/idcenter/internal/store"
)

// resourceMembers maps the (lowerCamel) members of requests and responses
// that name a resource to the resource's CloudTrail type.
var resourceMembers = map[string]string{
	"instanceArn":      "AWS::SSO::Instance",
	"permissionSetArn": "AWS::SSO::PermissionSet",
	"identityStoreId":  "AWS::IdentityStore::IdentityStore",
	"userId":           "AWS::IdentityStore::User",
	"groupId":          "AWS::IdentityStore::Group",
	"membershipId":     "AWS::IdentityStore::GroupMembership",
	"accountId":        "AWS::Organizations::Account",
	"roleArn":          "AWS::IAM::Role",
	"accessKeyId":      "AWS::IAM::AccessKey",
	"eventDataStore":   "AWS::CloudTrail::EventDataStore",
	"resourceArn":      "",
}

// arnTypes gives the type of a resource named by its ARN, by ARN prefix.
var arnTypes = []struct{ prefix, typ string }{
	{"arn:aws:sso:::instance/", "AWS::SSO::Instance"},
	{"arn:aws:sso:::permissionSet/", "AWS::SSO::PermissionSet"},
	{"arn:aws:iam::", "AWS::IAM::Role"},
	{"arn:aws:organizations::", "AWS::Organizations::Account"},
}

// maxResources bounds the resources one event names.
const maxResources = 8

// resourcesOf lists the resources the top-level members of the (converted)
// request parameters and response elements name, without repeats.
func resourcesOf(docs ...map[string]any) []store.AuditResource {
	var out []store.AuditResource
	seen := map[string]bool{}
	for _, doc := range docs {
		for member, v := range doc {
			typ, ok := resourceMembers[member]
			name, isStr := v.(string)
			if !ok || !isStr || name == "" || name == Hidden || len(name) > 2048 || seen[name] {
				continue
			}
			if typ == "" {
				for _, a := range arnTypes {
					if strings.HasPrefix(name, a.prefix) {
						typ = a.typ
						break
					}
				}
				if typ == "" {
					continue
				}
			}
			seen[name] = true
			out = append(out, store.AuditResource{Type: typ, Name: name})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Type+out[i].Name < out[j].Type+out[j].Name })
	if len(out) > maxResources {
		out = out[:maxResources]
	}
	return out
}

// addResources appends the resources of more not already in rs.
func addResources(rs, more []store.AuditResource) []store.AuditResource {
	for _, m := range more {
		dup := false
		for _, r := range rs {
			dup = dup || r.Name == m.Name
		}
		if !dup && len(rs) < maxResources {
			rs = append(rs, m)
		}
	}
	return rs
}
