package organizations

import (
	"context"

	"github.com/idcenter/idcenter/internal/awsproto"
	"github.com/idcenter/idcenter/internal/awsshape"
	model "github.com/idcenter/idcenter/internal/model/organizations"
)

func (a *api) delegated(s *awsproto.Service) {
	handle(s, "RegisterDelegatedAdministrator", a.registerDelegatedAdministrator)
	handle(s, "DeregisterDelegatedAdministrator", a.deregisterDelegatedAdministrator)
	handle(s, "ListDelegatedAdministrators", a.listDelegatedAdministrators)
	handle(s, "ListDelegatedServicesForAccount", a.listDelegatedServicesForAccount)
}

func (a *api) registerDelegatedAdministrator(ctx context.Context, in *model.RegisterDelegatedAdministratorRequest) (*struct{}, error) {
	return nil, a.org.RegisterDelegatedAdministrator(ctx, awsshape.String(in.AccountId), awsshape.String(in.ServicePrincipal))
}

func (a *api) deregisterDelegatedAdministrator(ctx context.Context, in *model.DeregisterDelegatedAdministratorRequest) (*struct{}, error) {
	return nil, a.org.DeregisterDelegatedAdministrator(ctx, awsshape.String(in.AccountId), awsshape.String(in.ServicePrincipal))
}

func (a *api) listDelegatedAdministrators(ctx context.Context, in *model.ListDelegatedAdministratorsRequest) (*model.ListDelegatedAdministratorsResponse, error) {
	list, err := a.org.ListDelegatedAdministrators(ctx, awsshape.String(in.ServicePrincipal))
	if err != nil {
		return nil, err
	}
	out := &model.ListDelegatedAdministratorsResponse{DelegatedAdministrators: []model.DelegatedAdministrator{}}
	for _, d := range list {
		acct := account(d.Org, d.Account)
		out.DelegatedAdministrators = append(out.DelegatedAdministrators, model.DelegatedAdministrator{
			Id: acct.Id, Arn: acct.Arn, Email: acct.Email, Name: acct.Name, Status: acct.Status, State: acct.State,
			JoinedMethod: acct.JoinedMethod, JoinedTimestamp: acct.JoinedTimestamp,
			DelegationEnabledDate: awsshape.NewTimestamp(d.Reg.Enabled),
		})
	}
	return out, nil
}

func (a *api) listDelegatedServicesForAccount(ctx context.Context, in *model.ListDelegatedServicesForAccountRequest) (*model.ListDelegatedServicesForAccountResponse, error) {
	regs, err := a.org.ListDelegatedServicesForAccount(ctx, awsshape.String(in.AccountId))
	if err != nil {
		return nil, err
	}
	out := &model.ListDelegatedServicesForAccountResponse{DelegatedServices: []model.DelegatedService{}}
	for _, r := range regs {
		out.DelegatedServices = append(out.DelegatedServices, model.DelegatedService{ServicePrincipal: str(r.ServicePrincipal),
			DelegationEnabledDate: awsshape.NewTimestamp(r.Enabled)})
	}
	return out, nil
}
