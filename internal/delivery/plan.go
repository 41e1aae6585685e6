package delivery

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// pendingSeq is a seq at or below a cursor that is not delivered yet: its
// row is missing (a gap) or not ready (incomplete). Since is when the
// cursor passed it (Unix milliseconds).
type pendingSeq struct {
	Seq   int64 `json:"s"`
	Since int64 `json:"t"`
}

// maxPending bounds the seqs a cursor keeps looking for; beyond it the
// oldest are forgotten.
const maxPending = 100000

func decodePending(s string) []pendingSeq {
	var p []pendingSeq
	if s != "" {
		json.Unmarshal([]byte(s), &p) // a cursor this package wrote
	}
	return p
}

func encodePending(p []pendingSeq) string {
	if len(p) == 0 {
		return ""
	}
	b, _ := json.Marshal(p)
	return string(b)
}

// plan is what a round delivers, and where the cursor goes if it does.
type plan struct {
	ready   []*store.AuditEvent // in seq order
	seq     int64               // the new high mark
	pending []pendingSeq        // seqs up to seq still to deliver, in order
}

// makePlan looks at the seqs a cursor (seq, pending) has not delivered:
// the pending ones (whose rows, if they exist now, are in olds) and those
// above seq up to the highest row read (news, in seq order). A row that is
// complete, or incomplete for longer than incompleteAfter, is ready; a row
// not ready, or a seq without a row, stays pending, until gapWait for a seq
// that never shows up.
func makePlan(seq int64, pending []pendingSeq, olds, news []*store.AuditEvent, now time.Time, incompleteAfter, gapWait time.Duration) plan {
	rows := make(map[int64]*store.AuditEvent, len(olds)+len(news))
	for _, e := range olds {
		rows[e.Seq] = e
	}
	for _, e := range news {
		rows[e.Seq] = e
	}
	p := plan{seq: seq}
	visit := func(s, since int64) {
		if e, ok := rows[s]; ok {
			if e.Complete || now.Sub(e.Time) >= incompleteAfter {
				p.ready = append(p.ready, e)
				return
			}
		} else if now.UnixMilli()-since >= gapWait.Milliseconds() {
			return // a rolled-back transaction, or a skipped sequence value
		}
		p.pending = append(p.pending, pendingSeq{Seq: s, Since: since})
	}
	for _, ps := range pending {
		visit(ps.Seq, ps.Since)
	}
	if len(news) > 0 {
		last := news[len(news)-1].Seq
		for s := seq + 1; s <= last; s++ {
			visit(s, now.UnixMilli())
		}
		p.seq = last
	}
	if n := len(p.pending); n > maxPending {
		p.pending = p.pending[n-maxPending:]
	}
	return p
}

// stopAt makes the plan keep everything from seq s on for a later round:
// the sink failed at s, and delivered the ready events before it.
func (p *plan) stopAt(s int64) {
	if s-1 < p.seq {
		p.seq = s - 1
	}
	p.pending = slices.DeleteFunc(p.pending, func(ps pendingSeq) bool { return ps.Seq > p.seq })
}
