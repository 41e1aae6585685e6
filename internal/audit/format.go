package audit

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/idcenter/idcenter/internal/store"
)

// Formats are the output formats of query results.
var Formats = []string{"table", "csv", "json"}

// WriteResult writes query results as an aligned table, CSV (a header row,
// NULL as an empty field) or JSON (an array of objects, NULL as null, keys
// in column order).
func WriteResult(w io.Writer, res *store.ReadOnlyResult, format string) error {
	bw := bufio.NewWriter(w)
	var err error
	switch format {
	case "table", "":
		err = writeTable(bw, res)
	case "csv":
		err = writeCSV(bw, res)
	case "json":
		err = writeJSON(bw, res)
	default:
		return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

func writeCSV(w io.Writer, res *store.ReadOnlyResult) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(res.Columns); err != nil {
		return err
	}
	rec := make([]string, len(res.Columns))
	for _, row := range res.Rows {
		for i, v := range row {
			rec[i] = ""
			if v != nil {
				rec[i] = *v
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeJSON(w io.Writer, res *store.ReadOnlyResult) error {
	io.WriteString(w, "[")
	for r, row := range res.Rows {
		if r > 0 {
			io.WriteString(w, ",")
		}
		io.WriteString(w, "\n  {")
		for i, v := range row {
			if i > 0 {
				io.WriteString(w, ", ")
			}
			k, _ := json.Marshal(res.Columns[i])
			w.Write(k)
			io.WriteString(w, ": ")
			if v == nil {
				io.WriteString(w, "null")
				continue
			}
			b, _ := json.Marshal(*v)
			w.Write(b)
		}
		io.WriteString(w, "}")
	}
	if len(res.Rows) > 0 {
		io.WriteString(w, "\n")
	}
	_, err := io.WriteString(w, "]\n")
	return err
}

// maxCell bounds a table cell's width; longer values are cut with "...".
const maxCell = 80

func writeTable(w io.Writer, res *store.ReadOnlyResult) error {
	cell := func(v *string) string {
		if v == nil {
			return "NULL"
		}
		s := strings.NewReplacer("\n", " ", "\r", " ", "\t", " ").Replace(*v)
		if utf8.RuneCountInString(s) > maxCell {
			s = string([]rune(s)[:maxCell-3]) + "..."
		}
		return s
	}
	width := make([]int, len(res.Columns))
	for i, c := range res.Columns {
		width[i] = utf8.RuneCountInString(c)
	}
	for _, row := range res.Rows {
		for i, v := range row {
			width[i] = max(width[i], utf8.RuneCountInString(cell(v)))
		}
	}
	line := func(vals []string) {
		for i, v := range vals {
			if i > 0 {
				io.WriteString(w, " | ")
			}
			io.WriteString(w, v)
			if i < len(vals)-1 {
				io.WriteString(w, strings.Repeat(" ", width[i]-utf8.RuneCountInString(v)))
			}
		}
		io.WriteString(w, "\n")
	}
	line(res.Columns)
	sep := make([]string, len(width))
	for i, n := range width {
		sep[i] = strings.Repeat("-", n)
	}
	io.WriteString(w, strings.Join(sep, "-+-")+"\n")
	vals := make([]string, len(res.Columns))
	for _, row := range res.Rows {
		for i, v := range row {
			vals[i] = cell(v)
		}
		line(vals)
	}
	_, err := fmt.Fprintf(w, "(%d rows)\n", len(res.Rows))
	return err
}
