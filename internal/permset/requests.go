package permset

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/ids"
	"github.com/idcenter/idcenter/internal/pagetoken"
	"github.com/idcenter/idcenter/internal/store"
)

// enqueue stores a new IN_PROGRESS request and wakes the worker.
func (s *Service) enqueue(ctx context.Context, op string, r *store.PermSetRequest) (*store.PermSetRequest, error) {
	r.RequestID, r.Status = ids.UUID(), StatusInProgress
	err := s.st.Write(ctx, func(tx *store.Tx) error {
		r.Created, r.Updated = tx.Now, tx.Now
		return tx.InsertPermSetRequest(ctx, r)
	})
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	s.kick()
	return r, nil
}

// request reads a request of a kind of instance in, or
// ResourceNotFoundException.
func (s *Service) request(ctx context.Context, op string, in *store.Instance, kind, id string) (*store.PermSetRequest, error) {
	r, err := s.st.R().PermSetRequest(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && (r.InstanceArn != in.Arn || r.Kind != kind) {
		return nil, errs.E(op, errs.NotFound, "Could not find request with id "+id)
	}
	if err != nil {
		return nil, errs.Wrap(op, err)
	}
	if r.Status == StatusInProgress {
		s.kick() // its work may have been left by a replica that stopped
	}
	return r, nil
}

// requests returns a page of the requests of a kind of an instance, oldest
// first, in a status ("" for any), and the next token.
func (s *Service) requests(ctx context.Context, name, instanceArn, kind, status, token string, max int) ([]*store.PermSetRequest, string, error) {
	op := "permset." + name
	in, _, err := s.open(ctx, name, instanceArn, read)
	if err != nil {
		return nil, "", err
	}
	scope := name + "/" + in.Arn + "/" + status
	key, err := decodeToken(op, scope, token)
	if err != nil {
		return nil, "", err
	}
	var afterMS int64 = -1
	afterID := ""
	if key != "" {
		msPart, id, ok := strings.Cut(key, "/")
		v, perr := strconv.ParseInt(msPart, 10, 64)
		if !ok || perr != nil {
			return nil, "", badToken(op)
		}
		afterMS, afterID = v, id
	}
	max = pageSize(max)
	list, err := s.st.R().PermSetRequestsAfter(ctx, in.Arn, kind, status, afterMS, afterID, max+1)
	if err != nil {
		return nil, "", errs.Wrap(op, err)
	}
	list, next := pagetoken.Cut(list, max, scope, func(x *store.PermSetRequest) string {
		return strconv.FormatInt(x.Created.UnixMilli(), 10) + "/" + x.RequestID
	})
	for _, r := range list {
		if r.Status == StatusInProgress {
			s.kick()
			break
		}
	}
	return list, next, nil
}
