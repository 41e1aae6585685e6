package model_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/awsshape"
	"github.com/idcenter/idcenter/internal/model/cloudtrail"
	"github.com/idcenter/idcenter/internal/model/identitystore"
	"github.com/idcenter/idcenter/internal/model/organizations"
	"github.com/idcenter/idcenter/internal/model/sso"
	"github.com/idcenter/idcenter/internal/model/ssoadmin"
	"github.com/idcenter/idcenter/internal/model/ssooidc"
)

func ptr[T any](v T) *T { return &v }

// validate runs v.Validate like a server does and returns the message.
func validate(t *testing.T, v awsshape.Validator) string {
	t.Helper()
	var c awsshape.Checker
	v.Validate(&c, "")
	err := c.Err()
	if err == nil {
		return ""
	}
	var ve *awsshape.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Err() = %T", err)
	}
	return ve.Message
}

const (
	storeID = "d-1234567890"
	userID  = "12345678-1234-1234-1234-123456789012"
)

func TestIdentityStoreValidation(t *testing.T) {
	cases := []struct {
		name string
		in   awsshape.Validator
		want string
	}{
		{"bad identity store id", &identitystore.CreateUserRequest{IdentityStoreId: ptr("d-12")},
			"1 validation error detected: Value 'd-12' at 'identityStoreId' failed to satisfy constraint: Member must satisfy regular expression pattern: d-[0-9a-f]{10}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"},
		{"uuid identity store id", &identitystore.CreateUserRequest{IdentityStoreId: ptr(userID)}, ""},
		{"valid", &identitystore.CreateUserRequest{
			IdentityStoreId: ptr(storeID),
			UserName:        ptr("alice"),
			Emails:          []identitystore.Email{{Value: ptr("alice@example.com"), Primary: ptr(true)}},
		}, ""},
		{"missing and too large", &identitystore.ListUsersRequest{MaxResults: ptr[int32](200)},
			"2 validation errors detected: Value null at 'identityStoreId' failed to satisfy constraint: Member must not be null; Value '200' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"},
		{"nested list path, sensitive", &identitystore.CreateUserRequest{
			IdentityStoreId: ptr(storeID),
			Emails:          []identitystore.Email{{Value: ptr("")}},
		}, "2 validation errors detected: Value '***' at 'emails.1.member.value' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '***' at 'emails.1.member.value' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}\\t\\n\\r \u00a0\u3000]+"},
		{"list too long", &identitystore.CreateUserRequest{
			IdentityStoreId: ptr(storeID),
			Emails:          []identitystore.Email{{}, {}},
		}, "1 validation error detected: Value '[...]' at 'emails' failed to satisfy constraint: Member must have length less than or equal to 1"},
		{"sensitive user name", &identitystore.CreateUserRequest{
			IdentityStoreId: ptr(storeID),
			UserName:        ptr(strings.Repeat("x", 129)),
		}, "1 validation error detected: Value '***' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 128"},
		{"enum in nested struct", &identitystore.ListUsersRequest{
			IdentityStoreId: ptr(storeID),
			Extensions:      []string{"bogus"},
		}, "1 validation error detected: Value 'bogus' at 'extensions.1.member' failed to satisfy constraint: Member must satisfy regular expression pattern: aws:identitystore:[a-z]{1,20}"},
		{"union empty", &identitystore.GetUserIdRequest{
			IdentityStoreId:     ptr(storeID),
			AlternateIdentifier: &identitystore.AlternateIdentifier{},
		}, "1 validation error detected: Value '{}' at 'alternateIdentifier' failed to satisfy constraint: Member must have exactly one member set"},
		{"union two members", &identitystore.GetUserIdRequest{
			IdentityStoreId: ptr(storeID),
			AlternateIdentifier: &identitystore.AlternateIdentifier{
				ExternalId:      &identitystore.ExternalId{Issuer: ptr("i"), Id: ptr("x")},
				UniqueAttribute: &identitystore.UniqueAttribute{AttributePath: ptr("userName"), AttributeValue: json.RawMessage(`"bob"`)},
			},
		}, "1 validation error detected: Value '{...}' at 'alternateIdentifier' failed to satisfy constraint: Member must have exactly one member set, but 2 are set"},
		{"union one member, nested required", &identitystore.GetUserIdRequest{
			IdentityStoreId: ptr(storeID),
			AlternateIdentifier: &identitystore.AlternateIdentifier{
				UniqueAttribute: &identitystore.UniqueAttribute{AttributePath: ptr("userName")},
			},
		}, "1 validation error detected: Value null at 'alternateIdentifier.uniqueAttribute.attributeValue' failed to satisfy constraint: Member must not be null"},
		{"union ok", &identitystore.GetUserIdRequest{
			IdentityStoreId: ptr(storeID),
			AlternateIdentifier: &identitystore.AlternateIdentifier{
				UniqueAttribute: &identitystore.UniqueAttribute{AttributePath: ptr("userName"), AttributeValue: json.RawMessage(`"bob"`)},
			},
		}, ""},
		{"required union", &identitystore.GetUserIdRequest{IdentityStoreId: ptr(storeID)},
			"1 validation error detected: Value null at 'alternateIdentifier' failed to satisfy constraint: Member must not be null"},
		{"enum", &identitystore.ListUsersRequest{IdentityStoreId: ptr(storeID)}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := validate(t, tc.in); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestSSOAdminValidation(t *testing.T) {
	in := &ssoadmin.CreatePermissionSetRequest{
		Name:            ptr("ps"),
		InstanceArn:     ptr("arn:aws:sso:::instance/ssoins-1234567890abcdef"),
		SessionDuration: ptr("PT1H"),
	}
	if got := validate(t, in); got != "" {
		t.Fatalf("valid input: %s", got)
	}
	in.SessionDuration = ptr("1 hour")
	in.InstanceArn = nil
	want := "2 validation errors detected: Value null at 'instanceArn' failed to satisfy constraint: Member must not be null; " +
		"Value '1 hour' at 'sessionDuration' failed to satisfy constraint: Member must satisfy regular expression pattern: " +
		`(-?)P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)([DW]))?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?`
	if got := validate(t, in); got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

func TestEnumsAndErrors(t *testing.T) {
	if identitystore.ConflictExceptionReasonConcurrentModification != "CONCURRENT_MODIFICATION" {
		t.Error("enum constant")
	}
	if got := identitystore.ConflictExceptionReasonValues(); len(got) != 2 {
		t.Errorf("values %v", got)
	}
	for name, want := range map[string]int{"InternalServerException": 500, "ValidationException": 400, "ResourceNotFoundException": 400} {
		if identitystore.ErrorStatus[name] != want {
			t.Errorf("ErrorStatus[%s] = %d, want %d", name, identitystore.ErrorStatus[name], want)
		}
	}
	if sso.ErrorStatus["ResourceNotFoundException"] != 404 || ssooidc.ErrorStatus["InvalidClientException"] != 401 {
		t.Error("httpStatusCode not used")
	}
}

func TestServiceMetadata(t *testing.T) {
	if s := identitystore.Service; s.TargetPrefix != "AWSIdentityStore" || s.SigningName != "identitystore" || s.JSONVersion != "1.1" {
		t.Errorf("identitystore: %+v", s)
	}
	if s := ssoadmin.Service; s.TargetPrefix != "SWBExternalService" || s.SigningName != "sso" {
		t.Errorf("ssoadmin: %+v", s)
	}
	if s := organizations.Service; s.TargetPrefix != "AWSOrganizationsV20161128" || s.SigningName != "organizations" {
		t.Errorf("organizations: %+v", s)
	}
	if s := cloudtrail.Service; s.SigningName != "cloudtrail" || s.EndpointPrefix != "cloudtrail" {
		t.Errorf("cloudtrail: %+v", s)
	}
	p, ok := identitystore.Paginators["ListUsers"]
	if !ok || p.InputToken != "NextToken" || p.OutputToken != "NextToken" || p.LimitKey != "MaxResults" || !reflect.DeepEqual(p.ResultKeys, []string{"Users"}) {
		t.Errorf("paginator: %+v", p)
	}
}

type table struct {
	name      string
	ops       map[string]awsshape.Operation
	newInput  func(string) awsshape.Validator
	newOutput func(string) awsshape.Validator
	errs      map[string]int
}

var tables = []table{
	{"identitystore", identitystore.Operations, identitystore.NewInput, identitystore.NewOutput, identitystore.ErrorStatus},
	{"ssoadmin", ssoadmin.Operations, ssoadmin.NewInput, ssoadmin.NewOutput, ssoadmin.ErrorStatus},
	{"organizations", organizations.Operations, organizations.NewInput, organizations.NewOutput, organizations.ErrorStatus},
	{"cloudtrail", cloudtrail.Operations, cloudtrail.NewInput, cloudtrail.NewOutput, cloudtrail.ErrorStatus},
	{"sso", sso.Operations, sso.NewInput, sso.NewOutput, sso.ErrorStatus},
	{"ssooidc", ssooidc.Operations, ssooidc.NewInput, ssooidc.NewOutput, ssooidc.ErrorStatus},
}

// TestOperationTables checks that every operation's Input and Output types
// exist (through the factories), have Validate, and survive a JSON round trip,
// and that every error has a status.
func TestOperationTables(t *testing.T) {
	for _, tb := range tables {
		if len(tb.ops) == 0 {
			t.Errorf("%s: no operations", tb.name)
		}
		for name, op := range tb.ops {
			if op.Name != name {
				t.Errorf("%s: %s has Name %q", tb.name, name, op.Name)
			}
			for _, f := range []struct {
				kind, typ string
				v         awsshape.Validator
			}{{"input", op.Input, tb.newInput(name)}, {"output", op.Output, tb.newOutput(name)}} {
				if f.v == nil {
					t.Errorf("%s.%s: no %s", tb.name, name, f.kind)
					continue
				}
				got := reflect.TypeOf(f.v).Elem().Name()
				if f.typ == "" {
					f.typ = "Empty"
				}
				if got != f.typ {
					t.Errorf("%s.%s: %s type %s, table says %s", tb.name, name, f.kind, got, f.typ)
				}
				if err := json.Unmarshal([]byte(`{}`), f.v); err != nil {
					t.Errorf("%s.%s: unmarshal {}: %v", tb.name, name, err)
				}
				b, err := json.Marshal(f.v)
				if err != nil || (string(b) != "{}" && f.kind == "input" && tb.name != "sso" && tb.name != "ssooidc") {
					t.Errorf("%s.%s: marshal empty %s = %s, %v", tb.name, name, f.kind, b, err)
				}
				var c awsshape.Checker
				f.v.Validate(&c, "") // must not panic on empty values
			}
			for _, e := range op.Errors {
				if _, ok := tb.errs[e]; !ok {
					t.Errorf("%s.%s: error %s has no status", tb.name, name, e)
				}
			}
		}
		if tb.newInput("NoSuchOperation") != nil || tb.newOutput("NoSuchOperation") != nil {
			t.Errorf("%s: factory accepts unknown operations", tb.name)
		}
	}
}

func TestJSONRoundTrip(t *testing.T) {
	in := `{"IdentityStoreId":"d-1234567890","UserName":"alice","Name":{"FamilyName":"L","GivenName":"A"},` +
		`"Emails":[{"Value":"a@example.com","Type":"work","Primary":true}],` +
		`"Extensions":{"aws:identitystore:enterprise":{"EmployeeNumber":"1"}}}`
	var req identitystore.CreateUserRequest
	if err := json.Unmarshal([]byte(in), &req); err != nil {
		t.Fatal(err)
	}
	if *req.Name.GivenName != "A" || !*req.Emails[0].Primary || len(req.Extensions) != 1 {
		t.Fatalf("decoded %+v", req)
	}
	if msg := validate(t, &req); msg != "" {
		t.Fatal(msg)
	}
	out, err := json.Marshal(&req)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != in {
		t.Fatalf("round trip:\n got %s\nwant %s", out, in)
	}

	// Timestamps go out as epoch seconds.
	desc := ssoadmin.DescribePermissionSetResponse{PermissionSet: &ssoadmin.PermissionSet{
		Name:        ptr("ps"),
		CreatedDate: awsshape.NewTimestamp(time.UnixMilli(1700000000123)),
	}}
	b, _ := json.Marshal(desc)
	if string(b) != `{"PermissionSet":{"Name":"ps","CreatedDate":1700000000.123}}` {
		t.Fatalf("got %s", b)
	}

	// restJson members bound to the URI, query or headers are not in the body.
	creds := sso.GetRoleCredentialsRequest{RoleName: ptr("r"), AccountId: ptr("123456789012"), AccessToken: ptr("t")}
	if b, _ := json.Marshal(creds); string(b) != "{}" {
		t.Fatalf("got %s", b)
	}
	f, _ := reflect.TypeOf(creds).FieldByName("AccessToken")
	if f.Tag.Get("location") != "header" || f.Tag.Get("locationName") != "x-amz-sso_bearer_token" {
		t.Fatalf("tag %q", f.Tag)
	}
}
