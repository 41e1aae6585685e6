package store

import (
	"context"
	"fmt"
)

// migrations is the schema, in order. Append only: a released statement is
// never edited, because databases in the field have already run it. Portable
// SQL; the word BYTES becomes BLOB or BYTEA. Times are BIGINT milliseconds,
// booleans INTEGER 0/1.
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
}

// migrate runs the statements the database has not run yet, each in its own
// transaction recorded in schema_migrations.
func (s *Store) migrate(ctx context.Context) error {
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY)`); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	if s.f.name == "postgres" {
		// Replicas starting together must not migrate twice.
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7426001)`); err != nil {
			return fmt.Errorf("store: migrate lock: %w", err)
		}
		defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(7426001)`)
	}
	var done int
	if err := conn.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&done); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	for v := done; v < len(migrations); v++ {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("store: migrate: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.f.schema(migrations[v])); err != nil {
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
	return nil
}
