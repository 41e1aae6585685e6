package permset_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/auth"
	"github.com/idcenter/idcenter/internal/permset"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/testenv"
)

// TestDeletePermSetsOfInstance drives the domain directly (as the
// management account) and checks that the store forgets everything of an
// instance, roles included, and nothing of another.
func TestDeletePermSetsOfInstance(t *testing.T) {
	testenv.Backends(t, func(t *testing.T, e *testenv.Env) {
		o := e.Boot.Org
		ctx := auth.WithCaller(context.Background(), &auth.Caller{AccountID: o.ManagementAccountID, Arn: "arn:aws:iam::" + o.ManagementAccountID + ":root",
			Type: "Root", OrgID: o.ID, Management: true})
		sets, inst := e.Server.PermSets, e.InstanceArn()
		ps, err := sets.Create(ctx, permset.NewSet{InstanceArn: inst, Name: "Gone", Tags: []store.Tag{{Key: "k", Value: "v"}}})
		must(t, err)
		must(t, sets.AttachManagedPolicy(ctx, inst, ps.Arn, "arn:aws:iam::aws:policy/ReadOnlyAccess"))
		account := e.MemberAccount("target").AccountID
		group := &store.Group{StoreID: e.StoreID(), ID: "0123456789-aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee", NameKey: "g", Doc: []byte("{}")}
		must(t, e.Store.Write(ctx, func(tx *store.Tx) error { return tx.InsertGroup(ctx, group) }))
		r, err := sets.CreateAssignment(ctx, permset.Assignment{InstanceArn: inst, TargetID: account, TargetType: permset.TargetAccount,
			PermissionSetArn: ps.Arn, PrincipalType: permset.PrincipalGroup, PrincipalID: group.ID})
		must(t, err)
		deadline := time.Now().Add(10 * time.Second)
		for r.Status == permset.StatusInProgress {
			if time.Now().After(deadline) {
				t.Fatal("assignment still in progress")
			}
			time.Sleep(10 * time.Millisecond)
			r, err = sets.CreationStatus(ctx, inst, r.RequestID)
			must(t, err)
		}
		if r.Status != permset.StatusSucceeded {
			t.Fatalf("assignment %+v", r)
		}
		role, _, err := sets.RoleOf(ctx, ps.Arn, account)
		must(t, err)
		keep := &store.Role{AccountID: account, Name: "Unrelated", RoleID: "AROAUNRELATED", Created: time.Now()}
		must(t, e.Store.Write(ctx, func(tx *store.Tx) error { return tx.InsertRole(ctx, keep) }))

		must(t, e.Store.Write(ctx, func(tx *store.Tx) error { return tx.DeletePermSetsOfInstance(ctx, inst) }))
		q := e.Store.R()
		if _, err := q.PermissionSet(ctx, ps.Arn); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("permission set: %v", err)
		}
		if _, err := q.Role(ctx, account, role); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("provisioned role: %v", err)
		}
		if _, err := q.RolePolicies(ctx, account, role); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("role policies: %v", err)
		}
		if _, err := q.Role(ctx, account, keep.Name); err != nil {
			t.Fatalf("unrelated role: %v", err)
		}
		if tags, err := q.Tags(ctx, ps.Arn); err != nil || len(tags) != 0 {
			t.Fatalf("tags %v %v", tags, err)
		}
		if n, err := q.CountAssignments(ctx, ps.Arn, ""); err != nil || n != 0 {
			t.Fatalf("assignments %d %v", n, err)
		}
		if n, err := q.CountAttachedPolicies(ctx, ps.Arn); err != nil || n != 0 {
			t.Fatalf("policies %d %v", n, err)
		}
		if _, err := q.PermSetRequest(ctx, r.RequestID); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("request: %v", err)
		}
	})
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
