package policy

// SetKind says what role a Set of policies plays in an evaluation.
type SetKind uint8

const (
	// SetIdentity holds identity-based policies: allowed if any allows.
	SetIdentity SetKind = iota
	// SetSCP holds the service control policies that apply to the
	// account: those attached to the root and to the account (one level,
	// for now). Some must allow.
	SetSCP
	// SetBoundary holds a permissions boundary: it caps the identity
	// policies, so it too must allow.
	SetBoundary
	// SetSession holds session policies: they too must allow.
	SetSession
)

// setNames are the words AWS uses for each kind in access-denied messages.
var setNames = [...]string{"identity-based policy", "service control policy", "permissions boundary", "session policy"}

func (k SetKind) String() string {
	if int(k) < len(setNames) {
		return setNames[k]
	}
	return sprintf("SetKind(%d)", k)
}

func (k SetKind) article() string {
	if k == SetIdentity {
		return "an " + k.String()
	}
	return "a " + k.String()
}

// Set is a group of policies that plays one role in an evaluation.
type Set struct {
	Kind     SetKind
	Policies []*Policy
}

// IdentityPolicies returns the Set of a principal's identity-based
// policies (a permission set's inline and managed policies).
func IdentityPolicies(p ...*Policy) Set { return Set{Kind: SetIdentity, Policies: p} }

// SCPs returns the Set of service control policies that apply to an
// account.
func SCPs(p ...*Policy) Set { return Set{Kind: SetSCP, Policies: p} }

// Boundary returns the Set of a permissions boundary.
func Boundary(p ...*Policy) Set { return Set{Kind: SetBoundary, Policies: p} }

// SessionPolicies returns the Set of a session's policies.
func SessionPolicies(p ...*Policy) Set { return Set{Kind: SetSession, Policies: p} }

// Result is the outcome of Evaluate.
type Result struct {
	Decision Decision
	// Action is the request's action, for messages.
	Action string
	// Set is the kind of the set that decided: for Deny, the one holding
	// the denying statement; for NotApplicable, the first set in which no
	// policy allows; for Allow, the first set given.
	Set SetKind
	// Statement is, for Deny, the statement that denied; for Allow, the
	// first allowing statement of the first set; unset for NotApplicable.
	Statement StatementRef
}

// Allowed reports whether the request is allowed.
func (r Result) Allowed() bool { return r.Decision == Allow }

// Evaluate decides a request against the policy sets that govern it,
// following IAM's evaluation logic for one account:
//
//  1. An explicit deny in any policy of any set wins: Deny, naming the
//     first denying statement in the order the sets and policies are given.
//  2. Otherwise every set must allow: in each, at least one policy has an
//     allowing statement that applies. SCPs, permissions boundaries and
//     session policies thereby intersect with the identity policies.
//  3. Otherwise NotApplicable (an implicit deny), naming the first set in
//     which nothing allows.
//
// A set given is a set that applies; a set with no policies allows
// nothing. Leave out the sets that do not apply (SCPs for the management
// account, a boundary the principal does not have). With no sets at all
// nothing is allowed. Give SCPs first, so that an implicit deny names them
// as AWS does.
func Evaluate(req Request, sets ...Set) Result {
	res := Result{Decision: NotApplicable, Action: req.Action}
	missing := -1
	for i, set := range sets {
		allowed := false
		for _, p := range set.Policies {
			m := p.Evaluate(req)
			switch m.Decision {
			case Deny:
				return Result{Decision: Deny, Action: req.Action, Set: set.Kind, Statement: p.ref(m.Statement)}
			case Allow:
				if !allowed && i == 0 {
					res.Statement = p.ref(m.Statement)
				}
				allowed = true
			}
		}
		if !allowed && missing < 0 {
			missing = i
		}
	}
	switch {
	case len(sets) == 0:
		return res
	case missing >= 0:
		return Result{Decision: NotApplicable, Action: req.Action, Set: sets[missing].Kind}
	}
	res.Decision, res.Set = Allow, sets[0].Kind
	return res
}

func (p *Policy) ref(i int) StatementRef {
	return StatementRef{Policy: p.Name, Sid: p.Statements[i].Sid, Index: i}
}

// Reason is the end of AWS's access-denied message for a result that is
// not Allow: "with an explicit deny in a service control policy", or
// "because no identity-based policy allows the sso:CreateInstance action".
// It is empty for Allow.
func (r Result) Reason() string {
	switch r.Decision {
	case Deny:
		return "with an explicit deny in " + r.Set.article()
	case NotApplicable:
		return sprintf("because no %s allows the %s action", r.Set, r.Action)
	}
	return ""
}

// Message is AWS's access-denied message for a result that is not Allow:
// "User: PRINCIPAL is not authorized to perform: ACTION on resource:
// RESOURCE with an explicit deny in a service control policy". The
// resource part is left out when resource is empty.
func (r Result) Message(principal, resource string) string {
	s := sprintf("User: %s is not authorized to perform: %s", principal, r.Action)
	if resource != "" {
		s += " on resource: " + resource
	}
	return s + " " + r.Reason()
}

// DeniedBy returns the statement that denied the request explicitly, and
// false when the result is not an explicit deny.
func (r Result) DeniedBy() (StatementRef, bool) {
	return r.Statement, r.Decision == Deny
}
