package organizations

import (
	"context"

	"github.com/idcenter/idcenter/internal/awsshape"
	model "github.com/idcenter/idcenter/internal/model/organizations"
	"github.com/idcenter/idcenter/internal/store"
)

func (a *api) createAccount(ctx context.Context, in *model.CreateAccountRequest) (*model.CreateAccountResponse, error) {
	var role string
	if in.RoleName != nil {
		role = *in.RoleName
	}
	r, err := a.org.CreateAccount(ctx, *in.AccountName, *in.Email, role)
	if err != nil {
		return nil, err
	}
	return &model.CreateAccountResponse{CreateAccountStatus: status(r)}, nil
}

func (a *api) describeCreateAccountStatus(ctx context.Context, in *model.DescribeCreateAccountStatusRequest) (*model.DescribeCreateAccountStatusResponse, error) {
	r, err := a.org.DescribeCreateAccountStatus(ctx, *in.CreateAccountRequestId)
	if err != nil {
		return nil, err
	}
	return &model.DescribeCreateAccountStatusResponse{CreateAccountStatus: status(r)}, nil
}

// status renders a CreateAccount request as the model's CreateAccountStatus.
func status(r *store.CreateAccountRequest) *model.CreateAccountStatus {
	s := &model.CreateAccountStatus{
		Id:                 str(r.ID),
		AccountName:        str(r.AccountName),
		State:              str(r.State),
		RequestedTimestamp: awsshape.NewTimestamp(r.Requested),
	}
	if !r.Completed.IsZero() {
		s.CompletedTimestamp = awsshape.NewTimestamp(r.Completed)
	}
	if r.AccountID != "" {
		s.AccountId = str(r.AccountID)
	}
	if r.FailureReason != "" {
		s.FailureReason = str(r.FailureReason)
	}
	return s
}
