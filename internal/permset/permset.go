// Package permset manages the permission sets of IAM Identity Center
// instances, the account assignments that give users and groups access to
// AWS accounts with them, and their provisioning: a permission set assigned
// in an account becomes a role there (AWSReservedSSO_<name>_<16 hex>) that
// holds the permission set's effective policies. It knows nothing of HTTP.
//
// Assignment creations and deletions and provisionings are asynchronous as
// in AWS: the API records a request IN_PROGRESS and background work
// (worker.go) finishes it. The requests are rows of the database, so any
// replica, or a process restarted after a crash, finishes what another left.
//
// Who may do what is decided in one place, access.go.
package permset

import (
	"strings"
	"sync/atomic"
	"time"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/instance"
	"github.com/idcenter/idcenter/internal/pagetoken"
	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/sweeper"
)

// Limits are the service quotas of the domain (AWS's defaults unless set
// otherwise with SetLimits).
type Limits struct {
	PermissionSetsPerInstance int // 2,000 by default (adjustable in AWS)
	PoliciesPerPermissionSet  int // AWS managed plus customer managed, 20
	ProvisionedPerAccount     int // permission sets provisioned in one account, 250
	InlinePolicyChars         int // non-whitespace characters of an inline policy, 10,240
}

// DefaultLimits are AWS's default quotas.
var DefaultLimits = Limits{
	PermissionSetsPerInstance: 2000,
	PoliciesPerPermissionSet:  20,
	ProvisionedPerAccount:     250,
	InlinePolicyChars:         10240,
}

// Service is the permission-set domain.
type Service struct {
	st        *store.Store
	instances *instance.Service
	limits    atomic.Pointer[Limits]
	delay     atomic.Int64 // how long requests stay IN_PROGRESS at least
	work      sweeper.Sweeper
}

// New returns the permission-set domain over st. It starts a sweep of the
// requests a previous process may have left in progress.
func New(st *store.Store, instances *instance.Service) *Service {
	s := &Service{st: st, instances: instances}
	l := DefaultLimits
	s.limits.Store(&l)
	s.work = sweeper.Sweeper{Sweep: s.Sweep, Tick: sweepTick, Timeout: time.Minute}
	s.kick()
	return s
}

// Close stops the background work and waits for it; what is unfinished
// stays in the database for the next start. Call it before closing the store.
func (s *Service) Close() { s.work.Close() }

// SetLimits replaces the quotas (tests use small ones).
func (s *Service) SetLimits(l Limits) { s.limits.Store(&l) }

func (s *Service) limit() *Limits { return s.limits.Load() }

// SetDelay sets how long a request stays IN_PROGRESS before background work
// finishes it (0 by default: as soon as the worker reaches it).
func (s *Service) SetDelay(d time.Duration) { s.delay.Store(int64(d)) }

// Statuses of asynchronous requests.
const (
	StatusInProgress = "IN_PROGRESS"
	StatusSucceeded  = "SUCCEEDED"
	StatusFailed     = "FAILED"
)

// Target types.
const (
	TargetAccount     = "AWS_ACCOUNT"
	TargetAllAccounts = "ALL_PROVISIONED_ACCOUNTS"
)

// Principal types.
const (
	PrincipalUser  = "USER"
	PrincipalGroup = "GROUP"
)

// Provisioning statuses of a permission set in an account.
const (
	Provisioned    = "LATEST_PERMISSION_SET_PROVISIONED"
	NotProvisioned = "LATEST_PERMISSION_SET_NOT_PROVISIONED"
)

// Kinds of request.
const (
	kindCreate    = "CREATE"
	kindDelete    = "DELETE"
	kindProvision = "PROVISION"
)

// Default page sizes of the list operations (the model allows 1 to 100).
const defaultPage = 100

func pageSize(max int) int {
	if max <= 0 || max > defaultPage {
		return defaultPage
	}
	return max
}

// psID returns the ps-... part of a permission set ARN.
func psID(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }

// instanceOf returns the ARN of the instance a permission set ARN names
// (arn:aws:sso:::permissionSet/ssoins-X/ps-Y belongs to
// arn:aws:sso:::instance/ssoins-X), or "" when it names none.
func instanceOf(psArn string) string {
	prefix, rest, ok := strings.Cut(psArn, ":permissionSet/")
	if !ok {
		return ""
	}
	id, _, ok := strings.Cut(rest, "/")
	if !ok {
		return ""
	}
	return prefix + ":instance/" + id
}

func badToken(op string) error {
	return errs.E(op, errs.Invalid, "The NextToken is not valid")
}

func decodeToken(op, scope, token string) (string, error) {
	key, err := pagetoken.Decode(scope, token)
	if err != nil {
		return "", badToken(op)
	}
	return key, nil
}
