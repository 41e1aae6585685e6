package awsshape

// Service describes a service model's metadata.
type Service struct {
	ServiceID      string // "identitystore"
	APIVersion     string // "2020-06-15"
	Protocol       string // "json" or "rest-json"
	TargetPrefix   string // X-Amz-Target prefix (awsJson only), e.g. "AWSIdentityStore"
	SigningName    string // SigV4 signing name
	EndpointPrefix string
	JSONVersion    string // "1.1": Content-Type application/x-amz-json-1.1
}

// Operation describes one operation of a service model. Input and Output
// are shape (and Go type) names; either may be empty when the operation has
// none. Errors lists the modeled error shapes.
type Operation struct {
	Name       string
	Input      string
	Output     string
	Errors     []string
	HTTPMethod string // from the model's "http" trait
	RequestURI string
}

// Paginator describes a paginated operation (from paginators-1.json).
// Fields hold member names of the input/output shapes.
type Paginator struct {
	InputToken  string
	OutputToken string
	LimitKey    string   // empty if the operation has no page-size parameter
	ResultKeys  []string // members of the output holding the page's items
}

// Empty is the input or output of operations whose model declares none; it
// encodes as {} and its Validate never fails.
type Empty struct{}

// Validate implements Validator.
func (*Empty) Validate(*Checker, string) {}
