package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"sync"
)

// keyCacheGeneration bounds the signing-key cache: it holds at most two
// generations of this many entries.
const keyCacheGeneration = 1024

// keyCache memoizes derived signing keys, which cost four HMACs to compute
// and are the same for every request a key signs on one day for one
// region and service. It keeps two generations: when the current one is
// full it becomes the old one and the previous old one is dropped, so the
// cache stays bounded while recently used keys survive.
type keyCache struct {
	mu       sync.RWMutex
	cur, old map[string][32]byte
}

var signingKeys = &keyCache{cur: make(map[string][32]byte)}

// appendCacheKey builds an unambiguous cache key from the secret, the scope
// date, region and service.
func appendCacheKey(b []byte, secret, date, region, service string) []byte {
	b = binary.AppendUvarint(b, uint64(len(secret)))
	b = append(b, secret...)
	b = append(b, date...)
	b = binary.AppendUvarint(b, uint64(len(region)))
	b = append(b, region...)
	return append(b, service...)
}

// get returns the signing key for the scope. buf is scratch space for the
// cache key and is returned for reuse.
func (c *keyCache) get(secret, date, region, service string, buf []byte) ([32]byte, []byte) {
	buf = appendCacheKey(buf[:0], secret, date, region, service)
	c.mu.RLock()
	k, ok := c.cur[string(buf)]
	var inOld bool
	if !ok {
		k, inOld = c.old[string(buf)]
	}
	c.mu.RUnlock()
	if ok {
		return k, buf
	}
	if !inOld {
		k = deriveKey(secret, date, region, service)
	}
	c.mu.Lock()
	if len(c.cur) >= keyCacheGeneration {
		c.old, c.cur = c.cur, make(map[string][32]byte, keyCacheGeneration)
	}
	c.cur[string(buf)] = k
	c.mu.Unlock()
	return k, buf
}

// deriveKey computes the SigV4 signing key:
// HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date), region), service), "aws4_request").
func deriveKey(secret, date, region, service string) [32]byte {
	k := hmacSum([]byte("AWS4"+secret), date)
	k = hmacSum(k, region)
	k = hmacSum(k, service)
	k = hmacSum(k, terminator)
	var out [32]byte
	copy(out[:], k)
	return out
}

func hmacSum(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

// signWithPad computes HMAC-SHA256(key, msg) where buf holds 64 bytes of
// room followed by msg: the inner pad is written into that room so the
// inner hash needs no copy of the message and no allocation.
func signWithPad(key *[32]byte, buf []byte) [32]byte {
	for i := 0; i < 64; i++ {
		buf[i] = 0x36
		if i < 32 {
			buf[i] ^= key[i]
		}
	}
	inner := sha256.Sum256(buf)
	var outer [64 + 32]byte
	for i := 0; i < 64; i++ {
		outer[i] = 0x5c
		if i < 32 {
			outer[i] ^= key[i]
		}
	}
	copy(outer[64:], inner[:])
	return sha256.Sum256(outer[:])
}
