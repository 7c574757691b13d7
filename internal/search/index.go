package search

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"hash"
	"sync"
	"unicode/utf8"

	"hearth/internal/store"
)

// KeyName is the server secret the index is keyed from: 32 random bytes,
// stored wrapped by the master key in the store's secrets, so a master-key
// rotation re-wraps it and every token stays as it was.
const KeyName = "search-key"

// Index turns words into the tokens the store keeps: a word of a circle is
// HMAC-SHA256 of the normalised word under that circle's key, cut to its
// first 64 bits. Each circle's key is derived from the search key with
// HKDF-SHA256, so the same word hashes apart in every circle, and knowing
// an open circle's words and tokens tells nothing of a private one's.
//
// Sixty-four bits are plenty to tell a circle's words apart: a circle
// with a million different words has about one chance in thirty million
// that two of them share a token, and then one word's search would find
// the other's writing too, in a circle the reader may read anyway.
type Index struct {
	key []byte
	// circles caches each circle's derived key.
	circles sync.Map // circle id -> []byte
}

// NewIndex is the index keyed from the 32-byte search key.
func NewIndex(searchKey []byte) (*Index, error) {
	if len(searchKey) != 32 {
		return nil, errors.New("search: the search key must be 32 bytes")
	}
	return &Index{key: searchKey}, nil
}

// circleKey derives circle id's key from the search key.
func (x *Index) circleKey(circleID string) []byte {
	if k, ok := x.circles.Load(circleID); ok {
		return k.([]byte)
	}
	k, err := hkdf.Key(sha256.New, x.key, nil, "hearth search v1 circle "+circleID, 32)
	if err != nil {
		panic(err) // only for a length HKDF-SHA256 cannot give; 32 it can
	}
	x.circles.Store(circleID, k)
	return k
}

// hasher hashes words of one circle. It keeps its buffers, so a
// writing's few dozen words cost no allocation each.
type hasher struct {
	mac  hash.Hash
	word []byte
	sum  [sha256.Size]byte
}

func (x *Index) hasher(circleID string) *hasher {
	return &hasher{mac: hmac.New(sha256.New, x.circleKey(circleID)), word: make([]byte, 0, maxWord*utf8.UTFMax)}
}

// token is word's token in the hasher's circle.
func (h *hasher) token(word string) int64 {
	h.mac.Reset()
	h.word = append(h.word[:0], word...)
	h.mac.Write(h.word)
	return int64(binary.BigEndian.Uint64(h.mac.Sum(h.sum[:0])[:8]))
}

// Postings are the index's rows for a story or reply of circle circleID
// as it is written or edited: one for each word of its texts (a story's
// title and body, a reply's body) that a query could ask for, each word
// once. A build with indexesNewWriting false writes none (see
// noindexing.go).
func (x *Index) Postings(circleID string, t store.Target, id string, texts ...string) []store.Posting {
	if !indexesNewWriting {
		return nil
	}
	return x.postings(circleID, t, id, texts...)
}

// postings are Postings whatever the build: the backfill takes a writing
// off the backlog as it writes its postings, and must never take one off
// with none.
func (x *Index) postings(circleID string, t store.Target, id string, texts ...string) []store.Posting {
	h := x.hasher(circleID)
	// A reply of a few hundred words holds a few dozen different ones.
	seen := make(map[string]struct{}, 64)
	out := make([]store.Posting, 0, 32)
	for _, text := range texts {
		eachWord(text, false, func(w string, _, _ int) bool {
			if _, dup := seen[w]; dup {
				return true
			}
			seen[w] = struct{}{}
			if n := utf8.RuneCountInString(w); n >= minWord && n <= maxWord {
				out = append(out, store.Posting{Token: h.token(w), TargetID: id, Reply: t == store.TargetReply})
			}
			return true
		})
	}
	return out
}
