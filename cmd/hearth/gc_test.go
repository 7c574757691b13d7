package main

import (
	"runtime/debug"
	"testing"
)

// TestTuneGC: serve collects less often under a soft memory limit, unless
// the operator chose GOGC or GOMEMLIMIT.
func TestTuneGC(t *testing.T) {
	percent, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	t.Cleanup(func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	})
	debug.SetMemoryLimit(1 << 40)

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	tuneGC()
	if got := debug.SetGCPercent(100); got != gcPercent {
		t.Fatalf("GOGC = %d, want %d", got, gcPercent)
	}
	if got := debug.SetMemoryLimit(1 << 40); got != memoryLimit {
		t.Fatalf("memory limit = %d, want %d", got, memoryLimit)
	}

	t.Setenv("GOGC", "150")
	t.Setenv("GOMEMLIMIT", "1GiB")
	tuneGC()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Fatalf("GOGC set by the operator was replaced: %d", got)
	}
	if got := debug.SetMemoryLimit(-1); got != 1<<40 {
		t.Fatalf("GOMEMLIMIT set by the operator was replaced: %d", got)
	}
}
