package cloudtrail

import (
	"context"
	"strconv"

	"github.com/idcenter/idcenter/internal/audit"
	"github.com/idcenter/idcenter/internal/awsshape"
	model "github.com/idcenter/idcenter/internal/model/cloudtrail"
)

func (a *API) lookupEvents(ctx context.Context, in *model.LookupEventsRequest) (*model.LookupEventsResponse, error) {
	q := audit.LookupInput{
		Attributes: len(in.LookupAttributes),
		Start:      awsshape.TimeOf(in.StartTime),
		End:        awsshape.TimeOf(in.EndTime),
		Category:   awsshape.String(in.EventCategory),
		MaxResults: awsshape.Int(in.MaxResults),
		NextToken:  awsshape.String(in.NextToken),
	}
	if len(in.LookupAttributes) > 0 {
		q.AttributeKey, q.AttributeValue = awsshape.String(in.LookupAttributes[0].AttributeKey), awsshape.String(in.LookupAttributes[0].AttributeValue)
	}
	events, next, err := a.trail.Lookup(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &model.LookupEventsResponse{Events: make([]model.Event, len(events)), NextToken: awsshape.OptString(next)}
	for i, e := range events {
		ev := model.Event{
			EventId:         awsshape.Ptr(e.EventID),
			EventName:       awsshape.Ptr(e.EventName),
			ReadOnly:        awsshape.Ptr(strconv.FormatBool(e.ReadOnly)),
			AccessKeyId:     awsshape.OptString(e.AccessKeyID),
			EventTime:       awsshape.Stamp(e.Time),
			EventSource:     awsshape.Ptr(e.EventSource),
			Username:        awsshape.OptString(e.UserName),
			CloudTrailEvent: awsshape.Ptr(string(audit.JSON(e))),
		}
		for _, r := range e.Resources {
			ev.Resources = append(ev.Resources, model.Resource{ResourceType: awsshape.Ptr(r.Type), ResourceName: awsshape.Ptr(r.Name)})
		}
		out.Events[i] = ev
	}
	return out, nil
}
