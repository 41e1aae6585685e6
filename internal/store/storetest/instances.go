package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// instanceTests cover instances, their Regions, tags and client tokens.
var instanceTests = []test{
	{"InstanceRoundTrip", testInstanceRoundTrip},
	{"InstanceUnique", testInstanceUnique},
	{"UpdateInstance", testUpdateInstance},
	{"SetInstanceStatus", testSetInstanceStatus},
	{"InstancesAfter", testInstancesAfter},
	{"InstancesInStatus", testInstancesInStatus},
	{"DeleteInstance", testDeleteInstance},
	{"Regions", testRegions},
	{"RegionStatus", testRegionStatus},
	{"RegionsInStatus", testRegionsInStatus},
	{"Tags", testTags},
	{"ClientTokens", testClientTokens},
}

// instance returns an ACTIVE instance with every field set.
func instance(n int, kind, owner, org string) *store.Instance {
	return &store.Instance{
		Arn:                   fmt.Sprintf("arn:aws:sso:::instance/ssoins-%016x", n),
		IdentityStoreID:       fmt.Sprintf("d-%010x", n),
		OwnerAccountID:        owner,
		OrgID:                 org,
		Kind:                  kind,
		Name:                  fmt.Sprintf("instance %d", n),
		Status:                "ACTIVE",
		StatusReason:          "",
		Region:                "eu-west-1",
		PermissionSetsEnabled: kind == "ORGANIZATION",
		Encryption:            `{"KeyType":"AWS_OWNED_KMS_KEY"}`,
		ABAC:                  `{"AccessControlAttributes":[]}`,
		ABACStatus:            "ENABLED",
		ABACReason:            "",
		Created:               at(n % 60),
		Updated:               at((n + 1) % 60),
	}
}

func insertInstances(t *testing.T, s *store.Store, list ...*store.Instance) {
	t.Helper()
	write(t, s, func(tx *store.Tx) error {
		for _, in := range list {
			if err := tx.InsertInstance(t.Context(), in); err != nil {
				return err
			}
		}
		return nil
	})
}

// storedInstance is in as the store gives it back.
func storedInstance(in *store.Instance) *store.Instance {
	out := *in
	out.Created, out.Updated = stored(in.Created), stored(in.Updated)
	return &out
}

func testInstanceRoundTrip(t *testing.T, s *store.Store) {
	ctx := t.Context()
	orgIn := instance(1, "ORGANIZATION", "111111111111", "o-aaaaaaaaaa")
	acctIn := instance(2, "ACCOUNT", "222222222222", "")
	acctIn.Name, acctIn.Encryption, acctIn.ABAC, acctIn.ABACStatus = "", "", "", ""
	acctIn.Status, acctIn.StatusReason = "CREATE_FAILED", "quota exceeded"
	zeroUpdated := instance(3, "ACCOUNT", "333333333333", "o-aaaaaaaaaa")
	zeroUpdated.Updated = time.Time{}
	insertInstances(t, s, orgIn, acctIn, zeroUpdated)
	for _, in := range []*store.Instance{orgIn, acctIn, zeroUpdated} {
		got, err := s.R().Instance(ctx, in.Arn)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "Instance", got, storedInstance(in))
		got, err = s.R().InstanceByStore(ctx, in.IdentityStoreID)
		if err != nil {
			t.Fatal(err)
		}
		same(t, "InstanceByStore", got, storedInstance(in))
	}
	_, err := s.R().Instance(ctx, "arn:aws:sso:::instance/ssoins-missing")
	wantNotFound(t, "Instance of a missing ARN", err)
	_, err = s.R().InstanceByStore(ctx, "d-missing")
	wantNotFound(t, "InstanceByStore of a missing store", err)

	got, err := s.R().AccountInstance(ctx, "222222222222")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "AccountInstance", got, storedInstance(acctIn))
	// The organization instance is not its owner's account instance.
	_, err = s.R().AccountInstance(ctx, "111111111111")
	wantNotFound(t, "AccountInstance of the organization instance's owner", err)
	_, err = s.R().AccountInstance(ctx, "999999999999")
	wantNotFound(t, "AccountInstance of an account without one", err)
}

func testInstanceUnique(t *testing.T, s *store.Store) {
	ctx := t.Context()
	const org = "o-aaaaaaaaaa"
	orgIn := instance(1, "ORGANIZATION", "111111111111", org)
	acctIn := instance(2, "ACCOUNT", "222222222222", org)
	insertInstances(t, s, orgIn, acctIn)
	insert := func(in *store.Instance) error {
		return s.Write(ctx, func(tx *store.Tx) error { return tx.InsertInstance(ctx, in) })
	}

	dup := instance(10, "ACCOUNT", "333333333333", "")
	dup.Arn = acctIn.Arn
	wantConstraint(t, "InsertInstance of a taken ARN", insert(dup), "instances_pkey")
	dup = instance(11, "ACCOUNT", "333333333333", "")
	dup.IdentityStoreID = orgIn.IdentityStoreID
	wantConstraint(t, "InsertInstance of a taken identity store id", insert(dup), "instances_store")
	wantConstraint(t, "a second organization instance in an organization",
		insert(instance(12, "ORGANIZATION", "444444444444", org)), "instances_one_org")
	wantConstraint(t, "a second account instance of an account",
		insert(instance(13, "ACCOUNT", "222222222222", org)), "instances_one_per_account")

	// What the partial indexes allow: account instances in an organization
	// with an organization instance, an account instance of the management
	// account, and organization instances of other organizations.
	insertInstances(t, s,
		instance(14, "ACCOUNT", "555555555555", org),
		instance(15, "ACCOUNT", "111111111111", org),
		instance(16, "ORGANIZATION", "666666666666", "o-bbbbbbbbbb"))
	for _, n := range []int{10, 11, 12, 13} {
		_, err := s.R().Instance(ctx, instance(n, "", "", "").Arn)
		wantNotFound(t, "a refused instance", err)
	}
}

func testUpdateInstance(t *testing.T, s *store.Store) {
	ctx := t.Context()
	in := instance(1, "ACCOUNT", "222222222222", "o-aaaaaaaaaa")
	other := instance(2, "ACCOUNT", "333333333333", "o-aaaaaaaaaa")
	insertInstances(t, s, in, other)

	up := *in
	up.Name, up.Status, up.StatusReason = "renamed", "DELETE_IN_PROGRESS", "deleting"
	up.PermissionSetsEnabled, up.Encryption, up.ABAC, up.ABACStatus, up.ABACReason = true, `{"KeyType":"CUSTOMER_MANAGED_KEY"}`, "", "DISABLED", "turned off"
	up.Updated = at(42)
	// The identity of an instance does not change.
	up.IdentityStoreID, up.OwnerAccountID, up.OrgID, up.Kind, up.Region, up.Created = "d-changed", "999999999999", "o-changed", "ORGANIZATION", "ap-south-1", at(59)
	write(t, s, func(tx *store.Tx) error { return tx.UpdateInstance(ctx, &up) })

	want := up
	want.IdentityStoreID, want.OwnerAccountID, want.OrgID, want.Kind, want.Region, want.Created = in.IdentityStoreID, in.OwnerAccountID, in.OrgID, in.Kind, in.Region, in.Created
	got, err := s.R().Instance(ctx, in.Arn)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "the updated instance", got, storedInstance(&want))
	got, err = s.R().Instance(ctx, other.Arn)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "another instance", got, storedInstance(other))

	missing := *in
	missing.Arn = "arn:aws:sso:::instance/ssoins-missing"
	err = s.Write(ctx, func(tx *store.Tx) error { return tx.UpdateInstance(ctx, &missing) })
	wantNotFound(t, "UpdateInstance of a missing instance", err)
}

func testSetInstanceStatus(t *testing.T, s *store.Store) {
	ctx := t.Context()
	in := instance(1, "ACCOUNT", "222222222222", "")
	in.Status = "CREATE_IN_PROGRESS"
	insertInstances(t, s, in)

	err := s.Write(ctx, func(tx *store.Tx) error {
		return tx.SetInstanceStatus(ctx, in.Arn, "DELETE_IN_PROGRESS", "ACTIVE", "", at(30))
	})
	wantNotFound(t, "SetInstanceStatus from a status the instance is not in", err)
	got, _ := s.R().Instance(ctx, in.Arn)
	same(t, "the instance after a refused SetInstanceStatus", got, storedInstance(in))

	write(t, s, func(tx *store.Tx) error {
		return tx.SetInstanceStatus(ctx, in.Arn, "CREATE_IN_PROGRESS", "CREATE_FAILED", "no capacity", at(31))
	})
	want := *in
	want.Status, want.StatusReason, want.Updated = "CREATE_FAILED", "no capacity", at(31)
	got, err = s.R().Instance(ctx, in.Arn)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "the instance after SetInstanceStatus", got, storedInstance(&want))
	// The second of two workers doing the same move finds it done.
	err = s.Write(ctx, func(tx *store.Tx) error {
		return tx.SetInstanceStatus(ctx, in.Arn, "CREATE_IN_PROGRESS", "CREATE_FAILED", "no capacity", at(32))
	})
	wantNotFound(t, "SetInstanceStatus repeated", err)
	err = s.Write(ctx, func(tx *store.Tx) error {
		return tx.SetInstanceStatus(ctx, "arn:aws:sso:::instance/ssoins-missing", "ACTIVE", "DELETE_IN_PROGRESS", "", at(33))
	})
	wantNotFound(t, "SetInstanceStatus of a missing instance", err)
}

func instanceArns(list []*store.Instance) []string {
	out := []string{}
	for _, in := range list {
		out = append(out, in.Arn)
	}
	return out
}

func testInstancesAfter(t *testing.T, s *store.Store) {
	ctx := t.Context()
	const org = "o-aaaaaaaaaa"
	// Inserted out of order: 5, 1, 4, 2, 3 in the organization.
	insertInstances(t, s,
		instance(5, "ACCOUNT", "555555555555", org),
		instance(1, "ORGANIZATION", "111111111111", org),
		instance(4, "ACCOUNT", "444444444444", org),
		instance(2, "ACCOUNT", "222222222222", org),
		instance(3, "ACCOUNT", "111111111111", org),
		instance(6, "ORGANIZATION", "666666666666", "o-bbbbbbbbbb"),
		instance(7, "ACCOUNT", "777777777777", ""),
	)
	arn := func(n int) string { return instance(n, "", "", "").Arn }
	pages := pageAll(t, 2, func(after string, limit int) ([]string, error) {
		list, err := s.R().InstancesAfter(ctx, org, "", after, limit)
		return instanceArns(list), err
	})
	same(t, "InstancesAfter of an organization", pages, [][]string{{arn(1), arn(2)}, {arn(3), arn(4)}, {arn(5)}})

	// Without an organization, the instances one account owns.
	list, err := s.R().InstancesAfter(ctx, "", "111111111111", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "InstancesAfter of an owner", instanceArns(list), []string{arn(1), arn(3)})
	list, err = s.R().InstancesAfter(ctx, "", "111111111111", arn(1), 10)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "InstancesAfter of an owner after its first", instanceArns(list), []string{arn(3)})
	list, err = s.R().InstancesAfter(ctx, "", "777777777777", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "InstancesAfter of a standalone owner", instanceArns(list), []string{arn(7)})
	list, err = s.R().InstancesAfter(ctx, "o-cccccccccc", "", "", 10)
	if err != nil || len(list) != 0 {
		t.Fatalf("InstancesAfter of an organization without instances: %v, %v", list, err)
	}
}

func testInstancesInStatus(t *testing.T, s *store.Store) {
	ctx := t.Context()
	var all []*store.Instance
	for n, created := range []int{30, 10, 50, 20, 40} {
		in := instance(n+1, "ACCOUNT", fmt.Sprintf("%012d", n+1), "")
		in.Status, in.Created = "CREATE_IN_PROGRESS", at(created)
		all = append(all, in)
	}
	active := instance(9, "ACCOUNT", "999999999999", "")
	active.Created = at(0)
	insertInstances(t, s, append(all, active)...)
	list, err := s.R().InstancesInStatus(ctx, "CREATE_IN_PROGRESS", 3)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "InstancesInStatus, oldest first", instanceArns(list), []string{all[1].Arn, all[3].Arn, all[0].Arn})
	same(t, "InstancesInStatus's first", list[0], storedInstance(all[1]))
	list, err = s.R().InstancesInStatus(ctx, "DELETE_IN_PROGRESS", 3)
	if err != nil || len(list) != 0 {
		t.Fatalf("InstancesInStatus of an unused status: %v, %v", list, err)
	}
}

func testDeleteInstance(t *testing.T, s *store.Store) {
	ctx := t.Context()
	gone := instance(1, "ACCOUNT", "111111111111", "")
	kept := instance(2, "ACCOUNT", "222222222222", "")
	insertInstances(t, s, gone, kept)
	for _, in := range []*store.Instance{gone, kept} {
		fillStore(t, s, in.IdentityStoreID)
		write(t, s, func(tx *store.Tx) error {
			if err := tx.PutRegion(ctx, &store.Region{InstanceArn: in.Arn, Region: "eu-west-1", Status: "ACTIVE", Primary: true, Added: at(0)}); err != nil {
				return err
			}
			if err := tx.InsertRegion(ctx, &store.Region{InstanceArn: in.Arn, Region: "us-east-1", Status: "ADDING", Added: at(1)}); err != nil {
				return err
			}
			return tx.PutTag(ctx, in.Arn, store.Tag{Key: "team", Value: "a"})
		})
	}
	write(t, s, func(tx *store.Tx) error { return tx.DeleteInstance(ctx, gone.Arn, gone.IdentityStoreID) })

	_, err := s.R().Instance(ctx, gone.Arn)
	wantNotFound(t, "a deleted instance", err)
	_, err = s.R().InstanceByStore(ctx, gone.IdentityStoreID)
	wantNotFound(t, "a deleted instance by its store", err)
	checkStore(t, s, gone.IdentityStoreID, false)
	checkStore(t, s, kept.IdentityStoreID, true)
	for _, in := range []*store.Instance{gone, kept} {
		regions, err := s.R().Regions(ctx, in.Arn)
		if err != nil {
			t.Fatal(err)
		}
		tags, err := s.R().Tags(ctx, in.Arn)
		if err != nil {
			t.Fatal(err)
		}
		if in == gone && (len(regions) != 0 || len(tags) != 0) {
			t.Fatalf("a deleted instance kept Regions %s and tags %v", show(regions), tags)
		}
		if in == kept && (len(regions) != 2 || len(tags) != 1) {
			t.Fatalf("deleting an instance changed another's Regions %s or tags %v", show(regions), tags)
		}
	}
	err = s.Write(ctx, func(tx *store.Tx) error { return tx.DeleteInstance(ctx, gone.Arn, gone.IdentityStoreID) })
	wantNotFound(t, "DeleteInstance of a missing instance", err)
}

func testRegions(t *testing.T, s *store.Store) {
	ctx := t.Context()
	in := instance(1, "ORGANIZATION", "111111111111", "o-aaaaaaaaaa")
	insertInstances(t, s, in)
	_, err := s.R().Region(ctx, in.Arn, "eu-west-1")
	wantNotFound(t, "Region of an instance without it", err)
	if list, err := s.R().Regions(ctx, in.Arn); err != nil || len(list) != 0 {
		t.Fatalf("Regions of an instance without any: %v, %v", list, err)
	}

	primary := &store.Region{InstanceArn: in.Arn, Region: "eu-west-1", Status: "ACTIVE", Primary: true, Added: at(0)}
	names := []string{"us-west-2", "ap-south-1", "us-east-1", "ap-southeast-2", "eu-central-1"}
	write(t, s, func(tx *store.Tx) error {
		if err := tx.PutRegion(ctx, primary); err != nil {
			return err
		}
		for i, name := range names {
			if err := tx.InsertRegion(ctx, &store.Region{InstanceArn: in.Arn, Region: name, Status: "ADDING", Added: at(i + 1)}); err != nil {
				return err
			}
		}
		return nil
	})
	want := *primary
	want.Added = stored(primary.Added)
	got, err := s.R().Region(ctx, in.Arn, "eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "Region", got, &want)
	second, err := s.R().Region(ctx, in.Arn, "us-west-2")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "an added Region", second, &store.Region{InstanceArn: in.Arn, Region: "us-west-2", Status: "ADDING", Added: stored(at(1))})

	sorted := []string{"ap-south-1", "ap-southeast-2", "eu-central-1", "eu-west-1", "us-east-1", "us-west-2"}
	all, err := s.R().Regions(ctx, in.Arn)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "Regions, by name", regionNames(all), sorted)
	pages := pageAll(t, 4, func(after string, limit int) ([]string, error) {
		list, err := s.R().RegionsAfter(ctx, in.Arn, after, limit)
		return regionNames(list), err
	})
	same(t, "RegionsAfter pages", pages, [][]string{sorted[:4], sorted[4:]})

	err = s.Write(ctx, func(tx *store.Tx) error {
		return tx.InsertRegion(ctx, &store.Region{InstanceArn: in.Arn, Region: "us-east-1", Status: "ADDING", Added: at(9)})
	})
	wantConstraint(t, "InsertRegion of a Region the instance has", err, "instance_regions_pkey")

	// PutRegion replaces the status and the primary flag of a Region.
	write(t, s, func(tx *store.Tx) error {
		return tx.PutRegion(ctx, &store.Region{InstanceArn: in.Arn, Region: "eu-west-1", Status: "REMOVING", Primary: false, Added: at(0)})
	})
	got, err = s.R().Region(ctx, in.Arn, "eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "REMOVING" || got.Primary {
		t.Fatalf("after PutRegion over a Region: %+v", got)
	}

	write(t, s, func(tx *store.Tx) error { return tx.DeleteRegion(ctx, in.Arn, "ap-south-1") })
	_, err = s.R().Region(ctx, in.Arn, "ap-south-1")
	wantNotFound(t, "a deleted Region", err)
	err = s.Write(ctx, func(tx *store.Tx) error { return tx.DeleteRegion(ctx, in.Arn, "ap-south-1") })
	wantNotFound(t, "DeleteRegion of a missing Region", err)
}

func regionNames(list []*store.Region) []string {
	out := []string{}
	for _, r := range list {
		out = append(out, r.Region)
	}
	return out
}

func testRegionStatus(t *testing.T, s *store.Store) {
	ctx := t.Context()
	in := instance(1, "ORGANIZATION", "111111111111", "o-aaaaaaaaaa")
	insertInstances(t, s, in)
	write(t, s, func(tx *store.Tx) error {
		return tx.InsertRegion(ctx, &store.Region{InstanceArn: in.Arn, Region: "us-east-1", Status: "ADDING", Added: at(1)})
	})
	status := func() string {
		t.Helper()
		r, err := s.R().Region(ctx, in.Arn, "us-east-1")
		if err != nil {
			t.Fatal(err)
		}
		return r.Status
	}
	err := s.Write(ctx, func(tx *store.Tx) error { return tx.SetRegionStatus(ctx, in.Arn, "us-east-1", "REMOVING", "ACTIVE") })
	wantNotFound(t, "SetRegionStatus from a status the Region is not in", err)
	if got := status(); got != "ADDING" {
		t.Fatalf("a refused SetRegionStatus changed the status to %s", got)
	}
	write(t, s, func(tx *store.Tx) error { return tx.SetRegionStatus(ctx, in.Arn, "us-east-1", "ADDING", "ACTIVE") })
	if got := status(); got != "ACTIVE" {
		t.Fatalf("after SetRegionStatus: %s", got)
	}
	err = s.Write(ctx, func(tx *store.Tx) error { return tx.SetRegionStatus(ctx, in.Arn, "eu-north-1", "ADDING", "ACTIVE") })
	wantNotFound(t, "SetRegionStatus of a missing Region", err)

	err = s.Write(ctx, func(tx *store.Tx) error { return tx.DeleteRegionInStatus(ctx, in.Arn, "us-east-1", "REMOVING") })
	wantNotFound(t, "DeleteRegionInStatus of a Region in another status", err)
	if got := status(); got != "ACTIVE" {
		t.Fatalf("a refused DeleteRegionInStatus changed the Region: %s", got)
	}
	write(t, s, func(tx *store.Tx) error { return tx.SetRegionStatus(ctx, in.Arn, "us-east-1", "ACTIVE", "REMOVING") })
	write(t, s, func(tx *store.Tx) error { return tx.DeleteRegionInStatus(ctx, in.Arn, "us-east-1", "REMOVING") })
	_, err = s.R().Region(ctx, in.Arn, "us-east-1")
	wantNotFound(t, "a Region after DeleteRegionInStatus", err)
}

func testRegionsInStatus(t *testing.T, s *store.Store) {
	ctx := t.Context()
	a := instance(1, "ACCOUNT", "111111111111", "")
	b := instance(2, "ACCOUNT", "222222222222", "")
	insertInstances(t, s, a, b)
	write(t, s, func(tx *store.Tx) error {
		for _, r := range []*store.Region{
			{InstanceArn: a.Arn, Region: "us-east-1", Status: "ADDING", Added: at(30)},
			{InstanceArn: b.Arn, Region: "us-east-1", Status: "ADDING", Added: at(10)},
			{InstanceArn: a.Arn, Region: "eu-west-1", Status: "ADDING", Added: at(20)},
			{InstanceArn: b.Arn, Region: "eu-west-1", Status: "ACTIVE", Added: at(0)},
			{InstanceArn: a.Arn, Region: "ap-south-1", Status: "REMOVING", Added: at(5)},
		} {
			if err := tx.InsertRegion(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	list, err := s.R().RegionsInStatus(ctx, "ADDING", 2)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "RegionsInStatus, oldest first", list, []*store.Region{
		{InstanceArn: b.Arn, Region: "us-east-1", Status: "ADDING", Added: stored(at(10))},
		{InstanceArn: a.Arn, Region: "eu-west-1", Status: "ADDING", Added: stored(at(20))},
	})
	list, err = s.R().RegionsInStatus(ctx, "REMOVING", 10)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "RegionsInStatus REMOVING", regionNames(list), []string{"ap-south-1"})
}

func testTags(t *testing.T, s *store.Store) {
	ctx := t.Context()
	const arn, other = "arn:aws:sso:::instance/ssoins-0000000000000001", "arn:aws:sso:::instance/ssoins-0000000000000002"
	if tags, err := s.R().Tags(ctx, arn); err != nil || len(tags) != 0 {
		t.Fatalf("Tags of an untagged resource: %v, %v", tags, err)
	}
	write(t, s, func(tx *store.Tx) error {
		for _, tag := range tagList("team", "a", "Zeta", "z", "alpha", "", "cost-center", "42", "team", "b") {
			if err := tx.PutTag(ctx, arn, tag); err != nil {
				return err
			}
		}
		return tx.PutTag(ctx, other, store.Tag{Key: "team", Value: "other"})
	})
	tags, err := s.R().Tags(ctx, arn)
	if err != nil {
		t.Fatal(err)
	}
	// By key, in byte order; the second PutTag of a key replaced its value.
	same(t, "Tags", tags, tagList("Zeta", "z", "alpha", "", "cost-center", "42", "team", "b"))

	write(t, s, func(tx *store.Tx) error {
		if err := tx.DeleteTag(ctx, arn, "alpha"); err != nil {
			return err
		}
		return tx.DeleteTag(ctx, arn, "never-set")
	})
	tags, err = s.R().Tags(ctx, arn)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "Tags after DeleteTag", tags, tagList("Zeta", "z", "cost-center", "42", "team", "b"))
	tags, err = s.R().Tags(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	same(t, "Tags of another resource", tags, tagList("team", "other"))
}

func testClientTokens(t *testing.T, s *store.Store) {
	ctx := t.Context()
	const scope = "sso:CreateInstance/111111111111"
	_, err := s.R().ClientTokenOf(ctx, scope, "tok")
	wantNotFound(t, "ClientTokenOf a missing token", err)
	tok := &store.ClientToken{Scope: scope, Token: "tok", RequestHash: "hash-1", Resource: "arn:1", Created: at(5)}
	write(t, s, func(tx *store.Tx) error {
		for _, c := range []*store.ClientToken{
			tok,
			{Scope: "sso:CreateInstance/222222222222", Token: "tok", RequestHash: "hash-2", Resource: "arn:2", Created: at(6)},
			{Scope: scope, Token: "tok-b", RequestHash: "hash-3", Resource: "arn:1", Created: at(7)},
			{Scope: scope, Token: "tok-c", RequestHash: "hash-4", Resource: "arn:3", Created: at(8)},
		} {
			if err := tx.InsertClientToken(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	want := *tok
	want.Created = stored(tok.Created)
	got, err := s.R().ClientTokenOf(ctx, scope, "tok")
	if err != nil {
		t.Fatal(err)
	}
	same(t, "ClientTokenOf", got, &want)
	got, err = s.R().ClientTokenOf(ctx, "sso:CreateInstance/222222222222", "tok")
	if err != nil || got.Resource != "arn:2" {
		t.Fatalf("the same token in another scope: %+v, %v", got, err)
	}
	dup := *tok
	dup.RequestHash = "other"
	err = s.Write(ctx, func(tx *store.Tx) error { return tx.InsertClientToken(ctx, &dup) })
	wantConstraint(t, "InsertClientToken of a token the scope has", err, "client_tokens_pkey")

	write(t, s, func(tx *store.Tx) error { return tx.DeleteClientTokens(ctx, "arn:1") })
	for _, tk := range []string{"tok", "tok-b"} {
		_, err = s.R().ClientTokenOf(ctx, scope, tk)
		wantNotFound(t, "a token of a resource after DeleteClientTokens", err)
	}
	if _, err := s.R().ClientTokenOf(ctx, scope, "tok-c"); err != nil {
		t.Fatalf("a token of another resource after DeleteClientTokens: %v", err)
	}
	write(t, s, func(tx *store.Tx) error { return tx.DeleteClientTokens(ctx, "arn:none") })
}

// tagList makes tags of key, value pairs.
func tagList(kv ...string) []store.Tag {
	var out []store.Tag
	for i := 0; i < len(kv); i += 2 {
		out = append(out, store.Tag{Key: kv[i], Value: kv[i+1]})
	}
	return out
}
