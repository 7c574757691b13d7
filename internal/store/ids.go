package store

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"time"
)

var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// NewID returns an opaque 26-character id whose order follows creation time
// (48 bits of milliseconds, then 80 random bits), so "newest first" is an
// index scan on the primary key and keyset cursors need no second column.
func NewID() string { return NewIDAt(time.Now()) }

// NewIDAt is NewID for a row made at t, so that a store filled with a
// history has ids in the order of their times, as NewID would have given.
func NewIDAt(t time.Time) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(t.UnixMilli())<<16)
	if _, err := rand.Read(b[6:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return idEncoding.EncodeToString(b[:])
}
