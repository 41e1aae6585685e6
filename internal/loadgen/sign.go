package loadgen

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// JSON 1.1 protocol constants used by [AWSJSON].
const (
	// ContentTypeAWSJSON is the content type of AWS JSON 1.1 requests.
	ContentTypeAWSJSON = "application/x-amz-json-1.1"
)

// Signer signs requests with AWS Signature Version 4. It is safe for
// concurrent use; signing derives keys through the SDK's cache, so the
// per-request cost is the canonical request hashing and one HMAC chain.
type Signer struct {
	creds   aws.Credentials
	region  string
	service string
	v4      *v4.Signer
}

// NewSigner returns a Signer for the given credentials (sessionToken may
// be empty), region and signing service name (e.g. "sso").
func NewSigner(accessKey, secret, sessionToken, region, service string) *Signer {
	return &Signer{
		creds: aws.Credentials{
			AccessKeyID:     accessKey,
			SecretAccessKey: secret,
			SessionToken:    sessionToken,
			Source:          "loadgen",
		},
		region:  region,
		service: service,
		v4:      v4.NewSigner(),
	}
}

// Sign signs r in place (setting X-Amz-Date, Authorization and, with a
// session token, X-Amz-Security-Token) at time now. payloadHash is the
// hex SHA-256 of the body; empty means it is computed from body.
// r.ContentLength must equal len(body).
func (s *Signer) Sign(ctx context.Context, r *http.Request, body []byte, payloadHash string, now time.Time) error {
	if payloadHash == "" {
		payloadHash = HashPayload(body)
	}
	return s.v4.SignHTTP(ctx, s.creds, r, payloadHash, s.service, s.region, now)
}

// HashPayload returns the hex-encoded SHA-256 of body, as SigV4 wants it.
func HashPayload(body []byte) string {
	sum := sha256.Sum256(body)
	return hex.EncodeToString(sum[:])
}

// AWSJSON builds an AWS JSON 1.1 call: POST / with Content-Type
// application/x-amz-json-1.1 and X-Amz-Target "<target>.<op>" (for
// example target "SWBExternalService", op "ListInstances"). Set Expect,
// or PayloadHash for a body reused across requests, on the result.
func AWSJSON(target, op string, body []byte) Request {
	return Request{
		Method: http.MethodPost,
		Path:   "/",
		Header: http.Header{
			"Content-Type": {ContentTypeAWSJSON},
			"X-Amz-Target": {target + "." + op},
		},
		Body: body,
	}
}
