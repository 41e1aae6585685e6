package sigv4

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	algorithm  = "AWS4-HMAC-SHA256"
	timeFormat = "20060102T150405Z"
	terminator = "aws4_request"

	maxSkew    = 5 * time.Minute
	maxExpires = 604800 // seconds: one week

	paramAlgorithm     = "X-Amz-Algorithm"
	paramCredential    = "X-Amz-Credential"
	paramDate          = "X-Amz-Date"
	paramSignedHeaders = "X-Amz-SignedHeaders"
	paramSignature     = "X-Amz-Signature"
	paramExpires       = "X-Amz-Expires"
	paramToken         = "X-Amz-Security-Token"
)

// auth is the parsed signature information of a request, in either form.
type auth struct {
	presigned     bool
	akid          string
	scope         string // <date>/<region>/<service>/aws4_request
	region        string
	service       string
	signedHeaders string // as sent: lowercase names joined by ';'
	signature     string // hex, as sent
	amzDate       string // the request time in ISO 8601 basic format
	t             time.Time
	expires       int64 // presigned lifetime in seconds, -1 if not given
	token         string
}

// parseHeaderAuth parses the Authorization header form. h is the header
// value; the date comes from X-Amz-Date, or failing that Date.
func parseHeaderAuth(h string, hdr http.Header) (auth, *Error) {
	a := auth{expires: -1}
	alg, rest, _ := strings.Cut(h, " ")
	if alg != algorithm && strings.HasPrefix(alg, "AWS") {
		return a, errIncomplete("Unsupported AWS 'algorithm': '" + alg + "'.")
	}
	var cred string
	if alg == algorithm {
		for rest != "" {
			var part string
			part, rest, _ = strings.Cut(rest, ",")
			k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
			switch k {
			case "Credential":
				if cred == "" {
					cred = v
				}
			case "SignedHeaders":
				if a.signedHeaders == "" {
					a.signedHeaders = v
				}
			case "Signature":
				if a.signature == "" {
					a.signature = v
				}
			}
		}
	}
	dateHdr := firstValue(hdr, "X-Amz-Date")
	useDate := false
	if dateHdr == "" {
		dateHdr = firstValue(hdr, "Date")
		useDate = true
	}
	if cred == "" || a.signature == "" || a.signedHeaders == "" || dateHdr == "" {
		var b strings.Builder
		if cred == "" {
			b.WriteString("Authorization header requires 'Credential' parameter. ")
		}
		if a.signature == "" {
			b.WriteString("Authorization header requires 'Signature' parameter. ")
		}
		if a.signedHeaders == "" {
			b.WriteString("Authorization header requires 'SignedHeaders' parameter. ")
		}
		if dateHdr == "" {
			b.WriteString("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ")
		}
		b.WriteString("Authorization=")
		b.WriteString(h)
		return a, errIncomplete(b.String())
	}
	if err := a.setCredential(cred); err != nil {
		return a, err
	}
	if useDate {
		t, err := http.ParseTime(dateHdr)
		if err != nil {
			return a, errIncomplete("Date must be in ISO-8601 'basic format' or RFC 1123. Got '" + dateHdr + "'.")
		}
		a.t = t.UTC()
		a.amzDate = a.t.Format(timeFormat)
	} else if err := a.setDate(dateHdr); err != nil {
		return a, err
	}
	if err := a.check(); err != nil {
		return a, err
	}
	a.token = firstValue(hdr, "X-Amz-Security-Token")
	return a, nil
}

// parsePresigned parses the query-string form from the parsed query pairs.
func parsePresigned(q []qpair, hdr http.Header) (auth, *Error) {
	a := auth{presigned: true, expires: -1}
	alg, okAlg := queryParam(q, paramAlgorithm)
	cred, okCred := queryParam(q, paramCredential)
	sig, okSig := queryParam(q, paramSignature)
	date, okDate := queryParam(q, paramDate)
	signed, okSigned := queryParam(q, paramSignedHeaders)
	if !okAlg || !okCred || !okSig || !okDate || !okSigned {
		var b strings.Builder
		for _, m := range [...]struct {
			ok   bool
			name string
		}{{okAlg, paramAlgorithm}, {okCred, paramCredential}, {okSig, paramSignature}, {okDate, paramDate}, {okSigned, paramSignedHeaders}} {
			if !m.ok {
				b.WriteString("AWS query-string parameters must include '" + m.name + "'. ")
			}
		}
		b.WriteString("Re-examine the query-string parameters.")
		return a, errIncomplete(b.String())
	}
	if alg != algorithm {
		return a, errIncomplete("X-Amz-Algorithm only supports \"" + algorithm + "\".")
	}
	a.signature, a.signedHeaders = sig, signed
	if err := a.setCredential(cred); err != nil {
		return a, err
	}
	if err := a.setDate(date); err != nil {
		return a, err
	}
	if exp, ok := queryParam(q, paramExpires); ok {
		n, err := strconv.ParseInt(exp, 10, 64)
		switch {
		case err != nil && !isDigits(exp):
			return a, errIncomplete("X-Amz-Expires should be a number")
		case err != nil || n > maxExpires:
			return a, errIncomplete("X-Amz-Expires must be less than a week (in seconds) that is 604800")
		case n < 0:
			return a, errIncomplete("X-Amz-Expires must be non-negative")
		}
		a.expires = n
	}
	if err := a.check(); err != nil {
		return a, err
	}
	if tok, ok := queryParam(q, paramToken); ok {
		a.token = tok
	} else {
		a.token = firstValue(hdr, "X-Amz-Security-Token")
	}
	return a, nil
}

// setCredential splits "<akid>/<date>/<region>/<service>/aws4_request".
func (a *auth) setCredential(cred string) *Error {
	akid, scope, _ := strings.Cut(cred, "/")
	date, rest, _ := strings.Cut(scope, "/")
	region, rest, _ := strings.Cut(rest, "/")
	service, term, ok := strings.Cut(rest, "/")
	if !ok || strings.Count(cred, "/") != 4 || akid == "" {
		return errIncomplete("Credential must have exactly 5 slash-delimited elements, " +
			"e.g. keyid/date/region/service/term, got '" + cred + "'")
	}
	if region == "" {
		return errIncomplete("Credential should be scoped to a valid region. ")
	}
	if service == "" {
		return errIncomplete("Credential should be scoped to correct service. ")
	}
	if term != terminator {
		return errIncomplete("Credential should be scoped with a valid terminator: 'aws4_request', not '" + term + "'. ")
	}
	if len(date) != 8 || !isDigits(date) {
		return errIncomplete("Credential should be scoped to a valid date, not '" + date + "'. ")
	}
	a.akid, a.scope, a.region, a.service = akid, scope, region, service
	return nil
}

// setDate parses an ISO 8601 basic format time, YYYYMMDD'T'HHMMSS'Z'.
func (a *auth) setDate(s string) *Error {
	t, ok := parseAmzDate(s)
	if !ok {
		return errIncomplete("Date must be in ISO-8601 'basic format'. Got '" + s + "'. See http://en.wikipedia.org/wiki/ISO_8601")
	}
	a.t, a.amzDate = t, s
	return nil
}

// check validates what the two forms share: the scope date matches the
// request date, and host is signed.
func (a *auth) check() *Error {
	if a.scope[:8] != a.amzDate[:8] {
		return errIncomplete("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
			a.scope[:8] + "' != '" + a.amzDate[:8] + "', from '" + a.amzDate + "'.")
	}
	if !hasListItem(a.signedHeaders, "host") {
		return errIncomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.")
	}
	return nil
}

func parseAmzDate(s string) (time.Time, bool) {
	if len(s) != 16 || s[8] != 'T' || s[15] != 'Z' || !isDigits(s[:8]) || !isDigits(s[9:15]) {
		return time.Time{}, false
	}
	n := func(i, j int) int {
		v := 0
		for ; i < j; i++ {
			v = v*10 + int(s[i]-'0')
		}
		return v
	}
	y, mo, d, h, mi, se := n(0, 4), n(4, 6), n(6, 8), n(9, 11), n(11, 13), n(13, 15)
	t := time.Date(y, time.Month(mo), d, h, mi, se, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != mo || t.Day() != d || t.Hour() != h || t.Minute() != mi || t.Second() != se {
		return time.Time{}, false
	}
	return t, true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// hasListItem reports whether the ';'-separated list contains item.
func hasListItem(list, item string) bool {
	for list != "" {
		var v string
		v, list, _ = strings.Cut(list, ";")
		if v == item {
			return true
		}
	}
	return false
}

// firstValue returns the first value of a header whose name is already in
// canonical form, without allocating.
func firstValue(h http.Header, canonicalName string) string {
	if v := h[canonicalName]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// queryParam returns the decoded value of the first query parameter whose
// canonical (encoded) name is name; name must consist of unreserved
// characters only.
func queryParam(q []qpair, name string) (string, bool) {
	for i := range q {
		if q[i].key == name {
			v, err := url.QueryUnescape(q[i].rawVal)
			if err != nil {
				v = q[i].rawVal
			}
			return v, true
		}
	}
	return "", false
}
