// Package ssoadmin serves the AWS SSO Admin API (sso-admin, JSON 1.1,
// target prefix SWBExternalService, signing name sso) over the instance
// domain. It decodes nothing itself: awsproto decodes and validates the
// generated model types (internal/model/ssoadmin); the handlers here convert
// them to domain calls and back. One file per resource.
package ssoadmin

import (
	"github.com/idcenter/idcenter/internal/awsproto"
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
