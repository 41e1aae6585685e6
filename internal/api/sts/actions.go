package sts

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/idcenter/idcenter/internal/auth"
	"github.com/idcenter/idcenter/internal/awsshape"
	"github.com/idcenter/idcenter/internal/errs"
)

// getCallerIdentityResult is the result of GetCallerIdentity.
type getCallerIdentityResult struct {
	Arn     string
	UserId  string
	Account string
}

func (h *Handler) getCallerIdentity(ctx context.Context, _ url.Values) (any, error) {
	c := auth.From(ctx)
	return getCallerIdentityResult{Arn: c.Arn, UserId: c.PrincipalID, Account: c.AccountID}, nil
}

// assumeRoleResult is the result of AssumeRole.
type assumeRoleResult struct {
	Credentials struct {
		AccessKeyId     string
		SecretAccessKey string
		SessionToken    string
		Expiration      string
	}
	AssumedRoleUser struct {
		Arn           string
		AssumedRoleId string
	}
}

// The model's constraints on AssumeRole's input.
var (
	sessionNameRe      = awsshape.MustPattern(`^[\w+=,.@-]*$`)
	sessionNamePattern = `[\w+=,.@-]*`
)

func (h *Handler) assumeRole(ctx context.Context, form url.Values) (any, error) {
	roleArn, session := form.Get("RoleArn"), form.Get("RoleSessionName")
	var c awsshape.Checker
	c.Required("roleArn", form.Has("RoleArn"))
	if form.Has("RoleArn") {
		c.StringLen("roleArn", roleArn, false, 20, 2048)
	}
	c.Required("roleSessionName", form.Has("RoleSessionName"))
	if form.Has("RoleSessionName") {
		c.StringLen("roleSessionName", session, false, 2, 64)
		c.Pattern("roleSessionName", session, false, sessionNameRe, sessionNamePattern)
	}
	var duration time.Duration
	if form.Has("DurationSeconds") {
		secs, err := strconv.ParseInt(form.Get("DurationSeconds"), 10, 32)
		if err != nil {
			c.Fail("durationSeconds", awsshape.Quote(form.Get("DurationSeconds"), false), "Member must be an integer")
		} else {
			c.IntRange("durationSeconds", secs, 900, 43200, true, true)
			duration = time.Duration(secs) * time.Second
		}
	}
	if err := c.Err(); err != nil {
		return nil, errs.E("sts.AssumeRole", errs.Invalid, err.Error())
	}
	s, err := h.org.AssumeRole(ctx, roleArn, session, duration)
	if err != nil {
		return nil, err
	}
	var out assumeRoleResult
	out.Credentials.AccessKeyId = s.Key.AccessKeyID
	out.Credentials.SecretAccessKey = s.Key.SecretAccessKey
	out.Credentials.SessionToken = s.Key.SessionToken
	out.Credentials.Expiration = s.Key.Expires.UTC().Format(time.RFC3339)
	out.AssumedRoleUser.Arn = s.Arn
	out.AssumedRoleUser.AssumedRoleId = s.AssumedRoleID
	return out, nil
}
