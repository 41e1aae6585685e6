// Package server assembles idcenter: it opens the domains over a store and
// routes HTTP requests to the AWS APIs they serve. It holds wiring only.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/idcenter/idcenter/internal/audit"
	"github.com/idcenter/idcenter/internal/auth"
	"github.com/idcenter/idcenter/internal/awsproto"
	"github.com/idcenter/idcenter/internal/delivery"
	"github.com/idcenter/idcenter/internal/instance"
	"github.com/idcenter/idcenter/internal/org"
	"github.com/idcenter/idcenter/internal/permset"
	"github.com/idcenter/idcenter/internal/secret"
	"github.com/idcenter/idcenter/internal/store"
)

// Config is what a server is built from.
type Config struct {
	Store  *store.Store
	Sealer *secret.Sealer
	Log    *slog.Logger
	// Baseline mounts a trivial JSON handler at /__bench/baseline, which the
	// load tool measures to know what this machine's HTTP stack allows.
	Baseline http.Handler
}

// Server is an assembled idcenter.
type Server struct {
	Org       *org.Service
	Instances *instance.Service
	PermSets  *permset.Service // permission sets, account assignments, provisioning
	Auth      *auth.Authenticator
	Audit     *audit.Trail        // records every call; Close it before the store
	JSON      *awsproto.Handler   // the JSON 1.1 services
	Query     http.Handler        // the query-protocol services (STS)
	Delivery  *delivery.Deliverer // sends the trail out (StartDelivery); nil if not
	cfg       Config
	baseline  http.Handler
	log       *slog.Logger
}

// New assembles a server.
func New(cfg Config) *Server {
	s := &Server{
		Org:       org.New(cfg.Store, cfg.Sealer),
		Instances: instance.New(cfg.Store),
		Auth:      auth.New(cfg.Store, cfg.Sealer),
		Audit:     audit.New(cfg.Store, cfg.Log),
		cfg:       cfg,
		baseline:  cfg.Baseline,
		log:       cfg.Log,
	}
	s.PermSets = permset.New(cfg.Store, s.Instances) // resumes the requests a previous run left in progress
	s.JSON = awsproto.NewHandler(s.Auth, cfg.Log, s.services(cfg)...)
	s.JSON.Begin, s.JSON.Observe, s.JSON.Hold = s.Audit.Begin, s.Audit.Observe, s.Audit.Hold
	s.JSON.Authorize = s.authorize
	s.Query = s.queryServices(cfg)
	return s
}

// StartDelivery starts delivering the audit trail to log files and
// webhooks (package delivery). Start it before the first start's bootstrap
// to deliver the events of the organization's creation too.
func (s *Server) StartDelivery(ctx context.Context, cfg delivery.Config) error {
	d, err := delivery.Start(ctx, s.cfg.Store, s.cfg.Sealer, s.log, cfg)
	if err != nil {
		return err
	}
	s.Delivery = d
	return nil
}

// Close stops the background work (what is unfinished stays in the
// database for the next start), stores the audit events still queued and
// stops delivery. Call it after the HTTP server has stopped and before the
// store is closed.
func (s *Server) Close() {
	s.PermSets.Close()
	s.Instances.Close()
	s.Org.Wait()
	s.Audit.Close()
	if s.Delivery != nil {
		s.Delivery.Close()
	}
}

// SetBaseline mounts the load tool's trivial handler at /__bench/baseline.
func (s *Server) SetBaseline(h http.Handler) { s.baseline = h }

// ServeHTTP routes a request: JSON 1.1 calls carry X-Amz-Target; query
// protocol calls (STS) are form posts with an Action.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case s.baseline != nil && r.URL.Path == "/__bench/baseline":
		s.baseline.ServeHTTP(w, r)
	case r.Header.Get("X-Amz-Target") != "":
		s.JSON.ServeHTTP(w, r)
	case r.URL.Path == "/" && (r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") || r.URL.Query().Get("Action") != ""):
		s.Query.ServeHTTP(w, r)
	default:
		s.JSON.ServeHTTP(w, r) // answers UnknownOperationException in AWS's shape
	}
}
