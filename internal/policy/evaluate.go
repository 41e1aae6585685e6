package policy

// Decision is the outcome of evaluating a request.
type Decision uint8

const (
	// NotApplicable: nothing allows the request, so it is denied by
	// default (an implicit deny).
	NotApplicable Decision = iota
	// Allow: the request is allowed.
	Allow
	// Deny: a statement denies the request explicitly.
	Deny
)

var decisionNames = [...]string{"NotApplicable", "Allow", "Deny"}

func (d Decision) String() string {
	if int(d) < len(decisionNames) {
		return decisionNames[d]
	}
	return sprintf("Decision(%d)", d)
}

// StatementRef names a statement of a policy.
type StatementRef struct {
	Policy string // the policy's Name
	Sid    string
	Index  int // the statement's position in the policy, from 0
}

func (r StatementRef) String() string {
	s := sprintf("Statement[%d]", r.Index)
	if r.Sid != "" {
		s = sprintf("statement %q", r.Sid)
	}
	if r.Policy != "" {
		s += sprintf(" of policy %q", r.Policy)
	}
	return s
}

// Match is the outcome of one policy for one request.
type Match struct {
	Decision  Decision
	Statement int // the deciding statement (the denying one, or the first allowing one); -1 when NotApplicable
}

// Evaluate evaluates the policy alone: Deny if a statement that applies
// denies, else Allow if one allows, else NotApplicable.
func (p *Policy) Evaluate(req Request) Match {
	m := Match{Decision: NotApplicable, Statement: -1}
	for i := range p.Statements {
		s := &p.Statements[i]
		if !s.applies(req) {
			continue
		}
		if s.Effect == EffectDeny {
			return Match{Decision: Deny, Statement: i}
		}
		if m.Decision == NotApplicable {
			m = Match{Decision: Allow, Statement: i}
		}
	}
	return m
}

// applies reports whether the statement covers the request: its action,
// resource, principal and every condition match.
func (s *Statement) applies(req Request) bool {
	// A statement whose policy variables cannot all be resolved does not
	// apply: "If AWS cannot resolve a variable this might cause the entire
	// statement to be invalid" (IAM User Guide, "IAM policy elements:
	// Variables and tags"). A variable with a default always resolves.
	for _, t := range s.templates {
		if _, bad := t.unresolved(req.Context); bad {
			return false
		}
	}
	if s.matchesAction(req.Action) != (s.Action != nil) {
		return false
	}
	if s.Resource != nil || s.NotResource != nil {
		if s.matchesResource(req.Resource, req.Context) != (s.Resource != nil) {
			return false
		}
	}
	if s.Principal != nil && !s.Principal.matches(req.Context) {
		return false
	}
	if s.NotPrincipal != nil && s.NotPrincipal.matches(req.Context) {
		return false
	}
	for i := range s.Conditions {
		if !s.Conditions[i].holds(req.Context) {
			return false
		}
	}
	return true
}

// matchesAction reports whether the Action or NotAction list names action.
func (s *Statement) matchesAction(action string) bool {
	for _, g := range s.actions {
		if g.match(action) {
			return true
		}
	}
	return false
}

// matchesResource reports whether the Resource or NotResource list names
// resource.
func (s *Statement) matchesResource(resource string, ctx Context) bool {
	for i := range s.resources {
		if s.resources[i].match(resource, ctx) {
			return true
		}
	}
	return false
}
