package main

import (
	"flag"
	"strings"
	"testing"
	"time"
)

// TestDeliveryFlags: --trail-digest-period sets the digest period (an hour
// by default), and a bad --webhook fails without quoting its credentials.
func TestDeliveryFlags(t *testing.T) {
	t.Setenv("IDCENTER_WEBHOOK", "")
	t.Setenv("IDCENTER_WEBHOOK_EVENTS", "")
	parse := func(args ...string) (deliveryFlags, error) {
		var df deliveryFlags
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		df.bind(fs)
		return df, fs.Parse(args)
	}
	df, err := parse("--trail-dir", "x")
	if cfg, cerr := df.config(); err != nil || cerr != nil || cfg.DigestPeriod != time.Hour {
		t.Fatalf("default digest period: %v %v %v", cfg.DigestPeriod, err, cerr)
	}
	df, err = parse("--trail-dir", "x", "--trail-digest-period", "5m")
	if cfg, cerr := df.config(); err != nil || cerr != nil || cfg.DigestPeriod != 5*time.Minute {
		t.Fatalf("--trail-digest-period 5m: %v %v %v", cfg.DigestPeriod, err, cerr)
	}
	df, err = parse("--trail-digest-period", "0")
	if _, cerr := df.config(); err != nil || cerr == nil {
		t.Fatalf("--trail-digest-period 0: %v %v", err, cerr)
	}
	df, err = parse("--webhook", "ftp://user:pw-secret@host/?key=q-secret")
	_, cerr := df.config()
	if err != nil || cerr == nil || strings.Contains(cerr.Error(), "secret") {
		t.Fatalf("a bad webhook URL: %v %v", err, cerr)
	}
	t.Setenv("IDCENTER_WEBHOOK", "https://ok.example/ ftp://user:pw-secret@host/?key=q-secret")
	df, err = parse()
	if _, cerr := df.config(); err != nil || cerr == nil || strings.Contains(cerr.Error(), "secret") || !strings.Contains(cerr.Error(), "IDCENTER_WEBHOOK") {
		t.Fatalf("a bad IDCENTER_WEBHOOK: %v %v", err, cerr)
	}
}
