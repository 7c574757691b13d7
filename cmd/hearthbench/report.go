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
	for _, c := range append(comparisons, millionComparisons()...) {
		row, ok1 := byName[c.row]
		base, ok2 := byName[c.base]
		if !ok1 || !ok2 {
			continue
		}
		if c.rate {
			ratio := "n/a (the base row answered nothing)"
			if b := base.perSecond(); b > 0 {
				ratio = fmt.Sprintf("%.2fx", row.perSecond()/b)
			}
			fmt.Fprintf(w, "\n%s = %s %s (target ≥ %gx)%s\n", c.label, ratio, c.of, c.target, p99Target(c, row))
			continue
		}
		p, okp := row.percentile(c.p)
		b, okb := base.percentile(c.p)
		ratio := "n/a (no request of one of the rows was answered within it)"
		if okp && okb && b > 0 {
			ratio = fmt.Sprintf("%.2fx", float64(p)/float64(b))
		}
		fmt.Fprintf(w, "\n%s = %s %s (target ≤ %gx)\n", c.label, ratio, c.of, c.target)
	}
}

// p99Target is c's target for its row's own p99 with the p99 measured, or
// "" when it has none.
func p99Target(c comparison, row result) string {
	if c.p99Under == 0 {
		return ""
	}
	return fmt.Sprintf("; its p99 %s (target under %.0f ms)", latency(row, 0.99), float64(c.p99Under)/float64(time.Millisecond))
}

// printStores writes how each seeded store was made and how much memory
// the server held on it, idle, before the first request.
func printStores(w io.Writer, stores []storeRun) {
	for i, sr := range stores {
		if i == 0 {
			fmt.Fprintln(w)
		}
		z := sr.seed
		fmt.Fprintf(w, "store of %s stories: seeded (%s) in %.1f s, %d MB on disk; server RSS idle after start %s (target < %d MB)\n",
			thousands(z.size.stories), z.size, z.took.Seconds(), z.fileBytes>>20, megabytes(sr.idleKB), idleTargetMB)
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

// idleTargetMB is the most the server should hold idle on a seeded store.
const idleTargetMB = 60

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
