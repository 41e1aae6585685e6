package sts_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/idcenter/idcenter/internal/org"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/testenv"
)

var ctx = context.Background()

// wantError fails unless err is the AWS error code with the HTTP status.
func wantError(t *testing.T, err error, code string, status int) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code {
		t.Fatalf("got error %v, want %s", err, code)
	}
	var re *awshttp.ResponseError
	if !errors.As(err, &re) || re.HTTPStatusCode() != status {
		t.Fatalf("%s: want status %d, got %v", code, status, err)
	}
}

func roleArn(accountID string) string {
	return "arn:aws:iam::" + accountID + ":role/" + org.AccessRoleName
}

func TestGetCallerIdentity(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		out, err := sts.NewFromConfig(e.Management()).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatal(err)
		}
		m := e.Boot.Management.ID
		if aws.ToString(out.Account) != m || aws.ToString(out.Arn) != "arn:aws:iam::"+m+":root" || aws.ToString(out.UserId) != m {
			t.Errorf("identity = %s %s %s", aws.ToString(out.Account), aws.ToString(out.Arn), aws.ToString(out.UserId))
		}
		alone := e.StandaloneAccount("alone")
		out, err = sts.NewFromConfig(e.Config(alone)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil || aws.ToString(out.Account) != alone.AccountID {
			t.Errorf("standalone: %v, %v", out, err)
		}
	})
}

// TestAssumeRole reaches a member account from the management account and
// uses the temporary credentials with STS and Organizations.
func TestAssumeRole(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		member := e.MemberAccount("member")
		out, err := sts.NewFromConfig(e.Management()).AssumeRole(ctx, &sts.AssumeRoleInput{
			RoleArn: aws.String(roleArn(member.AccountID)), RoleSessionName: aws.String("admin@example.com"),
		})
		if err != nil {
			t.Fatal(err)
		}
		c := out.Credentials
		if !regexp.MustCompile(`^ASIA[A-Z2-7]{16}$`).MatchString(aws.ToString(c.AccessKeyId)) || len(aws.ToString(c.SecretAccessKey)) != 40 ||
			aws.ToString(c.SessionToken) == "" || time.Until(aws.ToTime(c.Expiration)) < 59*time.Minute || time.Until(aws.ToTime(c.Expiration)) > time.Hour {
			t.Errorf("credentials = %+v", c)
		}
		wantArn := "arn:aws:sts::" + member.AccountID + ":assumed-role/" + org.AccessRoleName + "/admin@example.com"
		if aws.ToString(out.AssumedRoleUser.Arn) != wantArn ||
			!regexp.MustCompile(`^AROA[A-Z2-7]{17}:admin@example\.com$`).MatchString(aws.ToString(out.AssumedRoleUser.AssumedRoleId)) {
			t.Errorf("assumed role user = %s %s", aws.ToString(out.AssumedRoleUser.Arn), aws.ToString(out.AssumedRoleUser.AssumedRoleId))
		}

		cfg := e.Config(&org.Key{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretAccessKey, SessionToken: *c.SessionToken})
		id, err := sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(id.Arn) != wantArn || aws.ToString(id.Account) != member.AccountID || aws.ToString(id.UserId) != aws.ToString(out.AssumedRoleUser.AssumedRoleId) {
			t.Errorf("as the role: %s %s %s", aws.ToString(id.Arn), aws.ToString(id.Account), aws.ToString(id.UserId))
		}

		// The session acts as the member account in every API.
		orgs := organizations.NewFromConfig(cfg)
		if o, err := orgs.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{}); err != nil || aws.ToString(o.Organization.Id) != e.Boot.Org.ID {
			t.Errorf("DescribeOrganization as the role: %v", err)
		}
		_, err = orgs.ListAccounts(ctx, &organizations.ListAccountsInput{})
		var denied *orgtypes.AccessDeniedException
		if !errors.As(err, &denied) {
			t.Errorf("ListAccounts as the member's role: got %v", err)
		}

		// The session token is part of the credential.
		bad := e.Config(&org.Key{AccessKeyID: *c.AccessKeyId, SecretAccessKey: *c.SecretAccessKey, SessionToken: "IQoJwrong"})
		_, err = sts.NewFromConfig(bad).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err == nil {
			t.Error("a wrong session token was accepted")
		}

		// Role chaining is limited to one hour.
		_, err = sts.NewFromConfig(cfg).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleArn(member.AccountID)), RoleSessionName: aws.String("chained"), DurationSeconds: aws.Int32(7200)})
		wantError(t, err, "ValidationError", 400)
		if !strings.Contains(err.Error(), "role chaining") {
			t.Errorf("chaining error: %v", err)
		}
		// Longer sessions are fine for the management account itself.
		long, err := sts.NewFromConfig(e.Management()).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleArn(member.AccountID)), RoleSessionName: aws.String("long"), DurationSeconds: aws.Int32(7200)})
		if err != nil || time.Until(aws.ToTime(long.Credentials.Expiration)) < 119*time.Minute {
			t.Errorf("two-hour session: %v", err)
		}
	})
}

// TestAssumeRoleRefused checks the trust policy and the input rules.
func TestAssumeRoleRefused(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		a, b := e.MemberAccount("a"), e.MemberAccount("b")
		asA := sts.NewFromConfig(e.Config(a))
		_, err := asA.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(roleArn(b.AccountID)), RoleSessionName: aws.String("sneaky")})
		wantError(t, err, "AccessDenied", 403)
		want := "User: arn:aws:iam::" + a.AccountID + ":root is not authorized to perform: sts:AssumeRole on resource: " + roleArn(b.AccountID)
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message: %v", err)
		}

		mgmt := sts.NewFromConfig(e.Management())
		missing := "arn:aws:iam::" + a.AccountID + ":role/NoSuchRole"
		_, err = mgmt.AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String(missing), RoleSessionName: aws.String("s1")})
		wantError(t, err, "AccessDenied", 403)

		for name, in := range map[string]*sts.AssumeRoleInput{
			"short session name": {RoleArn: aws.String(roleArn(a.AccountID)), RoleSessionName: aws.String("x")},
			"bad session name":   {RoleArn: aws.String(roleArn(a.AccountID)), RoleSessionName: aws.String("no spaces")},
			"short duration":     {RoleArn: aws.String(roleArn(a.AccountID)), RoleSessionName: aws.String("s1"), DurationSeconds: aws.Int32(100)},
			"long duration":      {RoleArn: aws.String(roleArn(a.AccountID)), RoleSessionName: aws.String("s1"), DurationSeconds: aws.Int32(43201)},
			"not a role":         {RoleArn: aws.String("arn:aws:iam::" + a.AccountID + ":user/bob"), RoleSessionName: aws.String("s1")},
		} {
			_, err := mgmt.AssumeRole(ctx, in)
			t.Run(name, func(t *testing.T) { wantError(t, err, "ValidationError", 400) })
		}
	})
}

func TestAuthFailures(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		unknown := sts.NewFromConfig(e.Config(&org.Key{AccessKeyID: "AKIAUNKNOWNKEY000000", SecretAccessKey: strings.Repeat("s", 40)}))
		_, err := unknown.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantError(t, err, "InvalidClientTokenId", 403)

		wrong := *e.Boot.Key
		wrong.SecretAccessKey = strings.Repeat("w", 40)
		_, err = sts.NewFromConfig(e.Config(&wrong)).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantError(t, err, "SignatureDoesNotMatch", 403)
	})
}

// TestExpiredCredentials stores a session that has already expired and
// checks every API refuses it.
func TestExpiredCredentials(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		member := e.MemberAccount("member")
		var k *org.Key
		err := e.Store.Write(ctx, func(tx *store.Tx) error {
			arn := "arn:aws:sts::" + member.AccountID + ":assumed-role/" + org.AccessRoleName + "/old"
			var err error
			k, err = e.Server.Org.InsertKey(ctx, tx, member.AccountID, arn, "AROAOLD:old", "ASIA", tx.Now.Add(-time.Minute))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		cfg := e.Config(k)
		_, err = sts.NewFromConfig(cfg).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		wantError(t, err, "ExpiredToken", 400)
		_, err = organizations.NewFromConfig(cfg).DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != "ExpiredTokenException" {
			t.Errorf("organizations with an expired session: %v", err)
		}
	})
}

// TestWire checks the XML STS sends, byte for byte where AWS fixes it.
func TestWire(t *testing.T) {
	e := testenv.Start(t)
	k := e.Boot.Key
	do := func(body string) (int, string) {
		req, _ := http.NewRequest("POST", e.URL+"/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
		sum := sha256.Sum256([]byte(body))
		creds := aws.Credentials{AccessKeyID: k.AccessKeyID, SecretAccessKey: k.SecretAccessKey}
		if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "sts", testenv.Region, time.Now()); err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.Header.Get("Content-Type") != "text/xml" || resp.Header.Get("X-Amzn-Requestid") == "" {
			t.Errorf("headers: %v", resp.Header)
		}
		return resp.StatusCode, string(b)
	}
	status, body := do("Action=GetCallerIdentity&Version=2011-06-15")
	m := e.Boot.Management.ID
	want := regexp.MustCompile(`^<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::` + m +
		`:root</Arn><UserId>` + m + `</UserId><Account>` + m + `</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>[0-9a-f-]{36}</RequestId></ResponseMetadata></GetCallerIdentityResponse>$`)
	if status != 200 || !want.MatchString(body) {
		t.Errorf("GetCallerIdentity: %d %s", status, body)
	}
	status, body = do("Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A111111111111%3Arole%2FX&RoleSessionName=s1")
	want = regexp.MustCompile(`^<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::` + m +
		`:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::111111111111:role/X</Message></Error><RequestId>[0-9a-f-]{36}</RequestId></ErrorResponse>$`)
	if status != 403 || !want.MatchString(body) {
		t.Errorf("AssumeRole refused: %d %s", status, body)
	}
	status, body = do("Action=Frobnicate&Version=2011-06-15")
	if status != 400 || !strings.Contains(body, "<Code>InvalidAction</Code>") {
		t.Errorf("unknown action: %d %s", status, body)
	}
}
