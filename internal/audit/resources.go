package audit

import (
	"slices"
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

// resourcesOf lists the resources that top-level members of converted
// request parameters or response elements name, without repeats.
func resourcesOf(members []namedValue) []store.AuditResource {
	var out []store.AuditResource
	for _, m := range members {
		typ, ok := resourceMembers[m.member]
		name := m.value
		if !ok || name == "" || name == Hidden || len(name) > 2048 || slices.ContainsFunc(out, func(r store.AuditResource) bool { return r.Name == name }) {
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
		out = append(out, store.AuditResource{Type: typ, Name: name})
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
