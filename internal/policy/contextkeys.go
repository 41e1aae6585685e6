package policy

// ContextKeys calls read with each context key (lower-cased, as Context
// stores them) that the policy's conditions and policy variables read, so
// that a caller may build only those of a request's Context. It reports
// false when the policy may read keys it cannot name (a Principal or
// NotPrincipal element, matched against the caller's keys): the Context
// must then hold every key.
func (p *Policy) ContextKeys(read func(lkey string)) bool {
	for i := range p.Statements {
		s := &p.Statements[i]
		if s.Principal != nil || s.NotPrincipal != nil {
			return false
		}
		for j := range s.Conditions {
			read(s.Conditions[j].lkey)
		}
		for _, t := range s.templates {
			for _, part := range t.parts {
				if part.key != "" {
					read(part.lkey)
				}
			}
		}
	}
	return true
}
