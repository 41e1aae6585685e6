// Package sigv4 verifies AWS Signature Version 4 on incoming HTTP requests,
// as the AWS SDKs (aws-sdk-go-v2, botocore and the AWS CLI, the JavaScript
// and Java SDKs) sign them for the JSON services this server implements.
//
// Both forms are accepted: the Authorization header
// ("AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...") with
// X-Amz-Date (or Date), and the presigned query string (X-Amz-Algorithm,
// X-Amz-Credential, X-Amz-Date, X-Amz-SignedHeaders, X-Amz-Signature and
// optionally X-Amz-Expires). Failures are *Error values carrying the AWS
// error code, message and HTTP status a client expects.
//
// The canonical request is built from the request as it arrived: the path
// and query from the request line, the host from r.Host. The path is
// URI-encoded a second time, as the SDKs do for every service but S3; when
// the path has empty or dot segments the normalized forms botocore and the
// JavaScript SDK sign are tried as well.
//
// Verify does not check that the credential scope names this server's
// region and service: the caller compares Result.Region and Result.Service.
package sigv4

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Credential is what the server knows about an access key.
type Credential struct {
	AccessKeyID     string
	SecretAccessKey string
	// SessionToken is the token temporary credentials must present as
	// X-Amz-Security-Token; it is empty for long-term keys.
	SessionToken string
}

// Lookup returns the credential for an access key id, or an error wrapping
// ErrUnknownKey if there is none. Any other error is passed through by
// Verify, wrapped, for the caller to answer as an internal error.
type Lookup func(ctx context.Context, accessKeyID string) (Credential, error)

// Result describes a request whose signature verified.
type Result struct {
	AccessKeyID string    // the access key that signed the request
	Region      string    // the region of the credential scope
	Service     string    // the service of the credential scope
	SignedAt    time.Time // the signing time (X-Amz-Date), UTC
	Presigned   bool      // the signature came in the query string
}

const unsignedPayload = "UNSIGNED-PAYLOAD"

var unsignedPayloadBytes = []byte(unsignedPayload)

// Verify checks the SigV4 signature of r, in the Authorization header form
// or the presigned query form. body is the complete request body, already
// read by the caller; Verify never reads r.Body. now is the server clock:
// header signatures more than five minutes away from it are rejected, and
// presigned ones past X-Amz-Date + X-Amz-Expires.
//
// Authentication failures are returned as *Error. An error from lookup other
// than ErrUnknownKey is returned wrapped and is not an *Error.
func Verify(ctx context.Context, r *http.Request, body []byte, now time.Time, lookup Lookup) (Result, error) {
	st := scratchPool.Get().(*scratch)
	defer st.release()

	path, rawQuery := requestTarget(r)
	st.pairs = parseQuery(st.pairs[:0], rawQuery)

	var a auth
	var aerr *Error
	if h := firstValue(r.Header, "Authorization"); h != "" {
		a, aerr = parseHeaderAuth(h, r.Header)
	} else if isPresigned(st.pairs) {
		a, aerr = parsePresigned(st.pairs, r.Header)
	} else {
		return Result{}, errMissingAuth()
	}
	if aerr != nil {
		return Result{}, aerr
	}
	if e := checkTime(&a, now); e != nil {
		return Result{}, e
	}

	cred, err := lookup(ctx, a.akid)
	if err != nil {
		if errors.Is(err, ErrUnknownKey) {
			return Result{}, errUnrecognized()
		}
		return Result{}, fmt.Errorf("sigv4: looking up access key: %w", err)
	}
	if !tokenMatches(a.token, cred.SessionToken) {
		return Result{}, errUnrecognized()
	}

	var bodyHex [64]byte
	sum := sha256.Sum256(body)
	hex.Encode(bodyHex[:], sum[:])
	payload, alt := bodyHex[:], []byte(nil)
	switch h := firstValue(r.Header, "X-Amz-Content-Sha256"); {
	case h == "":
		if a.presigned {
			alt = unsignedPayloadBytes // botocore presigns with UNSIGNED-PAYLOAD
		}
	case h == unsignedPayload && (a.presigned || hasListItem(a.signedHeaders, "x-amz-content-sha256")):
		payload = unsignedPayloadBytes
	case len(h) == len(bodyHex) && isHexFold(h, bodyHex[:]):
		copy(bodyHex[:], h) // sign the header's spelling
	default:
		return Result{}, errContentSHA()
	}

	var want [32]byte
	if !decodeSignature(a.signature, &want) {
		return Result{}, errSignature()
	}
	var key [32]byte
	key, st.key = signingKeys.get(cred.SecretAccessKey, a.scope[:8], a.region, a.service, st.key)

	st.mid = st.buildMiddle(r, &a, len(body))
	raw, collapsed, dotless := pathVariants(path)
	for _, p := range [...]string{raw, collapsed, dotless} {
		if p == "" {
			continue
		}
		if st.matches(&key, &want, r.Method, p, &a, payload) ||
			alt != nil && st.matches(&key, &want, r.Method, p, &a, alt) {
			return Result{
				AccessKeyID: a.akid,
				Region:      a.region,
				Service:     a.service,
				SignedAt:    a.t,
				Presigned:   a.presigned,
			}, nil
		}
	}
	return Result{}, errSignature()
}

// checkTime applies the clock-skew rule, or for presigned requests with
// X-Amz-Expires the expiry.
func checkTime(a *auth, now time.Time) *Error {
	d := now.Sub(a.t)
	if d < -maxSkew {
		return errSkewFuture(a.amzDate, now)
	}
	if a.presigned && a.expires >= 0 {
		if d > time.Duration(a.expires)*time.Second {
			return errPresignExpired()
		}
		return nil
	}
	if d > maxSkew {
		return errSkewPast(a.amzDate, now)
	}
	return nil
}

// tokenMatches compares the presented session token with the credential's
// in constant time. A token is required exactly when the credential has one.
func tokenMatches(got, want string) bool {
	if want == "" || got == "" {
		return want == got
	}
	if len(got) != len(want) {
		return false
	}
	var v byte
	for i := 0; i < len(got); i++ {
		v |= got[i] ^ want[i]
	}
	return subtle.ConstantTimeByteEq(v, 0) == 1
}

func isPresigned(q []qpair) bool {
	for i := range q {
		switch q[i].key {
		case paramAlgorithm, paramCredential, paramSignature:
			return true
		}
	}
	return false
}

func isHexFold(s string, lower []byte) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'F' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

func decodeSignature(s string, out *[32]byte) bool {
	if len(s) != 64 {
		return false
	}
	for i := range out {
		hi, ok1 := unhex(s[2*i])
		lo, ok2 := unhex(s[2*i+1])
		if !ok1 || !ok2 {
			return false
		}
		out[i] = hi<<4 | lo
	}
	return true
}

// scratch holds the buffers of one verification, pooled to avoid
// allocating them per request.
type scratch struct {
	pairs []qpair
	mid   []byte // "\n" query "\n" headers "\n" signed-headers "\n"
	cr    []byte // the canonical request
	sts   []byte // 64 bytes of HMAC pad room, then the string to sign
	key   []byte // cache key scratch
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

func (s *scratch) release() {
	const maxKeep = 64 << 10
	if cap(s.mid) > maxKeep || cap(s.cr) > maxKeep || cap(s.sts) > maxKeep || cap(s.pairs) > 1024 {
		return
	}
	clear(s.pairs[:cap(s.pairs)]) // drop references to request strings
	scratchPool.Put(s)
}

// buildMiddle builds the part of the canonical request between the URI and
// the payload hash.
func (s *scratch) buildMiddle(r *http.Request, a *auth, bodyLen int) []byte {
	slices.SortFunc(s.pairs, compareQpair)
	b := append(s.mid[:0], '\n')
	first := true
	for _, p := range s.pairs {
		if a.presigned && p.key == paramSignature {
			continue
		}
		if !first {
			b = append(b, '&')
		}
		first = false
		b = append(b, p.key...)
		b = append(b, '=')
		b = append(b, p.val...)
	}
	b = append(b, '\n')
	b = appendCanonicalHeaders(b, r, a.signedHeaders, bodyLen)
	b = append(b, '\n')
	b = append(b, a.signedHeaders...)
	return append(b, '\n')
}

// matches computes the signature over the canonical request with the given
// path and payload hash and compares it with want in constant time.
func (s *scratch) matches(key, want *[32]byte, method, path string, a *auth, payload []byte) bool {
	cr := append(s.cr[:0], method...)
	cr = append(cr, '\n')
	cr = appendEscapedPath(cr, path)
	cr = append(cr, s.mid...)
	cr = append(cr, payload...)
	s.cr = cr
	crHash := sha256.Sum256(cr)

	var pad [64]byte
	sts := append(s.sts[:0], pad[:]...)
	sts = append(sts, algorithm+"\n"...)
	sts = append(sts, a.amzDate...)
	sts = append(sts, '\n')
	sts = append(sts, a.scope...)
	sts = append(sts, '\n')
	sts = hex.AppendEncode(sts, crHash[:])
	s.sts = sts

	got := signWithPad(key, sts)
	return hmac.Equal(got[:], want[:])
}
