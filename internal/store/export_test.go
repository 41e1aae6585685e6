package store

// Migrations is the number of migration statements, for the conformance
// suite's check of schema_migrations.
var Migrations = len(migrations)

// AuditEventsQuery is the query AuditEvents runs for f, and its arguments
// (PostgreSQL's numbered placeholders), for plan checks.
func (q Q) AuditEventsQuery(f AuditFilter) (string, []any) {
	query, args := q.auditEventsQuery(f)
	return q.f.rebind(query), args
}
