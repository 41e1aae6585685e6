// Package report computes idcenter's organization-wide inventory reports
// from the stored data (no API calls), for `idcenter report`:
//
//   - instances: every account of the organization with the instance that
//     serves it (its own account instance, else the organization instance);
//   - access: every way a user reaches an account with a permission set,
//     directly or through a group;
//   - duplicates: the same person in two or more identity stores, matched by
//     email (without regard to case) and by user name;
//   - offboarding: every instance, user, group membership and assignment a
//     person (found by any of their emails) holds.
//
// A report is a Table: named columns and rows of text, lists of text, or
// nothing. Write renders one as an aligned table, CSV or JSON. Reports read
// through store.Q, so they see one consistent state when given a
// transaction, and work while the server runs.
package report
