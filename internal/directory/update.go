package directory

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"
	"unicode"

	"github.com/idcenter/idcenter/internal/awsshape"
	"github.com/idcenter/idcenter/internal/errs"
	m "github.com/idcenter/idcenter/internal/model/identitystore"
	"github.com/idcenter/idcenter/internal/store"
)

// immutable are attributes no update may touch. ExternalIds are the
// identity provider's (CreateUser and CreateGroup take none either): an
// update that set them changed the document while GetUserId and GetGroupId,
// which look external ids up in an index of their own, found nothing.
var immutable = map[string]bool{"IdentityStoreId": true, "UserId": true, "GroupId": true, "ExternalIds": true,
	"CreatedAt": true, "CreatedBy": true, "UpdatedAt": true, "UpdatedBy": true}

// attributePaths are the attributes of a resource an update may name: each
// member of its type (by its JSON name), with the members of a structure
// member ("name.givenName"). Any other path is refused: decoding the
// updated document into the type would drop it, and the caller would never
// learn that nothing changed.
type attributePaths map[string]map[string]bool

// has reports whether parts (a path split at its dots) names an attribute.
func (a attributePaths) has(parts []string) bool {
	sub, ok := a[upperFirst(parts[0])]
	switch len(parts) {
	case 1:
		return ok
	case 2:
		return sub[upperFirst(parts[1])]
	}
	return false
}

var pathCache sync.Map // reflect.Type -> attributePaths

// pathsOf returns the attribute paths of the struct type t.
func pathsOf(t reflect.Type) attributePaths {
	if a, ok := pathCache.Load(t); ok {
		return a.(attributePaths)
	}
	a := attributePaths{}
	for name, ft := range jsonMembers(t) {
		a[name] = nil
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct {
			a[name] = map[string]bool{}
			for sub := range jsonMembers(ft) {
				a[name][sub] = true
			}
		}
	}
	pathCache.Store(t, a)
	return a
}

// jsonMembers returns the JSON member names of struct type t and their types.
func jsonMembers(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.IsExported() && name != "" && name != "-" {
			out[name] = f.Type
		}
	}
	return out
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// normalize capitalizes object keys so values written in the camelCase of
// attribute paths match the API's member names.
func normalize(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[upperFirst(k)] = normalize(e)
		}
		return out
	case []any:
		for i := range t {
			t[i] = normalize(t[i])
		}
	}
	return v
}

// apply runs attribute operations on a document: a value sets the attribute,
// a missing value removes it. Paths are "attr", "attr.sub" or an extension
// "aws:identitystore:enterprise.attr".
func apply(op string, doc map[string]any, ops []m.AttributeOperation, paths attributePaths) error {
	for _, o := range ops {
		path := *o.AttributePath
		var val any
		has := len(o.AttributeValue) > 0 && string(o.AttributeValue) != "null"
		if has {
			if err := json.Unmarshal(o.AttributeValue, &val); err != nil {
				return errs.Ef(op, errs.Invalid, "Invalid AttributeValue for %s", path)
			}
		}
		if strings.HasPrefix(path, "aws:") {
			ext, attr, _ := strings.Cut(path, ".")
			exts, _ := doc["Extensions"].(map[string]any)
			if exts == nil {
				exts = map[string]any{}
			}
			e, _ := exts[ext].(map[string]any)
			if e == nil {
				e = map[string]any{}
			}
			if attr == "" {
				if has {
					exts[ext] = val
				} else {
					delete(exts, ext)
				}
			} else if has {
				e[attr] = val
				exts[ext] = e
			} else {
				delete(e, attr)
			}
			doc["Extensions"] = exts
			continue
		}
		parts := strings.Split(path, ".")
		top := upperFirst(parts[0])
		if immutable[top] {
			return errs.Ef(op, errs.Invalid, "The attribute %s cannot be updated", path)
		}
		if !paths.has(parts) {
			return errs.Ef(op, errs.Invalid, "Invalid AttributePath %s: the resource has no such attribute", path)
		}
		if len(parts) == 1 {
			if has {
				doc[top] = normalize(val)
			} else {
				delete(doc, top)
			}
			continue
		}
		sub, _ := doc[top].(map[string]any)
		if sub == nil {
			sub = map[string]any{}
		}
		if has {
			sub[upperFirst(parts[1])] = normalize(val)
		} else {
			delete(sub, upperFirst(parts[1]))
		}
		doc[top] = sub
	}
	return nil
}

// updated applies attribute operations to a stored document and decodes
// the result into out. The attributes are re-checked as the create input
// type (check) would be, so an update can break no rule a create obeys.
func updated(op string, stored []byte, ops []m.AttributeOperation, out any, check awsshape.Validator) error {
	var doc map[string]any
	if err := json.Unmarshal(stored, &doc); err != nil {
		return err
	}
	if err := apply(op, doc, ops, pathsOf(reflect.TypeOf(out).Elem())); err != nil {
		return err
	}
	if convert(doc, out) != nil || convert(doc, check) != nil {
		return errs.E(op, errs.Invalid, "An attribute value has the wrong type")
	}
	return awsshape.Validate(check)
}

// UpdateUser applies attribute operations to a user.
func (s *Service) UpdateUser(ctx context.Context, in *m.UpdateUserRequest) (*m.UpdateUserResponse, error) {
	const op = "UpdateUser"
	_, c, err := s.open(ctx, op, *in.IdentityStoreId, write)
	if err != nil {
		return nil, err
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		rec, err := tx.User(ctx, *in.IdentityStoreId, *in.UserId)
		if errors.Is(err, store.ErrNotFound) {
			return notFound(op, "USER", *in.UserId)
		} else if err != nil {
			return err
		}
		var u m.User
		if err := updated(op, rec.Doc, in.Operations, &u, &m.CreateUserRequest{}); err != nil {
			return err
		}
		// userStatus, the one attribute CreateUser does not take (it sets
		// ENABLED): one of its values, and ENABLED when removed (or when
		// stored before users had a status).
		if u.UserStatus == nil {
			u.UserStatus = ptr(m.UserStatusEnabled)
		}
		var st awsshape.Checker
		if st.Enum("userStatus", *u.UserStatus, false, m.UserStatusValues()); st.Err() != nil {
			return st.Err()
		}
		next, err := s.checkUser(op, &u)
		if err != nil {
			return err
		}
		if err := uniqueUser(ctx, tx, op, next, rec.ID); err != nil {
			return err
		}
		stamp(&u.UpdatedAt, &u.UpdatedBy, tx, c.Arn)
		if next.Doc, err = json.Marshal(&u); err != nil {
			return err
		}
		next.Updated = tx.Now
		return storeErr(op, tx.UpdateUser(ctx, next), "Duplicate UserName or Email")
	})
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	return &m.UpdateUserResponse{}, nil
}

// UpdateGroup applies attribute operations to a group.
func (s *Service) UpdateGroup(ctx context.Context, in *m.UpdateGroupRequest) (*m.UpdateGroupResponse, error) {
	const op = "UpdateGroup"
	_, c, err := s.open(ctx, op, *in.IdentityStoreId, write)
	if err != nil {
		return nil, err
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		rec, err := tx.Group(ctx, *in.IdentityStoreId, *in.GroupId)
		if errors.Is(err, store.ErrNotFound) {
			return notFound(op, "GROUP", *in.GroupId)
		} else if err != nil {
			return err
		}
		var g m.Group
		if err := updated(op, rec.Doc, in.Operations, &g, &m.CreateGroupRequest{}); err != nil {
			return err
		}
		next, err := checkGroup(op, &g)
		if err != nil {
			return err
		}
		if err := uniqueGroup(ctx, tx, op, next, rec.ID); err != nil {
			return err
		}
		stamp(&g.UpdatedAt, &g.UpdatedBy, tx, c.Arn)
		if next.Doc, err = json.Marshal(&g); err != nil {
			return err
		}
		next.Updated = tx.Now
		return storeErr(op, tx.UpdateGroup(ctx, next), "Duplicate GroupDisplayName")
	})
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	return &m.UpdateGroupResponse{}, nil
}
