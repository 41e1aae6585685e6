package store

import "context"

// Setting reads a named setting of the installation.
func (q Q) Setting(ctx context.Context, name string) (string, error) {
	var v string
	err := q.row(ctx, `SELECT value FROM settings WHERE name = ?`, name).Scan(&v)
	return v, scanErr(err)
}

// PutSetting writes a named setting of the installation.
func (q Q) PutSetting(ctx context.Context, name, value string) error {
	_, err := q.exec(ctx, `INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`, name, value)
	return err
}
