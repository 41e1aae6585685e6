// Package ssoadmin serves the AWS SSO Admin API (sso-admin, JSON 1.1,
// target prefix SWBExternalService, signing name sso) over the instance
// domain. It decodes nothing itself: awsproto decodes and validates the
// generated model types (internal/model/ssoadmin); the handlers here convert
// them to domain calls and back. One file per resource.
package ssoadmin

import (
	"time"

	"github.com/idcenter/idcenter/internal/awsproto"
	"github.com/idcenter/idcenter/internal/awsshape"
	"github.com/idcenter/idcenter/internal/instance"
	model "github.com/idcenter/idcenter/internal/model/ssoadmin"
	"github.com/idcenter/idcenter/internal/permset"
)

// API is the sso-admin service over its domains.
type API struct {
	inst *instance.Service
	sets *permset.Service
}

// New returns the sso-admin service with its operations registered.
func New(inst *instance.Service, sets *permset.Service) *awsproto.Service {
	a := &API{inst: inst, sets: sets}
	s := &awsproto.Service{
		TargetPrefix: model.Service.TargetPrefix,
		SigningName:  model.Service.SigningName,
		EventSource:  "sso.amazonaws.com",
		ErrorStatus:  model.ErrorStatus,
	}
	a.instances(s)
	a.tags(s)
	a.abac(s)
	a.regions(s)
	a.permissionSets(s)
	a.permissionSetPolicies(s)
	a.assignments(s)
	a.provisioning(s)
	return s
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// opt returns a pointer to s, or nil for "" (members AWS leaves out).
func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func ptr[T any](v T) *T { return &v }

func stamp(t time.Time) *awsshape.Timestamp {
	if t.IsZero() {
		return nil
	}
	return awsshape.NewTimestamp(t)
}

func limit(p *int32) int {
	if p == nil {
		return 0
	}
	return int(*p)
}
