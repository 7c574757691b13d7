package seal

import (
	"container/list"
	"crypto/cipher"
	"sync"
)

const defaultCacheSize = 10_000

type dekID = [dekIDSize]byte

// dekCache is a bounded LRU of ready AEADs keyed by data key id, so a page
// showing fifty authors does not unwrap fifty keys per request.
//
// It holds no raw key bytes: the unwrapped key is zeroed as soon as its AEAD
// is built. The AEAD keeps its own copy, which cannot be wiped from outside
// x/crypto without racing an Open still using it; after eviction it is
// unreachable and left to the garbage collector.
type dekCache struct {
	mu    sync.Mutex
	size  int
	lru   *list.List // front is most recently used; values are *dekEntry
	items map[dekID]*list.Element
	gen   uint64 // bumped by forget; see put
}

type dekEntry struct {
	id   dekID
	aead cipher.AEAD
}

func newDEKCache(size int) *dekCache {
	if size < 1 {
		size = defaultCacheSize
	}
	return &dekCache{size: size, lru: list.New(), items: make(map[dekID]*list.Element)}
}

func (c *dekCache) get(id dekID) (cipher.AEAD, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.items[id]
	if !ok {
		return nil, false
	}
	c.lru.MoveToFront(e)
	return e.Value.(*dekEntry).aead, true
}

// generation is read before loading a key and handed back to put.
func (c *dekCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put caches aead unless a forget happened since gen was read: otherwise a
// load racing an account erasure would put the erased key back.
func (c *dekCache) put(id dekID, aead cipher.AEAD, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if e, ok := c.items[id]; ok {
		e.Value.(*dekEntry).aead = aead
		c.lru.MoveToFront(e)
		return
	}
	c.items[id] = c.lru.PushFront(&dekEntry{id: id, aead: aead})
	for c.lru.Len() > c.size {
		c.removeLocked(c.lru.Back())
	}
}

func (c *dekCache) forget(id dekID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	if e, ok := c.items[id]; ok {
		c.removeLocked(e)
	}
}

func (c *dekCache) removeLocked(e *list.Element) {
	delete(c.items, c.lru.Remove(e).(*dekEntry).id)
}
