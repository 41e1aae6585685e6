package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// modelsDir is where the models live relative to this package; the tests
// that need them are skipped when they are absent.
const modelsDir = "../../../../shared/aws-models"

// generateArgs returns the -service specs of the go:generate line in
// ../doc.go, so that the test covers exactly what go generate produces.
func generateArgs(t *testing.T) []string {
	t.Helper()
	doc, err := os.ReadFile("../doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var specs []string
	for _, line := range strings.Split(string(doc), "\n") {
		if !strings.HasPrefix(line, "//go:generate ") {
			continue
		}
		f := strings.Fields(line)
		for i := 0; i < len(f)-1; i++ {
			if f[i] == "-service" {
				specs = append(specs, f[i+1])
			}
		}
	}
	if len(specs) == 0 {
		t.Fatal("no -service in //go:generate line of ../doc.go")
	}
	return specs
}

// TestGeneratedUpToDate regenerates every package into a temporary directory
// and compares it with the committed files.
func TestGeneratedUpToDate(t *testing.T) {
	if _, err := os.Stat(modelsDir); err != nil {
		t.Skipf("models not available: %v", err)
	}
	tmp := t.TempDir()
	for _, spec := range generateArgs(t) {
		pkg, dir, _ := strings.Cut(spec, "=")
		if err := generate(filepath.Join(modelsDir, dir), dir, pkg, filepath.Join(tmp, pkg)); err != nil {
			t.Fatalf("%s: %v", pkg, err)
		}
		files, _ := filepath.Glob(filepath.Join(tmp, pkg, "*.go"))
		for _, f := range files {
			want, _ := os.ReadFile(f)
			committed := filepath.Join("..", pkg, filepath.Base(f))
			got, err := os.ReadFile(committed)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s is stale; run go generate ./internal/model/...", committed)
			}
			if !bytes.HasPrefix(want, []byte(header)) {
				t.Errorf("%s lacks the generated-code header", f)
			}
		}
	}
}

// TestModelPatterns checks that every pattern of every model translates.
func TestModelPatterns(t *testing.T) {
	if _, err := os.Stat(modelsDir); err != nil {
		t.Skipf("models not available: %v", err)
	}
	dirs, _ := filepath.Glob(filepath.Join(modelsDir, "*", "*"))
	n := 0
	for _, dir := range dirs {
		m, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		for name, s := range m.Shapes {
			if s.Pattern == nil {
				continue
			}
			n++
			if tr := TranslatePattern(*s.Pattern); tr.Err != nil {
				t.Errorf("%s %s: %v", dir, name, tr.Err)
			}
		}
	}
	if n == 0 {
		t.Fatal("no patterns found")
	}
}

func TestNames(t *testing.T) {
	for in, want := range map[string]string{
		"ENABLED": "Enabled", "aws:identitystore:enterprise": "AwsIdentitystoreEnterprise",
		"SAML2_0": "Saml20", "camelCase": "CamelCase", "": "Empty",
	} {
		if got := enumSuffix(in); got != want {
			t.Errorf("enumSuffix(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"arnType": "ArnType", "error_description": "Error_description", "a-b": "A_b", "1x": "X1x"} {
		if got := exported(in); got != want {
			t.Errorf("exported(%q) = %q, want %q", in, got, want)
		}
	}
}
