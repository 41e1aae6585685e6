package store

import (
	"context"
	"fmt"
)

// migrations is the schema, in order. Append only: a released statement is
// never edited, because databases in the field have already run it. Portable
// SQL; the word BYTES becomes BLOB or BYTEA. Times are BIGINT milliseconds,
// booleans INTEGER 0/1. A statement prefixed "sqlite:" or "postgres:" runs
// on that backend only (and counts as run on the other).
var migrations = []string{
	// 1: organizations and accounts.
	`CREATE TABLE organizations (
		id TEXT PRIMARY KEY,
		arn TEXT NOT NULL,
		management_account_id TEXT NOT NULL,
		root_id TEXT NOT NULL,
		feature_set TEXT NOT NULL,
		allow_account_instances INTEGER NOT NULL DEFAULT 1,
		created_ms BIGINT NOT NULL)`,
	`CREATE TABLE accounts (
		id TEXT PRIMARY KEY,
		name TEXT NOT NULL,
		email TEXT NOT NULL,
		org_id TEXT NOT NULL DEFAULT '',
		parent_id TEXT NOT NULL DEFAULT '',
		status TEXT NOT NULL,
		joined_method TEXT NOT NULL DEFAULT '',
		joined_ms BIGINT NOT NULL)`,
	`CREATE UNIQUE INDEX accounts_email ON accounts (email)`,
	`CREATE INDEX accounts_org ON accounts (org_id, id)`,
	`CREATE TABLE create_account_requests (
		id TEXT PRIMARY KEY,
		org_id TEXT NOT NULL,
		account_name TEXT NOT NULL,
		state TEXT NOT NULL,
		account_id TEXT NOT NULL DEFAULT '',
		failure_reason TEXT NOT NULL DEFAULT '',
		requested_ms BIGINT NOT NULL,
		completed_ms BIGINT NOT NULL DEFAULT 0)`,
	`CREATE TABLE roles (
		account_id TEXT NOT NULL,
		name TEXT NOT NULL,
		role_id TEXT NOT NULL,
		trust_policy TEXT NOT NULL DEFAULT '',
		created_ms BIGINT NOT NULL,
		PRIMARY KEY (account_id, name))`,
	`CREATE TABLE access_keys (
		id TEXT PRIMARY KEY,
		account_id TEXT NOT NULL,
		principal_arn TEXT NOT NULL,
		principal_id TEXT NOT NULL,
		secret BYTES NOT NULL,
		session_token BYTES,
		expires_ms BIGINT NOT NULL DEFAULT 0,
		created_ms BIGINT NOT NULL)`,
	`CREATE INDEX access_keys_account ON access_keys (account_id)`,
	// 2: instances.
	`CREATE TABLE instances (
		arn TEXT PRIMARY KEY,
		identity_store_id TEXT NOT NULL,
		owner_account_id TEXT NOT NULL,
		org_id TEXT NOT NULL DEFAULT '',
		kind TEXT NOT NULL,
		name TEXT NOT NULL DEFAULT '',
		status TEXT NOT NULL,
		status_reason TEXT NOT NULL DEFAULT '',
		region TEXT NOT NULL,
		permission_sets_enabled INTEGER NOT NULL DEFAULT 0,
		encryption TEXT NOT NULL DEFAULT '',
		abac TEXT NOT NULL DEFAULT '',
		abac_status TEXT NOT NULL DEFAULT '',
		abac_reason TEXT NOT NULL DEFAULT '',
		created_ms BIGINT NOT NULL,
		updated_ms BIGINT NOT NULL DEFAULT 0)`,
	`CREATE UNIQUE INDEX instances_store ON instances (identity_store_id)`,
	`CREATE UNIQUE INDEX instances_one_org ON instances (org_id) WHERE kind = 'ORGANIZATION'`,
	`CREATE UNIQUE INDEX instances_one_per_account ON instances (owner_account_id) WHERE kind = 'ACCOUNT'`,
	`CREATE TABLE instance_regions (
		instance_arn TEXT NOT NULL,
		region TEXT NOT NULL,
		status TEXT NOT NULL,
		is_primary INTEGER NOT NULL DEFAULT 0,
		added_ms BIGINT NOT NULL,
		PRIMARY KEY (instance_arn, region))`,
	`CREATE TABLE tags (
		resource_arn TEXT NOT NULL,
		tag_key TEXT NOT NULL,
		tag_value TEXT NOT NULL,
		PRIMARY KEY (resource_arn, tag_key))`,
	// 3: identity stores.
	`CREATE TABLE users (
		store_id TEXT NOT NULL,
		id TEXT NOT NULL,
		user_name_key TEXT NOT NULL,
		email_key TEXT,
		doc TEXT NOT NULL,
		created_ms BIGINT NOT NULL,
		updated_ms BIGINT NOT NULL,
		PRIMARY KEY (store_id, id))`,
	`CREATE UNIQUE INDEX users_name ON users (store_id, user_name_key)`,
	`CREATE UNIQUE INDEX users_email ON users (store_id, email_key)`,
	`CREATE TABLE groups (
		store_id TEXT NOT NULL,
		id TEXT NOT NULL,
		name_key TEXT NOT NULL,
		doc TEXT NOT NULL,
		created_ms BIGINT NOT NULL,
		updated_ms BIGINT NOT NULL,
		PRIMARY KEY (store_id, id))`,
	`CREATE UNIQUE INDEX groups_name ON groups (store_id, name_key)`,
	`CREATE TABLE external_ids (
		store_id TEXT NOT NULL,
		kind TEXT NOT NULL,
		issuer TEXT NOT NULL,
		ext_id TEXT NOT NULL,
		resource_id TEXT NOT NULL,
		PRIMARY KEY (store_id, kind, issuer, ext_id))`,
	`CREATE INDEX external_ids_resource ON external_ids (store_id, resource_id)`,
	`CREATE TABLE memberships (
		store_id TEXT NOT NULL,
		id TEXT NOT NULL,
		group_id TEXT NOT NULL,
		user_id TEXT NOT NULL,
		created_ms BIGINT NOT NULL,
		PRIMARY KEY (store_id, id))`,
	`CREATE UNIQUE INDEX memberships_pair ON memberships (store_id, group_id, user_id)`,
	`CREATE INDEX memberships_group ON memberships (store_id, group_id, id)`,
	`CREATE INDEX memberships_user ON memberships (store_id, user_id, id)`,
	// 4: settings of the installation (such as the bootstrap key's id).
	`CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
	// 5: idempotency tokens (ClientToken) of create operations.
	`CREATE TABLE client_tokens (
		scope TEXT NOT NULL,
		token TEXT NOT NULL,
		request_hash TEXT NOT NULL,
		resource TEXT NOT NULL,
		created_ms BIGINT NOT NULL,
		PRIMARY KEY (scope, token))`,
	// CreateAccount work not yet done (a row per IN_PROGRESS request).
	`CREATE TABLE create_account_jobs (
		request_id TEXT PRIMARY KEY,
		email TEXT NOT NULL,
		role_name TEXT NOT NULL,
		created_ms BIGINT NOT NULL)`,
	// 6: SQLite keeps the identity store's tables clustered on their primary
	// key (WITHOUT ROWID), so a page of users is one range scan and each
	// secondary index carries the key: GetUserId reads only its index, and
	// a user's or group's memberships only theirs (they cover every column).
	// PostgreSQL keeps its heap tables.
	`sqlite:CREATE TABLE users_v2 (
		store_id TEXT NOT NULL,
		id TEXT NOT NULL,
		user_name_key TEXT NOT NULL,
		email_key TEXT,
		doc TEXT NOT NULL,
		created_ms BIGINT NOT NULL,
		updated_ms BIGINT NOT NULL,
		PRIMARY KEY (store_id, id)) WITHOUT ROWID`,
	`sqlite:INSERT INTO users_v2 SELECT store_id, id, user_name_key, email_key, doc, created_ms, updated_ms FROM users`,
	`sqlite:DROP TABLE users`,
	`sqlite:ALTER TABLE users_v2 RENAME TO users`,
	`sqlite:CREATE UNIQUE INDEX users_name ON users (store_id, user_name_key)`,
	`sqlite:CREATE UNIQUE INDEX users_email ON users (store_id, email_key)`,
	`sqlite:CREATE TABLE groups_v2 (
		store_id TEXT NOT NULL,
		id TEXT NOT NULL,
		name_key TEXT NOT NULL,
		doc TEXT NOT NULL,
		created_ms BIGINT NOT NULL,
		updated_ms BIGINT NOT NULL,
		PRIMARY KEY (store_id, id)) WITHOUT ROWID`,
	`sqlite:INSERT INTO groups_v2 SELECT store_id, id, name_key, doc, created_ms, updated_ms FROM groups`,
	`sqlite:DROP TABLE groups`,
	`sqlite:ALTER TABLE groups_v2 RENAME TO groups`,
	`sqlite:CREATE UNIQUE INDEX groups_name ON groups (store_id, name_key)`,
	`sqlite:CREATE TABLE memberships_v2 (
		store_id TEXT NOT NULL,
		id TEXT NOT NULL,
		group_id TEXT NOT NULL,
		user_id TEXT NOT NULL,
		created_ms BIGINT NOT NULL,
		PRIMARY KEY (store_id, id)) WITHOUT ROWID`,
	`sqlite:INSERT INTO memberships_v2 SELECT store_id, id, group_id, user_id, created_ms FROM memberships`,
	`sqlite:DROP TABLE memberships`,
	`sqlite:ALTER TABLE memberships_v2 RENAME TO memberships`,
	`sqlite:CREATE UNIQUE INDEX memberships_pair ON memberships (store_id, group_id, user_id)`,
	`sqlite:CREATE INDEX memberships_group ON memberships (store_id, group_id, id, user_id, created_ms)`,
	`sqlite:CREATE INDEX memberships_user ON memberships (store_id, user_id, id, group_id, created_ms)`,
	// 7: the audit trail (internal/audit): one row per CloudTrail event; seq
	// numbers events in the order they are stored (delivery cursors).
	`sqlite:CREATE TABLE audit_events (seq INTEGER PRIMARY KEY,` + auditEventColumns,
	`postgres:CREATE TABLE audit_events (seq BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,` + auditEventColumns,
	`CREATE UNIQUE INDEX audit_events_id ON audit_events (event_id)`,
	`CREATE INDEX audit_events_account ON audit_events (recipient_account_id, event_time)`,
	`CREATE INDEX audit_events_name ON audit_events (event_name, event_time)`,
	`CREATE INDEX audit_events_time ON audit_events (event_time)`,
	`CREATE INDEX audit_events_key ON audit_events (access_key_id, event_time)`,
	`CREATE TABLE audit_event_resources (
		resource_name TEXT NOT NULL,
		resource_type TEXT NOT NULL,
		event_time TEXT NOT NULL,
		event_id TEXT NOT NULL,
		recipient_account_id TEXT NOT NULL)`,
	`CREATE INDEX audit_event_resources_name ON audit_event_resources (resource_name, event_time)`,
	`CREATE INDEX audit_event_resources_type ON audit_event_resources (resource_type, event_time)`,
	// The fields of CloudTrail Lake's event data stores, named as queries
	// address them (userIdentity.arn, ...).
	auditFieldsView,
	// CloudTrail Lake queries (StartQuery) and their results.
	`CREATE TABLE audit_queries (
		id TEXT PRIMARY KEY,
		org_id TEXT NOT NULL,
		statement TEXT NOT NULL,
		status TEXT NOT NULL,
		error_message TEXT NOT NULL DEFAULT '',
		result TEXT,
		result_count BIGINT NOT NULL DEFAULT 0,
		bytes_scanned BIGINT NOT NULL DEFAULT 0,
		created_ms BIGINT NOT NULL,
		finished_ms BIGINT NOT NULL DEFAULT 0,
		exec_ms BIGINT NOT NULL DEFAULT 0)`,
	`CREATE INDEX audit_queries_created ON audit_queries (created_ms)`,
	// 8: permission sets, their policies, account assignments, where each
	// permission set is provisioned (and the version provisioned there), the
	// policies of the roles provisioning makes, and the asynchronous requests
	// (assignment creations and deletions, provisionings) of internal/permset.
	`CREATE TABLE permission_sets (
		arn TEXT PRIMARY KEY,
		instance_arn TEXT NOT NULL,
		name TEXT NOT NULL,
		description TEXT NOT NULL DEFAULT '',
		session_duration TEXT NOT NULL,
		relay_state TEXT NOT NULL DEFAULT '',
		inline_policy TEXT NOT NULL DEFAULT '',
		boundary TEXT NOT NULL DEFAULT '',
		version BIGINT NOT NULL DEFAULT 1,
		created_ms BIGINT NOT NULL,
		updated_ms BIGINT NOT NULL)`,
	`CREATE UNIQUE INDEX permission_sets_name ON permission_sets (instance_arn, name)`,
	`CREATE INDEX permission_sets_instance ON permission_sets (instance_arn, arn)`,
	`CREATE TABLE permission_set_policies (
		permission_set_arn TEXT NOT NULL,
		kind TEXT NOT NULL,
		policy_key TEXT NOT NULL,
		name TEXT NOT NULL,
		path TEXT NOT NULL DEFAULT '',
		created_ms BIGINT NOT NULL,
		PRIMARY KEY (permission_set_arn, kind, policy_key))`,
	`CREATE TABLE account_assignments (
		permission_set_arn TEXT NOT NULL,
		account_id TEXT NOT NULL,
		principal_type TEXT NOT NULL,
		principal_id TEXT NOT NULL,
		instance_arn TEXT NOT NULL,
		created_ms BIGINT NOT NULL,
		PRIMARY KEY (permission_set_arn, account_id, principal_type, principal_id))`,
	`CREATE INDEX account_assignments_principal ON account_assignments (principal_id, instance_arn, account_id, permission_set_arn, principal_type)`,
	`CREATE TABLE provisioned_permission_sets (
		permission_set_arn TEXT NOT NULL,
		account_id TEXT NOT NULL,
		instance_arn TEXT NOT NULL,
		role_name TEXT NOT NULL,
		version BIGINT NOT NULL,
		updated_ms BIGINT NOT NULL,
		PRIMARY KEY (permission_set_arn, account_id))`,
	`CREATE INDEX provisioned_permission_sets_account ON provisioned_permission_sets (account_id, instance_arn, permission_set_arn, version)`,
	`CREATE TABLE role_policies (
		account_id TEXT NOT NULL,
		role_name TEXT NOT NULL,
		document TEXT NOT NULL,
		updated_ms BIGINT NOT NULL,
		PRIMARY KEY (account_id, role_name))`,
	`CREATE TABLE permset_requests (
		request_id TEXT PRIMARY KEY,` + permSetRequestColumns,
	`CREATE INDEX permset_requests_list ON permset_requests (instance_arn, kind, created_ms, request_id)`,
	`CREATE INDEX permset_requests_status ON permset_requests (status, created_ms)`,
	// Organizations policies (service control policies) and their targets,
	// FullAWSAccess attached to the root and every member account of the
	// organizations that exist, and delegated administrators.
	`CREATE TABLE org_policies (
		org_id TEXT NOT NULL,
		id TEXT NOT NULL,
		arn TEXT NOT NULL,
		name TEXT NOT NULL,
		description TEXT NOT NULL DEFAULT '',
		type TEXT NOT NULL,
		content TEXT NOT NULL,
		aws_managed INTEGER NOT NULL DEFAULT 0,
		created_ms BIGINT NOT NULL,
		PRIMARY KEY (org_id, id))`,
	`CREATE UNIQUE INDEX org_policies_name ON org_policies (org_id, type, name)`,
	`CREATE TABLE org_policy_targets (
		org_id TEXT NOT NULL,
		policy_id TEXT NOT NULL,
		target_id TEXT NOT NULL,
		attached_ms BIGINT NOT NULL,
		PRIMARY KEY (org_id, policy_id, target_id))`,
	`CREATE INDEX org_policy_targets_target ON org_policy_targets (org_id, target_id)`,
	`CREATE TABLE delegated_admins (
		org_id TEXT NOT NULL,
		account_id TEXT NOT NULL,
		service_principal TEXT NOT NULL,
		enabled_ms BIGINT NOT NULL,
		PRIMARY KEY (org_id, account_id, service_principal))`,
	`INSERT INTO org_policies (org_id, id, arn, name, description, type, content, aws_managed, created_ms)
		SELECT id, 'p-FullAWSAccess', 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess', 'FullAWSAccess',
		'Allows access to every operation', 'SERVICE_CONTROL_POLICY',
		'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', 1, created_ms FROM organizations`,
	`INSERT INTO org_policy_targets (org_id, policy_id, target_id, attached_ms) SELECT id, 'p-FullAWSAccess', root_id, created_ms FROM organizations`,
	`INSERT INTO org_policy_targets (org_id, policy_id, target_id, attached_ms) SELECT org_id, 'p-FullAWSAccess', id, joined_ms FROM accounts WHERE org_id <> ''`,
	// Account emails are unique without regard to case, as AWS treats them
	// (the first index compared them exactly).
	`CREATE UNIQUE INDEX accounts_email_folded ON accounts (LOWER(email))`,
	// 9: the views of schema aws that `idcenter query` reads, stored as
	// aws_<view> (views.go, docs/sql-views.md).
	sqliteViewSSOInstance, postgresViewSSOInstance,
	sqliteViewIdentityStoreUser, postgresViewIdentityStoreUser,
	sqliteViewIdentityStoreGroup, postgresViewIdentityStoreGroup,
	sqliteViewIdentityStoreGroupMembership, postgresViewIdentityStoreGroupMembership,
	sqliteViewSSOPermissionSet, postgresViewSSOPermissionSet,
	sqliteViewSSOAccountAssignment, postgresViewSSOAccountAssignment,
	sqliteViewOrganizationsAccount, postgresViewOrganizationsAccount,
	sqliteViewCloudTrailEvent, postgresViewCloudTrailEvent,
	// 10: cheaper audit events: lookups by access key scan the account's
	// events; the resource index is one clustered B-tree per row on SQLite
	// (by type, lookups scan the account's events).
	`DROP INDEX audit_events_key`,
	`DROP TABLE audit_event_resources`,
	`sqlite:CREATE TABLE audit_event_resources (
		resource_name TEXT NOT NULL,
		event_time TEXT NOT NULL,
		event_id TEXT NOT NULL,
		recipient_account_id TEXT NOT NULL,
		PRIMARY KEY (resource_name, event_time, event_id)) WITHOUT ROWID`,
	`postgres:CREATE TABLE audit_event_resources (
		resource_name TEXT NOT NULL,
		event_time TEXT NOT NULL,
		event_id TEXT NOT NULL,
		recipient_account_id TEXT NOT NULL,
		PRIMARY KEY (resource_name, event_time, event_id))`,
	// delivery of the audit trail (internal/delivery, delivery.go): sink
	// cursors, the digest chain, the digest signing key.
	deliveryCursorsTable,
	deliveryDigestsTable,
	deliveryKeysTable,
	// 11: the audit events stored with the changes they record (one narrow
	// row in the change's transaction), until the trail stores them whole.
	`sqlite:CREATE TABLE audit_pending (
		event_id TEXT PRIMARY KEY,
		created_ms BIGINT NOT NULL,
		event TEXT NOT NULL) WITHOUT ROWID`,
	`postgres:CREATE TABLE audit_pending (
		event_id TEXT PRIMARY KEY,
		created_ms BIGINT NOT NULL,
		event TEXT NOT NULL)`,
	// Every lookup idcenter makes filters on the recipient account or the
	// event name (their indexes lead with them), and CloudTrail Lake's
	// eventTime is computed: the time-only index cost each event an insert
	// and served nothing.
	`DROP INDEX audit_events_time`,
	// CloudTrail Lake's eventName is NULLIF(event_name, ''): index that
	// expression (LookupEvents asks for it too), so that a query filtering
	// on event names reads only those events.
	`DROP INDEX audit_events_name`,
	`CREATE INDEX audit_events_event_name ON audit_events ((NULLIF(event_name, '')), event_time)`,
	// SQLite keeps account assignments clustered on their key, so that the
	// assignments of an account and permission set are one range read.
	`sqlite:CREATE TABLE account_assignments_v2 (
		permission_set_arn TEXT NOT NULL,
		account_id TEXT NOT NULL,
		principal_type TEXT NOT NULL,
		principal_id TEXT NOT NULL,
		instance_arn TEXT NOT NULL,
		created_ms BIGINT NOT NULL,
		PRIMARY KEY (permission_set_arn, account_id, principal_type, principal_id)) WITHOUT ROWID`,
	`sqlite:INSERT INTO account_assignments_v2 SELECT permission_set_arn, account_id, principal_type, principal_id, instance_arn, created_ms FROM account_assignments`,
	`sqlite:DROP VIEW aws_sso_account_assignment`, // it names the table
	`sqlite:DROP TABLE account_assignments`,
	`sqlite:ALTER TABLE account_assignments_v2 RENAME TO account_assignments`,
	`sqlite:CREATE INDEX account_assignments_principal ON account_assignments (principal_id, instance_arn, account_id, permission_set_arn, principal_type)`,
	sqliteViewSSOAccountAssignment,
	// LookupEvents by ReadOnly (on SQLite in the audit file, auditfile.go).
	"postgres:" + auditReadOnlyIndex,
	"postgres:" + auditSourceIndex,
	// Index the resource types of the events stored so far (resourceKeys;
	// on SQLite auditFileUpgrades).
	`postgres:INSERT INTO audit_event_resources (resource_name, event_time, event_id, recipient_account_id)
		SELECT DISTINCT chr(31) || 'type:' || (j->>'type'), e.event_time, e.event_id, e.recipient_account_id
		FROM audit_events e, jsonb_array_elements(e.resources::jsonb) j
		WHERE e.complete = 1 AND e.resources IS NOT NULL AND COALESCE(j->>'type', '') <> ''
		ON CONFLICT DO NOTHING`,
	// LookupEvents by Username and AccessKeyId on PostgreSQL: a name with few
	// events scanned all of the account's (3.8 s on 1.6M events). SQLite
	// indexes them in audit_event_keys (auditkeys.go).
	`postgres:CREATE INDEX IF NOT EXISTS audit_events_user_name ON audit_events (recipient_account_id, user_name, event_time)`,
	`postgres:CREATE INDEX IF NOT EXISTS audit_events_access_key ON audit_events (recipient_account_id, access_key_id, event_time)`,
	// SQLite keeps the events stored with their changes in a rowid table
	// (auditpending.go): keyed by event id, WITHOUT ROWID, most rows spilled
	// into an overflow page.
	`sqlite:CREATE TABLE audit_pending_v2 (
		event_id TEXT NOT NULL,
		created_ms BIGINT NOT NULL,
		event TEXT NOT NULL)`,
	`sqlite:INSERT INTO audit_pending_v2 (event_id, created_ms, event) SELECT event_id, created_ms, event FROM audit_pending ORDER BY event_id`,
	`sqlite:DROP TABLE audit_pending`,
	`sqlite:ALTER TABLE audit_pending_v2 RENAME TO audit_pending`,
	// LookupEvents by a resource name or type on PostgreSQL: the resource
	// index leads with the recipient account, as every lookup asks for one
	// account's events (a type whose newest events were another account's,
	// a member account's DescribeUser calls, was walked past 69,000 of them
	// to find 50: 133 ms).
	`postgres:CREATE UNIQUE INDEX IF NOT EXISTS audit_event_resources_account ON audit_event_resources (recipient_account_id, resource_name, event_time, event_id)`,
	`postgres:ALTER TABLE audit_event_resources DROP CONSTRAINT IF EXISTS audit_event_resources_pkey`,
	`postgres:ALTER TABLE audit_event_resources ADD CONSTRAINT audit_event_resources_pkey PRIMARY KEY USING INDEX audit_event_resources_account`,
	// 12: LookupEvents by an attribute on PostgreSQL: its index ends with
	// seq, so that it alone yields the lookup's order (event_time DESC, seq
	// DESC). The planner takes an attribute's share of the events as spread
	// evenly over time; when it is most of them it walked the account's
	// index instead, (account, event_time), as good a way to the order on
	// paper, and when the newest events were others (a burst of LookupEvents
	// calls, 100,000 events of cloudtrail.amazonaws.com), it filtered them
	// all out: 125 ms for 51 events of identitystore.amazonaws.com, 0.16 ms
	// through this index. The account's index must not end with seq, or
	// the two would tie again.
	`postgres:DROP INDEX IF EXISTS audit_events_source`,
	`postgres:CREATE INDEX audit_events_source ON audit_events (recipient_account_id, event_source, event_time, seq)`,
	`postgres:DROP INDEX IF EXISTS audit_events_read_only`,
	`postgres:CREATE INDEX audit_events_read_only ON audit_events (recipient_account_id, read_only, event_time, seq)`,
	`postgres:DROP INDEX IF EXISTS audit_events_user_name`,
	`postgres:CREATE INDEX audit_events_user_name ON audit_events (recipient_account_id, user_name, event_time, seq)`,
	`postgres:DROP INDEX IF EXISTS audit_events_access_key`,
	`postgres:CREATE INDEX audit_events_access_key ON audit_events (recipient_account_id, access_key_id, event_time, seq)`,
	// 13: the assignment and provisioning requests carry the order they
	// were made in, seq, and the background work takes them in it. Ordered
	// by (created_ms, request_id), two requests of one millisecond went in
	// their random ids' order: a DeleteAccountAssignment could be carried
	// out before the CreateAccountAssignment made just before it. On
	// PostgreSQL a sequence numbers them (a request made after another was
	// answered draws a later number, on any replica); on SQLite seq is the
	// rowid, which its one writer gives each new row one past the largest
	// (the table is made again, its rows keeping their rowids, in statements
	// that can run twice).
	`sqlite:CREATE TABLE permset_requests_v2 (
		seq INTEGER PRIMARY KEY,
		request_id TEXT NOT NULL UNIQUE,` + permSetRequestColumns,
	`sqlite:INSERT INTO permset_requests_v2 (seq, request_id, instance_arn, kind, status, failure_reason, permission_set_arn, target_type, account_id,
		principal_type, principal_id, created_ms, updated_ms)
		SELECT rowid, request_id, instance_arn, kind, status, failure_reason, permission_set_arn, target_type, account_id,
		principal_type, principal_id, created_ms, updated_ms FROM permset_requests`,
	`sqlite:DROP TABLE permset_requests`,
	`sqlite:ALTER TABLE permset_requests_v2 RENAME TO permset_requests`,
	`sqlite:CREATE INDEX permset_requests_list ON permset_requests (instance_arn, kind, created_ms, request_id)`,
	`postgres:ALTER TABLE permset_requests ADD COLUMN IF NOT EXISTS seq BIGSERIAL`,
	`postgres:DROP INDEX IF EXISTS permset_requests_status`,
	`CREATE INDEX permset_requests_status ON permset_requests (status, seq)`,
	// 14: on PostgreSQL the assignments of an account and permission set
	// (ListAccountAssignments) are read from their primary key's index
	// alone: it carries the other two columns. Their rows lie wherever they
	// were inserted, one table page each, so a page of 50 assignments read
	// 53 pages (79 instead of 220 µs a query under the load tool; SQLite
	// keeps the table clustered on that key, migration 11).
	`postgres:CREATE UNIQUE INDEX IF NOT EXISTS account_assignments_covering ON account_assignments (permission_set_arn, account_id, principal_type, principal_id)
		INCLUDE (instance_arn, created_ms)`,
	`postgres:ALTER TABLE account_assignments DROP CONSTRAINT IF EXISTS account_assignments_pkey`,
	`postgres:ALTER TABLE account_assignments ADD CONSTRAINT account_assignments_pkey PRIMARY KEY USING INDEX account_assignments_covering`,
	// A user's memberships (IsMemberInGroups, ListGroupMembershipsForMember)
	// and a user's id by user name or email (GetUserId) likewise: each row
	// read was one random page of the table, often not in PostgreSQL's
	// cache. Under the load tool (100,000 users, 500,000 memberships) the
	// database's CPU per call fell from 164-177 to 101-102 µs for GetUserId,
	// 163-175 to 126-145 for IsMemberInGroups and 145-166 to 127-144 for
	// ListGroupMembershipsForMember. The indexes keep their names: a
	// refused write names its constraint (users_name, users_email).
	`postgres:CREATE INDEX IF NOT EXISTS memberships_user_covering ON memberships (store_id, user_id, id) INCLUDE (group_id, created_ms)`,
	`postgres:DROP INDEX IF EXISTS memberships_user`,
	`postgres:ALTER INDEX memberships_user_covering RENAME TO memberships_user`,
	`postgres:CREATE UNIQUE INDEX IF NOT EXISTS users_name_covering ON users (store_id, user_name_key) INCLUDE (id)`,
	`postgres:DROP INDEX IF EXISTS users_name`,
	`postgres:ALTER INDEX users_name_covering RENAME TO users_name`,
	`postgres:CREATE UNIQUE INDEX IF NOT EXISTS users_email_covering ON users (store_id, email_key) INCLUDE (id)`,
	`postgres:DROP INDEX IF EXISTS users_email`,
	`postgres:ALTER INDEX users_email_covering RENAME TO users_email`,
	// And a group's memberships (ListGroupMemberships): a page of a group's
	// 50 members read 54 pages, 6 from this index (with a cold cache 13.6
	// against 0.54 ms).
	`postgres:CREATE INDEX IF NOT EXISTS memberships_group_covering ON memberships (store_id, group_id, id) INCLUDE (user_id, created_ms)`,
	`postgres:DROP INDEX IF EXISTS memberships_group`,
	`postgres:ALTER INDEX memberships_group_covering RENAME TO memberships_group`,
}

// permSetRequestColumns are the columns of permset_requests after its
// request id, in the statements that make the table (migration 13 makes it
// again).
const permSetRequestColumns = `
		instance_arn TEXT NOT NULL,
		kind TEXT NOT NULL,
		status TEXT NOT NULL,
		failure_reason TEXT NOT NULL DEFAULT '',
		permission_set_arn TEXT NOT NULL,
		target_type TEXT NOT NULL,
		account_id TEXT NOT NULL DEFAULT '',
		principal_type TEXT NOT NULL DEFAULT '',
		principal_id TEXT NOT NULL DEFAULT '',
		created_ms BIGINT NOT NULL,
		updated_ms BIGINT NOT NULL)`

// migrate runs the statements the database has not run yet, each in its own
// transaction recorded in schema_migrations.
func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	defer conn.Close()
	if s.f.name == "postgres" {
		// Replicas starting together must not migrate twice (nor race on
		// CREATE TABLE IF NOT EXISTS, which PostgreSQL does not serialize).
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7426001)`); err != nil {
			return fmt.Errorf("store: migrate lock: %w", err)
		}
		defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(7426001)`)
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)`); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	for {
		// The version is read inside the statement's transaction: on SQLite
		// BEGIN takes the write lock (_txlock=immediate), so processes
		// opening a new database together run each statement once.
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("store: migrate: %w", err)
		}
		var v int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&v); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: migrate: %w", err)
		}
		if v >= len(migrations) {
			tx.Rollback()
			return nil
		}
		if ddl := s.f.schema(migrations[v]); ddl == "" {
			// Another backend's statement.
		} else if _, err := tx.ExecContext(ctx, ddl); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: migration %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, s.f.rebind(`INSERT INTO schema_migrations (version) VALUES (?)`), v+1); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: migration %d: %w", v+1, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("store: migration %d: %w", v+1, err)
		}
	}
}

// auditFieldsView is the DDL of audit_event_fields (migration 7; released:
// never edit).
const auditFieldsView = `CREATE VIEW audit_event_fields AS SELECT org_id AS "_orgId",
		'1.09' AS "eventVersion",
		user_type AS "userIdentity.type",
		principal_id AS "userIdentity.principalId",
		user_arn AS "userIdentity.arn",
		user_account_id AS "userIdentity.accountId",
		access_key_id AS "userIdentity.accessKeyId",
		user_name AS "userIdentity.userName",
		invoked_by AS "userIdentity.invokedBy",
		session_context AS "userIdentity.sessionContext",
		event_time AS "eventTime",
		NULLIF(event_source, '') AS "eventSource",
		NULLIF(event_name, '') AS "eventName",
		aws_region AS "awsRegion",
		source_ip AS "sourceIPAddress",
		user_agent AS "userAgent",
		error_code AS "errorCode",
		error_message AS "errorMessage",
		request_parameters AS "requestParameters",
		response_elements AS "responseElements",
		additional_event_data AS "additionalEventData",
		request_id AS "requestID",
		event_id AS "eventID",
		(read_only = 1) AS "readOnly",
		resources AS "resources",
		event_type AS "eventType",
		(1 = 1) AS "managementEvent",
		NULLIF(recipient_account_id, '') AS "recipientAccountId",
		'Management' AS "eventCategory",
		tls_details AS "tlsDetails"
		FROM audit_events`

// auditReadOnlyIndex serves LookupEvents by ReadOnly on PostgreSQL (SQLite
// walks audit_event_keys): the changes of an account are a small part of its
// events under a read load, and finding 50 of them among the newest reads
// scanned hundreds of thousands of rows.
const auditReadOnlyIndex = `CREATE INDEX IF NOT EXISTS audit_events_read_only ON audit_events (recipient_account_id, read_only, event_time)`

// auditSourceIndex serves LookupEvents by EventSource on PostgreSQL: a service called
// rarely (sso.amazonaws.com among a directory's reads) had all the account's
// events scanned for its few.
const auditSourceIndex = `CREATE INDEX IF NOT EXISTS audit_events_source ON audit_events (recipient_account_id, event_source, event_time)`
