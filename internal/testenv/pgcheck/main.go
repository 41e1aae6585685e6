// Command pgcheck exits non-zero unless the PostgreSQL server named by
// IDCENTER_POSTGRES_URL answers, so CI fails instead of skipping its tests.
package main

import (
	"database/sql"
	"fmt"
	"os"

	_ "github.com/jackc/pgx/v5/stdlib"
)

func main() {
	url := os.Getenv("IDCENTER_POSTGRES_URL")
	if url == "" {
		fmt.Fprintln(os.Stderr, "pgcheck: IDCENTER_POSTGRES_URL is not set")
		os.Exit(1)
	}
	db, err := sql.Open("pgx", url)
	if err == nil {
		err = db.Ping()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgcheck: PostgreSQL unreachable:", err)
		os.Exit(1)
	}
	fmt.Println("pgcheck: PostgreSQL reachable")
}
