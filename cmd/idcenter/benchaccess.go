package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	idstypes "github.com/aws/aws-sdk-go-v2/service/identitystore/types"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin"
	"github.com/aws/aws-sdk-go-v2/service/ssoadmin/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/idcenter/idcenter/internal/loadgen"
	"github.com/idcenter/idcenter/internal/org"
)

// benchAccess measures account access (issue 3's benchmark) over an
// organization of many accounts, permission sets and group assignments,
// seeded through the API with --seed (resumable): list calls under load,
// CreateAccountAssignment from call to SUCCEEDED under a steady rate, and
// what SCP checks add to a member account's call (the organization's root
// holds FullAWSAccess and the documented policy denying sso:CreateInstance).
func benchAccess(args []string) error {
	fs := flag.NewFlagSet("bench access", flag.ExitOnError)
	t := addBenchFlags(fs, "management ", "organization")
	accounts := fs.Int("accounts", 1000, "member accounts")
	permsets := fs.Int("permsets", 100, "permission sets")
	assignments := fs.Int("assignments", 50000, "group assignments")
	rate := fs.Int("rate", 200, "CreateAccountAssignment calls per second while measuring time to SUCCEEDED")
	fs.Parse(args)
	ctx := context.Background()
	sdk, cfg, err := t.open(ctx, "bench access", 10)
	if err != nil {
		return err
	}
	p, storeID := &t.pop, t.storeID
	o := &orgPop{accounts: *accounts, permsets: *permsets, assignments: *assignments}
	ssoSign := t.signer("sso")
	if err := o.prepare(ctx, sdk, storeID, p, t.seed, cfg, ssoSign); err != nil {
		return err
	}

	ssoCall := func(name, op string, body func(w int, seq uint64) string) loadgen.Scenario {
		return loadgen.Scenario{Name: name, Signer: ssoSign, Next: func(w int, seq uint64) loadgen.Request {
			r := loadgen.AWSJSON("SWBExternalService", op, []byte(body(w, seq)))
			r.Expect = loadgen.ExpectStatus(200)
			return r
		}}
	}
	member, err := o.memberSigner(ctx, sdk, t.region)
	if err != nil {
		return err
	}
	describe := func(s *loadgen.Signer, name string) loadgen.Scenario {
		return loadgen.Scenario{Name: name, Signer: s, Next: func(w int, seq uint64) loadgen.Request {
			r := loadgen.AWSJSON("AWSIdentityStore", "DescribeUser", []byte(fmt.Sprintf(`{"IdentityStoreId":%q,"UserId":%q}`, storeID, p.userIDs[pick(5, w, seq, p.users)])))
			r.Expect = loadgen.ExpectStatus(200)
			return r
		}}
	}
	scenarios := append([]loadgen.Scenario{loadgen.BaselineScenario(loadgen.BaselinePath, ssoSign)}, t.selected([]loadgen.Scenario{
		ssoCall("ListAccountAssignmentsForPrincipal(user in 50 groups)", "ListAccountAssignmentsForPrincipal", func(int, uint64) string {
			return fmt.Sprintf(`{"InstanceArn":%q,"PrincipalType":"USER","PrincipalId":%q}`, o.instanceArn, o.fiftyUser)
		}),
		ssoCall("ListAccountAssignments(account, permission set)", "ListAccountAssignments", func(w int, seq uint64) string {
			a := o.assigned[pick(6, w, seq, len(o.assigned))]
			return fmt.Sprintf(`{"InstanceArn":%q,"AccountId":%q,"PermissionSetArn":%q}`, o.instanceArn, a.account, a.permset)
		}),
		describe(t.signer("identitystore"), "DescribeUser(management, no SCPs)"),
		describe(member, "DescribeUser(member account, SCPs)"),
	})...)
	res := loadgen.Run(ctx, cfg, scenarios...)
	fmt.Printf("organization: %d accounts, %d permission sets, %d assignments; %d users, %d groups; %d connections\n",
		o.accounts, o.permsets, o.assignments, p.users, p.groups, t.conns)
	if err := loadgen.WriteTable(os.Stdout, res, &res[0]); err != nil {
		return err
	}
	if strings.HasPrefix("CreateAccountAssignment", t.only) {
		if err := o.timeToSucceeded(ctx, sdk, p, *rate, t.dur); err != nil {
			return err
		}
	}
	return t.writeServerMemory(ctx, os.Stdout)
}

// orgPop is the organization the access bench works on.
type orgPop struct {
	accounts, permsets, assignments int
	instanceArn                     string
	accountIDs, permsetArns         []string
	fiftyUser                       string // a user in 50 groups
	assigned                        []pair // (account, permission set) pairs that have assignments
}

type pair struct{ account, permset string }

// assignment j: group j/per, to the account and permission set derived
// from j, so that the pairs spread over every account and permission set.
func (o *orgPop) assignment(p *population, j int) (group int, account, permset string) {
	per := (o.assignments + p.groups - 1) / p.groups
	g := j / per
	return g % p.groups, o.accountIDs[(j*7919)%len(o.accountIDs)], o.permsetArns[j%len(o.permsetArns)]
}

// prepare finds (and with seed, creates) the accounts, permission sets,
// the user in fifty groups and the assignments.
func (o *orgPop) prepare(ctx context.Context, sdk aws.Config, storeID string, p *population, doSeed bool, cfg loadgen.Config, sign *loadgen.Signer) error {
	admin := ssoadmin.NewFromConfig(sdk)
	insts, err := admin.ListInstances(ctx, &ssoadmin.ListInstancesInput{})
	if err != nil {
		return err
	}
	for _, in := range insts.Instances {
		if aws.ToString(in.IdentityStoreId) == storeID {
			o.instanceArn = aws.ToString(in.InstanceArn)
		}
	}
	if o.instanceArn == "" {
		return fmt.Errorf("no instance has identity store %s", storeID)
	}
	orgs := organizations.NewFromConfig(sdk)
	if err := o.listAccounts(ctx, orgs); err != nil {
		return err
	}
	if doSeed && len(o.accountIDs) < o.accounts {
		start := time.Now()
		for i := len(o.accountIDs); i < o.accounts; i++ {
			if _, err := orgs.CreateAccount(ctx, &organizations.CreateAccountInput{AccountName: aws.String(fmt.Sprintf("bench-%04d", i)),
				Email: aws.String(fmt.Sprintf("bench-%04d-%d@example.com", i, start.UnixNano()))}); err != nil {
				return err
			}
		}
		for len(o.accountIDs) < o.accounts && time.Since(start) < 5*time.Minute {
			time.Sleep(200 * time.Millisecond)
			if err := o.listAccounts(ctx, orgs); err != nil {
				return err
			}
		}
		fmt.Printf("seeded accounts %d in %.1fs\n", len(o.accountIDs), time.Since(start).Seconds())
	}
	if len(o.accountIDs) < o.accounts {
		return fmt.Errorf("the organization has %d member accounts, want %d: run with --seed", len(o.accountIDs), o.accounts)
	}
	o.accountIDs = o.accountIDs[:o.accounts]
	if err := denyAccountInstances(ctx, orgs, o.accountIDs[1]); err != nil {
		return err
	}

	names := map[string]string{}
	sets := ssoadmin.NewListPermissionSetsPaginator(admin, &ssoadmin.ListPermissionSetsInput{InstanceArn: &o.instanceArn, MaxResults: aws.Int32(100)})
	for sets.HasMorePages() {
		page, err := sets.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, arn := range page.PermissionSets {
			d, err := admin.DescribePermissionSet(ctx, &ssoadmin.DescribePermissionSetInput{InstanceArn: &o.instanceArn, PermissionSetArn: aws.String(arn)})
			if err != nil {
				return err
			}
			names[aws.ToString(d.PermissionSet.Name)] = arn
		}
	}
	for i := 0; i < o.permsets; i++ {
		name := fmt.Sprintf("bench-ps-%03d", i)
		arn, ok := names[name]
		if !ok && doSeed {
			out, err := admin.CreatePermissionSet(ctx, &ssoadmin.CreatePermissionSetInput{InstanceArn: &o.instanceArn, Name: &name, SessionDuration: aws.String("PT4H")})
			if err != nil {
				return err
			}
			arn = aws.ToString(out.PermissionSet.PermissionSetArn)
			if _, err := admin.PutInlinePolicyToPermissionSet(ctx, &ssoadmin.PutInlinePolicyToPermissionSetInput{InstanceArn: &o.instanceArn, PermissionSetArn: &arn,
				InlinePolicy: aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"*"}]}`)}); err != nil {
				return err
			}
		} else if !ok {
			return fmt.Errorf("permission set %s is missing: run with --seed", name)
		}
		o.permsetArns = append(o.permsetArns, arn)
	}

	// The user in fifty groups.
	ids := identitystore.NewFromConfig(sdk)
	got, err := ids.GetUserId(ctx, &identitystore.GetUserIdInput{IdentityStoreId: &storeID, AlternateIdentifier: &idstypes.AlternateIdentifierMemberUniqueAttribute{
		Value: idstypes.UniqueAttribute{AttributePath: aws.String("userName"), AttributeValue: stringDoc("bench-fifty-groups")}}})
	if err == nil {
		o.fiftyUser = aws.ToString(got.UserId)
	} else if doSeed {
		out, err := ids.CreateUser(ctx, &identitystore.CreateUserInput{IdentityStoreId: &storeID, UserName: aws.String("bench-fifty-groups"),
			DisplayName: aws.String("In Fifty Groups"), Name: &idstypes.Name{GivenName: aws.String("Fifty"), FamilyName: aws.String("Groups")}})
		if err != nil {
			return err
		}
		o.fiftyUser = aws.ToString(out.UserId)
		for g := 0; g < 50 && g < p.groups; g++ {
			if _, err := ids.CreateGroupMembership(ctx, &identitystore.CreateGroupMembershipInput{IdentityStoreId: &storeID, GroupId: &p.groupIDs[g],
				MemberId: &idstypes.MemberIdMemberUserId{Value: o.fiftyUser}}); err != nil {
				return err
			}
		}
	} else {
		return fmt.Errorf("user bench-fifty-groups is missing: run with --seed")
	}

	seen := map[pair]bool{}
	for j := 0; j < o.assignments; j++ {
		_, a, ps := o.assignment(p, j)
		if !seen[pair{a, ps}] {
			seen[pair{a, ps}] = true
			o.assigned = append(o.assigned, pair{a, ps})
		}
	}
	sort.Slice(o.assigned, func(i, j int) bool {
		return o.assigned[i].account+o.assigned[i].permset < o.assigned[j].account+o.assigned[j].permset
	})
	if !doSeed {
		return nil
	}
	var next atomic.Int64
	n := o.assignments
	cfg.Warmup, cfg.Requests = -1, uint64(n)
	start := time.Now()
	res := loadgen.Run(ctx, cfg, loadgen.Scenario{Name: "assignments", Signer: sign, Next: func(int, uint64) loadgen.Request {
		j := int(next.Add(1)-1) % n
		g, a, ps := o.assignment(p, j)
		r := loadgen.AWSJSON("SWBExternalService", "CreateAccountAssignment", []byte(fmt.Sprintf(
			`{"InstanceArn":%q,"TargetId":%q,"TargetType":"AWS_ACCOUNT","PermissionSetArn":%q,"PrincipalType":"GROUP","PrincipalId":%q}`,
			o.instanceArn, a, ps, p.groupIDs[g])))
		r.Expect = createdOrExists
		return r
	}})[0]
	fmt.Printf("requested assignments %d in %.1fs (%.0f/s), %d errors %v\n", n, time.Since(start).Seconds(), float64(n)/time.Since(start).Seconds(), res.Errors, res.ErrorSamples)
	return o.waitAssignments(ctx, admin)
}

// waitAssignments waits until no assignment creation is in progress.
func (o *orgPop) waitAssignments(ctx context.Context, admin *ssoadmin.Client) error {
	start := time.Now()
	for time.Since(start) < 10*time.Minute {
		out, err := admin.ListAccountAssignmentCreationStatus(ctx, &ssoadmin.ListAccountAssignmentCreationStatusInput{InstanceArn: &o.instanceArn,
			Filter: &types.OperationStatusFilter{Status: types.StatusValuesInProgress}, MaxResults: aws.Int32(1)})
		if err != nil {
			return err
		}
		if len(out.AccountAssignmentsCreationStatus) == 0 {
			fmt.Printf("assignments completed %.1fs after the last request\n", time.Since(start).Seconds())
			return nil
		}
		time.Sleep(time.Second)
	}
	return errors.New("assignments still in progress after 10 minutes")
}

func (o *orgPop) listAccounts(ctx context.Context, orgs *organizations.Client) error {
	o.accountIDs = o.accountIDs[:0]
	pages := organizations.NewListAccountsPaginator(orgs, &organizations.ListAccountsInput{})
	var mgmt string
	if d, err := orgs.DescribeOrganization(ctx, &organizations.DescribeOrganizationInput{}); err == nil {
		mgmt = aws.ToString(d.Organization.MasterAccountId)
	}
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, a := range page.Accounts {
			if id := aws.ToString(a.Id); id != mgmt {
				o.accountIDs = append(o.accountIDs, id)
			}
		}
	}
	return nil
}

// denyAccountInstances attaches to the organization's root, unless it is
// there, the service control policy AWS documents to let only one account
// (allowed) create account instances: the SCPs the member account's calls
// are checked against are then FullAWSAccess and this one.
func denyAccountInstances(ctx context.Context, orgs *organizations.Client, allowed string) error {
	const name = "DenyAccountInstances"
	roots, err := orgs.ListRoots(ctx, &organizations.ListRootsInput{})
	if err != nil {
		return err
	}
	if len(roots.Roots) != 1 {
		return fmt.Errorf("the organization has %d roots", len(roots.Roots))
	}
	root := roots.Roots[0].Id
	attached, err := orgs.ListPoliciesForTarget(ctx, &organizations.ListPoliciesForTargetInput{TargetId: root, Filter: orgtypes.PolicyTypeServiceControlPolicy})
	if err != nil {
		return err
	}
	for _, p := range attached.Policies {
		if aws.ToString(p.Name) == name {
			return nil
		}
	}
	p, err := orgs.CreatePolicy(ctx, &organizations.CreatePolicyInput{Name: aws.String(name), Description: aws.String("only one account may create an account instance"),
		Type: orgtypes.PolicyTypeServiceControlPolicy, Content: aws.String(org.DenyAccountInstancesPolicy(allowed))})
	if err != nil {
		return err
	}
	_, err = orgs.AttachPolicy(ctx, &organizations.AttachPolicyInput{PolicyId: p.Policy.PolicySummary.Id, TargetId: root})
	return err
}

// memberSigner assumes OrganizationAccountAccessRole in the first member
// account, for calls that SCPs govern.
func (o *orgPop) memberSigner(ctx context.Context, sdk aws.Config, region string) (*loadgen.Signer, error) {
	out, err := sts.NewFromConfig(sdk).AssumeRole(ctx, &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::" + o.accountIDs[0] + ":role/OrganizationAccountAccessRole"),
		RoleSessionName: aws.String("bench"), DurationSeconds: aws.Int32(3600)})
	if err != nil {
		return nil, err
	}
	c := out.Credentials
	return loadgen.NewSigner(aws.ToString(c.AccessKeyId), aws.ToString(c.SecretAccessKey), aws.ToString(c.SessionToken), region, "identitystore"), nil
}

// timeToSucceeded issues CreateAccountAssignment at rate per second for
// dur, each for a new (user, account) pair, and measures from the time the
// call was due to the first DescribeAccountAssignmentCreationStatus that
// reports SUCCEEDED.
func (o *orgPop) timeToSucceeded(ctx context.Context, sdk aws.Config, p *population, rate int, dur time.Duration) error {
	admin := ssoadmin.NewFromConfig(sdk)
	hist := loadgen.NewHistogram()
	var mu sync.Mutex
	var calls atomic.Int64
	var wg sync.WaitGroup
	failures := map[string]int{} // what failed, counted (under mu)
	fail := func(why string) {
		if len(why) > 120 {
			why = why[:120] + "..."
		}
		mu.Lock()
		failures[why]++
		mu.Unlock()
	}
	// Call i is due at begin + i/rate and made then, or at once when the
	// loop is late (a ticker drops the ticks a busy loop misses: at 300/s it
	// made 184 calls a second), and its time runs from when it was due.
	begin := time.Now()
	every := time.Second / time.Duration(rate)
	base := int(begin.UnixNano() % int64(p.users))
	for i := 0; time.Duration(i)*every < dur; i++ {
		start := begin.Add(time.Duration(i) * every)
		time.Sleep(time.Until(start))
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			u := p.userIDs[(base+i)%p.users]
			calls.Add(1)
			out, err := admin.CreateAccountAssignment(ctx, &ssoadmin.CreateAccountAssignmentInput{InstanceArn: &o.instanceArn,
				TargetId: aws.String(o.accountIDs[i%len(o.accountIDs)]), TargetType: types.TargetTypeAwsAccount, PermissionSetArn: &o.permsetArns[i%len(o.permsetArns)],
				PrincipalType: types.PrincipalTypeUser, PrincipalId: &u})
			if err != nil {
				var ae smithy.APIError
				if !errors.As(err, &ae) {
					fail("call: " + err.Error())
				} else if ae.ErrorCode() != "ConflictException" {
					fail("call: " + ae.ErrorCode())
				}
				return
			}
			id := out.AccountAssignmentCreationStatus.RequestId
			// Poll as a client does, backing off (10, 20, 40 ms, then every
			// 50 ms): a fixed fast poll from hundreds of requests in flight
			// would itself be the load that delays them.
			wait := 10 * time.Millisecond
			for time.Since(start) < 30*time.Second {
				d, err := admin.DescribeAccountAssignmentCreationStatus(ctx, &ssoadmin.DescribeAccountAssignmentCreationStatusInput{InstanceArn: &o.instanceArn,
					AccountAssignmentCreationRequestId: id})
				if err == nil && d.AccountAssignmentCreationStatus.Status == types.StatusValuesSucceeded {
					mu.Lock()
					hist.Record(time.Since(start))
					mu.Unlock()
					return
				}
				if err == nil && d.AccountAssignmentCreationStatus.Status == types.StatusValuesFailed {
					fail("FAILED: " + aws.ToString(d.AccountAssignmentCreationStatus.FailureReason))
					return
				}
				time.Sleep(wait)
				wait = min(2*wait, 50*time.Millisecond)
			}
			fail("not SUCCEEDED within 30 s")
		}(i)
	}
	wg.Wait()
	failed := 0
	for _, n := range failures {
		failed += n
	}
	fmt.Printf("\nCreateAccountAssignment -> SUCCEEDED at %d/s for %s (polled after 10, 20, 40 ms, then every 50 ms): %d calls, %d failed, p50 %s, p90 %s, p99 %s, max %s\n",
		rate, dur, calls.Load(), failed, ms(hist.Percentile(50)), ms(hist.Percentile(90)), ms(hist.Percentile(99)), ms(hist.Max()))
	for _, why := range slices.Sorted(maps.Keys(failures)) {
		fmt.Printf("  failed: %d x %s\n", failures[why], why)
	}
	return nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func stringDoc(s string) document.Interface { return document.NewLazyDocument(s) }
