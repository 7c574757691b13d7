package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"hearth/internal/apperr"
)

// bind decodes a JSON body into v strictly: JSON content type only, valid
// UTF-8 only, no unknown fields (so `role` or `status` cannot be slipped into
// a request), one value and nothing after it.
func bind(c echo.Context, v any) error {
	body, err := readJSON(c)
	if err != nil {
		return err
	}
	return decodeJSON(body, v)
}

// readJSON refuses any content type but JSON, an empty body included (a
// cross-site form cannot send one without a CORS preflight, which this API
// never grants), and reads the body.
func readJSON(c echo.Context) ([]byte, error) {
	req := c.Request()
	mt, _, err := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	if err != nil || mt != echo.MIMEApplicationJSON {
		return nil, apperr.New(http.StatusUnsupportedMediaType, "unsupported_media_type", "Send JSON with Content-Type: application/json.")
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		var he *echo.HTTPError
		if errors.As(err, &he) {
			return nil, he
		}
		return nil, apperr.Wrap(err, http.StatusBadRequest, "bad_request", "The request body could not be read.")
	}
	return body, nil
}

// decodeJSON is bind's decoder, apart from HTTP so it can be fuzzed.
func decodeJSON(body []byte, v any) error {
	if !utf8.Valid(body) {
		return apperr.Invalid("invalid_utf8", "The request is not valid UTF-8.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		switch {
		case errors.Is(err, io.EOF):
			return apperr.Invalid("invalid_json", "The request body is empty; send a JSON object.")
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			field := strings.TrimPrefix(err.Error(), "json: unknown field ")
			return apperr.Invalid("unknown_field", fmt.Sprintf("The field %s is not allowed here.", field))
		case errors.As(err, &typeErr):
			return apperr.Invalid("invalid_json", fmt.Sprintf("The field %q has the wrong type.", typeErr.Field))
		default:
			return apperr.Invalid("invalid_json", "The request body is not valid JSON.")
		}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return apperr.Invalid("invalid_json", "The request body must hold one JSON value.")
	}
	return nil
}

// jsonBuffers hold encoded bodies between requests: a thread page is tens
// of kilobytes, and growing a fresh buffer for each would be most of what
// the request allocates.
var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer keeps one huge export from pinning its buffer for good.
const maxPooledBuffer = 1 << 20

// writeJSON writes v with status as one body of known length (no chunked
// encoding, one write), without escaping <, > and &: clients insert text
// as text, and the escapes would only make exports harder to read.
func writeJSON(c echo.Context, status int, contentType string, v any) error {
	buf := jsonBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= maxPooledBuffer {
			buf.Reset()
			jsonBuffers.Put(buf)
		}
	}()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, contentType)
	h.Set(echo.HeaderContentLength, strconv.Itoa(buf.Len()))
	c.Response().WriteHeader(status)
	if c.Request().Method == http.MethodHead {
		return nil
	}
	_, err := c.Response().Write(buf.Bytes())
	return err
}

// respond writes v as JSON with status.
func respond(c echo.Context, status int, v any) error {
	return writeJSON(c, status, echo.MIMEApplicationJSON, v)
}
