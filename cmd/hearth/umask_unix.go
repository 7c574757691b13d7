//go:build unix

package main

import "syscall"

// restrictUmask makes every file hearth creates private to its owner: the
// SQLite store with its WAL and shared-memory files (SQLite creates them
// 0644 less the umask), backups, and anything a library writes.
func restrictUmask() { syscall.Umask(0o077) }
