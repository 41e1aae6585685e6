package org

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/auth"
	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/store"
)

// Session durations of AssumeRole.
const (
	DefaultSessionDuration = time.Hour
	MinSessionDuration     = 15 * time.Minute
	MaxSessionDuration     = 12 * time.Hour
	// MaxChainedDuration bounds a session whose caller is itself an
	// assumed role (role chaining).
	MaxChainedDuration = time.Hour
)

// Session is the outcome of AssumeRole: temporary credentials of the role's
// account and the assumed-role principal they act as.
type Session struct {
	Key           *Key   // the temporary key; Key.Expires is its expiry
	Arn           string // arn:aws:sts::<account>:assumed-role/<role>/<session>
	AssumedRoleID string // <role id>:<session>
}

// roleArnRe matches an IAM role ARN, with an optional path.
var roleArnRe = regexp.MustCompile(`^arn:aws:iam::(\d{12}):role/(?:[\x21-\x7e]*/)?([\w+=,.@-]{1,64})$`)

// AssumeRole hands the caller temporary credentials of a role: roleArn names
// it, sessionName (already checked against the model) names the session, and
// duration (zero for the default hour) bounds it. The role must exist and its
// trust policy must name the caller or the caller's account; a caller that
// is itself an assumed role gets at most one hour.
func (s *Service) AssumeRole(ctx context.Context, roleArn, sessionName string, duration time.Duration) (*Session, error) {
	const op = "org.AssumeRole"
	c := auth.From(ctx)
	if c == nil {
		return nil, errs.E(op, errs.Denied, "Access denied")
	}
	if duration == 0 {
		duration = DefaultSessionDuration
	}
	if c.Type == "AssumedRole" && duration > MaxChainedDuration {
		return nil, errs.E(op, errs.Invalid, "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.")
	}
	m := roleArnRe.FindStringSubmatch(roleArn)
	if m == nil {
		return nil, errs.Ef(op, errs.Invalid, "%s is invalid", roleArn)
	}
	accountID, roleName := m[1], m[2]
	denied := errs.Ef(op, errs.Denied, "User: %s is not authorized to perform: sts:AssumeRole on resource: %s", c.Arn, roleArn)
	role, err := s.st.R().Role(ctx, accountID, roleName)
	if errors.Is(err, store.ErrNotFound) {
		return nil, denied
	}
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	if !trusts(role.TrustPolicy, c) {
		return nil, denied
	}
	sess := &Session{
		Arn:           "arn:aws:sts::" + accountID + ":assumed-role/" + role.Name + "/" + sessionName,
		AssumedRoleID: role.RoleID + ":" + sessionName,
	}
	err = s.st.Write(ctx, func(tx *store.Tx) error {
		expires := tx.Now.Add(duration).Truncate(time.Second)
		var err error
		sess.Key, err = s.InsertKey(ctx, tx, accountID, sess.Arn, sess.AssumedRoleID, "ASIA", expires)
		return err
	})
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	return sess, nil
}

// trustPolicy is the part of a role's trust policy idcenter evaluates.
type trustPolicy struct {
	Statement []struct {
		Effect    string
		Principal struct{ AWS stringList }
		Action    stringList
	}
}

// stringList is a policy element written as one string or a list.
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*l = stringList{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*l = many
	return nil
}

// trusts reports whether a trust policy lets c call sts:AssumeRole: an Allow
// statement naming c's account (its root ARN or bare id) or c itself, and no
// Deny statement naming them.
func trusts(policy string, c *auth.Caller) bool {
	var p trustPolicy
	if json.Unmarshal([]byte(policy), &p) != nil {
		return false
	}
	allowed := false
	for _, st := range p.Statement {
		if !matchesAction(st.Action) || !namesCaller(st.Principal.AWS, c) {
			continue
		}
		switch st.Effect {
		case "Deny":
			return false
		case "Allow":
			allowed = true
		}
	}
	return allowed
}

func matchesAction(actions []string) bool {
	for _, a := range actions {
		if a == "*" || strings.EqualFold(a, "sts:AssumeRole") || a == "sts:*" {
			return true
		}
	}
	return false
}

func namesCaller(principals []string, c *auth.Caller) bool {
	for _, p := range principals {
		if p == "*" || p == c.AccountID || p == RootArn(c.AccountID) || p == c.Arn {
			return true
		}
	}
	return false
}
