package audit

import (
	"io"

	"github.com/idcenter/idcenter/internal/store"
	"github.com/idcenter/idcenter/internal/tabular"
)

// WriteResult writes query results as an aligned table (NULL shown as
// NULL), CSV (a header row, NULL as an empty field) or JSON (an array of
// objects, NULL as null, keys in column order); see internal/tabular.
func WriteResult(w io.Writer, res *store.ReadOnlyResult, format string) error {
	t := &tabular.Table{Columns: res.Columns, Rows: make([][]any, len(res.Rows)), Null: "NULL"}
	for r, row := range res.Rows {
		cells := make([]any, len(row))
		for i, v := range row {
			if v != nil {
				cells[i] = *v
			}
		}
		t.Rows[r] = cells
	}
	return tabular.Write(w, t, format)
}
