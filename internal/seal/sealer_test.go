package seal

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// mapLoader stands in for the store's table of wrapped data keys.
type mapLoader struct {
	mu    sync.Mutex
	keys  map[string][]byte
	calls atomic.Uint64
}

func (l *mapLoader) WrappedDataKey(_ context.Context, id string) ([]byte, error) {
	l.calls.Add(1)
	l.mu.Lock()
	defer l.mu.Unlock()
	w, ok := l.keys[id]
	if !ok {
		return nil, fmt.Errorf("%w: no data key row", ErrUnknownKey)
	}
	return bytes.Clone(w), nil
}

func (l *mapLoader) put(id string, wrapped []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.keys == nil {
		l.keys = make(map[string][]byte)
	}
	l.keys[id] = wrapped
}

func newTestSealer(tb testing.TB, cacheSize int) (*Sealer, *mapLoader, *Keyring) {
	tb.Helper()
	kr, err := OpenKeyring(tb.TempDir(), "", true)
	if err != nil {
		tb.Fatal(err)
	}
	loader := &mapLoader{}
	return NewSealer(kr, loader, cacheSize), loader, kr
}

// newDataKey makes a data key and stores it as the store would.
func newDataKey(tb testing.TB, s *Sealer, l *mapLoader) string {
	tb.Helper()
	id, wrapped, err := s.NewDataKey()
	if err != nil {
		tb.Fatal(err)
	}
	l.put(id, wrapped)
	return id
}

var ctx = context.Background()

func TestNewDataKey(t *testing.T) {
	s, l, kr := newTestSealer(t, 10)
	id := newDataKey(t, s, l)
	if len(id) != 32 || !isLowerHex(id, 32) {
		t.Fatalf("id %q is not 32 hex digits", id)
	}
	key, err := kr.Unwrap(l.keys[id], DataKeyAAD(id))
	if err != nil || len(key) != 32 {
		t.Fatalf("wrapped data key: %d bytes, %v", len(key), err)
	}
	if string(DataKeyAAD(id)) != "hearth dek v1:"+id {
		t.Fatal("DataKeyAAD format")
	}
	if other := newDataKey(t, s, l); other == id {
		t.Fatal("two data keys share an id")
	}
}

func TestSealOpen(t *testing.T) {
	s, l, _ := newTestSealer(t, 10)
	id := newDataKey(t, s, l)
	loc := Location{Table: "stories", Column: "body", RowID: "42"}
	for _, text := range []string{"", "I have not had a drink in 400 days.", strings.Repeat("é", 10_000)} {
		blob, err := s.Seal(ctx, id, []byte(text), loc)
		if err != nil {
			t.Fatal(err)
		}
		if len(blob) != 1+16+24+len(text)+16 || blob[0] != 1 || hex.EncodeToString(blob[1:17]) != id {
			t.Fatalf("blob layout: len %d, version %d, key %x", len(blob), blob[0], blob[1:17])
		}
		if text != "" && bytes.Contains(blob, []byte(text)) {
			t.Fatal("plaintext visible in blob")
		}
		got, err := s.Open(ctx, blob, loc)
		if err != nil || string(got) != text {
			t.Fatalf("Open = %q, %v", got, err)
		}
		// A sealer that never saw the key (another process) opens it through the loader.
		other := NewSealer(s.kr, l, 10)
		if got, err := other.Open(ctx, blob, loc); err != nil || string(got) != text {
			t.Fatalf("Open via loader = %q, %v", got, err)
		}
	}
	a, _ := s.Seal(ctx, id, []byte("same"), loc)
	b, _ := s.Seal(ctx, id, []byte("same"), loc)
	if bytes.Equal(a, b) {
		t.Fatal("the same text sealed twice gave the same blob")
	}
}

func TestOpenInPlace(t *testing.T) {
	s, l, _ := newTestSealer(t, 10)
	id := newDataKey(t, s, l)
	loc := Location{Table: "replies", Column: "body", RowID: "7"}
	text := "Day 30. Some days are heavier than others, and that is allowed."
	blob, err := s.Seal(ctx, id, []byte(text), loc)
	if err != nil {
		t.Fatal(err)
	}
	kept := bytes.Clone(blob)
	got, err := s.OpenInPlace(ctx, blob, loc)
	if err != nil || string(got) != text {
		t.Fatalf("OpenInPlace = %q, %v", got, err)
	}
	// The plaintext lives in the blob's own storage: no copy was made.
	if &got[0] != &blob[1+16+24] {
		t.Fatal("OpenInPlace copied the plaintext instead of writing it over the blob")
	}
	if st := s.Stats(); st.Opens != 1 || st.OpenFailures != 0 {
		t.Fatalf("stats after one open: %+v", st)
	}
	// In place or not, a tampered or moved blob does not open.
	bad := bytes.Clone(kept)
	bad[len(bad)-1] ^= 1
	if _, err := s.OpenInPlace(ctx, bad, loc); !errors.Is(err, ErrOpen) {
		t.Fatalf("tampered blob: err = %v, want ErrOpen", err)
	}
	if _, err := s.OpenInPlace(ctx, bytes.Clone(kept), Location{Table: "replies", Column: "body", RowID: "8"}); !errors.Is(err, ErrOpen) {
		t.Fatalf("moved blob: err = %v, want ErrOpen", err)
	}
	if st := s.Stats(); st.Opens != 3 || st.OpenFailures != 2 {
		t.Fatalf("stats after two failures: %+v", st)
	}
}

func TestOpenAtAnotherLocationFails(t *testing.T) {
	s, l, _ := newTestSealer(t, 10)
	id := newDataKey(t, s, l)
	loc := Location{Table: "stories", Column: "body", RowID: "42"}
	blob, err := s.Seal(ctx, id, []byte("mine"), loc)
	if err != nil {
		t.Fatal(err)
	}
	for _, other := range []Location{
		{Table: "stories", Column: "body", RowID: "43"},
		{Table: "stories", Column: "title", RowID: "42"},
		{Table: "replies", Column: "body", RowID: "42"},
		{Table: "storiesbody", Column: "", RowID: "42"},
		{Table: "stories", Column: "body42", RowID: ""},
		{},
	} {
		if _, err := s.Open(ctx, blob, other); !errors.Is(err, ErrOpen) {
			t.Fatalf("opened at %+v: err = %v, want ErrOpen", other, err)
		}
	}
	ab, _ := s.Seal(ctx, id, []byte("x"), Location{Table: "ab", Column: "c"})
	if _, err := s.Open(ctx, ab, Location{Table: "a", Column: "bc"}); !errors.Is(err, ErrOpen) {
		t.Fatalf(`("ab","c") opened as ("a","bc"): err = %v`, err)
	}
}

func TestOpenTamperedFails(t *testing.T) {
	s, l, _ := newTestSealer(t, 10)
	id := newDataKey(t, s, l)
	loc := Location{Table: "stories", Column: "body", RowID: "1"}
	plain := []byte("a story somebody took an hour to write")
	blob, _ := s.Seal(ctx, id, plain, loc)
	for i := range blob {
		for _, bit := range []byte{0x01, 0x80} {
			bad := bytes.Clone(blob)
			bad[i] ^= bit
			_, err := s.Open(ctx, bad, loc)
			inKeyID := i >= 1 && i < 17
			if !errors.Is(err, ErrOpen) && !(inKeyID && errors.Is(err, ErrUnknownKey)) {
				t.Fatalf("byte %d bit %#x: err = %v", i, bit, err)
			}
			if err != nil && strings.Contains(err.Error(), string(plain)) {
				t.Fatal("error leaks plaintext")
			}
		}
	}
	for n := range len(blob) {
		if _, err := s.Open(ctx, blob[:n], loc); !errors.Is(err, ErrOpen) {
			t.Fatalf("truncated to %d: err = %v, want ErrOpen", n, err)
		}
	}
	if _, err := s.Open(ctx, append(bytes.Clone(blob), 0), loc); !errors.Is(err, ErrOpen) {
		t.Fatal("extended blob opened")
	}
	v2 := bytes.Clone(blob)
	v2[0] = 2
	if _, err := s.Open(ctx, v2, loc); !errors.Is(err, ErrOpen) {
		t.Fatal("unknown version opened")
	}
}

func TestUnknownDataKey(t *testing.T) {
	s, l, _ := newTestSealer(t, 10)
	loc := Location{Table: "t", Column: "c", RowID: "1"}
	if _, err := s.Seal(ctx, strings.Repeat("ab", 16), []byte("x"), loc); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("seal with unknown key: err = %v, want ErrUnknownKey", err)
	}
	for _, bad := range []string{"", "zz", "../../etc/passwd", strings.Repeat("AB", 16)} {
		if _, err := s.Seal(ctx, bad, []byte("x"), loc); err == nil {
			t.Fatalf("seal with key id %q succeeded", bad)
		}
	}

	// Erasure: the wrapped key is deleted and forgotten; the text is gone.
	id := newDataKey(t, s, l)
	blob, _ := s.Seal(ctx, id, []byte("erase me"), loc)
	l.mu.Lock()
	delete(l.keys, id)
	l.mu.Unlock()
	s.Forget(id)
	if _, err := s.Open(ctx, blob, loc); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("open after erasure: err = %v, want ErrUnknownKey", err)
	}
}

func TestOpenWithTamperedWrappedKeyFails(t *testing.T) {
	s, l, _ := newTestSealer(t, 10)
	loc := Location{Table: "t", Column: "c", RowID: "1"}
	a, b := newDataKey(t, s, l), newDataKey(t, s, l)
	blob, _ := s.Seal(ctx, a, []byte("x"), loc)

	// Another member's wrapped key copied into this member's row.
	l.put(a, l.keys[b])
	if _, err := NewSealer(s.kr, l, 10).Open(ctx, blob, loc); !errors.Is(err, ErrOpen) {
		t.Fatalf("swapped wrapped key: err = %v, want ErrOpen", err)
	}
	w := bytes.Clone(l.keys[b])
	w[len(w)-1] ^= 1
	l.put(a, w)
	if _, err := NewSealer(s.kr, l, 10).Open(ctx, blob, loc); !errors.Is(err, ErrOpen) {
		t.Fatalf("tampered wrapped key: err = %v, want ErrOpen", err)
	}
}

func TestCacheIsBounded(t *testing.T) {
	gen, l, kr := newTestSealer(t, 10)
	ids := []string{newDataKey(t, gen, l), newDataKey(t, gen, l), newDataKey(t, gen, l)}
	s := NewSealer(kr, l, 2)
	loc := Location{Table: "t", Column: "c", RowID: "1"}
	use := func(i int) {
		t.Helper()
		if _, err := s.Seal(ctx, ids[i], []byte("x"), loc); err != nil {
			t.Fatal(err)
		}
	}
	check := func(hits, misses uint64) {
		t.Helper()
		st := s.Stats()
		if st.CacheHits != hits || st.CacheMisses != misses {
			t.Fatalf("hits %d misses %d, want %d %d", st.CacheHits, st.CacheMisses, hits, misses)
		}
		if l.calls.Load() != misses {
			t.Fatalf("loader called %d times, want %d", l.calls.Load(), misses)
		}
	}
	use(0)
	use(1)
	use(2) // evicts 0, the least recently used
	check(0, 3)
	use(2)
	use(1)
	check(2, 3)
	use(0) // evicted: loads again, evicting 2
	check(2, 4)
	use(1)
	check(3, 4)
	use(2)
	check(3, 5)
	if n := len(s.cache.items); n != 2 || s.cache.lru.Len() != 2 {
		t.Fatalf("cache holds %d/%d keys, bound is 2", n, s.cache.lru.Len())
	}
}

func TestStats(t *testing.T) {
	s, l, _ := newTestSealer(t, 10)
	id := newDataKey(t, s, l) // NewDataKey caches the key: no miss to come
	loc := Location{Table: "t", Column: "c", RowID: "1"}
	var blob []byte
	for range 10 {
		blob, _ = s.Seal(ctx, id, []byte("x"), loc)
	}
	for range 5 {
		if _, err := s.Open(ctx, blob, loc); err != nil {
			t.Fatal(err)
		}
	}
	s.Open(ctx, blob, Location{})
	s.Open(ctx, nil, loc)
	want := Stats{Seals: 10, Opens: 7, OpenFailures: 2, CacheHits: 16, CacheMisses: 0}
	if got := s.Stats(); got != want {
		t.Fatalf("Stats = %+v, want %+v", got, want)
	}
	s.Forget(id)
	s.Open(ctx, blob, loc)
	if got := s.Stats(); got.CacheMisses != 1 || l.calls.Load() != 1 {
		t.Fatalf("after Forget: %+v, loader calls %d", got, l.calls.Load())
	}
}

func TestForgetWinsOverARacingLoad(t *testing.T) {
	s, l, _ := newTestSealer(t, 10)
	id := newDataKey(t, s, l)
	raw, _ := parseDEKID(id)
	aead, _ := s.cache.get(raw)
	s.Forget(id)

	gen := s.cache.generation() // a load starts...
	s.Forget(id)                // ...the account is erased...
	s.cache.put(raw, aead, gen) // ...the load finishes.
	if _, ok := s.cache.get(raw); ok {
		t.Fatal("a load that raced Forget put the erased key back in the cache")
	}
}

func TestConcurrentUse(t *testing.T) {
	gen, l, kr := newTestSealer(t, 10)
	var ids []string
	for range 5 {
		ids = append(ids, newDataKey(t, gen, l))
	}
	s := NewSealer(kr, l, 3) // smaller than the working set: constant eviction
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				loc := Location{Table: "t", Column: "c", RowID: fmt.Sprint(g, i)}
				text := []byte(loc.RowID)
				id := ids[(g+i)%len(ids)]
				blob, err := s.Seal(ctx, id, text, loc)
				if err != nil {
					t.Error(err)
					return
				}
				got, err := s.Open(ctx, blob, loc)
				if err != nil || !bytes.Equal(got, text) {
					t.Errorf("Open = %q, %v", got, err)
					return
				}
				if i%50 == 0 {
					s.Forget(id)
				}
			}
		})
	}
	wg.Wait()
}

func FuzzOpen(f *testing.F) {
	s, l, kr := newTestSealer(f, 10)
	id := newDataKey(f, s, l)
	loc := Location{Table: "stories", Column: "body", RowID: "7"}
	sealed, err := s.Seal(ctx, id, []byte("seed"), loc)
	if err != nil {
		f.Fatal(err)
	}
	aad := DataKeyAAD(id)
	wrapped := l.keys[id]
	f.Add(sealed)
	f.Add(wrapped)
	f.Add([]byte{})
	f.Add([]byte{1})
	f.Add(sealed[:sealHeaderSize+nonceSize+tagSize])
	f.Fuzz(func(t *testing.T, blob []byte) {
		if _, err := s.Open(ctx, blob, loc); err == nil && !bytes.Equal(blob, sealed) {
			t.Fatalf("Open accepted a blob it never sealed: %x", blob)
		}
		if _, err := kr.Unwrap(blob, aad); err == nil && !bytes.Equal(blob, wrapped) {
			t.Fatalf("Unwrap accepted a blob it never wrapped: %x", blob)
		}
		BlobKeyID(blob)
	})
}
