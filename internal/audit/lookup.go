package audit

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/idcenter/idcenter/internal/auth"
	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/pagetoken"
	"github.com/idcenter/idcenter/internal/store"
)

// LookupInput is a LookupEvents request.
type LookupInput struct {
	AttributeKey   string // "" or one of EventId, EventName, ReadOnly, Username, ResourceType, ResourceName, EventSource, AccessKeyId
	AttributeValue string
	Attributes     int // how many lookup attributes the request had
	Start, End     time.Time
	Category       string // "", "insight"
	MaxResults     int    // 0: 50
	NextToken      string
}

// Lookup returns the events of the caller's account that in selects, newest
// first, and the token of the next page ("" after the last).
func (t *Trail) Lookup(ctx context.Context, in LookupInput) ([]*store.AuditEvent, string, error) {
	const op = "audit.Lookup"
	c := auth.From(ctx)
	if c == nil {
		return nil, "", errs.E(op, errs.Unauthorized, "The request is not authenticated")
	}
	if in.Attributes > 1 {
		return nil, "", errs.E(op, errs.Invalid, "You can only specify one lookup attribute.").WithCode("InvalidLookupAttributesException")
	}
	if !in.Start.IsZero() && !in.End.IsZero() && in.Start.After(in.End) {
		return nil, "", errs.E(op, errs.Invalid, "Start time must be earlier than end time.").WithCode("InvalidTimeRangeException")
	}
	if in.Category != "" && in.Category != "insight" {
		return nil, "", errs.E(op, errs.Invalid, "The event category is not valid.").WithCode("InvalidEventCategoryException")
	}
	f := store.AuditFilter{Account: c.AccountID, Start: in.Start, End: in.End, Limit: in.MaxResults}
	if f.Limit <= 0 || f.Limit > 50 {
		f.Limit = 50
	}
	v := in.AttributeValue
	switch in.AttributeKey {
	case "":
	case "EventId":
		f.EventID = v
	case "EventName":
		f.EventName = v
	case "ReadOnly":
		ro := strings.EqualFold(v, "true")
		if !ro && !strings.EqualFold(v, "false") {
			return nil, "", errs.E(op, errs.Invalid, "ReadOnly lookup attribute value must be true or false.").WithCode("InvalidLookupAttributesException")
		}
		f.ReadOnly = &ro
	case "Username":
		f.UserName = v
	case "ResourceType":
		f.ResourceType = v
	case "ResourceName":
		f.Resource = v
	case "EventSource":
		f.EventSource = v
	case "AccessKeyId":
		f.AccessKeyID = v
	default:
		return nil, "", errs.Ef(op, errs.Invalid, "Lookup attribute key %s is not supported.", in.AttributeKey).WithCode("InvalidLookupAttributesException")
	}
	if in.Category == "insight" {
		return nil, "", nil // idcenter makes no Insights events
	}
	scope := strings.Join([]string{"cloudtrail.LookupEvents", c.AccountID, in.AttributeKey, v, store.AuditTime(in.Start), store.AuditTime(in.End)}, "\x00")
	key, err := pagetoken.Decode(scope, in.NextToken)
	if err != nil {
		return nil, "", errs.E(op, errs.Invalid, "Invalid NextToken.").WithCode("InvalidNextTokenException")
	}
	if key != "" {
		var seq string
		f.AfterTime, seq, _ = strings.Cut(key, "|")
		if f.AfterSeq, err = strconv.ParseInt(seq, 10, 64); err != nil {
			return nil, "", errs.E(op, errs.Invalid, "Invalid NextToken.").WithCode("InvalidNextTokenException")
		}
	}
	t.Flush() // this process's calls so far are visible
	limit := f.Limit
	f.Limit++
	events, err := t.st.RLong().AuditEvents(ctx, f)
	if err != nil {
		return nil, "", errs.Wrap(op, err)
	}
	next := ""
	if len(events) > limit {
		events = events[:limit]
		last := events[limit-1]
		next = pagetoken.Encode(scope, store.AuditTime(last.Time)+"|"+strconv.FormatInt(last.Seq, 10))
	}
	return events, next, nil
}
