package ssoadmin

import (
	"context"

	"github.com/idcenter/idcenter/internal/awsproto"
	model "github.com/idcenter/idcenter/internal/model/ssoadmin"
	"github.com/idcenter/idcenter/internal/permset"
	"github.com/idcenter/idcenter/internal/store"
)

func (a *API) assignments(s *awsproto.Service) {
	awsproto.Handle(s, "CreateAccountAssignment", a.createAssignment)
	awsproto.Handle(s, "DeleteAccountAssignment", a.deleteAssignment)
	awsproto.Handle(s, "DescribeAccountAssignmentCreationStatus", a.describeCreation)
	awsproto.Handle(s, "DescribeAccountAssignmentDeletionStatus", a.describeDeletion)
	awsproto.Handle(s, "ListAccountAssignmentCreationStatus", a.listCreations)
	awsproto.Handle(s, "ListAccountAssignmentDeletionStatus", a.listDeletions)
	awsproto.Handle(s, "ListAccountAssignments", a.listAssignments)
	awsproto.Handle(s, "ListAccountAssignmentsForPrincipal", a.listAssignmentsForPrincipal)
}

// assignmentStatusOut is the AccountAssignmentOperationStatus of a request.
func assignmentStatusOut(r *store.PermSetRequest) *model.AccountAssignmentOperationStatus {
	return &model.AccountAssignmentOperationStatus{
		Status:           ptr(r.Status),
		RequestId:        ptr(r.RequestID),
		FailureReason:    opt(r.FailureReason),
		TargetId:         opt(r.AccountID),
		TargetType:       opt(r.TargetType),
		PermissionSetArn: ptr(r.PermissionSetArn),
		PrincipalType:    opt(r.PrincipalType),
		PrincipalId:      opt(r.PrincipalID),
		CreatedDate:      stamp(r.Created),
	}
}

func (a *API) createAssignment(ctx context.Context, in *model.CreateAccountAssignmentRequest) (*model.CreateAccountAssignmentResponse, error) {
	r, err := a.sets.CreateAssignment(ctx, permset.Assignment{InstanceArn: str(in.InstanceArn), TargetID: str(in.TargetId), TargetType: str(in.TargetType),
		PermissionSetArn: str(in.PermissionSetArn), PrincipalType: str(in.PrincipalType), PrincipalID: str(in.PrincipalId)})
	if err != nil {
		return nil, err
	}
	return &model.CreateAccountAssignmentResponse{AccountAssignmentCreationStatus: assignmentStatusOut(r)}, nil
}

func (a *API) deleteAssignment(ctx context.Context, in *model.DeleteAccountAssignmentRequest) (*model.DeleteAccountAssignmentResponse, error) {
	r, err := a.sets.DeleteAssignment(ctx, permset.Assignment{InstanceArn: str(in.InstanceArn), TargetID: str(in.TargetId), TargetType: str(in.TargetType),
		PermissionSetArn: str(in.PermissionSetArn), PrincipalType: str(in.PrincipalType), PrincipalID: str(in.PrincipalId)})
	if err != nil {
		return nil, err
	}
	return &model.DeleteAccountAssignmentResponse{AccountAssignmentDeletionStatus: assignmentStatusOut(r)}, nil
}

func (a *API) describeCreation(ctx context.Context, in *model.DescribeAccountAssignmentCreationStatusRequest) (*model.DescribeAccountAssignmentCreationStatusResponse, error) {
	r, err := a.sets.CreationStatus(ctx, str(in.InstanceArn), str(in.AccountAssignmentCreationRequestId))
	if err != nil {
		return nil, err
	}
	return &model.DescribeAccountAssignmentCreationStatusResponse{AccountAssignmentCreationStatus: assignmentStatusOut(r)}, nil
}

func (a *API) describeDeletion(ctx context.Context, in *model.DescribeAccountAssignmentDeletionStatusRequest) (*model.DescribeAccountAssignmentDeletionStatusResponse, error) {
	r, err := a.sets.DeletionStatus(ctx, str(in.InstanceArn), str(in.AccountAssignmentDeletionRequestId))
	if err != nil {
		return nil, err
	}
	return &model.DescribeAccountAssignmentDeletionStatusResponse{AccountAssignmentDeletionStatus: assignmentStatusOut(r)}, nil
}

func statusOf(f *model.OperationStatusFilter) string {
	if f == nil {
		return ""
	}
	return str(f.Status)
}

func requestsMetadata(list []*store.PermSetRequest) []model.AccountAssignmentOperationStatusMetadata {
	out := make([]model.AccountAssignmentOperationStatusMetadata, len(list))
	for i, r := range list {
		out[i] = model.AccountAssignmentOperationStatusMetadata{Status: ptr(r.Status), RequestId: ptr(r.RequestID), CreatedDate: stamp(r.Created)}
	}
	return out
}

func (a *API) listCreations(ctx context.Context, in *model.ListAccountAssignmentCreationStatusRequest) (*model.ListAccountAssignmentCreationStatusResponse, error) {
	list, next, err := a.sets.CreationStatuses(ctx, str(in.InstanceArn), statusOf(in.Filter), str(in.NextToken), limit(in.MaxResults))
	if err != nil {
		return nil, err
	}
	return &model.ListAccountAssignmentCreationStatusResponse{AccountAssignmentsCreationStatus: requestsMetadata(list), NextToken: opt(next)}, nil
}

func (a *API) listDeletions(ctx context.Context, in *model.ListAccountAssignmentDeletionStatusRequest) (*model.ListAccountAssignmentDeletionStatusResponse, error) {
	list, next, err := a.sets.DeletionStatuses(ctx, str(in.InstanceArn), statusOf(in.Filter), str(in.NextToken), limit(in.MaxResults))
	if err != nil {
		return nil, err
	}
	return &model.ListAccountAssignmentDeletionStatusResponse{AccountAssignmentsDeletionStatus: requestsMetadata(list), NextToken: opt(next)}, nil
}

func (a *API) listAssignments(ctx context.Context, in *model.ListAccountAssignmentsRequest) (*model.ListAccountAssignmentsResponse, error) {
	list, next, err := a.sets.Assignments(ctx, str(in.InstanceArn), str(in.AccountId), str(in.PermissionSetArn), str(in.NextToken), limit(in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &model.ListAccountAssignmentsResponse{AccountAssignments: make([]model.AccountAssignment, len(list)), NextToken: opt(next)}
	for i, as := range list {
		out.AccountAssignments[i] = model.AccountAssignment{AccountId: ptr(as.AccountID), PermissionSetArn: ptr(as.PermissionSetArn),
			PrincipalType: ptr(as.PrincipalType), PrincipalId: ptr(as.PrincipalID)}
	}
	return out, nil
}

func (a *API) listAssignmentsForPrincipal(ctx context.Context, in *model.ListAccountAssignmentsForPrincipalRequest) (*model.ListAccountAssignmentsForPrincipalResponse, error) {
	account := ""
	if in.Filter != nil {
		account = str(in.Filter.AccountId)
	}
	list, next, err := a.sets.AccessOf(ctx, str(in.InstanceArn), str(in.PrincipalType), str(in.PrincipalId), account, str(in.NextToken), limit(in.MaxResults))
	if err != nil {
		return nil, err
	}
	out := &model.ListAccountAssignmentsForPrincipalResponse{AccountAssignments: make([]model.AccountAssignmentForPrincipal, len(list)), NextToken: opt(next)}
	for i, as := range list {
		out.AccountAssignments[i] = model.AccountAssignmentForPrincipal{AccountId: ptr(as.AccountID), PermissionSetArn: ptr(as.PermissionSetArn),
			PrincipalType: ptr(as.PrincipalType), PrincipalId: ptr(as.PrincipalID)}
	}
	return out, nil
}
