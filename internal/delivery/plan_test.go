package delivery

import (
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

func ev(seq int64, complete bool, t time.Time) *store.AuditEvent {
	return &store.AuditEvent{Seq: seq, Complete: complete, Time: t}
}

func seqsOf(es []*store.AuditEvent) []int64 {
	var out []int64
	for _, e := range es {
		out = append(out, e.Seq)
	}
	return out
}

func TestPlanGapsAndIncompleteEvents(t *testing.T) {
	now := time.Now()
	// Cursor at 10; 12 is missing (uncommitted), 13 incomplete, 14 complete.
	p := makePlan(10, nil, nil, []*store.AuditEvent{ev(11, true, now), ev(13, false, now), ev(14, true, now)}, now, time.Minute, 5*time.Minute)
	if got := seqsOf(p.ready); len(got) != 2 || got[0] != 11 || got[1] != 14 || p.seq != 14 {
		t.Fatalf("ready %v seq %d", got, p.seq)
	}
	if len(p.pending) != 2 || p.pending[0].Seq != 12 || p.pending[1].Seq != 13 {
		t.Fatalf("pending %+v", p.pending)
	}
	// 12 commits late and 13 completes: both are delivered next round.
	later := now.Add(time.Second)
	q := makePlan(p.seq, p.pending, []*store.AuditEvent{ev(12, true, now), ev(13, true, now)}, nil, later, time.Minute, 5*time.Minute)
	if got := seqsOf(q.ready); len(got) != 2 || got[0] != 12 || got[1] != 13 || q.seq != 14 || len(q.pending) != 0 {
		t.Fatalf("late rows: ready %v seq %d pending %+v", got, q.seq, q.pending)
	}
	// An event incomplete for longer than IncompleteAfter is delivered as
	// it is; a gap older than GapWait is forgotten.
	r := makePlan(p.seq, p.pending, []*store.AuditEvent{ev(13, false, now)}, nil, now.Add(2*time.Minute), time.Minute, 90*time.Second)
	if got := seqsOf(r.ready); len(got) != 1 || got[0] != 13 || len(r.pending) != 0 {
		t.Fatalf("stale: ready %v pending %+v", got, r.pending)
	}
	// A gap not yet old enough is kept with the time it was first seen.
	s := makePlan(p.seq, p.pending, nil, nil, now.Add(time.Minute), 2*time.Minute, 5*time.Minute)
	if len(s.ready) != 0 || len(s.pending) != 2 || s.pending[0].Since != now.UnixMilli() {
		t.Fatalf("young gap: %+v", s)
	}
}

func TestPlanStopAt(t *testing.T) {
	now := time.Now()
	p := makePlan(10, []pendingSeq{{Seq: 5, Since: now.UnixMilli()}}, nil,
		[]*store.AuditEvent{ev(11, true, now), ev(13, true, now), ev(14, true, now)}, now, time.Minute, time.Minute)
	// The sink failed at 13: 11 was delivered, 13 and 14 are read again
	// next round (the cursor goes back to 12, keeping the gaps below it).
	p.stopAt(13)
	if p.seq != 12 || len(p.pending) != 2 || p.pending[0].Seq != 5 || p.pending[1].Seq != 12 {
		t.Fatalf("after stopAt: seq %d pending %+v", p.seq, p.pending)
	}
}

func TestSelectors(t *testing.T) {
	sel, err := ParseSelectors("CreateInstance, sso.amazonaws.com:DeleteInstance,identitystore.amazonaws.com:*")
	if err != nil {
		t.Fatal(err)
	}
	w := Webhook{Filter: sel}
	for _, c := range []struct {
		src, name string
		want      bool
	}{
		{"sso.amazonaws.com", "CreateInstance", true},
		{"other.amazonaws.com", "CreateInstance", true},
		{"sso.amazonaws.com", "DeleteInstance", true},
		{"organizations.amazonaws.com", "DeleteInstance", false},
		{"identitystore.amazonaws.com", "CreateUser", true},
		{"sso.amazonaws.com", "ListInstances", false},
	} {
		if got := w.Selects(c.src, c.name); got != c.want {
			t.Errorf("%s:%s selected %v", c.src, c.name, got)
		}
	}
	if !(Webhook{}).Selects("a", "b") {
		t.Error("an empty filter selects everything")
	}
	for _, bad := range []string{":", "a b", "x/y"} {
		if _, err := ParseSelectors(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
