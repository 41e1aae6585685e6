package directory

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/idcenter/idcenter/internal/awsshape"
	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/ids"
	m "github.com/idcenter/idcenter/internal/model/identitystore"
	"github.com/idcenter/idcenter/internal/store"
)

// EnterpriseExtension is the one user extension AWS supports.
const EnterpriseExtension = "aws:identitystore:enterprise"

// CreateUser adds a user to an identity store.
func (s *Service) CreateUser(ctx context.Context, in *m.CreateUserRequest) (*m.CreateUserResponse, error) {
	const op = "CreateUser"
	inst, c, err := s.open(ctx, op, *in.IdentityStoreId, write)
	if err != nil {
		return nil, err
	}
	var u m.User
	if err := convert(in, &u); err != nil {
		return nil, errs.Wrap(op, err)
	}
	u.IdentityStoreId, u.UserId = in.IdentityStoreId, ptr(ids.ResourceID(inst.IdentityStoreID))
	u.UserStatus = ptr(m.UserStatusEnabled)
	rec, err := s.checkUser(op, &u)
	if err != nil {
		return nil, err
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		stamp(&u.CreatedAt, &u.CreatedBy, tx, c.Arn)
		u.UpdatedAt, u.UpdatedBy = u.CreatedAt, u.CreatedBy
		rec.Created, rec.Updated = tx.Now, tx.Now
		if rec.Doc, err = json.Marshal(&u); err != nil {
			return err
		}
		added, err := tx.AddUser(ctx, rec)
		if err != nil || added {
			return storeErr(op, err, "Duplicate UserName or Email")
		}
		// Something is taken: say what, as the checks before an update do.
		if err := uniqueUser(ctx, tx, op, rec, ""); err != nil {
			return err
		}
		return conflict(op, "Duplicate UserName or Email")
	})
	if err != nil {
		return nil, err
	}
	return &m.CreateUserResponse{IdentityStoreId: u.IdentityStoreId, UserId: u.UserId}, nil
}

// checkUser applies the rules beyond the model's constraints that IAM
// Identity Center sets for a user, and returns its store record (keys set).
func (s *Service) checkUser(op string, u *m.User) (*store.User, error) {
	var c awsshape.Checker
	c.Required("userName", u.UserName != nil)
	c.Required("displayName", u.DisplayName != nil)
	c.Required("name", u.Name != nil)
	if u.Name != nil {
		c.Required("name.givenName", u.Name.GivenName != nil)
		c.Required("name.familyName", u.Name.FamilyName != nil)
	}
	if err := c.Err(); err != nil {
		return nil, err
	}
	if reserved[key(*u.UserName)] {
		return nil, errs.Ef(op, errs.Invalid, "The user name %s is reserved and can't be used", *u.UserName)
	}
	for name := range u.Extensions {
		if name != EnterpriseExtension {
			return nil, errs.Ef(op, errs.Invalid, "Unsupported extension %s: only %s is supported", name, EnterpriseExtension)
		}
	}
	rec := &store.User{StoreID: *u.IdentityStoreId, ID: *u.UserId, UserNameKey: key(*u.UserName)}
	if len(u.Emails) > 0 && u.Emails[0].Value != nil {
		rec.EmailKey = key(*u.Emails[0].Value)
	}
	return rec, nil
}

// uniqueUser refuses a user name or email another user (not self) holds.
func uniqueUser(ctx context.Context, tx *store.Tx, op string, rec *store.User, self string) error {
	if id, err := tx.UserIDByName(ctx, rec.StoreID, rec.UserNameKey); err == nil && id != self {
		return conflict(op, "Duplicate UserName")
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if rec.EmailKey == "" {
		return nil
	}
	if id, err := tx.UserIDByEmail(ctx, rec.StoreID, rec.EmailKey); err == nil && id != self {
		return conflict(op, "Duplicate Email")
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	return nil
}

// DescribeUser returns a user's attributes (extensions only when asked for).
func (s *Service) DescribeUser(ctx context.Context, in *m.DescribeUserRequest) (*json.RawMessage, error) {
	const op = "DescribeUser"
	if _, _, err := s.open(ctx, op, *in.IdentityStoreId, read); err != nil {
		return nil, err
	}
	doc, err := s.st.R().UserDoc(ctx, *in.IdentityStoreId, *in.UserId)
	if errors.Is(err, store.ErrNotFound) {
		return nil, notFound(op, "USER", *in.UserId)
	}
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	doc, err = withExtensions(doc, in.Extensions)
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	raw := json.RawMessage(doc)
	return &raw, nil
}

// extensionsKey finds the member "Extensions" in a stored user: only a key
// can end with an unescaped quote. The search starts at the rare "x"; from
// the quote, which every JSON member has, it was 7x slower (19 against
// 2.6 µs on a page of 100 users).
const extensionsMember = `xtensions":`

var extensionsKey = []byte(extensionsMember)

// withExtensions returns a stored user document holding only the
// extensions the caller asked for (none unless named).
func withExtensions(doc []byte, want []string) ([]byte, error) {
	if !bytes.Contains(doc, extensionsKey) {
		return doc, nil
	}
	var u m.User
	if err := json.Unmarshal(doc, &u); err != nil {
		return nil, err
	}
	keep := map[string]json.RawMessage{}
	for _, w := range want {
		if v, ok := u.Extensions[w]; ok {
			keep[w] = v
		}
	}
	u.Extensions = keep
	if len(keep) == 0 {
		u.Extensions = nil
	}
	return json.Marshal(&u)
}

// ListUsers lists an identity store's users, optionally filtered by exact
// UserName (the filter AWS deprecates in favour of GetUserId).
func (s *Service) ListUsers(ctx context.Context, in *m.ListUsersRequest) (*json.RawMessage, error) {
	const op = "ListUsers"
	l, err := s.startListing(ctx, op, *in.IdentityStoreId, in.Filters, "UserName", in.NextToken, in.MaxResults)
	if err != nil {
		return nil, err
	}
	page, err := s.st.R().UserDocsAfter(ctx, *in.IdentityStoreId, l.after, l.nameKey, l.n)
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	if strings.Contains(page.Docs, extensionsMember) {
		// Some user holds extensions: each document keeps only those asked for.
		if page, err = s.usersWithExtensions(ctx, *in.IdentityStoreId, l.after, l.nameKey, l.n, in.Extensions); err != nil {
			return nil, errs.Wrap(op, err)
		}
	}
	return pageJSON("Users", l.scope, page), nil
}

// usersWithExtensions reads the same page as UserDocsAfter, each document
// holding only the extensions in want.
func (s *Service) usersWithExtensions(ctx context.Context, storeID, after, nameKey string, n int, want []string) (*store.DocPage, error) {
	users, err := s.st.R().UsersAfter(ctx, storeID, after, nameKey, n+1)
	if err != nil {
		return nil, err
	}
	return docPage(users, n, func(u *store.User) (string, []byte, error) {
		doc, err := withExtensions(u.Doc, want)
		return u.ID, doc, err
	})
}

// DeleteUser removes a user and its memberships.
func (s *Service) DeleteUser(ctx context.Context, in *m.DeleteUserRequest) (*m.DeleteUserResponse, error) {
	err := s.remove(ctx, "DeleteUser", *in.IdentityStoreId, "USER", *in.UserId, func(tx *store.Tx) error {
		return tx.DeleteUser(ctx, *in.IdentityStoreId, *in.UserId)
	})
	if err != nil {
		return nil, err
	}
	return &m.DeleteUserResponse{}, nil
}

// GetUserId finds a user by a unique attribute (userName, emails.value) or
// an external id.
func (s *Service) GetUserId(ctx context.Context, in *m.GetUserIdRequest) (*m.GetUserIdResponse, error) {
	const op = "GetUserId"
	id, err := s.idOf(ctx, op, *in.IdentityStoreId, store.KindUser, in.AlternateIdentifier, func(q store.Q, path, v string) (string, error) {
		switch path {
		case "username":
			return q.UserIDByName(ctx, *in.IdentityStoreId, v)
		case "emails.value":
			return q.UserIDByEmail(ctx, *in.IdentityStoreId, v)
		}
		return "", errs.Ef(op, errs.Invalid, "Unsupported AttributePath %s: use userName or emails.value", *in.AlternateIdentifier.UniqueAttribute.AttributePath)
	})
	if err != nil {
		return nil, err
	}
	return &m.GetUserIdResponse{IdentityStoreId: in.IdentityStoreId, UserId: &id}, nil
}

// attributeString reads a unique attribute's value, which must be a string.
func attributeString(op string, a *m.UniqueAttribute) (string, error) {
	var v string
	if a == nil || json.Unmarshal(a.AttributeValue, &v) != nil || v == "" {
		return "", errs.E(op, errs.Invalid, "AttributeValue must be a non-empty string")
	}
	return v, nil
}

// convert copies between model structures that share member names.
func convert(from, to any) error {
	b, err := json.Marshal(from)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, to)
}

// stamp sets a creation or update time and principal.
func stamp(at **awsshape.Timestamp, by **string, tx *store.Tx, arn string) {
	*at = &awsshape.Timestamp{Time: tx.Now}
	*by = &arn
}
