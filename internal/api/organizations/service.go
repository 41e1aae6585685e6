// Package organizations serves the slice of the AWS Organizations API that
// idcenter implements (JSON 1.1, target prefix AWSOrganizationsV20161128):
// DescribeOrganization, DescribeAccount, ListAccounts, CreateAccount and
// DescribeCreateAccountStatus. It decodes requests, calls internal/org and
// encodes the model's output shapes; it holds no rules of its own.
package organizations

import (
	"context"

	"github.com/idcenter/idcenter/internal/awsproto"
	"github.com/idcenter/idcenter/internal/awsshape"
	model "github.com/idcenter/idcenter/internal/model/organizations"
	"github.com/idcenter/idcenter/internal/org"
)

// api holds the domain the operations call.
type api struct{ org *org.Service }

// New returns the organizations service over the org domain.
func New(o *org.Service) *awsproto.Service {
	s := &awsproto.Service{
		TargetPrefix: model.Service.TargetPrefix,
		SigningName:  model.Service.SigningName,
		EventSource:  "organizations.amazonaws.com",
		ErrorStatus:  model.ErrorStatus,
	}
	a := &api{org: o}
	awsproto.Handle(s, "DescribeOrganization", func(ctx context.Context, _ *awsshape.Empty) (*model.DescribeOrganizationResponse, error) {
		return a.describeOrganization(ctx)
	})
	handle(s, "DescribeAccount", a.describeAccount)
	handle(s, "ListAccounts", a.listAccounts)
	handle(s, "CreateAccount", a.createAccount)
	handle(s, "DescribeCreateAccountStatus", a.describeCreateAccountStatus)
	a.policies(s)
	a.delegated(s)
	return s
}
