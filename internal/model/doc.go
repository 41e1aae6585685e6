// Package model is the home of the Go packages generated from the AWS
// service models (botocore service-2.json / paginators-1.json) kept in
// /work/shared/aws-models:
//
//	identitystore  identitystore/2020-06-15   (awsJson1_1)
//	ssoadmin       sso-admin/2020-07-20       (awsJson1_1)
//	organizations  organizations/2016-11-28   (awsJson1_1)
//	cloudtrail     cloudtrail/2013-11-01      (awsJson1_1)
//	sso            sso/2019-06-10             (restJson1: types and validation only)
//	ssooidc        sso-oidc/2019-06-10        (restJson1: types and validation only)
//
// Each generated package contains, for every shape reachable from the
// service's operations:
//
//   - types.go: a struct per structure shape (pointer fields, JSON tags
//     equal to the wire names, like aws-sdk-go-v2), constants and a
//     XxxValues function per enum, and ErrorStatus, the HTTP status of
//     each error shape;
//   - validate.go: a Validate(*awsshape.Checker, path) method per structure
//     enforcing required members, lengths, patterns, enums, ranges and
//     unions, with AWS-compatible failure messages (see internal/awsshape);
//   - operations.go: Service metadata, the Operations table, Paginators,
//     and the NewInput / NewOutput factories.
//
// A server validates a request with:
//
//	in := identitystore.NewInput("CreateUser")
//	// ... json.Unmarshal(body, in) ...
//	var c awsshape.Checker
//	in.Validate(&c, "")
//	if err := c.Err(); err != nil { /* ValidationException */ }
//
// The generated code is committed: building does not need the models. To
// regenerate after changing the generator or the models, run
//
//	go generate ./internal/model/...
//
// from the repository root; the generator is internal/model/gen. It warns on
// stderr about patterns it could not translate from Java to Go syntax.
package model

//go:generate go run ./gen -models ../../../shared/aws-models -service identitystore=identitystore/2020-06-15 -service ssoadmin=sso-admin/2020-07-20 -service organizations=organizations/2016-11-28 -service cloudtrail=cloudtrail/2013-11-01 -service sso=sso/2019-06-10 -service ssooidc=sso-oidc/2019-06-10
