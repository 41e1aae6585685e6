package sigv4

import (
	"net/http"
	"strconv"
	"strings"
)

// qpair is one query parameter: the raw value as sent, and the canonical
// (RFC 3986 encoded) key and value.
type qpair struct {
	rawVal   string
	key, val string
}

// requestTarget returns the path and raw query exactly as the client sent
// them. The request line (RequestURI) is preferred over r.URL because the
// signature covers the wire form of the path, which URL.EscapedPath cannot
// always reproduce, and because middleware may have rewritten r.URL.
func requestTarget(r *http.Request) (path, rawQuery string) {
	if u := r.RequestURI; u != "" && u[0] == '/' {
		path, rawQuery, _ = strings.Cut(u, "?")
		path, _, _ = strings.Cut(path, "#")
		rawQuery, _, _ = strings.Cut(rawQuery, "#")
	} else if r.URL != nil {
		if o := r.URL.Opaque; o != "" {
			// "//host/path" or "/path" form, as aws-sdk-go-v2 accepts.
			o = strings.TrimPrefix(o, "//")
			if i := strings.IndexByte(o, '/'); i >= 0 {
				path = o[i:]
			}
		} else {
			path = r.URL.EscapedPath()
		}
		rawQuery = r.URL.RawQuery
	}
	if path == "" {
		path = "/"
	}
	return path, rawQuery
}

// parseQuery splits a raw query into pairs with canonical key and value,
// appending to dst. '+' means space, as in application/x-www-form-urlencoded
// (the SDKs never send a literal '+' unescaped). Empty segments are skipped.
func parseQuery(dst []qpair, raw string) []qpair {
	for raw != "" {
		var seg string
		seg, raw, _ = strings.Cut(raw, "&")
		if seg == "" {
			continue
		}
		k, v, _ := strings.Cut(seg, "=")
		dst = append(dst, qpair{rawVal: v, key: canonicalComponent(k), val: canonicalComponent(v)})
	}
	return dst
}

func compareQpair(a, b qpair) int {
	if c := strings.Compare(a.key, b.key); c != 0 {
		return c
	}
	return strings.Compare(a.val, b.val)
}

// unreserved marks the RFC 3986 unreserved characters, which SigV4 leaves
// unencoded; every other byte is percent-encoded with uppercase hex.
var unreserved = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~'
	}
	return t
}()

const upperHex = "0123456789ABCDEF"

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// canonicalComponent decodes a query component (%XX escapes, '+' as space)
// and re-encodes it the SigV4 way. A component already in canonical form is
// returned as is, without allocating. An invalid escape is taken literally.
func canonicalComponent(s string) string {
	if isCanonical(s) {
		return s
	}
	b := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+':
			c = ' '
		case c == '%' && i+2 < len(s):
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				c = hi<<4 | lo
				i += 2
			}
		}
		b = appendEscaped(b, c)
	}
	return string(b)
}

// isCanonical reports whether s consists only of unreserved bytes and
// uppercase %XX escapes of bytes that must be escaped.
func isCanonical(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved[c] {
			continue
		}
		if c != '%' || i+2 >= len(s) {
			return false
		}
		hi, lo := s[i+1], s[i+2]
		if !isUpperHex(hi) || !isUpperHex(lo) {
			return false
		}
		v, _ := unhex(hi)
		w, _ := unhex(lo)
		if unreserved[v<<4|w] {
			return false
		}
		i += 2
	}
	return true
}

func isUpperHex(c byte) bool { return '0' <= c && c <= '9' || 'A' <= c && c <= 'F' }

func appendEscaped(b []byte, c byte) []byte {
	if unreserved[c] {
		return append(b, c)
	}
	return append(b, '%', upperHex[c>>4], upperHex[c&15])
}

// appendEscapedPath appends the canonical URI of a wire path: every byte but
// unreserved ones and '/' is percent-encoded, so the already-encoded path is
// encoded a second time, as the SDKs do for every service but S3.
func appendEscapedPath(b []byte, path string) []byte {
	for i := 0; i < len(path); i++ {
		if c := path[i]; c == '/' {
			b = append(b, c)
		} else {
			b = appendEscaped(b, c)
		}
	}
	return b
}

// pathVariants returns the canonical path candidates a client may have
// signed: the path as sent (aws-sdk-go-v2), then, only if they differ, the
// path with empty and dot segments removed (botocore, the JavaScript SDK)
// and the path with dot segments removed per RFC 3986 (Java's
// URI.normalize).
func pathVariants(path string) (raw, collapsed, dotless string) {
	if !strings.Contains(path, "//") && !strings.Contains(path, "/.") {
		return path, "", ""
	}
	collapsed = normalizePath(path, true)
	dotless = normalizePath(path, false)
	if collapsed == path {
		collapsed = ""
	}
	if dotless == path || dotless == collapsed {
		dotless = ""
	}
	return path, collapsed, dotless
}

// normalizePath removes "." and ".." segments, and empty segments too when
// dropEmpty is set (the botocore rule, which also keeps a trailing slash
// only when something is left). Without dropEmpty it follows RFC 3986
// section 5.2.4.
func normalizePath(path string, dropEmpty bool) string {
	abs := strings.HasPrefix(path, "/")
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		last := i == len(segs)-1
		switch {
		case s == "." || s == "..":
			if s == ".." && len(out) > 0 {
				out = out[:len(out)-1]
			}
			if last && !dropEmpty {
				out = append(out, "")
			}
		case s == "" && dropEmpty:
		default:
			out = append(out, s)
		}
	}
	var b strings.Builder
	if abs {
		b.WriteByte('/')
	}
	b.WriteString(strings.Join(out, "/"))
	if dropEmpty && len(out) > 0 && strings.HasSuffix(path, "/") {
		b.WriteByte('/')
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

// appendCanonicalHeaders appends "name:value\n" for each signed header, in
// the order of the signed-headers list.
func appendCanonicalHeaders(b []byte, r *http.Request, signed string, bodyLen int) []byte {
	var keyBuf [64]byte
	for signed != "" {
		var name string
		name, signed, _ = strings.Cut(signed, ";")
		b = append(b, name...)
		b = append(b, ':')
		if name == "host" {
			host := r.Host
			if host == "" && r.URL != nil {
				host = r.URL.Host
			}
			b = appendHeaderValue(b, host)
			b = append(b, '\n')
			continue
		}
		vals := headerValues(r.Header, name, keyBuf[:0])
		switch {
		case len(vals) > 0:
			for i, v := range vals {
				if i > 0 {
					b = append(b, ',')
				}
				b = appendHeaderValue(b, v)
			}
		case name == "content-length":
			b = strconv.AppendInt(b, int64(bodyLen), 10)
		case name == "transfer-encoding":
			b = append(b, strings.Join(r.TransferEncoding, ",")...)
		}
		b = append(b, '\n')
	}
	return b
}

// headerValues returns the values of the header whose lowercase name is
// given. The canonical MIME form is built in buf so the map lookup does
// not allocate; other spellings are found by a case-insensitive scan.
func headerValues(h http.Header, name string, buf []byte) []string {
	upper := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		if upper && 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		} else if !upper && 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
		upper = c == '-'
	}
	if v, ok := h[string(buf)]; ok {
		return v
	}
	for k, v := range h {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return nil
}

// appendHeaderValue appends v trimmed of surrounding white space and with
// runs of spaces collapsed to one, as aws-sdk-go-v2 does.
func appendHeaderValue(b []byte, v string) []byte {
	v = strings.TrimSpace(v)
	space := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		b = append(b, c)
	}
	return b
}
