package permset

import (
	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/policy"
)

// checkPolicy validates an inline policy document as IAM validates an
// identity-based policy (internal/policy), and checks that its size without
// white space stays within limit (IAM's 10,240 characters for a role's
// inline policy).
func checkPolicy(op, doc string, limit int) error {
	p, err := policy.Parse(doc, policy.IdentityPolicy)
	if err != nil {
		return errs.E(op, errs.Invalid, "The policy document is not valid: "+err.Error())
	}
	if p.Size > limit {
		return errs.Ef(op, errs.Quota, "The inline policy has %d characters without white space; a permission set's inline policy may have at most %d", p.Size, limit)
	}
	return nil
}
