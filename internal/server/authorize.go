package server

import (
	"context"
	"net"
	"net/http"

	"github.com/idcenter/idcenter/internal/auth"
	"github.com/idcenter/idcenter/internal/awsproto"
	"github.com/idcenter/idcenter/internal/org"
)

// authorize runs after authentication and before every operation (JSON
// 1.1 and STS): it tells the domains whether the caller is IAM Identity
// Center's delegated administrator, and checks a member account's call
// against its organization's service control policies, with the IAM action
// named <signing name>:<operation> (sso:CreateInstance,
// identitystore:CreateUser).
func (s *Server) authorize(ctx context.Context, r *http.Request, c *awsproto.Call) (context.Context, error) {
	caller := auth.From(ctx)
	if caller != nil && caller.OrgID != "" && !caller.Management {
		delegated, err := s.Org.DelegatedAdminCached(ctx, caller.OrgID, caller.AccountID)
		if err != nil {
			return nil, err
		}
		if delegated != caller.DelegatedAdmin {
			cp := *caller // the authenticator shares its Caller between requests
			cp.DelegatedAdmin = delegated
			ctx = auth.WithCaller(ctx, &cp)
		}
	}
	action := c.Service.SigningName + ":" + c.Operation
	if action == "sts:GetCallerIdentity" {
		return ctx, nil // AWS: no policy can deny it
	}
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		ip = r.RemoteAddr
	}
	if err := s.Org.CheckSCP(ctx, action, org.RequestInfo{SourceIP: ip, Secure: r.TLS != nil, Now: c.Start}); err != nil {
		return nil, err
	}
	return ctx, nil
}
