// Package awsproto serves AWS APIs that speak the JSON 1.1 protocol
// (awsJson1_1): sso-admin, identitystore, organizations and cloudtrail.
//
// A request is POST / with Content-Type application/x-amz-json-1.1 and the
// header X-Amz-Target: <TargetPrefix>.<Operation>. The Handler, in order:
// finds the service by target prefix, reads the body, authenticates the
// request (SigV4, through an Authenticator), finds the operation, decodes the
// JSON input (SerializationException when it is not valid JSON of the right
// shape), validates it against the service model (ValidationException, from
// the code generated in internal/model), calls the operation and writes its
// output, or the AWS error.
//
// Every answer carries x-amzn-RequestId. Errors are
// {"__type": "<Code>", "Message": "...", ...members} with the header
// X-Amzn-ErrorType; this package is the one place that maps a domain error
// kind (internal/errs) to an AWS error code and HTTP status.
package awsproto
