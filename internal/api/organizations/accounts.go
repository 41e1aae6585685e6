package organizations

import (
	"context"

	"github.com/idcenter/idcenter/internal/awsshape"
	model "github.com/idcenter/idcenter/internal/model/organizations"
	"github.com/idcenter/idcenter/internal/org"
	"github.com/idcenter/idcenter/internal/store"
)

func (a *api) describeOrganization(ctx context.Context) (*model.DescribeOrganizationResponse, error) {
	o, m, err := a.org.DescribeOrganization(ctx)
	if err != nil {
		return nil, err
	}
	return &model.DescribeOrganizationResponse{Organization: &model.Organization{
		Id:                 &o.ID,
		Arn:                &o.Arn,
		FeatureSet:         &o.FeatureSet,
		MasterAccountArn:   str(org.AccountArn(o, m.ID)),
		MasterAccountId:    &m.ID,
		MasterAccountEmail: &m.Email,
		AvailablePolicyTypes: []model.PolicyTypeSummary{
			{Type: str("SERVICE_CONTROL_POLICY"), Status: str("ENABLED")},
		},
	}}, nil
}

func (a *api) describeAccount(ctx context.Context, in *model.DescribeAccountRequest) (*model.DescribeAccountResponse, error) {
	o, acct, err := a.org.DescribeAccount(ctx, *in.AccountId)
	if err != nil {
		return nil, err
	}
	return &model.DescribeAccountResponse{Account: account(o, acct)}, nil
}

func (a *api) listAccounts(ctx context.Context, in *model.ListAccountsRequest) (*model.ListAccountsResponse, error) {
	var token string
	if in.NextToken != nil {
		token = *in.NextToken
	}
	max := 0
	if in.MaxResults != nil {
		max = int(*in.MaxResults)
	}
	p, err := a.org.ListAccounts(ctx, token, max)
	if err != nil {
		return nil, err
	}
	out := &model.ListAccountsResponse{Accounts: make([]model.Account, 0, len(p.Accounts))}
	for _, acct := range p.Accounts {
		out.Accounts = append(out.Accounts, *account(p.Org, acct))
	}
	if p.NextToken != "" {
		out.NextToken = &p.NextToken
	}
	return out, nil
}

// account renders an account as the model's Account shape.
func account(o *store.Organization, a *store.Account) *model.Account {
	return &model.Account{
		Id:              str(a.ID),
		Arn:             str(org.AccountArn(o, a.ID)),
		Email:           str(a.Email),
		Name:            str(a.Name),
		Status:          str(a.Status),
		State:           str(a.Status), // ACTIVE, SUSPENDED and PENDING_CLOSURE are states too
		JoinedMethod:    str(a.JoinedMethod),
		JoinedTimestamp: awsshape.NewTimestamp(a.Joined),
	}
}

func str(s string) *string { return &s }
