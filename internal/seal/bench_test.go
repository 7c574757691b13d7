package seal

import (
	"testing"
)

var benchLoc = Location{Table: "stories", Column: "body", RowID: "01HZX3Y8Q4M5N6P7R8S9T0V1W2"}

func benchSeal(b *testing.B, size int) {
	s, l, _ := newTestSealer(b, 10_000)
	id := newDataKey(b, s, l)
	text := make([]byte, size)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Seal(ctx, id, text, benchLoc); err != nil {
			b.Fatal(err)
		}
	}
}

func benchOpen(b *testing.B, size int) {
	s, l, _ := newTestSealer(b, 10_000)
	id := newDataKey(b, s, l)
	blob, err := s.Seal(ctx, id, make([]byte, size), benchLoc)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Open(ctx, blob, benchLoc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSeal1KiB(b *testing.B)  { benchSeal(b, 1<<10) }
func BenchmarkOpen1KiB(b *testing.B)  { benchOpen(b, 1<<10) }
func BenchmarkSeal20KiB(b *testing.B) { benchSeal(b, 20<<10) }
func BenchmarkOpen20KiB(b *testing.B) { benchOpen(b, 20<<10) }

// BenchmarkOpen1KiBParallel shows what the cache's lock costs when every
// core is opening.
func BenchmarkOpen1KiBParallel(b *testing.B) {
	s, l, _ := newTestSealer(b, 10_000)
	id := newDataKey(b, s, l)
	blob, _ := s.Seal(ctx, id, make([]byte, 1<<10), benchLoc)
	b.SetBytes(1 << 10)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.Open(ctx, blob, benchLoc); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkDataKeyCacheHit(b *testing.B) {
	s, l, _ := newTestSealer(b, 10_000)
	raw, _ := parseDEKID(newDataKey(b, s, l))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.dataKey(ctx, raw); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDataKeyCacheMiss alternates two keys through a one-key cache, so
// every fetch goes to the loader and unwraps.
func BenchmarkDataKeyCacheMiss(b *testing.B) {
	s, l, kr := newTestSealer(b, 10_000)
	a, _ := parseDEKID(newDataKey(b, s, l))
	c, _ := parseDEKID(newDataKey(b, s, l))
	ids := [2]dekID{a, c}
	s = NewSealer(kr, l, 1)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := s.dataKey(ctx, ids[i&1]); err != nil {
			b.Fatal(err)
		}
		i++
	}
	if st := s.Stats(); st.CacheHits != 0 {
		b.Fatalf("%d cache hits in a miss benchmark", st.CacheHits)
	}
}
