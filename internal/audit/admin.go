package audit

import (
	"context"
	"os"
	"os/user"
	"sync"
	"time"

	"github.com/idcenter/idcenter/internal/awsproto"
	"github.com/idcenter/idcenter/internal/ids"
	"github.com/idcenter/idcenter/internal/store"
)

// Change describes a change made outside the AWS APIs: by an administrative
// command (idcenter account create, ...) or by the server's first start.
type Change struct {
	Source    string // eventSource, e.g. organizations.amazonaws.com
	Name      string // eventName, e.g. CreateAccount
	AccountID string // the account the change belongs to (recipient), if known yet
	OrgID     string
	Region    string
	Command   string // what ran it, e.g. "idcenter account create"
	Params    any    // the request parameters (converted like an API call's)
}

// InvokedBy is the userIdentity.invokedBy of changes made by commands.
const InvokedBy = "idcenter admin command"

// BeginChange returns ctx carrying the event of a change as a pending
// event: the change's first write stores it in the same transaction. Call
// EndChange when the change is done.
func (t *Trail) BeginChange(ctx context.Context, c Change) (context.Context, *store.PendingEvent) {
	who, host := operator()
	e := &store.AuditEvent{
		EventID:     ids.TimeUUID(),
		Time:        time.Now(),
		EventSource: c.Source,
		EventName:   c.Name,
		EventType:   "AwsApiCall",
		ReadOnly:    ReadOnly(c.Name),
		UserType:    "Unknown",
		PrincipalID: who,
		UserName:    who,
		InvokedBy:   InvokedBy,
		Region:      c.Region,
		SourceIP:    host,
		UserAgent:   c.Command,
		RequestID:   ids.UUID(),
	}
	if e.Region == "" {
		e.Region = DefaultRegion
	}
	t.setAccount(e, c.AccountID, c.OrgID)
	e.RequestParameters, e.Resources = convertParams(jsonDoc(c.Params))
	p := &store.PendingEvent{Event: e}
	return store.WithPendingEvent(ctx, p), p
}

// EndChange completes the event of a change with its outcome: the account
// it turned out to belong to (if not known at BeginChange), its response
// (secrets hidden) or its error, and stores it. It waits until the event is
// stored.
func (t *Trail) EndChange(p *store.PendingEvent, accountID, orgID string, response any, err error) {
	e := p.Event
	e.Staged = p.Close()
	if accountID != "" {
		e.Moved = e.Moved || accountID != e.RecipientAccountID
		t.setAccount(e, accountID, orgID)
	}
	if err != nil {
		code, _, body := awsproto.Describe(nil, e.RequestID, err)
		e.ErrorCode, e.ErrorMessage = code, clip(body.Message, 1024)
	} else {
		var more []store.AuditResource
		e.ResponseElements, more = convertParams(jsonDoc(response))
		e.Resources = addResources(e.Resources, more)
	}
	e.Complete = true
	t.enqueue(e)
	t.Flush()
}

func (t *Trail) setAccount(e *store.AuditEvent, accountID, orgID string) {
	e.RecipientAccountID, e.UserAccountID, e.OrgID = accountID, accountID, orgID
}

// operator names who runs the command: the operating system user, and the
// host (as sourceIPAddress).
var operator = sync.OnceValues(func() (string, string) {
	who := "unknown"
	if u, err := user.Current(); err == nil {
		who = u.Username
	}
	host, _ := os.Hostname()
	return who, host
})
