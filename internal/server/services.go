package server

import (
	"net/http"

	"github.com/idcenter/idcenter/internal/api/cloudtrail"
	"github.com/idcenter/idcenter/internal/api/identitystore"
	"github.com/idcenter/idcenter/internal/api/organizations"
	"github.com/idcenter/idcenter/internal/api/ssoadmin"
	"github.com/idcenter/idcenter/internal/api/sts"
	"github.com/idcenter/idcenter/internal/awsproto"
	"github.com/idcenter/idcenter/internal/directory"
)

// services lists the JSON 1.1 services idcenter serves.
func (s *Server) services(cfg Config) []*awsproto.Service {
	s.Org.ResumeInBackground() // CreateAccount work a previous run left pending
	ct := cloudtrail.New(s.Audit)
	return []*awsproto.Service{
		organizations.New(s.Org),
		ssoadmin.New(s.Instances, s.PermSets),
		identitystore.New(directory.New(cfg.Store, s.Instances)),
		ct, cloudtrail.ShortTarget(ct),
	}
}

// queryServices returns the handler of the query-protocol services (STS).
func (s *Server) queryServices(cfg Config) http.Handler {
	h := sts.New(s.Auth, s.Org, cfg.Log)
	h.Begin, h.Observe, h.Hold = s.Audit.Begin, s.Audit.Observe, s.Audit.Hold
	h.Authorize = s.authorize
	return h
}
