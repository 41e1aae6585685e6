package policy

import (
	"slices"
	"strings"
)

// Principal is a statement's Principal or NotPrincipal element, found in
// resource-based and trust policies. All is set for "Principal": "*";
// otherwise Values maps a principal type ("AWS", "Service", "Federated",
// "CanonicalUser") to its identifiers, in document order.
type Principal struct {
	All    bool
	Values map[string][]string
}

var principalTypes = []string{"AWS", "CanonicalUser", "Federated", "Service"}

func parsePrincipal(path string, n *node) (*Principal, error) {
	switch n.kind {
	case stringNode:
		if n.text != "*" {
			return nil, syntaxErr(path, "must be \"*\" or an object such as {\"AWS\": \"arn:aws:iam::123456789012:root\"}, got %q", n.text)
		}
		return &Principal{All: true}, nil
	case objectNode:
	default:
		return nil, syntaxErr(path, "must be \"*\" or an object mapping principal types to identifiers, got %s", n.kind)
	}
	p := &Principal{Values: make(map[string][]string, len(n.keys))}
	for i, typ := range n.keys {
		tpath := joinPath(path, typ)
		if !slices.Contains(principalTypes, typ) {
			return nil, syntaxErr(path, "unknown principal type %q; valid types are %s", typ, strings.Join(principalTypes, ", "))
		}
		ids, err := stringList(tpath, n.vals[i])
		if err != nil {
			return nil, err
		}
		for j, id := range ids {
			if id == "" {
				return nil, syntaxErr(indexPath(tpath, n.vals[i], j), "must not be empty")
			}
		}
		p.Values[typ] = ids
	}
	return p, nil
}

// matches reports whether the request's principal, described by its
// context keys, is one the element names:
//
//   - "*" and {"AWS": "*"} match everyone;
//   - an AWS account ID, or "arn:PARTITION:iam::ACCOUNT:root", matches every
//     principal of that account (aws:PrincipalAccount);
//   - any other AWS identifier is an ARN compared with aws:PrincipalArn (for
//     a role session that is the role's ARN);
//   - a Service identifier is compared with aws:PrincipalServiceName, a
//     Federated one with aws:FederatedProvider;
//   - CanonicalUser identifiers (Amazon S3 only) match nobody here.
func (p *Principal) matches(ctx Context) bool {
	if p.All {
		return true
	}
	for _, id := range p.Values["AWS"] {
		if id == "*" || principalAWSMatches(id, ctx) {
			return true
		}
	}
	return contextHas(ctx, "aws:PrincipalServiceName", p.Values["Service"]) ||
		contextHas(ctx, "aws:FederatedProvider", p.Values["Federated"])
}

func principalAWSMatches(id string, ctx Context) bool {
	if account, ok := rootAccount(id); ok {
		return contextHas(ctx, "aws:PrincipalAccount", []string{account})
	}
	return contextHas(ctx, "aws:PrincipalArn", []string{id})
}

// rootAccount reads "123456789012" or "arn:aws:iam::123456789012:root".
func rootAccount(id string) (string, bool) {
	if isAccountID(id) {
		return id, true
	}
	parts := strings.Split(id, ":")
	if len(parts) == 6 && parts[0] == "arn" && parts[2] == "iam" && parts[3] == "" && parts[5] == "root" && isAccountID(parts[4]) {
		return parts[4], true
	}
	return "", false
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// contextHas reports whether key has one of want among its values.
func contextHas(ctx Context, key string, want []string) bool {
	if len(want) == 0 {
		return false
	}
	vals, _ := ctx.Get(key)
	for _, v := range vals {
		if slices.Contains(want, v) {
			return true
		}
	}
	return false
}
