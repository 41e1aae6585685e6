package organizations_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/smithy-go"

	"github.com/idcenter/idcenter/internal/org"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/testenv"
)

var ctx = context.Background()

// start runs a server and returns it with a client of the management account.
func start(t *testing.T, e *testenv.Env) *organizations.Client {
	t.Cleanup(e.Server.Org.Wait) // runs before the store closes
	return organizations.NewFromConfig(e.Management())
}

func client(e *testenv.Env, k *org.Key) *organizations.Client {
	return organizations.NewFromConfig(e.Config(k))
}

// wantCode fails unless err is the AWS error code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code {
		t.Fatalf("got error %v, want %s", err, code)
	}
}

func TestDescribeOrganization(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		mgmt := start(t, e)
		out, err := mgmt.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
		if err != nil {
			t.Fatal(err)
		}
		o, m := out.Organization, e.Boot.Management
		if aws.ToString(o.Id) != e.Boot.Org.ID || aws.ToString(o.Arn) != e.Boot.Org.Arn || o.FeatureSet != types.OrganizationFeatureSetAll ||
			aws.ToString(o.MasterAccountId) != m.ID || aws.ToString(o.MasterAccountEmail) != m.Email ||
			aws.ToString(o.MasterAccountArn) != "arn:aws:organizations::"+m.ID+":account/"+e.Boot.Org.ID+"/"+m.ID {
			t.Errorf("organization = %+v", o)
		}
		// Any member account may describe its organization.
		mo, err := client(e, e.MemberAccount("member")).DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(mo.Organization.Id) != e.Boot.Org.ID || aws.ToString(mo.Organization.MasterAccountId) != m.ID {
			t.Errorf("member sees %+v", mo.Organization)
		}
		_, err = client(e, e.StandaloneAccount("alone")).DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{})
		var notInUse *types.AWSOrganizationsNotInUseException
		if !errors.As(err, &notInUse) || notInUse.ErrorMessage() != "Your account is not a member of an organization." {
			t.Errorf("standalone: got %v", err)
		}
	})
}

// TestAccessRules checks who may call what: members are denied everything
// but DescribeOrganization, standalone accounts are told they have no
// organization.
func TestAccessRules(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		start(t, e)
		calls := map[string]func(c *organizations.Client) error{
			"DescribeAccount": func(c *organizations.Client) error {
				_, err := c.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String(e.Boot.Management.ID)})
				return err
			},
			"ListAccounts": func(c *organizations.Client) error {
				_, err := c.ListAccounts(ctx, &organizations.ListAccountsInput{})
				return err
			},
			"CreateAccount": func(c *organizations.Client) error {
				_, err := c.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String("x"), Email: aws.String("x@example.com")})
				return err
			},
			"DescribeCreateAccountStatus": func(c *organizations.Client) error {
				_, err := c.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: aws.String("car-abcdefghij0123456789abcdefghij01")})
				return err
			},
		}
		member, alone := client(e, e.MemberAccount("member")), client(e, e.StandaloneAccount("alone"))
		for name, call := range calls {
			err := call(member)
			var denied *types.AccessDeniedException
			if !errors.As(err, &denied) || denied.ErrorMessage() != "You don't have permissions to access this resource." {
				t.Errorf("%s from a member: got %v", name, err)
			}
			wantCode(t, call(alone), "AWSOrganizationsNotInUseException")
		}
	})
}

func TestDescribeAccount(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		mgmt := start(t, e)
		k := e.MemberAccount("member")
		out, err := mgmt.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String(k.AccountID)})
		if err != nil {
			t.Fatal(err)
		}
		a := out.Account
		if aws.ToString(a.Id) != k.AccountID || aws.ToString(a.Name) != "member" || a.Status != types.AccountStatusActive ||
			a.State != types.AccountStateActive || a.JoinedMethod != types.AccountJoinedMethodCreated ||
			aws.ToString(a.Arn) != "arn:aws:organizations::"+e.Boot.Management.ID+":account/"+e.Boot.Org.ID+"/"+k.AccountID ||
			time.Since(aws.ToTime(a.JoinedTimestamp)) > time.Minute || !regexp.MustCompile(`^member-[0-9a-f]{6}@example\.com$`).MatchString(aws.ToString(a.Email)) {
			t.Errorf("account = %+v", a)
		}
		for _, id := range []string{"111111111111", e.StandaloneAccount("alone").AccountID} {
			_, err = mgmt.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String(id)})
			var nf *types.AccountNotFoundException
			if !errors.As(err, &nf) {
				t.Errorf("DescribeAccount(%s): got %v, want AccountNotFoundException", id, err)
			}
		}
		_, err = mgmt.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: aws.String("123")})
		var inv *types.InvalidInputException
		if !errors.As(err, &inv) || inv.Reason != types.InvalidInputExceptionReasonInvalidPattern {
			t.Errorf("bad id: got %v", err)
		}
	})
}

func TestListAccountsPaginates(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		mgmt := start(t, e)
		err := e.Store.Write(ctx, func(tx *store.Tx) error {
			for i := range 44 {
				if _, err := e.Server.Org.CreateMemberAccount(ctx, tx, e.Boot.Org, fmt.Sprintf("acct-%d", i), fmt.Sprintf("acct-%d@example.com", i)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		pages := 0
		p := organizations.NewListAccountsPaginator(mgmt, &organizations.ListAccountsInput{}, func(o *organizations.ListAccountsPaginatorOptions) { o.Limit = 7 })
		for p.HasMorePages() {
			out, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			if len(out.Accounts) > 7 {
				t.Fatalf("page of %d accounts", len(out.Accounts))
			}
			for _, a := range out.Accounts {
				if seen[*a.Id] {
					t.Fatalf("account %s listed twice", *a.Id)
				}
				seen[*a.Id] = true
			}
		}
		if len(seen) != 45 || pages != 7 || !seen[e.Boot.Management.ID] {
			t.Errorf("listed %d accounts in %d pages, want 45 in 7", len(seen), pages)
		}
		// Without MaxResults a page holds 20.
		out, err := mgmt.ListAccounts(ctx, &organizations.ListAccountsInput{})
		if err != nil || len(out.Accounts) != 20 || out.NextToken == nil {
			t.Errorf("default page: %d accounts, token %v, err %v", len(out.Accounts), out.NextToken, err)
		}
		_, err = mgmt.ListAccounts(ctx, &organizations.ListAccountsInput{MaxResults: aws.Int32(21)})
		var inv *types.InvalidInputException
		if !errors.As(err, &inv) || inv.Reason != types.InvalidInputExceptionReasonMaxValueExceeded {
			t.Errorf("MaxResults 21: got %v", err)
		}
		_, err = mgmt.ListAccounts(ctx, &organizations.ListAccountsInput{NextToken: aws.String("bogus.token")})
		if !errors.As(err, &inv) || inv.Reason != types.InvalidInputExceptionReasonInvalidPaginationToken {
			t.Errorf("bad token: got %v", err)
		}
	})
}

// waitCreated polls DescribeCreateAccountStatus until the request is done.
func waitCreated(t *testing.T, c *organizations.Client, id string) *types.CreateAccountStatus {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		out, err := c.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		if out.CreateAccountStatus.State != types.CreateAccountStateInProgress {
			return out.CreateAccountStatus
		}
		if time.Now().After(deadline) {
			t.Fatalf("request %s still IN_PROGRESS", id)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestCreateAccount(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		mgmt := start(t, e)
		out, err := mgmt.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String("Production"), Email: aws.String("prod@example.com")})
		if err != nil {
			t.Fatal(err)
		}
		st := out.CreateAccountStatus
		if st.State != types.CreateAccountStateInProgress || !regexp.MustCompile(`^car-[a-z0-9]{32}$`).MatchString(aws.ToString(st.Id)) ||
			aws.ToString(st.AccountName) != "Production" || st.RequestedTimestamp == nil {
			t.Fatalf("CreateAccount answered %+v", st)
		}
		done := waitCreated(t, mgmt, *st.Id)
		if done.State != types.CreateAccountStateSucceeded || !regexp.MustCompile(`^\d{12}$`).MatchString(aws.ToString(done.AccountId)) ||
			done.CompletedTimestamp == nil || done.FailureReason != "" {
			t.Fatalf("finished as %+v", done)
		}
		acct, err := mgmt.DescribeAccount(ctx, &organizations.DescribeAccountInput{AccountId: done.AccountId})
		if err != nil || aws.ToString(acct.Account.Email) != "prod@example.com" || aws.ToString(acct.Account.Name) != "Production" {
			t.Fatalf("new account: %+v, %v", acct, err)
		}
		if _, err := e.Store.R().Role(ctx, *done.AccountId, org.AccessRoleName); err != nil {
			t.Errorf("the new account has no %s: %v", org.AccessRoleName, err)
		}

		// The same email again fails, as on AWS, asynchronously.
		dup, err := mgmt.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String("Again"), Email: aws.String("PROD@example.com")})
		if err != nil {
			t.Fatal(err)
		}
		failed := waitCreated(t, mgmt, *dup.CreateAccountStatus.Id)
		if failed.State != types.CreateAccountStateFailed || failed.FailureReason != types.CreateAccountFailureReasonEmailAlreadyExists || failed.AccountId != nil {
			t.Errorf("duplicate email finished as %+v", failed)
		}

		// A custom role name.
		custom, err := mgmt.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String("Dev"), Email: aws.String("dev@example.com"), RoleName: aws.String("Admin")})
		if err != nil {
			t.Fatal(err)
		}
		if d := waitCreated(t, mgmt, *custom.CreateAccountStatus.Id); d.State != types.CreateAccountStateSucceeded {
			t.Fatalf("custom role: %+v", d)
		} else if _, err := e.Store.R().Role(ctx, *d.AccountId, "Admin"); err != nil {
			t.Errorf("role Admin missing: %v", err)
		}

		_, err = mgmt.DescribeCreateAccountStatus(ctx, &organizations.DescribeCreateAccountStatusInput{CreateAccountRequestId: aws.String("car-abcdefghij0123456789abcdefghij01")})
		var nf *types.CreateAccountStatusNotFoundException
		if !errors.As(err, &nf) {
			t.Errorf("unknown request: got %v", err)
		}
		_, err = mgmt.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String("x"), Email: aws.String("not an email")})
		wantCode(t, err, "InvalidInputException")
	})
}
