package report

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/store"
)

// Names are the reports, as `idcenter report` names them.
var Names = []string{"instances", "access", "duplicates", "offboarding"}

// Options choose what a report covers.
type Options struct {
	OrgID string // the organization; "" for the only one there is
	Email string // offboarding: an email of the departing person
}

// Run computes the report called name over the data q reads.
func Run(ctx context.Context, q store.Q, name string, o Options) (*Table, error) {
	const op = "report"
	org, err := Organization(ctx, q, o.OrgID)
	if err != nil {
		return nil, err
	}
	var t *Table
	switch name {
	case "instances":
		t, err = Instances(ctx, q, org.ID)
	case "access":
		t, err = Access(ctx, q, org.ID)
	case "duplicates":
		t, err = Duplicates(ctx, q, org.ID)
	case "offboarding":
		if strings.TrimSpace(o.Email) == "" {
			return nil, errs.E(op, errs.Invalid, "the offboarding report needs the person's email (--email)")
		}
		t, err = Offboarding(ctx, q, org.ID, strings.TrimSpace(o.Email))
	default:
		return nil, errs.Ef(op, errs.Invalid, "unknown report %q (the reports are %s)", name, strings.Join(Names, ", "))
	}
	return t, errs.Wrap(op, err)
}

// Organization returns the organization id names, or the only one when id
// is "".
func Organization(ctx context.Context, q store.Q, id string) (*store.Organization, error) {
	const op = "report"
	if id != "" {
		o, err := q.Organization(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return nil, errs.Ef(op, errs.NotFound, "no organization %s", id)
		}
		return o, errs.Wrap(op, err)
	}
	orgs, err := q.Organizations(ctx)
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	switch len(orgs) {
	case 0:
		return nil, errs.E(op, errs.NotFound, "no organization yet: start the server once (idcenter serve) to create it")
	case 1:
		return orgs[0], nil
	}
	ids := make([]string, len(orgs))
	for i, o := range orgs {
		ids[i] = o.ID
	}
	return nil, errs.Ef(op, errs.Invalid, "there are several organizations (%s): choose one with --org", strings.Join(ids, ", "))
}

// page is how many rows a paged read asks for at once.
const page = 1000

// orgInstances lists the instances of an organization: its organization
// instance and its member accounts' account instances.
func orgInstances(ctx context.Context, q store.Q, orgID string) ([]*store.Instance, error) {
	var out []*store.Instance
	after := ""
	for {
		list, err := q.InstancesAfter(ctx, orgID, "", after, page)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
		if len(list) < page {
			return out, nil
		}
		after = list[len(list)-1].Arn
	}
}

// orgAccounts lists the accounts of an organization, by id.
func orgAccounts(ctx context.Context, q store.Q, orgID string) ([]*store.Account, error) {
	var out []*store.Account
	after := ""
	for {
		list, err := q.AccountsAfter(ctx, orgID, after, page)
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
		if len(list) < page {
			return out, nil
		}
		after = list[len(list)-1].ID
	}
}

// userAttrs are the attributes of a user the reports show.
type userAttrs struct {
	UserName    string
	DisplayName string
	Emails      []struct{ Value string }
}

func parseUser(u *store.User) userAttrs {
	var a userAttrs
	json.Unmarshal(u.Doc, &a) // a document the directory wrote; a bad one shows no names
	return a
}

func groupName(g *store.Group) string {
	var a struct{ DisplayName string }
	json.Unmarshal(g.Doc, &a)
	return a.DisplayName
}

// names reads the user names and group display names of the ids given per
// identity store: key store+"/"+id.
func names(ctx context.Context, q store.Q, users, groups map[string][]string) (map[string]string, error) {
	out := map[string]string{}
	for storeID, ids := range users {
		list, err := q.UsersByID(ctx, storeID, ids)
		if err != nil {
			return nil, err
		}
		for _, u := range list {
			out[u.StoreID+"/"+u.ID] = parseUser(u).UserName
		}
	}
	for storeID, ids := range groups {
		list, err := q.GroupsByID(ctx, storeID, ids)
		if err != nil {
			return nil, err
		}
		for _, g := range list {
			out[g.StoreID+"/"+g.ID] = groupName(g)
		}
	}
	return out, nil
}
