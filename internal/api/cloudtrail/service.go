// Package cloudtrail serves the slice of the AWS CloudTrail API (JSON 1.1,
// target prefix com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101,
// signing name cloudtrail) that reads idcenter's audit trail: LookupEvents
// (event history of the caller's account) and the CloudTrail Lake calls
// ListEventDataStores, StartQuery, DescribeQuery and GetQueryResults over the
// organization's built-in event data store. The work is internal/audit's;
// the handlers convert the generated model types to its calls and back.
package cloudtrail

import (
	"github.com/idcenter/idcenter/internal/audit"
	"github.com/idcenter/idcenter/internal/awsproto"
	model "github.com/idcenter/idcenter/internal/model/cloudtrail"
)

// API is the CloudTrail service over the audit trail.
type API struct {
	trail *audit.Trail
}

// New returns the CloudTrail service with its operations registered.
func New(t *audit.Trail) *awsproto.Service {
	a := &API{trail: t}
	s := &awsproto.Service{
		TargetPrefix: model.Service.TargetPrefix,
		SigningName:  model.Service.SigningName,
		EventSource:  "cloudtrail.amazonaws.com",
		ErrorStatus:  model.ErrorStatus,
	}
	awsproto.Handle(s, "LookupEvents", a.lookupEvents)
	awsproto.Handle(s, "ListEventDataStores", a.listEventDataStores)
	awsproto.Handle(s, "StartQuery", a.startQuery)
	awsproto.Handle(s, "DescribeQuery", a.describeQuery)
	awsproto.Handle(s, "GetQueryResults", a.getQueryResults)
	return s
}

// ShortTargetPrefix is the X-Amz-Target prefix the AWS SDKs built from the
// Smithy model send (CloudTrail_20131101.LookupEvents); the AWS CLI sends the
// service model's long one. CloudTrail accepts both.
const ShortTargetPrefix = "CloudTrail_20131101"

// ShortTarget returns s (from New) answering to ShortTargetPrefix.
func ShortTarget(s *awsproto.Service) *awsproto.Service {
	alias := *s
	alias.TargetPrefix = ShortTargetPrefix
	return &alias
}
