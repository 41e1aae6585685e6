package audit

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"net"
	"net/http"
	"strings"

	"github.com/idcenter/idcenter/internal/auth"
	"github.com/idcenter/idcenter/internal/store"
)

// setIdentity fills the event's userIdentity (and recipient account) from
// an authenticated caller.
func setIdentity(e *store.AuditEvent, c *auth.Caller) {
	e.UserType, e.PrincipalID, e.UserArn, e.UserAccountID, e.AccessKeyID = c.Type, c.PrincipalID, c.Arn, c.AccountID, c.AccessKeyID
	e.RecipientAccountID, e.OrgID = c.AccountID, c.OrgID
	if c.Region != "" {
		e.Region = c.Region
	}
	switch c.Type {
	case "Root":
		e.UserName = "root"
	case "IAMUser":
		e.UserName = c.Arn[strings.LastIndexByte(c.Arn, '/')+1:]
	case "AssumedRole":
		e.UserName, e.SessionContext = sessionOf(c)
	}
}

// sessionOf returns the session name and sessionContext of an assumed
// role's caller (arn:aws:sts::<account>:assumed-role/<role>/<session>).
func sessionOf(c *auth.Caller) (string, string) {
	_, path, ok := strings.Cut(c.Arn, ":assumed-role/")
	if !ok {
		return "", ""
	}
	role, session, _ := strings.Cut(path, "/")
	roleID, _, _ := strings.Cut(c.PrincipalID, ":")
	var sc struct {
		SessionIssuer struct {
			Type        string `json:"type"`
			PrincipalID string `json:"principalId"`
			Arn         string `json:"arn"`
			AccountID   string `json:"accountId"`
			UserName    string `json:"userName"`
		} `json:"sessionIssuer"`
		WebIDFederationData struct{}          `json:"webIdFederationData"`
		Attributes          map[string]string `json:"attributes"`
	}
	sc.SessionIssuer.Type, sc.SessionIssuer.PrincipalID = "Role", roleID
	sc.SessionIssuer.Arn, sc.SessionIssuer.AccountID, sc.SessionIssuer.UserName = "arn:aws:iam::"+c.AccountID+":role/"+role, c.AccountID, role
	sc.Attributes = map[string]string{"mfaAuthenticated": "false"}
	b, _ := json.Marshal(sc)
	return session, string(b)
}

// credentialOf returns the access key id and Region a request's SigV4
// credential names (Authorization header or presigned query), "" if none.
func credentialOf(r *http.Request) (keyID, region string) {
	cred := ""
	if h := r.Header.Get("Authorization"); h != "" {
		if i := strings.Index(h, "Credential="); i >= 0 {
			cred = h[i+len("Credential="):]
			if j := strings.IndexAny(cred, ", "); j >= 0 {
				cred = cred[:j]
			}
		}
	} else {
		cred = r.URL.Query().Get("X-Amz-Credential")
	}
	parts := strings.Split(cred, "/")
	if len(parts) < 3 || !plausibleKeyID(parts[0]) {
		return "", ""
	}
	return parts[0], clip(parts[2], 32)
}

func plausibleKeyID(s string) bool {
	if len(s) < 4 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('A' <= c && c <= 'Z' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}

// identifyFailure fills what is known of the caller of a request whose
// authentication failed: the access key it named and, when that key
// exists, its principal and account.
func identifyFailure(ctx context.Context, st *store.Store, e *store.AuditEvent, r *http.Request) {
	keyID, region := credentialOf(r)
	if region != "" {
		e.Region = region
	}
	if keyID == "" {
		return
	}
	e.AccessKeyID = keyID
	k, err := st.R().AccessKey(ctx, keyID)
	if err != nil {
		return
	}
	c, err := auth.Describe(ctx, st.R(), k.AccountID, k.PrincipalArn, k.PrincipalID)
	if err != nil {
		return
	}
	c.AccessKeyID, c.Region = keyID, e.Region
	setIdentity(e, c)
}

// sourceIP is the address the request came from.
func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// tlsDetails is the record's tlsDetails for a request over TLS.
func tlsDetails(r *http.Request) string {
	if r.TLS == nil {
		return ""
	}
	versions := map[uint16]string{0x0301: "TLSv1", 0x0302: "TLSv1.1", 0x0303: "TLSv1.2", 0x0304: "TLSv1.3"}
	b, _ := json.Marshal(map[string]string{
		"tlsVersion":               versions[r.TLS.Version],
		"cipherSuite":              tls.CipherSuiteName(r.TLS.CipherSuite),
		"clientProvidedHostHeader": r.Host,
	})
	return string(b)
}

// clip shortens s to at most n bytes.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
