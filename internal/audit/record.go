package audit

import (
	"encoding/json"
	"strings"

	"github.com/idcenter/idcenter/internal/store"
)

// EventVersion is the CloudTrail record format idcenter writes.
const EventVersion = "1.09"

// Record is an event in CloudTrail's record format, as LookupEvents returns
// it in CloudTrailEvent and as delivered log files hold it.
type Record struct {
	EventVersion        string          `json:"eventVersion"`
	UserIdentity        UserIdentity    `json:"userIdentity"`
	EventTime           string          `json:"eventTime"`
	EventSource         string          `json:"eventSource"`
	EventName           string          `json:"eventName"`
	AwsRegion           string          `json:"awsRegion"`
	SourceIPAddress     string          `json:"sourceIPAddress,omitempty"`
	UserAgent           string          `json:"userAgent,omitempty"`
	ErrorCode           string          `json:"errorCode,omitempty"`
	ErrorMessage        string          `json:"errorMessage,omitempty"`
	RequestParameters   json.RawMessage `json:"requestParameters"`
	ResponseElements    json.RawMessage `json:"responseElements"`
	AdditionalEventData json.RawMessage `json:"additionalEventData,omitempty"`
	RequestID           string          `json:"requestID,omitempty"`
	EventID             string          `json:"eventID"`
	ReadOnly            bool            `json:"readOnly"`
	Resources           []RecordRes     `json:"resources,omitempty"`
	EventType           string          `json:"eventType"`
	ManagementEvent     bool            `json:"managementEvent"`
	RecipientAccountID  string          `json:"recipientAccountId,omitempty"`
	EventCategory       string          `json:"eventCategory"`
	TLSDetails          json.RawMessage `json:"tlsDetails,omitempty"`
}

// UserIdentity is the record's userIdentity: who made the call, as far as
// it is known (after a refused authentication, perhaps only accessKeyId).
type UserIdentity struct {
	Type           string          `json:"type,omitempty"`
	PrincipalID    string          `json:"principalId,omitempty"`
	Arn            string          `json:"arn,omitempty"`
	AccountID      string          `json:"accountId,omitempty"`
	AccessKeyID    string          `json:"accessKeyId,omitempty"`
	UserName       string          `json:"userName,omitempty"`
	SessionContext json.RawMessage `json:"sessionContext,omitempty"`
	InvokedBy      string          `json:"invokedBy,omitempty"`
}

// RecordRes is a resource of the record's resources list.
type RecordRes struct {
	AccountID string `json:"accountId,omitempty"`
	Type      string `json:"type"`
	ARN       string `json:"ARN"`
}

// RecordOf renders a stored event as a CloudTrail record.
func RecordOf(e *store.AuditEvent) *Record {
	r := &Record{
		EventVersion: EventVersion,
		UserIdentity: UserIdentity{
			Type: e.UserType, PrincipalID: e.PrincipalID, Arn: e.UserArn, AccountID: e.UserAccountID,
			AccessKeyID: e.AccessKeyID, SessionContext: raw(e.SessionContext), InvokedBy: e.InvokedBy,
		},
		EventTime:           e.Time.UTC().Format("2006-01-02T15:04:05Z"),
		EventSource:         e.EventSource,
		EventName:           e.EventName,
		AwsRegion:           e.Region,
		SourceIPAddress:     e.SourceIP,
		UserAgent:           e.UserAgent,
		ErrorCode:           e.ErrorCode,
		ErrorMessage:        e.ErrorMessage,
		RequestParameters:   raw(e.RequestParameters),
		ResponseElements:    raw(e.ResponseElements),
		AdditionalEventData: raw(e.AdditionalEventData),
		RequestID:           e.RequestID,
		EventID:             e.EventID,
		ReadOnly:            e.ReadOnly,
		EventType:           e.EventType,
		ManagementEvent:     true,
		RecipientAccountID:  e.RecipientAccountID,
		EventCategory:       "Management",
		TLSDetails:          raw(e.TLSDetails),
	}
	// CloudTrail gives userName for IAM users (and unknown principals);
	// root and role sessions are named by their ARN.
	if e.UserType == "IAMUser" || e.UserType == "Unknown" {
		r.UserIdentity.UserName = e.UserName
	}
	for _, res := range e.Resources {
		if strings.HasPrefix(res.Name, "arn:") {
			r.Resources = append(r.Resources, RecordRes{AccountID: e.RecipientAccountID, Type: res.Type, ARN: res.Name})
		}
	}
	return r
}

// JSON renders a stored event as a CloudTrail record in JSON.
func JSON(e *store.AuditEvent) []byte {
	b, err := json.Marshal(RecordOf(e))
	if err != nil { // only stored JSON members can fail, and they were valid when stored
		return []byte(`{}`)
	}
	return b
}

func raw(s string) json.RawMessage {
	if s == "" {
		return nil
	}
	return json.RawMessage(s)
}
