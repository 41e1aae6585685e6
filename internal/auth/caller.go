// Package auth decides who is calling: it verifies a request's SigV4
// signature against the stored access keys and describes the caller (its
// account, organization and principal) to the domain packages.
package auth

import (
	"context"
)

// Caller is the authenticated principal of a request.
type Caller struct {
	AccountID   string
	Arn         string // arn:aws:iam::<account>:root, ...:user/<name>, or arn:aws:sts::<account>:assumed-role/<role>/<session>
	PrincipalID string
	AccessKeyID string
	Type        string // Root, IAMUser, AssumedRole (CloudTrail's userIdentity.type)
	OrgID       string // the account's organization, "" if standalone
	Management  bool   // the account is its organization's management account
	// DelegatedAdmin: the account is the delegated administrator of IAM
	// Identity Center in its organization (set per request by the server).
	DelegatedAdmin bool
	Region         string // the Region the request was signed for
}

type callerKey struct{}

// WithCaller returns ctx carrying c.
func WithCaller(ctx context.Context, c *Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// From returns the caller of ctx, or nil for an unauthenticated context.
func From(ctx context.Context) *Caller {
	c, _ := ctx.Value(callerKey{}).(*Caller)
	return c
}
