// Package identitystore serves the AWS Identity Store API (JSON 1.1,
// target prefix AWSIdentityStore) over the directory domain. It only
// registers operations: decoding, validation and errors are awsproto's,
// rules are the directory's.
package identitystore

import (
	"github.com/idcenter/idcenter/internal/awsproto"
	"github.com/idcenter/idcenter/internal/directory"
	m "github.com/idcenter/idcenter/internal/model/identitystore"
)

// New returns the Identity Store service.
func New(d *directory.Service) *awsproto.Service {
	s := &awsproto.Service{TargetPrefix: "AWSIdentityStore", SigningName: "identitystore",
		EventSource: "identitystore.amazonaws.com", ErrorStatus: m.ErrorStatus, RequestIDMember: true}
	awsproto.Handle(s, "CreateUser", d.CreateUser)
	awsproto.Handle(s, "DescribeUser", d.DescribeUser)
	awsproto.Handle(s, "ListUsers", d.ListUsers)
	awsproto.Handle(s, "UpdateUser", d.UpdateUser)
	awsproto.Handle(s, "DeleteUser", d.DeleteUser)
	awsproto.Handle(s, "GetUserId", d.GetUserId)
	awsproto.Handle(s, "CreateGroup", d.CreateGroup)
	awsproto.Handle(s, "DescribeGroup", d.DescribeGroup)
	awsproto.Handle(s, "ListGroups", d.ListGroups)
	awsproto.Handle(s, "UpdateGroup", d.UpdateGroup)
	awsproto.Handle(s, "DeleteGroup", d.DeleteGroup)
	awsproto.Handle(s, "GetGroupId", d.GetGroupId)
	awsproto.Handle(s, "CreateGroupMembership", d.CreateGroupMembership)
	awsproto.Handle(s, "DescribeGroupMembership", d.DescribeGroupMembership)
	awsproto.Handle(s, "DeleteGroupMembership", d.DeleteGroupMembership)
	awsproto.Handle(s, "GetGroupMembershipId", d.GetGroupMembershipId)
	awsproto.Handle(s, "IsMemberInGroups", d.IsMemberInGroups)
	awsproto.Handle(s, "ListGroupMemberships", d.ListGroupMemberships)
	awsproto.Handle(s, "ListGroupMembershipsForMember", d.ListGroupMembershipsForMember)
	return s
}
