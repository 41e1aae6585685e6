package permset

import (
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/errs"
)

func TestSessionDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"PT1H":     time.Hour,
		"PT12H":    12 * time.Hour,
		"PT60M":    time.Hour,
		"PT3600S":  time.Hour,
		"PT1H30M":  90 * time.Minute,
		"PT2H0.5S": 2*time.Hour + 500*time.Millisecond,
		"P0DT5H":   5 * time.Hour,
	} {
		got, err := sessionDuration("test", in)
		if err != nil || got != want {
			t.Errorf("%s: %v %v, want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "P", "PT", "PT59M", "PT12H1S", "P1D", "P1W", "P1M", "P1Y", "-PT2H", "PT1.5H", "1H", "PT1H ", "PTH"} {
		if d, err := sessionDuration("test", in); !errs.Is(err, errs.Invalid) {
			t.Errorf("%q: %v %v, want Invalid", in, d, err)
		}
	}
}

func TestArns(t *testing.T) {
	inst := "arn:aws:sso:::instance/ssoins-0123456789abcdef"
	ps := newArn(inst)
	if !strings.HasPrefix(ps, "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-") || len(ps) != len("arn:aws:sso:::permissionSet/ssoins-0123456789abcdef/ps-")+16 {
		t.Fatalf("newArn: %s", ps)
	}
	if got := instanceOf(ps); got != inst {
		t.Fatalf("instanceOf(%s) = %s", ps, got)
	}
	if got := psID(ps); got != ps[len(ps)-19:] {
		t.Fatalf("psID = %s", got)
	}
	for _, bad := range []string{inst, "arn:aws:sso:::permissionSet/ssoins-0123456789abcdef", "nonsense"} {
		if got := instanceOf(bad); got != "" {
			t.Errorf("instanceOf(%s) = %s, want none", bad, got)
		}
	}
	if !IsArn(ps) || IsArn(inst) {
		t.Fatal("IsArn")
	}
	if r := roleName("Admin"); !strings.HasPrefix(r, "AWSReservedSSO_Admin_") || len(r) != len("AWSReservedSSO_Admin_")+16 {
		t.Fatalf("roleName: %s", r)
	}
	if got := trustPolicy(inst, "123456789012"); !strings.Contains(got, `"arn:aws:iam::123456789012:saml-provider/AWSSSO_0123456789abcdef_DO_NOT_DELETE"`) {
		t.Fatalf("trust policy %s", got)
	}
}

func TestCheckPolicy(t *testing.T) {
	ok := `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}]}`
	if err := checkPolicy("test", ok, DefaultLimits.InlinePolicyChars); err != nil {
		t.Fatal(err)
	}
	compact := len(strings.Join(strings.Fields(ok), ""))
	if err := checkPolicy("test", ok, compact); err != nil {
		t.Fatalf("at the limit: %v", err)
	}
	if err := checkPolicy("test", ok, compact-1); !errs.Is(err, errs.Quota) {
		t.Fatalf("over the limit: %v", err)
	}
	for _, bad := range []string{
		``, `{`, `"text"`,
		`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*"}]}`,
		`{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}`,
		`{"Version": "2012-10-17", "Statement": [{"Effect": "Permit", "Action": "*", "Resource": "*"}]}`,
	} {
		if err := checkPolicy("test", bad, DefaultLimits.InlinePolicyChars); !errs.Is(err, errs.Invalid) {
			t.Errorf("%s: %v, want Invalid", bad, err)
		}
	}
}
