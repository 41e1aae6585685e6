// Package tabular renders rows of named columns as an aligned table, CSV or
// JSON: the output of idcenter's reports, SQL views and audit queries.
package tabular

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// Table is named columns and rows. A cell is a string, a []string (a
// list), or nil (no value).
type Table struct {
	Columns []string
	Rows    [][]any
	// Null is how the table format shows no value ("" unless set; SQL
	// results show "NULL").
	Null string
}

// Add appends a row.
func (t *Table) Add(cells ...any) { t.Rows = append(t.Rows, cells) }

// Formats are the output formats Write knows.
var Formats = []string{"table", "csv", "json"}

// CheckFormat reports an error unless format is one of Formats.
func CheckFormat(format string) error {
	if !slices.Contains(Formats, format) {
		return fmt.Errorf("unknown --format %q: want %s", format, strings.Join(Formats, ", "))
	}
	return nil
}

// FormatFlag defines the --format flag of a command that writes tables.
func FormatFlag(fs *flag.FlagSet) *string {
	return fs.String("format", "table", "output format: "+strings.Join(Formats, ", "))
}

// Write renders t as an aligned table (lists joined with ",", no value as
// t.Null), CSV (a header row, then the same cells; no value as an empty
// field) or JSON (an array of objects with the columns as keys, in order;
// lists as arrays, no value as null).
func Write(w io.Writer, t *Table, format string) error {
	bw := bufio.NewWriter(w)
	var err error
	switch format {
	case "table", "":
		err = writeTable(bw, t)
	case "csv":
		err = writeCSV(bw, t)
	case "json":
		err = writeJSON(bw, t)
	default:
		return CheckFormat(format)
	}
	if err != nil {
		return err
	}
	return bw.Flush()
}

// text renders a cell for the table and CSV formats.
func text(c any) string {
	switch v := c.(type) {
	case string:
		return v
	case []string:
		return strings.Join(v, ",")
	}
	return ""
}

func writeCSV(w io.Writer, t *Table) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Columns); err != nil {
		return err
	}
	rec := make([]string, len(t.Columns))
	for _, row := range t.Rows {
		for i, c := range row {
			rec[i] = text(c)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func writeJSON(w io.Writer, t *Table) error {
	io.WriteString(w, "[")
	for r, row := range t.Rows {
		if r > 0 {
			io.WriteString(w, ",")
		}
		io.WriteString(w, "\n  {")
		for i, c := range row {
			if i > 0 {
				io.WriteString(w, ", ")
			}
			k, _ := json.Marshal(t.Columns[i])
			w.Write(k)
			io.WriteString(w, ": ")
			if list, ok := c.([]string); ok && list == nil {
				c = []string{}
			}
			v, err := json.Marshal(c)
			if err != nil {
				return err
			}
			w.Write(v)
		}
		io.WriteString(w, "}")
	}
	if len(t.Rows) > 0 {
		io.WriteString(w, "\n")
	}
	_, err := io.WriteString(w, "]\n")
	return err
}

// maxCell bounds a table cell's width; longer values are cut with "...".
const maxCell = 80

func writeTable(w io.Writer, t *Table) error {
	cell := func(c any) string {
		if c == nil {
			return t.Null
		}
		s := strings.NewReplacer("\n", " ", "\r", " ", "\t", " ").Replace(text(c))
		if utf8.RuneCountInString(s) > maxCell {
			s = string([]rune(s)[:maxCell-3]) + "..."
		}
		return s
	}
	width := make([]int, len(t.Columns))
	for i, c := range t.Columns {
		width[i] = utf8.RuneCountInString(c)
	}
	for _, row := range t.Rows {
		for i, c := range row {
			width[i] = max(width[i], utf8.RuneCountInString(cell(c)))
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
	line(t.Columns)
	sep := make([]string, len(width))
	for i, n := range width {
		sep[i] = strings.Repeat("-", n)
	}
	io.WriteString(w, strings.Join(sep, "-+-")+"\n")
	vals := make([]string, len(t.Columns))
	for _, row := range t.Rows {
		for i, c := range row {
			vals[i] = cell(c)
		}
		line(vals)
	}
	_, err := fmt.Fprintf(w, "(%d rows)\n", len(t.Rows))
	return err
}
