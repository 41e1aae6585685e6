package auth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/secret"
	"github.com/idcenter/idcenter/internal/sigv4"
	"github.com/idcenter/idcenter/internal/store"
)

// cacheTTL bounds how long a decrypted key and its caller are reused before
// the store is read again (so a key deleted on another replica stops working
// within this time).
const cacheTTL = 30 * time.Second

// maxCached bounds the cache; when full it starts over.
const maxCached = 100000

// Authenticator verifies SigV4 requests against the access keys in the store.
type Authenticator struct {
	st     *store.Store
	sealer *secret.Sealer
	now    func() time.Time

	mu    sync.RWMutex
	cache map[string]*cachedKey
}

type cachedKey struct {
	cred    sigv4.Credential
	caller  Caller
	expires time.Time // the key's own expiry (zero for long-term keys)
	loaded  time.Time
}

// New returns an Authenticator over st, opening secrets with sealer.
func New(st *store.Store, sealer *secret.Sealer) *Authenticator {
	return &Authenticator{st: st, sealer: sealer, now: time.Now, cache: map[string]*cachedKey{}}
}

// Authenticate implements awsproto.Authenticator.
func (a *Authenticator) Authenticate(r *http.Request, body []byte, signingName string) (context.Context, error) {
	ctx := r.Context()
	now := a.now()
	var entry *cachedKey
	res, err := sigv4.Verify(ctx, r, body, now, func(ctx context.Context, id string) (sigv4.Credential, error) {
		e, err := a.key(ctx, id, now)
		if err != nil {
			return sigv4.Credential{}, err
		}
		entry = e
		return e.cred, nil
	})
	if err != nil {
		return nil, translate(err)
	}
	if signingName != "" && res.Service != signingName {
		return nil, errs.E("auth", errs.Unauthorized, "Credential should be scoped to correct service: '"+signingName+"'. ").WithCode(sigv4.CodeInvalidSignature)
	}
	c := entry.caller
	c.Region = res.Region
	return WithCaller(ctx, &c), nil
}

// errExpired marks a temporary key past its expiry.
var errExpired = errors.New("auth: expired token")

// key returns the cached or freshly loaded credential of an access key id.
func (a *Authenticator) key(ctx context.Context, id string, now time.Time) (*cachedKey, error) {
	a.mu.RLock()
	e := a.cache[id]
	a.mu.RUnlock()
	if e == nil || now.Sub(e.loaded) > cacheTTL {
		var err error
		if e, err = a.load(ctx, id, now); err != nil {
			return nil, err
		}
		a.mu.Lock()
		if len(a.cache) >= maxCached {
			a.cache = map[string]*cachedKey{}
		}
		a.cache[id] = e
		a.mu.Unlock()
	}
	if !e.expires.IsZero() && now.After(e.expires) {
		return nil, errExpired
	}
	return e, nil
}

// Forget drops a key from the cache (after it is deleted).
func (a *Authenticator) Forget(id string) {
	a.mu.Lock()
	delete(a.cache, id)
	a.mu.Unlock()
}

func (a *Authenticator) load(ctx context.Context, id string, now time.Time) (*cachedKey, error) {
	k, err := a.st.R().AccessKey(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, sigv4.ErrUnknownKey
	}
	if err != nil {
		return nil, err
	}
	secretKey, err := a.sealer.Open(k.Secret, []byte(k.ID))
	if err != nil {
		return nil, err
	}
	e := &cachedKey{cred: sigv4.Credential{AccessKeyID: k.ID, SecretAccessKey: string(secretKey)}, expires: k.Expires, loaded: now}
	if len(k.SessionToken) > 0 {
		tok, err := a.sealer.Open(k.SessionToken, []byte(k.ID+"/token"))
		if err != nil {
			return nil, err
		}
		e.cred.SessionToken = string(tok)
	}
	caller, err := Describe(ctx, a.st.R(), k.AccountID, k.PrincipalArn, k.PrincipalID)
	if err != nil {
		return nil, err
	}
	caller.AccessKeyID = k.ID
	e.caller = *caller
	return e, nil
}

// Describe builds the caller for a principal of an account.
func Describe(ctx context.Context, q store.Q, accountID, arn, principalID string) (*Caller, error) {
	acct, err := q.Account(ctx, accountID)
	if err != nil {
		return nil, err
	}
	c := &Caller{AccountID: accountID, Arn: arn, PrincipalID: principalID, OrgID: acct.OrgID, Type: principalType(arn)}
	if acct.OrgID != "" {
		org, err := q.Organization(ctx, acct.OrgID)
		if err != nil {
			return nil, err
		}
		c.Management = org.ManagementAccountID == accountID
	}
	return c, nil
}

func principalType(arn string) string {
	switch {
	case strings.HasSuffix(arn, ":root"):
		return "Root"
	case strings.Contains(arn, ":assumed-role/"):
		return "AssumedRole"
	default:
		return "IAMUser"
	}
}

// translate maps a verification failure to the AWS error a client sees.
func translate(err error) error {
	var se *sigv4.Error
	switch {
	case errors.As(err, &se):
		return errs.E("auth", errs.Unauthorized, se.Message).WithCode(se.Code)
	case errors.Is(err, errExpired):
		return errs.E("auth", errs.Unauthorized, "The security token included in the request is expired").WithCode("ExpiredTokenException")
	case errors.Is(err, sigv4.ErrUnknownKey):
		return errs.E("auth", errs.Unauthorized, "The security token included in the request is invalid.").WithCode(sigv4.CodeUnrecognizedClient)
	}
	return errs.Wrap("auth", err)
}
