// Package awsshape is the small runtime shared by the code generated from the
// AWS service models (see internal/model).
//
// It provides:
//
//   - Timestamp, the awsJson wire form of a timestamp (epoch seconds as a JSON
//     number, ISO 8601 strings also accepted on input);
//   - Checker, which collects input validation failures and renders them as a
//     ValidationError whose message matches the AWS (Coral) wording, e.g.
//     "1 validation error detected: Value null at 'identityStoreId' failed to
//     satisfy constraint: Member must not be null";
//   - Pattern, a model's regular expression as Checker.Pattern checks it:
//     the same answers as package regexp, from a DFA built lazily over ASCII
//     bytes (pattern.go);
//   - the plain data types (Operation, Service, Paginator) that the generated
//     packages use to describe their operations.
//
// The package is hand-written; everything under internal/model/<service> is
// generated from it by internal/model/gen.
package awsshape
