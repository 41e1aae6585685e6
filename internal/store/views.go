package store

import "strings"

// The views of schema aws (docs/sql-views.md): the organization's data as
// AWS names it, for `idcenter query`. Neither backend can hold them in a
// real schema named aws: SQLite has no schemas at all, and on PostgreSQL
// every installation (and every test) lives in its own schema of a shared
// database, while a schema named aws would be one per database. So each
// view is stored next to the tables it reads, named aws_<view>
// (aws_sso_instance), and QueryViews maps the statement's aws.<view> to it
// (see views_check.go). The SQL a user writes is the same on both backends.
//
// The DDL below is run by migrations (migrate.go): a released statement is
// never edited. A view changes by appending a DROP VIEW and a new CREATE
// VIEW to the migrations, and updating viewCatalog.
//
// Conventions, on both backends: every view starts with _key (unique per
// row) and account_id; the other columns follow in alphabetical order.
// Times are text, ISO 8601 in UTC with milliseconds
// (2024-05-01T12:00:00.000Z), so they compare and sort as text. Columns
// holding JSON are jsonb on PostgreSQL and JSON text on SQLite: col ->> 'Key'
// and col -> 'A' ->> 'B' work on both. Booleans are BOOLEAN on PostgreSQL
// and 0/1 on SQLite: WHERE col and col = TRUE work on both. An absent value
// is NULL, never ''.

// ViewColumn is a column of a view of schema aws.
type ViewColumn struct {
	Name string
	JSON bool // holds a JSON document
}

// View is a view of schema aws.
type View struct {
	Name    string // as queries name it, without the schema: sso_instance
	Columns []ViewColumn
}

// viewCatalog lists the views and their columns in order; a test checks it
// against both databases.
var viewCatalog = []View{
	{"cloudtrail_event", cols("_key", "account_id", "additional_event_data*", "aws_region", "error_code", "error_message",
		"event_category", "event_id", "event_name", "event_source", "event_time", "event_type", "event_version",
		"management_event", "organization_id", "read_only", "recipient_account_id", "request_id", "request_parameters*",
		"resources*", "response_elements*", "source_ip_address", "tls_details*", "user_agent",
		"user_identity_access_key_id", "user_identity_account_id", "user_identity_arn", "user_identity_invoked_by",
		"user_identity_principal_id", "user_identity_session_context*", "user_identity_type", "user_identity_user_name")},
	{"identitystore_group", cols("_key", "account_id", "created_at", "created_by", "description", "display_name",
		"external_ids*", "group_id", "identity_store_id", "instance_arn", "updated_at", "updated_by")},
	{"identitystore_group_membership", cols("_key", "account_id", "created_at", "group_id", "identity_store_id",
		"instance_arn", "membership_id", "user_id")},
	{"identitystore_user", cols("_key", "account_id", "addresses*", "birthdate", "created_at", "created_by",
		"display_name", "email", "emails*", "extensions*", "external_ids*", "identity_store_id", "instance_arn", "locale",
		"name*", "nick_name", "phone_numbers*", "photos*", "preferred_language", "profile_url", "roles*", "timezone",
		"title", "updated_at", "updated_by", "user_id", "user_name", "user_status", "user_type", "website")},
	{"organizations_account", cols("_key", "account_id", "arn", "email", "joined_method", "joined_timestamp",
		"management_account_id", "name", "organization_id", "parent_id", "status")},
	{"sso_account_assignment", cols("_key", "account_id", "created_date", "identity_store_id", "instance_arn",
		"permission_set_arn", "principal_id", "principal_type")},
	{"sso_instance", cols("_key", "account_id", "created_date", "identity_store_id",
		"instance_access_control_attribute_configuration*", "instance_arn", "name", "owner_account_id", "status",
		"status_reason", "tags")},
	{"sso_permission_set", cols("_key", "account_id", "attached_managed_policies*", "created_date",
		"customer_managed_policy_references*", "description", "inline_policy", "instance_arn", "name",
		"permission_set_arn", "permissions_boundary*", "relay_state", "session_duration", "tags")},
}

// cols builds a column list; a name ending in * holds JSON.
func cols(names ...string) []ViewColumn {
	out := make([]ViewColumn, len(names))
	for i, n := range names {
		out[i] = ViewColumn{Name: strings.TrimSuffix(n, "*"), JSON: strings.HasSuffix(n, "*")}
	}
	return out
}

// Views lists the views of schema aws, sorted by name.
func Views() []View {
	out := make([]View, len(viewCatalog))
	copy(out, viewCatalog)
	return out
}

// viewByName finds a view by its name in schema aws.
func viewByName(name string) (View, bool) {
	for _, v := range viewCatalog {
		if v.Name == name {
			return v, true
		}
	}
	return View{}, false
}

// viewTable is the name a view of schema aws has in the database.
func viewTable(name string) string { return "aws_" + name }

// viewBaseTables are the tables the views read (SQLite's authorizer lets a
// query read them and the views, nothing else); json_each is SQLite's
// table-valued JSON functions.
var viewBaseTables = []string{"instances", "tags", "users", "groups", "memberships", "permission_sets",
	"permission_set_policies", "account_assignments", "accounts", "organizations", "audit_events", "json_each", "json_tree"}

// viewFunctions are the SQLite functions the views call.
var viewFunctions = []string{"strftime", "json", "json_object", "json_group_array", "string_agg", "nullif", "replace",
	"count", "->", "->>"}

// The DDL of the views (migration 9). Released: never edit.

const sqliteViewCloudTrailEvent = `sqlite:CREATE VIEW aws_cloudtrail_event AS SELECT
	e.event_id AS _key,
	NULLIF(e.recipient_account_id, '') AS account_id,
	e.additional_event_data AS additional_event_data,
	e.aws_region AS aws_region,
	e.error_code AS error_code,
	e.error_message AS error_message,
	'Management' AS event_category,
	e.event_id AS event_id,
	NULLIF(e.event_name, '') AS event_name,
	NULLIF(e.event_source, '') AS event_source,
	replace(e.event_time, ' ', 'T') || 'Z' AS event_time,
	e.event_type AS event_type,
	'1.09' AS event_version,
	(1 = 1) AS management_event,
	NULLIF(e.org_id, '') AS organization_id,
	(e.read_only = 1) AS read_only,
	NULLIF(e.recipient_account_id, '') AS recipient_account_id,
	e.request_id AS request_id,
	e.request_parameters AS request_parameters,
	e.resources AS resources,
	e.response_elements AS response_elements,
	e.source_ip AS source_ip_address,
	e.tls_details AS tls_details,
	e.user_agent AS user_agent,
	e.access_key_id AS user_identity_access_key_id,
	e.user_account_id AS user_identity_account_id,
	e.user_arn AS user_identity_arn,
	e.invoked_by AS user_identity_invoked_by,
	e.principal_id AS user_identity_principal_id,
	e.session_context AS user_identity_session_context,
	e.user_type AS user_identity_type,
	e.user_name AS user_identity_user_name
	FROM audit_events AS e`

const postgresViewCloudTrailEvent = `postgres:CREATE VIEW aws_cloudtrail_event AS SELECT
	e.event_id AS _key,
	NULLIF(e.recipient_account_id, '') AS account_id,
	e.additional_event_data::jsonb AS additional_event_data,
	e.aws_region AS aws_region,
	e.error_code AS error_code,
	e.error_message AS error_message,
	'Management'::text AS event_category,
	e.event_id AS event_id,
	NULLIF(e.event_name, '') AS event_name,
	NULLIF(e.event_source, '') AS event_source,
	replace(e.event_time, ' ', 'T') || 'Z' AS event_time,
	e.event_type AS event_type,
	'1.09'::text AS event_version,
	TRUE AS management_event,
	NULLIF(e.org_id, '') AS organization_id,
	(e.read_only = 1) AS read_only,
	NULLIF(e.recipient_account_id, '') AS recipient_account_id,
	e.request_id AS request_id,
	e.request_parameters::jsonb AS request_parameters,
	e.resources::jsonb AS resources,
	e.response_elements::jsonb AS response_elements,
	e.source_ip AS source_ip_address,
	e.tls_details::jsonb AS tls_details,
	e.user_agent AS user_agent,
	e.access_key_id AS user_identity_access_key_id,
	e.user_account_id AS user_identity_account_id,
	e.user_arn AS user_identity_arn,
	e.invoked_by AS user_identity_invoked_by,
	e.principal_id AS user_identity_principal_id,
	e.session_context::jsonb AS user_identity_session_context,
	e.user_type AS user_identity_type,
	e.user_name AS user_identity_user_name
	FROM audit_events AS e`

const sqliteViewIdentityStoreGroup = `sqlite:CREATE VIEW aws_identitystore_group AS SELECT
	g.store_id || '/' || g.id AS _key,
	i.owner_account_id AS account_id,
	strftime('%Y-%m-%dT%H:%M:%fZ', g.created_ms / 1000.0, 'unixepoch') AS created_at,
	g.doc ->> 'CreatedBy' AS created_by,
	g.doc ->> 'Description' AS description,
	g.doc ->> 'DisplayName' AS display_name,
	g.doc -> 'ExternalIds' AS external_ids,
	g.id AS group_id,
	g.store_id AS identity_store_id,
	i.arn AS instance_arn,
	strftime('%Y-%m-%dT%H:%M:%fZ', g.updated_ms / 1000.0, 'unixepoch') AS updated_at,
	g.doc ->> 'UpdatedBy' AS updated_by
	FROM groups AS g LEFT JOIN instances AS i ON i.identity_store_id = g.store_id`

const postgresViewIdentityStoreGroup = `postgres:CREATE VIEW aws_identitystore_group AS SELECT
	g.store_id || '/' || g.id AS _key,
	i.owner_account_id AS account_id,
	to_char(TIMESTAMP 'epoch' + g.created_ms * INTERVAL '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
	d.j ->> 'CreatedBy' AS created_by,
	d.j ->> 'Description' AS description,
	d.j ->> 'DisplayName' AS display_name,
	d.j -> 'ExternalIds' AS external_ids,
	g.id AS group_id,
	g.store_id AS identity_store_id,
	i.arn AS instance_arn,
	to_char(TIMESTAMP 'epoch' + g.updated_ms * INTERVAL '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at,
	d.j ->> 'UpdatedBy' AS updated_by
	FROM groups AS g CROSS JOIN LATERAL (SELECT g.doc::jsonb AS j OFFSET 0) AS d
	LEFT JOIN instances AS i ON i.identity_store_id = g.store_id`

const sqliteViewIdentityStoreGroupMembership = `sqlite:CREATE VIEW aws_identitystore_group_membership AS SELECT
	m.store_id || '/' || m.id AS _key,
	i.owner_account_id AS account_id,
	strftime('%Y-%m-%dT%H:%M:%fZ', m.created_ms / 1000.0, 'unixepoch') AS created_at,
	m.group_id AS group_id,
	m.store_id AS identity_store_id,
	i.arn AS instance_arn,
	m.id AS membership_id,
	m.user_id AS user_id
	FROM memberships AS m LEFT JOIN instances AS i ON i.identity_store_id = m.store_id`

const postgresViewIdentityStoreGroupMembership = `postgres:CREATE VIEW aws_identitystore_group_membership AS SELECT
	m.store_id || '/' || m.id AS _key,
	i.owner_account_id AS account_id,
	to_char(TIMESTAMP 'epoch' + m.created_ms * INTERVAL '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
	m.group_id AS group_id,
	m.store_id AS identity_store_id,
	i.arn AS instance_arn,
	m.id AS membership_id,
	m.user_id AS user_id
	FROM memberships AS m LEFT JOIN instances AS i ON i.identity_store_id = m.store_id`

const sqliteViewIdentityStoreUser = `sqlite:CREATE VIEW aws_identitystore_user AS SELECT
	u.store_id || '/' || u.id AS _key,
	i.owner_account_id AS account_id,
	u.doc -> 'Addresses' AS addresses,
	u.doc ->> 'Birthdate' AS birthdate,
	strftime('%Y-%m-%dT%H:%M:%fZ', u.created_ms / 1000.0, 'unixepoch') AS created_at,
	u.doc ->> 'CreatedBy' AS created_by,
	u.doc ->> 'DisplayName' AS display_name,
	u.doc ->> '$.Emails[0].Value' AS email,
	u.doc -> 'Emails' AS emails,
	u.doc -> 'Extensions' AS extensions,
	u.doc -> 'ExternalIds' AS external_ids,
	u.store_id AS identity_store_id,
	i.arn AS instance_arn,
	u.doc ->> 'Locale' AS locale,
	u.doc -> 'Name' AS name,
	u.doc ->> 'NickName' AS nick_name,
	u.doc -> 'PhoneNumbers' AS phone_numbers,
	u.doc -> 'Photos' AS photos,
	u.doc ->> 'PreferredLanguage' AS preferred_language,
	u.doc ->> 'ProfileUrl' AS profile_url,
	u.doc -> 'Roles' AS roles,
	u.doc ->> 'Timezone' AS timezone,
	u.doc ->> 'Title' AS title,
	strftime('%Y-%m-%dT%H:%M:%fZ', u.updated_ms / 1000.0, 'unixepoch') AS updated_at,
	u.doc ->> 'UpdatedBy' AS updated_by,
	u.id AS user_id,
	u.doc ->> 'UserName' AS user_name,
	u.doc ->> 'UserStatus' AS user_status,
	u.doc ->> 'UserType' AS user_type,
	u.doc ->> 'Website' AS website
	FROM users AS u LEFT JOIN instances AS i ON i.identity_store_id = u.store_id`

const postgresViewIdentityStoreUser = `postgres:CREATE VIEW aws_identitystore_user AS SELECT
	u.store_id || '/' || u.id AS _key,
	i.owner_account_id AS account_id,
	d.j -> 'Addresses' AS addresses,
	d.j ->> 'Birthdate' AS birthdate,
	to_char(TIMESTAMP 'epoch' + u.created_ms * INTERVAL '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at,
	d.j ->> 'CreatedBy' AS created_by,
	d.j ->> 'DisplayName' AS display_name,
	d.j #>> '{Emails,0,Value}' AS email,
	d.j -> 'Emails' AS emails,
	d.j -> 'Extensions' AS extensions,
	d.j -> 'ExternalIds' AS external_ids,
	u.store_id AS identity_store_id,
	i.arn AS instance_arn,
	d.j ->> 'Locale' AS locale,
	d.j -> 'Name' AS name,
	d.j ->> 'NickName' AS nick_name,
	d.j -> 'PhoneNumbers' AS phone_numbers,
	d.j -> 'Photos' AS photos,
	d.j ->> 'PreferredLanguage' AS preferred_language,
	d.j ->> 'ProfileUrl' AS profile_url,
	d.j -> 'Roles' AS roles,
	d.j ->> 'Timezone' AS timezone,
	d.j ->> 'Title' AS title,
	to_char(TIMESTAMP 'epoch' + u.updated_ms * INTERVAL '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS updated_at,
	d.j ->> 'UpdatedBy' AS updated_by,
	u.id AS user_id,
	d.j ->> 'UserName' AS user_name,
	d.j ->> 'UserStatus' AS user_status,
	d.j ->> 'UserType' AS user_type,
	d.j ->> 'Website' AS website
	FROM users AS u CROSS JOIN LATERAL (SELECT u.doc::jsonb AS j OFFSET 0) AS d
	LEFT JOIN instances AS i ON i.identity_store_id = u.store_id`

const sqliteViewOrganizationsAccount = `sqlite:CREATE VIEW aws_organizations_account AS SELECT
	'arn:aws:organizations::' || o.management_account_id || ':account/' || o.id || '/' || a.id AS _key,
	a.id AS account_id,
	'arn:aws:organizations::' || o.management_account_id || ':account/' || o.id || '/' || a.id AS arn,
	a.email AS email,
	NULLIF(a.joined_method, '') AS joined_method,
	strftime('%Y-%m-%dT%H:%M:%fZ', a.joined_ms / 1000.0, 'unixepoch') AS joined_timestamp,
	o.management_account_id AS management_account_id,
	a.name AS name,
	a.org_id AS organization_id,
	NULLIF(a.parent_id, '') AS parent_id,
	a.status AS status
	FROM accounts AS a JOIN organizations AS o ON o.id = a.org_id`

const postgresViewOrganizationsAccount = `postgres:CREATE VIEW aws_organizations_account AS SELECT
	'arn:aws:organizations::' || o.management_account_id || ':account/' || o.id || '/' || a.id AS _key,
	a.id AS account_id,
	'arn:aws:organizations::' || o.management_account_id || ':account/' || o.id || '/' || a.id AS arn,
	a.email AS email,
	NULLIF(a.joined_method, '') AS joined_method,
	to_char(TIMESTAMP 'epoch' + a.joined_ms * INTERVAL '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS joined_timestamp,
	o.management_account_id AS management_account_id,
	a.name AS name,
	a.org_id AS organization_id,
	NULLIF(a.parent_id, '') AS parent_id,
	a.status AS status
	FROM accounts AS a JOIN organizations AS o ON o.id = a.org_id`

const sqliteViewSSOAccountAssignment = `sqlite:CREATE VIEW aws_sso_account_assignment AS SELECT
	a.permission_set_arn || '/' || a.account_id || '/' || a.principal_type || '/' || a.principal_id AS _key,
	a.account_id AS account_id,
	strftime('%Y-%m-%dT%H:%M:%fZ', a.created_ms / 1000.0, 'unixepoch') AS created_date,
	i.identity_store_id AS identity_store_id,
	a.instance_arn AS instance_arn,
	a.permission_set_arn AS permission_set_arn,
	a.principal_id AS principal_id,
	a.principal_type AS principal_type
	FROM account_assignments AS a LEFT JOIN instances AS i ON i.arn = a.instance_arn`

const postgresViewSSOAccountAssignment = `postgres:CREATE VIEW aws_sso_account_assignment AS SELECT
	a.permission_set_arn || '/' || a.account_id || '/' || a.principal_type || '/' || a.principal_id AS _key,
	a.account_id AS account_id,
	to_char(TIMESTAMP 'epoch' + a.created_ms * INTERVAL '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_date,
	i.identity_store_id AS identity_store_id,
	a.instance_arn AS instance_arn,
	a.permission_set_arn AS permission_set_arn,
	a.principal_id AS principal_id,
	a.principal_type AS principal_type
	FROM account_assignments AS a LEFT JOIN instances AS i ON i.arn = a.instance_arn`

const sqliteViewSSOInstance = `sqlite:CREATE VIEW aws_sso_instance AS SELECT
	i.arn AS _key,
	i.owner_account_id AS account_id,
	strftime('%Y-%m-%dT%H:%M:%fZ', i.created_ms / 1000.0, 'unixepoch') AS created_date,
	i.identity_store_id AS identity_store_id,
	CASE WHEN i.abac = '' THEN NULL ELSE json_object('AccessControlAttributes', json((SELECT json_group_array(
		json_object('Key', a.value ->> 'Key', 'Value', json_object('Source', a.value -> 'Source')) ORDER BY a.key)
		FROM json_each(i.abac) AS a))) END AS instance_access_control_attribute_configuration,
	i.arn AS instance_arn,
	NULLIF(i.name, '') AS name,
	i.owner_account_id AS owner_account_id,
	i.status AS status,
	NULLIF(i.status_reason, '') AS status_reason,
	(SELECT string_agg(t.tag_key || ':' || t.tag_value, ',' ORDER BY t.tag_key) FROM tags AS t WHERE t.resource_arn = i.arn) AS tags
	FROM instances AS i`

const postgresViewSSOInstance = `postgres:CREATE VIEW aws_sso_instance AS SELECT
	i.arn AS _key,
	i.owner_account_id AS account_id,
	to_char(TIMESTAMP 'epoch' + i.created_ms * INTERVAL '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_date,
	i.identity_store_id AS identity_store_id,
	CASE WHEN i.abac = '' THEN NULL ELSE jsonb_build_object('AccessControlAttributes', (SELECT jsonb_agg(
		jsonb_build_object('Key', a.e ->> 'Key', 'Value', jsonb_build_object('Source', a.e -> 'Source')) ORDER BY a.n)
		FROM jsonb_array_elements(i.abac::jsonb) WITH ORDINALITY AS a(e, n))) END AS instance_access_control_attribute_configuration,
	i.arn AS instance_arn,
	NULLIF(i.name, '') AS name,
	i.owner_account_id AS owner_account_id,
	i.status AS status,
	NULLIF(i.status_reason, '') AS status_reason,
	(SELECT string_agg(t.tag_key || ':' || t.tag_value, ',' ORDER BY t.tag_key COLLATE "C") FROM tags AS t WHERE t.resource_arn = i.arn) AS tags
	FROM instances AS i`

const sqliteViewSSOPermissionSet = `sqlite:CREATE VIEW aws_sso_permission_set AS SELECT
	p.arn AS _key,
	i.owner_account_id AS account_id,
	(SELECT CASE WHEN count(*) = 0 THEN NULL ELSE json_group_array(json_object('Arn', a.policy_key, 'Name', a.name) ORDER BY a.policy_key) END
		FROM permission_set_policies AS a WHERE a.permission_set_arn = p.arn AND a.kind = 'MANAGED') AS attached_managed_policies,
	strftime('%Y-%m-%dT%H:%M:%fZ', p.created_ms / 1000.0, 'unixepoch') AS created_date,
	(SELECT CASE WHEN count(*) = 0 THEN NULL ELSE json_group_array(json_object('Name', a.name, 'Path', a.path) ORDER BY a.policy_key) END
		FROM permission_set_policies AS a WHERE a.permission_set_arn = p.arn AND a.kind = 'CUSTOMER') AS customer_managed_policy_references,
	NULLIF(p.description, '') AS description,
	NULLIF(p.inline_policy, '') AS inline_policy,
	p.instance_arn AS instance_arn,
	p.name AS name,
	p.arn AS permission_set_arn,
	CASE WHEN p.boundary = '' THEN NULL ELSE json(p.boundary) END AS permissions_boundary,
	NULLIF(p.relay_state, '') AS relay_state,
	p.session_duration AS session_duration,
	(SELECT string_agg(t.tag_key || ':' || t.tag_value, ',' ORDER BY t.tag_key) FROM tags AS t WHERE t.resource_arn = p.arn) AS tags
	FROM permission_sets AS p LEFT JOIN instances AS i ON i.arn = p.instance_arn`

const postgresViewSSOPermissionSet = `postgres:CREATE VIEW aws_sso_permission_set AS SELECT
	p.arn AS _key,
	i.owner_account_id AS account_id,
	(SELECT jsonb_agg(jsonb_build_object('Arn', a.policy_key, 'Name', a.name) ORDER BY a.policy_key COLLATE "C")
		FROM permission_set_policies AS a WHERE a.permission_set_arn = p.arn AND a.kind = 'MANAGED') AS attached_managed_policies,
	to_char(TIMESTAMP 'epoch' + p.created_ms * INTERVAL '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_date,
	(SELECT jsonb_agg(jsonb_build_object('Name', a.name, 'Path', a.path) ORDER BY a.policy_key COLLATE "C")
		FROM permission_set_policies AS a WHERE a.permission_set_arn = p.arn AND a.kind = 'CUSTOMER') AS customer_managed_policy_references,
	NULLIF(p.description, '') AS description,
	NULLIF(p.inline_policy, '') AS inline_policy,
	p.instance_arn AS instance_arn,
	p.name AS name,
	p.arn AS permission_set_arn,
	NULLIF(p.boundary, '')::jsonb AS permissions_boundary,
	NULLIF(p.relay_state, '') AS relay_state,
	p.session_duration AS session_duration,
	(SELECT string_agg(t.tag_key || ':' || t.tag_value, ',' ORDER BY t.tag_key COLLATE "C") FROM tags AS t WHERE t.resource_arn = p.arn) AS tags
	FROM permission_sets AS p LEFT JOIN instances AS i ON i.arn = p.instance_arn`
