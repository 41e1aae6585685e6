package instance

import (
	"context"
	"encoding/json"

	"github.com/idcenter/idcenter/internal/errs"
	"github.com/idcenter/idcenter/internal/pagetoken"
	"github.com/idcenter/idcenter/internal/store"
)

// Key types and statuses of an instance's encryption.
const (
	KeyAWSOwned        = "AWS_OWNED_KMS_KEY"
	KeyCustomerManaged = "CUSTOMER_MANAGED_KEY"
	EncryptionEnabled  = "ENABLED"
)

// Encryption is an instance's encryption configuration, kept as JSON in
// store.Instance.Encryption ("" is the default AWS owned key).
type Encryption struct {
	KeyType      string `json:"KeyType"`
	KmsKeyArn    string `json:"KmsKeyArn,omitempty"`
	Status       string `json:"Status"`
	StatusReason string `json:"StatusReason,omitempty"`
}

// EncryptionOf returns the encryption configuration of an instance.
func EncryptionOf(in *store.Instance) Encryption {
	e := Encryption{KeyType: KeyAWSOwned, Status: EncryptionEnabled}
	if in.Encryption != "" {
		json.Unmarshal([]byte(in.Encryption), &e)
	}
	return e
}

// Describe returns an instance the caller can see, in any status.
func (s *Service) Describe(ctx context.Context, arn string) (*store.Instance, error) {
	in, _, err := s.open(ctx, "DescribeInstance", arn)
	return in, err
}

// Listed is an instance as ListInstances shows it, with its Regions.
type Listed struct {
	*store.Instance
	Regions []*store.Region
}

// PageSize is the most instances one ListInstances page holds (the model's
// InstanceList allows at most 10).
const PageSize = 10

// List returns a page of the instances the caller can see: the management
// account sees every instance of its organization, any other account its
// own. token is the NextToken of the previous page ("" for the first); the
// returned token is "" on the last page.
func (s *Service) List(ctx context.Context, token string, max int) ([]Listed, string, error) {
	const op = "instance.List"
	c, err := caller(ctx, op)
	if err != nil {
		return nil, "", err
	}
	orgID := ""
	if c.Management || c.DelegatedAdmin {
		orgID = c.OrgID
	}
	scope := "ListInstances/" + c.AccountID + "/" + orgID
	after, err := decodeToken(scope, token)
	if err != nil {
		return nil, "", errs.E(op, errs.Invalid, "The NextToken is not valid")
	}
	if max <= 0 || max > PageSize {
		max = PageSize
	}
	q := s.st.R()
	list, err := q.InstancesAfter(ctx, orgID, c.AccountID, after, max+1)
	if err != nil {
		return nil, "", errs.Wrap(op, err)
	}
	next := ""
	if len(list) > max {
		list = list[:max]
		next = encodeToken(scope, list[max-1].Arn)
	}
	if !c.Management {
		// The delegated administrator: its own instance and the
		// organization's.
		kept := list[:0]
		for _, in := range list {
			if Visible(c, in) {
				kept = append(kept, in)
			}
		}
		list = kept
	}
	out := make([]Listed, len(list))
	for i, in := range list {
		regions, err := q.Regions(ctx, in.Arn)
		if err != nil {
			return nil, "", errs.Wrap(op, err)
		}
		out[i] = Listed{Instance: in, Regions: regions}
		s.kickIfPending(in)
	}
	return out, next, nil
}

// Tokens come from internal/pagetoken, whose '=' separator fits the
// sso-admin Token pattern ([-a-zA-Z0-9+=/_]*).

func encodeToken(scope, key string) string {
	return pagetoken.Encode(scope, key)
}

func decodeToken(scope, token string) (string, error) {
	return pagetoken.Decode(scope, token)
}
