package storetest

import (
	"testing"

	"github.com/idcenter/idcenter/internal/store"
)

// settingsTests cover the installation's named settings.
var settingsTests = []test{
	{"Settings", testSettings},
}

func testSettings(t *testing.T, s *store.Store) {
	ctx := t.Context()
	_, err := s.R().Setting(ctx, "bootstrap_key")
	wantNotFound(t, "Setting of a missing name", err)
	write(t, s, func(tx *store.Tx) error {
		if err := tx.PutSetting(ctx, "bootstrap_key", "AKIA1"); err != nil {
			return err
		}
		return tx.PutSetting(ctx, "empty", "")
	})
	for name, want := range map[string]string{"bootstrap_key": "AKIA1", "empty": ""} {
		if got, err := s.R().Setting(ctx, name); err != nil || got != want {
			t.Fatalf("Setting(%s) = %q, %v; want %q", name, got, err, want)
		}
	}
	write(t, s, func(tx *store.Tx) error { return tx.PutSetting(ctx, "bootstrap_key", "AKIA2 ✓") })
	if got, err := s.R().Setting(ctx, "bootstrap_key"); err != nil || got != "AKIA2 ✓" {
		t.Fatalf("Setting after a second PutSetting = %q, %v", got, err)
	}
}
