package ssoadmin

import (
	"context"
	"encoding/json"

	"github.com/idcenter/idcenter/internal/awsproto"
	"github.com/idcenter/idcenter/internal/awsshape"
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
		Status:           awsshape.Ptr(r.Status),
		RequestId:        awsshape.Ptr(r.RequestID),
		FailureReason:    awsshape.OptString(r.FailureReason),
		TargetId:         awsshape.OptString(r.AccountID),
		TargetType:       awsshape.OptString(r.TargetType),
		PermissionSetArn: awsshape.Ptr(r.PermissionSetArn),
		PrincipalType:    awsshape.OptString(r.PrincipalType),
		PrincipalId:      awsshape.OptString(r.PrincipalID),
		CreatedDate:      awsshape.Stamp(r.Created),
	}
}

func (a *API) createAssignment(ctx context.Context, in *model.CreateAccountAssignmentRequest) (*model.CreateAccountAssignmentResponse, error) {
	r, err := a.sets.CreateAssignment(ctx, permset.Assignment{InstanceArn: awsshape.String(in.InstanceArn), TargetID: awsshape.String(in.TargetId), TargetType: awsshape.String(in.TargetType),
		PermissionSetArn: awsshape.String(in.PermissionSetArn), PrincipalType: awsshape.String(in.PrincipalType), PrincipalID: awsshape.String(in.PrincipalId)})
	if err != nil {
		return nil, err
	}
	return &model.CreateAccountAssignmentResponse{AccountAssignmentCreationStatus: assignmentStatusOut(r)}, nil
}

func (a *API) deleteAssignment(ctx context.Context, in *model.DeleteAccountAssignmentRequest) (*model.DeleteAccountAssignmentResponse, error) {
	r, err := a.sets.DeleteAssignment(ctx, permset.Assignment{InstanceArn: awsshape.String(in.InstanceArn), TargetID: awsshape.String(in.TargetId), TargetType: awsshape.String(in.TargetType),
		PermissionSetArn: awsshape.String(in.PermissionSetArn), PrincipalType: awsshape.String(in.PrincipalType), PrincipalID: awsshape.String(in.PrincipalId)})
	if err != nil {
		return nil, err
	}
	return &model.DeleteAccountAssignmentResponse{AccountAssignmentDeletionStatus: assignmentStatusOut(r)}, nil
}

func (a *API) describeCreation(ctx context.Context, in *model.DescribeAccountAssignmentCreationStatusRequest) (*model.DescribeAccountAssignmentCreationStatusResponse, error) {
	r, err := a.sets.CreationStatus(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.AccountAssignmentCreationRequestId))
	if err != nil {
		return nil, err
	}
	return &model.DescribeAccountAssignmentCreationStatusResponse{AccountAssignmentCreationStatus: assignmentStatusOut(r)}, nil
}

func (a *API) describeDeletion(ctx context.Context, in *model.DescribeAccountAssignmentDeletionStatusRequest) (*model.DescribeAccountAssignmentDeletionStatusResponse, error) {
	r, err := a.sets.DeletionStatus(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.AccountAssignmentDeletionRequestId))
	if err != nil {
		return nil, err
	}
	return &model.DescribeAccountAssignmentDeletionStatusResponse{AccountAssignmentDeletionStatus: assignmentStatusOut(r)}, nil
}

func statusOf(f *model.OperationStatusFilter) string {
	if f == nil {
		return ""
	}
	return awsshape.String(f.Status)
}

func requestsMetadata(list []*store.PermSetRequest) []model.AccountAssignmentOperationStatusMetadata {
	out := make([]model.AccountAssignmentOperationStatusMetadata, len(list))
	for i, r := range list {
		out[i] = model.AccountAssignmentOperationStatusMetadata{Status: awsshape.Ptr(r.Status), RequestId: awsshape.Ptr(r.RequestID), CreatedDate: awsshape.Stamp(r.Created)}
	}
	return out
}

func (a *API) listCreations(ctx context.Context, in *model.ListAccountAssignmentCreationStatusRequest) (*model.ListAccountAssignmentCreationStatusResponse, error) {
	list, next, err := a.sets.CreationStatuses(ctx, awsshape.String(in.InstanceArn), statusOf(in.Filter), awsshape.String(in.NextToken), awsshape.Int(in.MaxResults))
	if err != nil {
		return nil, err
	}
	return &model.ListAccountAssignmentCreationStatusResponse{AccountAssignmentsCreationStatus: requestsMetadata(list), NextToken: awsshape.OptString(next)}, nil
}

func (a *API) listDeletions(ctx context.Context, in *model.ListAccountAssignmentDeletionStatusRequest) (*model.ListAccountAssignmentDeletionStatusResponse, error) {
	list, next, err := a.sets.DeletionStatuses(ctx, awsshape.String(in.InstanceArn), statusOf(in.Filter), awsshape.String(in.NextToken), awsshape.Int(in.MaxResults))
	if err != nil {
		return nil, err
	}
	return &model.ListAccountAssignmentDeletionStatusResponse{AccountAssignmentsDeletionStatus: requestsMetadata(list), NextToken: awsshape.OptString(next)}, nil
}

func (a *API) listAssignments(ctx context.Context, in *model.ListAccountAssignmentsRequest) (*json.RawMessage, error) {
	list, next, err := a.sets.Assignments(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.AccountId), awsshape.String(in.PermissionSetArn), awsshape.String(in.NextToken), awsshape.Int(in.MaxResults))
	if err != nil {
		return nil, err
	}
	return assignmentsJSON(list, next, func(as *store.Assignment) (string, string, string, string) {
		return as.AccountID, as.PermissionSetArn, as.PrincipalType, as.PrincipalID
	}), nil
}

func (a *API) listAssignmentsForPrincipal(ctx context.Context, in *model.ListAccountAssignmentsForPrincipalRequest) (*json.RawMessage, error) {
	account := ""
	if in.Filter != nil {
		account = awsshape.String(in.Filter.AccountId)
	}
	list, next, err := a.sets.AccessOf(ctx, awsshape.String(in.InstanceArn), awsshape.String(in.PrincipalType), awsshape.String(in.PrincipalId), account, awsshape.String(in.NextToken), awsshape.Int(in.MaxResults))
	if err != nil {
		return nil, err
	}
	return assignmentsJSON(list, next, func(as *store.PrincipalAccess) (string, string, string, string) {
		return as.AccountID, as.PermissionSetArn, as.PrincipalType, as.PrincipalID
	}), nil
}
