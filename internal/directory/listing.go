package directory

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/idcenter/idcenter/internal/errs"
	m "github.com/idcenter/idcenter/internal/model/identitystore"
	"github.com/idcenter/idcenter/internal/pagetoken"
	"github.com/idcenter/idcenter/internal/store"
)

// The list operations (ListUsers, ListGroups, ListGroupMemberships and
// ListGroupMembershipsForMember) page by id: a NextToken names the last id
// of the page before, sealed to the listing it belongs to (its scope: the
// operation, the identity store, and the filter or the group or member).

// pageSize is the page size when MaxResults is not given.
const pageSize = 100

// listing is a ListUsers or ListGroups call once checked: the folded value
// of its filter ("" without one), its token's scope, the id its page starts
// after and the page's size.
type listing struct {
	nameKey, scope, after string
	n                     int
}

// startListing opens the identity store for reading and checks a ListUsers
// or ListGroups call: at most one filter, on attr alone, and a NextToken of
// the same listing.
func (s *Service) startListing(ctx context.Context, op, storeID string, filters []m.Filter, attr string, token *string, max *int32) (*listing, error) {
	if _, _, err := s.open(ctx, op, storeID, read); err != nil {
		return nil, err
	}
	nameKey, err := filterKey(op, filters, attr)
	if err != nil {
		return nil, err
	}
	l := &listing{nameKey: nameKey, scope: op + "/" + storeID + "/" + nameKey}
	if l.after, l.n, err = pageStart(op, l.scope, token, max); err != nil {
		return nil, err
	}
	return l, nil
}

// pageStart returns the id a page of the listing scope starts after (from
// its NextToken, "" without one) and the page's size (MaxResults).
func pageStart(op, scope string, token *string, max *int32) (after string, n int, err error) {
	after, err = pagetoken.Decode(scope, str(token))
	if err != nil {
		return "", 0, errs.E(op, errs.Invalid, "The NextToken is invalid or expired. Start the listing again without it.")
	}
	if max == nil {
		return after, pageSize, nil
	}
	return after, int(*max), nil
}

// filterKey returns the folded value of the one filter allowed on attr, or
// "" when there is no filter.
func filterKey(op string, filters []m.Filter, attr string) (string, error) {
	if len(filters) == 0 {
		return "", nil
	}
	if len(filters) > 1 {
		return "", errs.E(op, errs.Invalid, "Only one filter is supported")
	}
	if !strings.EqualFold(*filters[0].AttributePath, attr) {
		return "", errs.Ef(op, errs.Invalid, "Invalid filter AttributePath %s: only %s is supported", *filters[0].AttributePath, attr)
	}
	return key(*filters[0].AttributeValue), nil
}

// docPage joins the documents of the first n items of list (read with one
// more, which tells that more follow); doc gives an item's id and document.
func docPage[T any](list []T, n int, doc func(T) (string, []byte, error)) (*store.DocPage, error) {
	page := &store.DocPage{More: len(list) > n}
	var b strings.Builder
	for i, x := range list[:min(n, len(list))] {
		id, d, err := doc(x)
		if err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(d)
		page.N, page.Last = i+1, id
	}
	page.Docs = b.String()
	return page, nil
}

// pageJSON is a list answer (users, groups, memberships): the page's
// documents as the array member, and a NextToken after its last document
// when more follow.
func pageJSON(member, scope string, page *store.DocPage) *json.RawMessage {
	b := make([]byte, 0, len(page.Docs)+len(member)+128)
	b = append(b, `{"`...)
	b = append(b, member...)
	b = append(b, `":[`...)
	b = append(b, page.Docs...)
	b = append(b, ']')
	if page.More {
		b = append(b, `,"NextToken":`...)
		t, _ := json.Marshal(pagetoken.Encode(scope, page.Last))
		b = append(b, t...)
	}
	b = append(b, '}')
	raw := json.RawMessage(b)
	return &raw
}
