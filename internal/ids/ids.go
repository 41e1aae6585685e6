// Package ids makes the identifiers AWS uses, in the real formats (see the
// service models' patterns): UUIDs, instance and identity store ids, account
// ids, access keys and secrets.
//
// Access keys, secrets and every other id drawn from an alphabet take their
// randomness from crypto/rand. UUIDs (request, event and resource ids, made
// for every call) take theirs from the runtime's generator (math/rand/v2:
// ChaCha8 per thread, seeded by the operating system), unpredictable enough
// for ids that grant nothing and without crypto/rand's cost there: its
// vDSO getrandom needs a deep stack, which each call observer's fresh
// goroutine grew by copying, 5 us a call.
package ids

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"math/big"
	mrand "math/rand/v2"
	"time"
)

// random16 fills b with 128 random bits from the runtime's generator.
func random16(b *[16]byte) {
	binary.LittleEndian.PutUint64(b[:8], mrand.Uint64())
	binary.LittleEndian.PutUint64(b[8:], mrand.Uint64())
}

// UUID returns a random (version 4) UUID in its 36-character form.
func UUID() string {
	var b [16]byte
	random16(&b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return format(&b)
}

// TimeUUID returns a version 7 UUID (RFC 9562): 48 bits of Unix
// milliseconds, then 74 random bits. Ids made one after another sort
// together, so a primary key index takes new rows at its end instead of on
// random pages.
func TimeUUID() string {
	var b [16]byte
	random16(&b)
	ms := uint64(time.Now().UnixMilli())
	for i := 5; i >= 0; i-- {
		b[i] = byte(ms)
		ms >>= 8
	}
	b[6] = b[6]&0x0f | 0x70
	b[8] = b[8]&0x3f | 0x80
	return format(&b)
}

func format(b *[16]byte) string {
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// Hex returns n random lowercase hex digits.
func Hex(n int) string {
	b := make([]byte, (n+1)/2)
	rand.Read(b)
	return hex.EncodeToString(b)[:n]
}

// From returns n random characters drawn from alphabet.
func From(alphabet string, n int) string {
	out := make([]byte, n)
	max := big.NewInt(int64(len(alphabet)))
	for i := range out {
		v, _ := rand.Int(rand.Reader, max)
		out[i] = alphabet[v.Int64()]
	}
	return string(out)
}

const (
	digits     = "0123456789"
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	secretAlph = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
)

// AccountID returns a 12-digit account id that does not start with 0.
func AccountID() string { return From("123456789", 1) + From(digits, 11) }

// InstanceID returns "ssoins-" and 16 hex digits.
func InstanceID() string { return "ssoins-" + Hex(16) }

// IdentityStoreID returns "d-" and 10 hex digits.
func IdentityStoreID() string { return "d-" + Hex(10) }

// ResourceID returns a user, group or membership id in the modern form
// "<10 hex>-<uuid>", whose prefix is the identity store's own digits.
func ResourceID(storeID string) string {
	if len(storeID) == 12 && storeID[:2] == "d-" {
		return storeID[2:] + "-" + TimeUUID()
	}
	return TimeUUID()
}

// OrganizationID returns "o-" and 10 lowercase alphanumerics.
func OrganizationID() string { return "o-" + From(lowerAlnum, 10) }

// RootID returns "r-" and 4 lowercase alphanumerics.
func RootID() string { return "r-" + From(lowerAlnum, 4) }

// CreateAccountRequestID returns "car-" and 32 lowercase alphanumerics.
func CreateAccountRequestID() string { return "car-" + From(lowerAlnum, 32) }

// AccessKeyID returns a 20-character key id with the given prefix ("AKIA"
// for long-term keys, "ASIA" for temporary ones).
func AccessKeyID(prefix string) string { return prefix + From(upperAlnum, 20-len(prefix)) }

// PrincipalID returns a unique id for a principal with the given prefix
// ("AIDA" for users, "AROA" for roles).
func PrincipalID(prefix string) string { return prefix + From(upperAlnum, 21-len(prefix)) }

// SecretAccessKey returns a 40-character secret.
func SecretAccessKey() string { return From(secretAlph, 40) }
