package main

import (
	"os"
	"runtime/debug"
)

// Hearth's live heap is small (tens of megabytes) while every read makes
// short-lived garbage: a thread page is some hundred kilobytes of row
// copies. At Go's default (GOGC=100) the collector then runs dozens of
// times a second under load. A larger GOGC spends that CPU on requests
// instead, and a soft memory limit keeps the server within a small
// machine's budget: near it, the collector runs as often as it must.
// GOGC and GOMEMLIMIT set by the operator win.
const (
	gcPercent   = 400
	memoryLimit = 100 << 20
)

func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}
