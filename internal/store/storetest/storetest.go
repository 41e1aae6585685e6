// Package storetest is the conformance suite of internal/store: the contract
// every backend (SQLite and PostgreSQL) must keep, checked through the
// store's own methods. Run checks the tables, transactions and concurrency on
// a fresh store per test; RunOpen checks what concerns opening a database
// (migrations, reopening). FreshPostgres gives a test an empty PostgreSQL
// schema.
//
// One file per area holds that area's tests (orgs.go, instances.go,
// directory.go, settings.go, tx.go, delivery.go, assignments.go, open.go); a new area adds
// its file and one line to areas below.
package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/idcenter/idcenter/internal/store"
)

// test is one conformance test; it gets a fresh, empty store.
type test struct {
	name string
	fn   func(t *testing.T, s *store.Store)
}

// areas lists the conformance tests by area.
var areas = []struct {
	name  string
	tests []test
}{
	{"orgs", orgTests},
	{"instances", instanceTests},
	{"directory", directoryTests},
	{"settings", settingsTests},
	{"tx", txTests},
	{"delivery", deliveryTests},
	{"assignments", assignmentTests},
}

// Run runs every conformance test as a subtest; open must return a new,
// empty, migrated store and close it when its test ends.
func Run(t *testing.T, open func(t *testing.T) *store.Store) {
	for _, a := range areas {
		t.Run(a.name, func(t *testing.T) {
			for _, c := range a.tests {
				t.Run(c.name, func(t *testing.T) { c.fn(t, open(t)) })
			}
		})
	}
}

// write runs fn in a write transaction and fails the test if it fails.
func write(t *testing.T, s *store.Store, fn func(tx *store.Tx) error) {
	t.Helper()
	if err := s.Write(t.Context(), fn); err != nil {
		t.Fatalf("Write: %v", err)
	}
}

// wantNotFound fails the test unless err is store.ErrNotFound.
func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("%s: got error %v, want store.ErrNotFound", what, err)
	}
}

// wantConstraint fails the test unless err is store.ErrAlreadyExists carried
// by a *store.ConstraintError naming constraint (PostgreSQL's name of it: the
// unique index, or "<table>_pkey" for a primary key).
func wantConstraint(t *testing.T, what string, err error, constraint string) {
	t.Helper()
	if !errors.Is(err, store.ErrAlreadyExists) {
		t.Fatalf("%s: got error %v, want store.ErrAlreadyExists", what, err)
	}
	var ce *store.ConstraintError
	if !errors.As(err, &ce) {
		t.Fatalf("%s: error %v does not wrap a *store.ConstraintError", what, err)
	}
	// Several names ("a|b") when more than one unique index refuses the
	// row and the backends check them in different orders.
	if !slices.Contains(strings.Split(constraint, "|"), ce.Constraint) {
		t.Fatalf("%s: constraint %q, want %q", what, ce.Constraint, constraint)
	}
}

// same fails the test unless got and want are deeply equal.
func same(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got %s\nwant %s", what, show(got), show(want))
	}
}

// show prints a value, following pointers and slices of pointers.
func show(v any) string {
	rv := reflect.ValueOf(v)
	switch {
	case !rv.IsValid():
		return "nil"
	case rv.Kind() == reflect.Pointer && !rv.IsNil():
		return "&" + show(rv.Elem().Interface())
	case rv.Kind() == reflect.Slice && rv.Type().Elem().Kind() == reflect.Pointer:
		s := "["
		for i := 0; i < rv.Len(); i++ {
			if i > 0 {
				s += ", "
			}
			s += show(rv.Index(i).Interface())
		}
		return s + "]"
	}
	return fmt.Sprintf("%+v", v)
}

// at returns a time away from UTC and with sub-millisecond digits, so that a
// round trip shows both the conversion to UTC and the cut to milliseconds.
func at(minute int) time.Time {
	return time.Date(2024, 3, 1, 10, minute, 30, 123456789, time.FixedZone("UTC+5:30", 5*3600+1800))
}

// stored is what the store gives back for t: UTC, whole milliseconds.
func stored(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return time.UnixMilli(t.UnixMilli()).UTC()
}
