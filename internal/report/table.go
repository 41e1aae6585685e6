package report

import (
	"time"

	"github.com/idcenter/idcenter/internal/tabular"
)

// Table is a report: named columns and rows (see internal/tabular).
type Table = tabular.Table

// dateLayout is how reports write times, as the aws views do: ISO 8601 in
// UTC with milliseconds.
const dateLayout = "2006-01-02T15:04:05.000Z"

func date(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(dateLayout)
}

// opt is s, or no value when s is "".
func opt(s string) any {
	if s == "" {
		return nil
	}
	return s
}
