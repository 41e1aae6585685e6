package cloudtrail

import (
	"context"
	"strconv"

	"github.com/idcenter/idcenter/internal/audit"
	model "github.com/idcenter/idcenter/internal/model/cloudtrail"
)

func (a *API) lookupEvents(ctx context.Context, in *model.LookupEventsRequest) (*model.LookupEventsResponse, error) {
	q := audit.LookupInput{
		Attributes: len(in.LookupAttributes),
		Start:      timeOf(in.StartTime),
		End:        timeOf(in.EndTime),
		Category:   str(in.EventCategory),
		MaxResults: limit(in.MaxResults),
		NextToken:  str(in.NextToken),
	}
	if len(in.LookupAttributes) > 0 {
		q.AttributeKey, q.AttributeValue = str(in.LookupAttributes[0].AttributeKey), str(in.LookupAttributes[0].AttributeValue)
	}
	events, next, err := a.trail.Lookup(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &model.LookupEventsResponse{Events: make([]model.Event, len(events)), NextToken: opt(next)}
	for i, e := range events {
		ev := model.Event{
			EventId:         ptr(e.EventID),
			EventName:       ptr(e.EventName),
			ReadOnly:        ptr(strconv.FormatBool(e.ReadOnly)),
			AccessKeyId:     opt(e.AccessKeyID),
			EventTime:       stamp(e.Time),
			EventSource:     ptr(e.EventSource),
			Username:        opt(e.UserName),
			CloudTrailEvent: ptr(string(audit.JSON(e))),
		}
		for _, r := range e.Resources {
			ev.Resources = append(ev.Resources, model.Resource{ResourceType: ptr(r.Type), ResourceName: ptr(r.Name)})
		}
		out.Events[i] = ev
	}
	return out, nil
}
