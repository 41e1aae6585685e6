// Package policy parses, validates and evaluates IAM policy documents:
// the identity-based policies of permission sets, service control
// policies, permissions boundaries, session policies and resource-based
// or trust policies. It knows nothing of HTTP or SQL and uses only the
// standard library.
//
// # Parsing
//
// Parse (or Options.Parse) reads a JSON document as a given Kind and
// returns a *Policy, or a *SyntaxError that says what is wrong and where,
// such as `Statement[1].Effect: must be "Allow" or "Deny", got "allow"`.
// It rejects what IAM rejects: unknown or duplicate elements (names are
// case-sensitive), wrong JSON types, a bad Version or Effect, statements
// without Action/NotAction or with both, identity policies and SCPs
// without Resource/NotResource, a Principal outside resource policies,
// actions not of the form "service:action", resources that are neither
// "*" nor an ARN, unknown condition operators, condition values their
// operator cannot read (numbers, dates, IP blocks, booleans, base64), and
// duplicate Sids. Policy.Size is the document's size without white space,
// the figure IAM compares with its quotas.
//
// # Evaluating one statement
//
// A statement applies to a Request when all of these hold:
//
//   - its Action list names the request's action, or its NotAction list
//     does not. Actions match case-insensitively, with '*' and '?'.
//   - its Resource list names the request's resource, or its NotResource
//     list does not (a resource policy may have neither). ARNs match
//     case-sensitively, segment by segment: a wildcard stays within its
//     colon-separated segment, except a '*' that ends a segment, and the
//     sixth segment (the resource) matches as a whole. A request for
//     resource "*" matches only the pattern "*". The ArnLike and
//     ArnEquals condition operators are stricter: they compare the six
//     segments separately, and only the final '*' of a pattern with fewer
//     than six segments ("arn:aws:sns:*") crosses colons.
//   - its Principal names the caller, or its NotPrincipal does not (resource
//     policies; see Principal).
//   - every condition holds: the operators of a Condition element and the
//     keys under each operator are ANDed, the values of one key are ORed
//     (for negated operators the request must match none of them). A
//     missing key fails a plain operator, satisfies a negated one, and
//     satisfies any ...IfExists operator; Null tests presence;
//     ForAllValues: holds on a missing key and ForAnyValue: does not.
//     Condition keys are case-insensitive.
//   - each policy variable it uses can be resolved. In Version 2012-10-17
//     documents, ${key} in Resource, NotResource and the values of String,
//     Bool and ARN conditions is replaced by the key's value, ${key,
//     'default'} falls back to default, and ${*}, ${?}, ${$} are literal
//     characters. A variable with no value (and no default) makes the
//     whole statement inapplicable. In 2008-10-17 documents "${...}" is
//     plain text.
//
// # Combining
//
// Policy.Evaluate gives one policy's verdict: Deny if an applying
// statement denies, Allow if one allows, NotApplicable otherwise.
// Evaluate combines Sets as IAM does within one account: an explicit deny
// anywhere wins; otherwise every set given (identity policies, SCPs,
// permissions boundary, session policies) must allow; otherwise the
// request is denied implicitly. Result.Reason and Result.Message give
// AWS's wording ("with an explicit deny in a service control policy",
// "because no identity-based policy allows the sso:CreateInstance
// action"), and Result.DeniedBy names the denying statement by Sid and
// policy name.
package policy
