package main

import (
	"fmt"
	"io"
	"time"
)

// printTable writes the rows as one markdown table, ready to paste into a
// pull request or BENCHMARKS file.
func printTable(w io.Writer, rows []result) {
	fmt.Fprintln(w, "| scenario | requests/s | p50 | p99 | errors | shed (503) | server peak RSS |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
	for _, r := range rows {
		fmt.Fprintf(w, "| %s | %.1f | %s | %s | %d | %d | %s |\n",
			r.name, r.perSecond(), latency(r, 0.50), latency(r, 0.99), r.errors, r.shed, megabytes(r.rssKB))
	}
}

// printComparisons writes one line per comparison whose rows both ran.
func printComparisons(w io.Writer, rows []result) {
	byName := map[string]result{}
	for _, r := range rows {
		byName[r.name] = r
	}
	for _, c := range comparisons {
		row, ok1 := byName[c.row]
		base, ok2 := byName[c.base]
		if !ok1 || !ok2 {
			continue
		}
		p, okp := row.percentile(0.99)
		b, okb := base.percentile(0.99)
		ratio := "n/a"
		if okp && okb && b > 0 {
			ratio = fmt.Sprintf("%.1fx", float64(p)/float64(b))
		}
		fmt.Fprintf(w, "\n%s = %s %s (target ≤ %gx)\n", c.label, ratio, c.of, c.target)
	}
}

// printNotes writes what a reader needs to know to read some rows, as a
// list after the table and comparisons.
func printNotes(w io.Writer, rows []result) {
	first := true
	for _, r := range rows {
		if r.note == "" {
			continue
		}
		if first {
			fmt.Fprintln(w)
			first = false
		}
		fmt.Fprintf(w, "- %s: %s\n", r.name, r.note)
	}
}

func latency(r result, p float64) string {
	d, ok := r.percentile(p)
	if !ok {
		return "–"
	}
	return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond))
}

// megabytes shows KiB from /proc as MB (MiB, strictly), "–" when unknown.
func megabytes(kb int64) string {
	if kb < 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f MB", float64(kb)/1024)
}
