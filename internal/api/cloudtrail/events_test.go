package cloudtrail_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	istypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/idcenter/idcenter/internal/audit"
	"github.com/idcenter/idcenter/internal/org"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/testenv"
)

func createUser(c *identitystore.Client, storeID, name string) (*identitystore.CreateUserOutput, error) {
	return c.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: aws.String(storeID), UserName: aws.String(name),
		DisplayName: aws.String(name), Name: &istypes.Name{GivenName: aws.String("G"), FamilyName: aws.String("F")}})
}

// TestEventsOfSuccessFailureAndDenial: one event per call, in CloudTrail's
// format, whatever the outcome.
func TestEventsOfSuccessFailureAndDenial(t *testing.T) {
	start(t, func(t *testing.T, e *testenv.Env) {
		mgmt := e.Boot.Management.ID
		ids := identitystore.NewFromConfig(e.Management())
		ct := client(e.Management())

		u, err := createUser(ids, e.StoreID(), "alice")
		must(t, err)
		_, err = createUser(ids, e.StoreID(), "alice")
		wantErr(t, err, "ConflictException", "")

		evs := lookup(t, ct, "CreateUser")
		if len(evs) != 2 {
			t.Fatalf("%d CreateUser events, want 2", len(evs))
		}
		failed, ok := recordOf(t, evs[0]), recordOf(t, evs[1]) // newest first
		if ok.ErrorCode != "" || failed.ErrorCode != "ConflictException" || failed.ErrorMessage == "" || failed.ResponseElements != nil && string(failed.ResponseElements) != "null" {
			t.Fatalf("outcomes: ok %+v, failed %+v", ok, failed)
		}
		var resp map[string]string
		must(t, json.Unmarshal(ok.ResponseElements, &resp))
		if resp["userId"] != aws.ToString(u.UserId) || resp["identityStoreId"] != e.StoreID() {
			t.Fatalf("responseElements %s", ok.ResponseElements)
		}
		var req map[string]any
		must(t, json.Unmarshal(ok.RequestParameters, &req))
		if req["identityStoreId"] != e.StoreID() || req["userName"] != "alice" {
			t.Fatalf("requestParameters %s", ok.RequestParameters)
		}
		id := ok.UserIdentity
		if ok.EventVersion != audit.EventVersion || id.Type != "Root" || id.Arn != "arn:aws:iam::"+mgmt+":root" || id.AccountID != mgmt ||
			id.PrincipalID != mgmt || id.AccessKeyID != e.Boot.Key.AccessKeyID || ok.EventSource != "identitystore.amazonaws.com" ||
			ok.AwsRegion != testenv.Region || ok.SourceIPAddress != "127.0.0.1" || !strings.Contains(ok.UserAgent, "aws-sdk-go-v2") ||
			ok.RequestID == "" || ok.EventID != aws.ToString(evs[1].EventId) || ok.ReadOnly || ok.EventType != "AwsApiCall" ||
			!ok.ManagementEvent || ok.RecipientAccountID != mgmt || ok.EventCategory != "Management" {
			t.Fatalf("record %+v", ok)
		}
		if _, err := time.Parse(time.RFC3339, ok.EventTime); err != nil || aws.ToString(evs[1].Username) != "root" || aws.ToString(evs[1].ReadOnly) != "false" {
			t.Fatalf("eventTime %q, Username %q", ok.EventTime, aws.ToString(evs[1].Username))
		}
		found := false
		for _, r := range evs[1].Resources {
			found = found || aws.ToString(r.ResourceType) == "AWS::IdentityStore::User" && aws.ToString(r.ResourceName) == aws.ToString(u.UserId)
		}
		if !found {
			t.Fatalf("resources %+v", evs[1].Resources)
		}

		// A read-only call: readOnly, no responseElements.
		_, err = ids.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: aws.String(e.StoreID()), UserId: u.UserId})
		must(t, err)
		_, r := one(t, ct, "DescribeUser")
		if !r.ReadOnly || string(r.ResponseElements) != "null" {
			t.Fatalf("DescribeUser record %+v", r)
		}

		// A denied call, recorded in the caller's (member) account.
		must(t, e.Store.Write(ctx, func(tx *store.Tx) error { return tx.SetAllowAccountInstances(ctx, e.Boot.Org.ID, false) }))
		member := e.MemberAccount("m")
		_, err = ssoadmin.NewFromConfig(e.Config(member)).CreateInstance(ctx, &ssoadmin.CreateInstanceInput{Name: aws.String("no")})
		wantErr(t, err, "AccessDeniedException", "")
		_, r = one(t, client(e.Config(member)), "CreateInstance")
		if r.ErrorCode != "AccessDeniedException" || r.RecipientAccountID != member.AccountID || r.EventSource != "sso.amazonaws.com" {
			t.Fatalf("denied record %+v", r)
		}
		if evs := lookup(t, ct, "CreateInstance"); len(evs) != 0 {
			t.Fatalf("the management account sees a member's events: %d", len(evs))
		}
	})
}

// TestEventsOfRefusedAuthentication: a wrong signature with a real key is
// recorded with that key's principal; an unknown key with what is known.
func TestEventsOfRefusedAuthentication(t *testing.T) {
	start(t, func(t *testing.T, e *testenv.Env) {
		mgmt := e.Boot.Management.ID
		bad := e.Management()
		bad.Credentials = credentials.NewStaticCredentialsProvider(e.Boot.Key.AccessKeyID, "wrong-secret-wrong-secret-wrong-secret00", "")
		_, err := ssoadmin.NewFromConfig(bad).ListInstances(ctx, &ssoadmin.ListInstancesInput{})
		wantErr(t, err, "InvalidSignatureException", "")
		_, r := one(t, client(e.Management()), "ListInstances")
		if r.ErrorCode != "InvalidSignatureException" || r.UserIdentity.AccessKeyID != e.Boot.Key.AccessKeyID ||
			r.UserIdentity.Arn != "arn:aws:iam::"+mgmt+":root" || r.RecipientAccountID != mgmt {
			t.Fatalf("record %+v", r)
		}

		unknown := e.Management()
		unknown.Credentials = credentials.NewStaticCredentialsProvider("AKIAUNKNOWNKEY000000", "secret", "")
		_, err = identitystore.NewFromConfig(unknown).ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String(e.StoreID())})
		wantErr(t, err, "UnrecognizedClientException", "")
		e.Server.Audit.Flush()
		evs, err := e.Store.R().AuditEvents(ctx, store.AuditFilter{AccessKeyID: "AKIAUNKNOWNKEY000000", Limit: 10})
		must(t, err)
		if len(evs) != 1 || evs[0].EventName != "ListUsers" || evs[0].ErrorCode != "UnrecognizedClientException" || evs[0].UserArn != "" || evs[0].EventSource != "identitystore.amazonaws.com" {
			t.Fatalf("unknown key events: %+v", evs)
		}
		rec := string(audit.JSON(evs[0]))
		if !strings.Contains(rec, `"userIdentity":{"accessKeyId":"AKIAUNKNOWNKEY000000"}`) {
			t.Fatalf("record %s", rec)
		}
	})
}

// TestNoSecretsInEvents: the credentials STS hands out, and the keys that
// sign the calls, appear nowhere in the stored events.
func TestNoSecretsInEvents(t *testing.T) {
	start(t, func(t *testing.T, e *testenv.Env) {
		member := e.MemberAccount("m")
		out, err := sts.NewFromConfig(e.Management()).AssumeRole(ctx, &sts.AssumeRoleInput{
			RoleArn: aws.String("arn:aws:iam::" + member.AccountID + ":role/" + org.AccessRoleName), RoleSessionName: aws.String("auditor")})
		must(t, err)
		c := out.Credentials
		role := e.Config(&org.Key{AccessKeyID: aws.ToString(c.AccessKeyId), SecretAccessKey: aws.ToString(c.SecretAccessKey), SessionToken: aws.ToString(c.SessionToken)})
		_, err = sts.NewFromConfig(role).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		must(t, err)

		// The AssumeRole event (in the management account) names the new
		// key, but not its secret or token.
		_, r := one(t, client(e.Management()), "AssumeRole")
		var resp struct {
			Credentials map[string]string `json:"credentials"`
		}
		must(t, json.Unmarshal(r.ResponseElements, &resp))
		if resp.Credentials["accessKeyId"] != aws.ToString(c.AccessKeyId) || resp.Credentials["secretAccessKey"] != audit.Hidden || resp.Credentials["sessionToken"] != audit.Hidden {
			t.Fatalf("AssumeRole responseElements %s", r.ResponseElements)
		}
		if r.EventSource != "sts.amazonaws.com" || !r.ReadOnly || !strings.Contains(string(r.RequestParameters), `"roleSessionName":"auditor"`) {
			t.Fatalf("AssumeRole record %+v", r)
		}
		// The role session's call is recorded with its session context.
		_, r = one(t, client(role), "GetCallerIdentity")
		if r.UserIdentity.Type != "AssumedRole" || r.UserIdentity.AccessKeyID != aws.ToString(c.AccessKeyId) ||
			!strings.Contains(string(r.UserIdentity.SessionContext), `"arn":"arn:aws:iam::`+member.AccountID+`:role/`+org.AccessRoleName+`"`) {
			t.Fatalf("role session record %+v %s", r.UserIdentity, r.UserIdentity.SessionContext)
		}

		// Nothing stored holds a secret.
		e.Server.Audit.Flush()
		res, err := e.Store.QueryReadOnly(ctx, `SELECT * FROM audit_events`, 100000, time.Minute, audit.SQLiteFunctions)
		must(t, err)
		var all strings.Builder
		for _, row := range res.Rows {
			for _, v := range row {
				if v != nil {
					all.WriteString(*v + "\n")
				}
			}
		}
		for _, secret := range []string{aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken), e.Boot.Key.SecretAccessKey, member.SecretAccessKey} {
			if strings.Contains(all.String(), secret) {
				t.Fatalf("a secret is stored in the audit trail: %.12s...", secret)
			}
		}
		if !strings.Contains(all.String(), aws.ToString(c.AccessKeyId)) {
			t.Fatal("the events do not name the session's access key")
		}
	})
}

// TestChangeAndEventInOneTransaction: a successful write's event is in the
// database as soon as the client has its answer (it was committed with the
// change); a failed write leaves no change, and its event records the
// failure.
func TestChangeAndEventInOneTransaction(t *testing.T) {
	start(t, func(t *testing.T, e *testenv.Env) {
		ids := identitystore.NewFromConfig(e.Management())
		for i := 0; i < 20; i++ {
			u, err := createUser(ids, e.StoreID(), "user"+string(rune('a'+i)))
			must(t, err)
			// No Flush: only the change's own transaction can have stored it
			// (the trail may also have completed it since).
			// Pending rows first: the trail stores an event complete before
			// it removes its pending row, so reading in this order cannot
			// miss one that moves between the two reads.
			pending, err := e.Store.R().PendingAuditEvents(ctx, 100)
			must(t, err)
			evs, err := e.Store.R().AuditEvents(ctx, store.AuditFilter{Account: e.Boot.Management.ID, EventName: "CreateUser", Limit: 100})
			must(t, err)
			evs = append(evs, pending...)
			found := false
			for _, ev := range evs {
				found = found || strings.Contains(ev.RequestParameters, `"userName":"user`+string(rune('a'+i))+`"`)
			}
			if !found {
				t.Fatalf("user %s committed without its event", aws.ToString(u.UserId))
			}
		}
		before, err := ids.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String(e.StoreID())})
		must(t, err)
		_, err = createUser(ids, e.StoreID(), "usera")
		wantErr(t, err, "ConflictException", "")
		after, err := ids.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: aws.String(e.StoreID())})
		must(t, err)
		if len(after.Users) != len(before.Users) {
			t.Fatalf("a failed CreateUser changed the store: %d users, then %d", len(before.Users), len(after.Users))
		}
		evs := lookup(t, client(e.Management()), "CreateUser")
		if len(evs) != 21 || recordOf(t, evs[0]).ErrorCode != "ConflictException" {
			t.Fatalf("%d CreateUser events, newest %+v", len(evs), recordOf(t, evs[0]))
		}
	})
}
