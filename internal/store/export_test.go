package store

// Migrations is the number of migration statements, for the conformance
// suite's check of schema_migrations.
var Migrations = len(migrations)
