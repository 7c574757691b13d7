package httpapi

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"hearth/internal/apperr"
)

// fuzzBody is a request body as handlers declare them: strings, a number,
// an optional field, a nested list.
type fuzzBody struct {
	Handle   string   `json:"handle"`
	Password string   `json:"password"`
	Limit    int      `json:"limit"`
	ParentID *string  `json:"parent_id"`
	Tags     []string `json:"tags"`
}

// FuzzDecodeJSON: whatever a client sends, the strict decoder never panics;
// it refuses with a 400 and a known code, or accepts one valid JSON value in
// valid UTF-8 whose keys are all declared fields, and what it accepted
// decodes again to the same value.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`{"handle":"river","password":"a calm harbour at dusk"}`,
		`{"handle":"river","role":"admin"}`,
		`{"HANDLE":"river"}`,
		`{"handle":"a"}{"handle":"b"}`,
		`{"handle":7}`,
		`{"limit":1e400}`,
		`{"parent_id":null,"tags":["a","b"]}`,
		`{"handle":"\ud800"}`,
		"{\"handle\":\"\xff\"}",
		`null`, `[]`, `"x"`, ``, `   `, `{`, `{"tags":[[[[[]]]]]}`,
		`{"handle":"river"} trailing`,
	} {
		f.Add([]byte(s))
	}
	known := map[string]bool{"invalid_utf8": true, "invalid_json": true, "unknown_field": true}
	f.Fuzz(func(t *testing.T, body []byte) {
		var v fuzzBody
		err := decodeJSON(body, &v)
		if err != nil {
			e, ok := apperr.As(err)
			if !ok || e.Status != http.StatusBadRequest || !known[e.Code] || !utf8.ValidString(e.Detail) {
				t.Fatalf("decodeJSON(%q) error %v", body, err)
			}
			return
		}
		if !utf8.Valid(body) || !json.Valid(body) {
			t.Fatalf("accepted %q, which is not one valid JSON value in UTF-8", body)
		}
		var keys map[string]json.RawMessage
		if json.Unmarshal(body, &keys) == nil {
			fields := reflect.TypeOf(v)
		key:
			for k := range keys {
				for i := 0; i < fields.NumField(); i++ {
					if strings.EqualFold(strings.Split(fields.Field(i).Tag.Get("json"), ",")[0], k) {
						continue key
					}
				}
				t.Fatalf("accepted %q with the undeclared field %q", body, k)
			}
		}
		again, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var w fuzzBody
		if err := decodeJSON(again, &w); err != nil || !reflect.DeepEqual(v, w) {
			t.Fatalf("%q decoded to %+v, which re-encoded to %s and decoded to %+v (%v)", body, v, again, w, err)
		}
	})
}
