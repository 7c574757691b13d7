package store

import (
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// Unavailable reports whether err means the database could not be reached
// (PostgreSQL down or restarting, the network between gone), as opposed to
// a query that failed: the first is worth a 503 and a retry.
func Unavailable(err error) bool {
	var ce *pgconn.ConnectError
	var ne net.Error
	switch {
	case err == nil:
		return false
	case errors.As(err, &ce), errors.As(err, &ne),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET):
		return true
	}
	var pe *pgconn.PgError
	// Class 57P: the server is shutting down or was restarted under us.
	return errors.As(err, &pe) && len(pe.Code) == 5 && pe.Code[:3] == "57P"
}
