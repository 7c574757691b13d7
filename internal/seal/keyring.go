// Package seal keeps what members write unreadable at rest: envelope
// encryption with master keys (KEKs) that live in files outside the database
// and per-member data keys (DEKs) that are stored in it only wrapped.
package seal

import (
	"bytes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/crypto/chacha20poly1305"
)

// Sentinel errors; match them with errors.Is. None of their messages, nor the
// errors wrapping them, carry plaintext or key bytes.
var (
	// ErrNoMasterKey means master.key does not exist and was not to be created.
	ErrNoMasterKey = errors.New("seal: no master key")
	// ErrBadMasterKey means a key (file or HEARTH_MASTER_KEY) is malformed.
	ErrBadMasterKey = errors.New("seal: master key must be base64 of 32 bytes (256 bits)")
	// ErrKeyFileMode means a key file is open to group or others; it is never
	// fixed silently, because a key that was readable may already be copied.
	ErrKeyFileMode = errors.New("seal: key file must not be readable or writable by group or others (chmod 600)")
	// ErrUnknownKey means a blob names a master key or data key that is not available.
	ErrUnknownKey = errors.New("seal: unknown key")
	// ErrOpen means a blob failed to authenticate: tampered, truncated, moved
	// to another place, or opened with the wrong additional data.
	ErrOpen = errors.New("seal: cannot open sealed value")
)

const (
	keySize   = chacha20poly1305.KeySize
	nonceSize = chacha20poly1305.NonceSizeX
	tagSize   = chacha20poly1305.Overhead

	wrapVersion    byte = 1
	kekIDSize           = 8
	wrapHeaderSize      = 1 + kekIDSize

	masterKeyFile = "master.key"
	newKeyFile    = "master.key.new"
	retiredDir    = "retired-keys"
	keyFileExt    = ".key"
	tempPrefix    = ".keytmp-"
)

var errEnvRotation = errors.New("seal: the master key comes from HEARTH_MASTER_KEY, so hearth cannot rotate it: rotating it is the operator's job")

type kekID = [kekIDSize]byte

// KeyID returns a short stable id of a 32-byte master key: the first 8 bytes
// of SHA-256("hearth master key id v1" || key), in hex.
func KeyID(key []byte) string {
	id := keyID(key)
	return hex.EncodeToString(id[:])
}

func keyID(key []byte) kekID {
	h := sha256.New()
	h.Write([]byte("hearth master key id v1"))
	h.Write(key)
	var sum [sha256.Size]byte
	var id kekID
	copy(id[:], h.Sum(sum[:0]))
	return id
}

// Keyring holds the master keys: the current one wraps, any loaded one
// unwraps. It is safe for concurrent use.
type Keyring struct {
	dir    string      // data directory; "" when the env key came without one
	env    cipher.AEAD // set when the master key came from HEARTH_MASTER_KEY
	envID  kekID
	mu     sync.RWMutex
	keys   map[kekID]cipher.AEAD
	cur    kekID
	live   []kekID     // the env key, or master.key and master.key.new: never retired
	master os.FileInfo // master.key as last loaded, so Wrap can notice a rotation elsewhere
	next   os.FileInfo // master.key.new as last loaded; nil when absent
}

// OpenKeyring loads the master keys. A non-empty envKey (base64 of 32 bytes)
// is the current key and master.key is ignored; otherwise master.key in
// dataDir is, and is created when missing if create is set. master.key.new (a
// rotation in progress, which then becomes the current key) and every
// retired-keys/<id>.key are loaded as well, so blobs wrapped under any of them
// unwrap.
func OpenKeyring(dataDir, envKey string, create bool) (*Keyring, error) {
	k := &Keyring{dir: dataDir}
	if envKey != "" {
		key, err := parseKey([]byte(envKey))
		if err != nil {
			return nil, fmt.Errorf("%w (HEARTH_MASTER_KEY)", err)
		}
		k.envID = keyID(key)
		k.env, err = chacha20poly1305.NewX(key)
		clear(key)
		if err != nil {
			return nil, err
		}
	} else {
		if dataDir == "" {
			return nil, errors.New("seal: no data directory for master.key")
		}
		if create {
			if err := createMasterKey(dataDir); err != nil {
				return nil, err
			}
		}
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if err := k.loadLocked(); err != nil {
		return nil, err
	}
	return k, nil
}

// CurrentID returns the id of the key Wrap uses, as of the last load.
func (k *Keyring) CurrentID() string {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return hex.EncodeToString(k.cur[:])
}

// Wrap seals plain under the current master key with XChaCha20-Poly1305 and
// aad as additional data. The blob is version (1) | 8-byte key id | 24-byte
// nonce | ciphertext and tag; the version and key id are authenticated too.
func (k *Keyring) Wrap(plain, aad []byte) ([]byte, error) {
	// A rotation done by another process (hearth keys rotate) must take
	// effect here without a restart, or this server would keep wrapping new
	// data keys under the key being retired.
	if err := k.refresh(); err != nil {
		return nil, err
	}
	k.mu.RLock()
	id, aead := k.cur, k.keys[k.cur]
	k.mu.RUnlock()

	out := make([]byte, wrapHeaderSize+nonceSize, wrapHeaderSize+nonceSize+len(plain)+tagSize)
	out[0] = wrapVersion
	copy(out[1:], id[:])
	randomBytes(out[wrapHeaderSize:])
	nonce := out[wrapHeaderSize : wrapHeaderSize+nonceSize]
	return aead.Seal(out, nonce, plain, wrapAD(out[:wrapHeaderSize], aad)), nil
}

// Unwrap opens a Wrap blob. A key id it does not know makes it reload the
// key files once, since another process may have rotated; if the key is
// still missing the error is ErrUnknownKey. Failed authentication is ErrOpen.
func (k *Keyring) Unwrap(blob, aad []byte) ([]byte, error) {
	if len(blob) < wrapHeaderSize+nonceSize+tagSize || blob[0] != wrapVersion {
		return nil, ErrOpen
	}
	id := kekID(blob[1:wrapHeaderSize])
	aead, ok := k.lookup(id)
	if !ok {
		k.mu.Lock()
		err := k.loadLocked()
		k.mu.Unlock()
		if err != nil {
			return nil, err
		}
		if aead, ok = k.lookup(id); !ok {
			return nil, fmt.Errorf("%w: master key %x", ErrUnknownKey, id)
		}
	}
	nonce := blob[wrapHeaderSize : wrapHeaderSize+nonceSize]
	plain, err := aead.Open(nil, nonce, blob[wrapHeaderSize+nonceSize:], wrapAD(blob[:wrapHeaderSize], aad))
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// BlobKeyID returns the id of the master key a Wrap blob was wrapped under.
func BlobKeyID(blob []byte) (string, error) {
	if len(blob) < wrapHeaderSize || blob[0] != wrapVersion {
		return "", ErrOpen
	}
	return hex.EncodeToString(blob[1:wrapHeaderSize]), nil
}

// PrepareRotation starts a rotation: it writes a fresh key to
// master.key.new, loads it, makes it the key Wrap uses and returns its id.
// The caller then re-wraps every data key and calls CommitRotation. An
// existing master.key.new is a rotation that did not finish: keys may
// already be wrapped under it, so it is resumed, never replaced.
func (k *Keyring) PrepareRotation() (newID string, err error) {
	if k.env != nil {
		return "", errEnvRotation
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	key := make([]byte, keySize)
	randomBytes(key)
	err = createKeyFile(k.dir, newKeyFile, key)
	clear(key)
	if err != nil && !errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("seal: prepare rotation: %w", err)
	}
	if err := k.loadLocked(); err != nil {
		return "", err
	}
	return hex.EncodeToString(k.cur[:]), nil
}

// CommitRotation finishes a rotation: the old master.key is kept as
// retired-keys/<oldID>.key and master.key.new atomically replaces
// master.key. Every step can be re-run after a crash.
func (k *Keyring) CommitRotation() (retiredID string, err error) {
	if k.env != nil {
		return "", errEnvRotation
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	masterPath := filepath.Join(k.dir, masterKeyFile)
	newPath := filepath.Join(k.dir, newKeyFile)

	oldKey, _, err := readKeyFile(masterPath)
	if err != nil {
		return "", err
	}
	defer clear(oldKey)
	newKey, _, err := readKeyFile(newPath)
	if errors.Is(err, fs.ErrNotExist) {
		return "", errors.New("seal: no rotation in progress (master.key.new does not exist)")
	}
	if err != nil {
		return "", err
	}
	oldID, newID := keyID(oldKey), keyID(newKey)
	clear(newKey)

	if oldID != newID {
		if err := keepRetired(k.dir, masterPath, oldKey, oldID); err != nil {
			return "", fmt.Errorf("seal: commit rotation: %w", err)
		}
	}
	if err := os.Rename(newPath, masterPath); err != nil {
		return "", fmt.Errorf("seal: commit rotation: %w", err)
	}
	if err := syncDir(k.dir); err != nil {
		return "", fmt.Errorf("seal: commit rotation: %w", err)
	}
	if err := k.loadLocked(); err != nil {
		return "", err
	}
	return hex.EncodeToString(oldID[:]), nil
}

// keepRetired stores the outgoing master key under retired-keys/. A hard
// link rather than a copy makes it atomic and leaves a single inode, so
// Retire's overwrite reaches every name the key ever had.
func keepRetired(dir, masterPath string, key []byte, id kekID) error {
	rdir := filepath.Join(dir, retiredDir)
	if err := mkdirDurable(rdir); err != nil {
		return err
	}
	name := hex.EncodeToString(id[:]) + keyFileExt
	dst := filepath.Join(rdir, name)
	err := os.Link(masterPath, dst)
	switch {
	case err == nil, errors.Is(err, fs.ErrExist):
	default:
		// Links can be refused (some network or FUSE file systems).
		if err := createKeyFile(rdir, name, key); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	// Whatever was there already, or got linked in a race with another
	// rotation, must hold exactly the key being retired.
	got, _, err := readKeyFile(dst)
	if err != nil {
		return err
	}
	same := keyID(got) == id
	clear(got)
	if !same {
		return fmt.Errorf("%w: %s does not hold the key its name says", ErrBadMasterKey, dst)
	}
	return syncDir(rdir)
}

// RetiredIDs lists the ids of the keys in retired-keys/, sorted.
func (k *Keyring) RetiredIDs() ([]string, error) {
	if k.dir == "" {
		return nil, nil
	}
	entries, err := os.ReadDir(filepath.Join(k.dir, retiredDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range entries {
		if id, ok := retiredName(e.Name()); ok {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

// Retire destroys retired-keys/<id>.key: it overwrites the file with zeros,
// syncs, removes it and forgets the key. Blobs wrapped under it can no longer
// be opened, which is how members erased since are erased from old backups
// too. It refuses the current key and one that a rotation is moving to.
// The overwrite is best effort: copy-on-write file systems and flash wear
// levelling may keep old blocks, so keep data directories on an encrypted disk.
func (k *Keyring) Retire(id string) error {
	if !isKEKID(id) {
		return fmt.Errorf("seal: %q is not a master key id (16 hex digits)", id)
	}
	if k.dir == "" {
		return fmt.Errorf("%w: no data directory", ErrUnknownKey)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	// Read the live keys fresh: another process may have rotated since.
	if err := k.loadLocked(); err != nil {
		return err
	}
	for _, l := range k.live {
		if hex.EncodeToString(l[:]) == id {
			return fmt.Errorf("seal: refusing to retire %s: it is a live master key", id)
		}
	}

	rdir := filepath.Join(k.dir, retiredDir)
	path := filepath.Join(rdir, id+keyFileExt)
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: no retired key %s", ErrUnknownKey, id)
	}
	if err != nil {
		return err
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("seal: %s is not a regular file", path)
	}
	if err := wipeFile(path); err != nil {
		return fmt.Errorf("seal: retire %s: %w", id, err)
	}
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("seal: retire %s: %w", id, err)
	}
	if err := syncDir(rdir); err != nil {
		return fmt.Errorf("seal: retire %s: %w", id, err)
	}
	raw, _ := hex.DecodeString(id)
	delete(k.keys, kekID(raw))
	return nil
}

// wipeFile overwrites the file in place (no truncation, so the same blocks
// are written where the file system allows it) and syncs.
func wipeFile(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	if _, err := f.WriteAt(make([]byte, fi.Size()), 0); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

func (k *Keyring) lookup(id kekID) (cipher.AEAD, bool) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	aead, ok := k.keys[id]
	return aead, ok
}

// refresh reloads the key files when master.key or master.key.new differ
// from what was loaded. Two stats are cheap next to what a Wrap is for.
func (k *Keyring) refresh() error {
	if k.env != nil {
		return nil
	}
	m, _ := os.Stat(filepath.Join(k.dir, masterKeyFile))
	n, _ := os.Stat(filepath.Join(k.dir, newKeyFile))
	k.mu.RLock()
	same := sameFile(m, k.master) && sameFile(n, k.next)
	k.mu.RUnlock()
	if same {
		return nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.loadLocked()
}

func sameFile(a, b os.FileInfo) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return os.SameFile(a, b) && a.Size() == b.Size() && a.ModTime().Equal(b.ModTime()) && a.Mode() == b.Mode()
}

// loadLocked reads every key file into a fresh set, so that memory mirrors
// disk: a key another process retired is dropped here on the next load. On
// error the previous set stays in use.
func (k *Keyring) loadLocked() error {
	keys := make(map[kekID]cipher.AEAD)
	var cur kekID
	var live []kekID
	var master, next os.FileInfo
	if k.env != nil {
		keys[k.envID] = k.env
		cur = k.envID
		live = append(live, cur)
	} else {
		path := filepath.Join(k.dir, masterKeyFile)
		key, fi, err := readKeyFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%w: %s does not exist", ErrNoMasterKey, path)
		}
		if err != nil {
			return err
		}
		if cur, err = addKey(keys, key); err != nil {
			return err
		}
		live = append(live, cur)
		master = fi

		// While a rotation is in progress the new key wraps, so that keys
		// wrapped after the re-wrap sweep passed them are not left behind
		// under the old one.
		key, fi, err = readKeyFile(filepath.Join(k.dir, newKeyFile))
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return err
		default:
			if cur, err = addKey(keys, key); err != nil {
				return err
			}
			live = append(live, cur)
			next = fi
		}
	}
	if err := loadRetired(k.dir, keys); err != nil {
		return err
	}
	k.keys, k.cur, k.live, k.master, k.next = keys, cur, live, master, next
	return nil
}

func loadRetired(dir string, keys map[kekID]cipher.AEAD) error {
	if dir == "" {
		return nil
	}
	rdir := filepath.Join(dir, retiredDir)
	entries, err := os.ReadDir(rdir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		name, ok := retiredName(e.Name())
		if !ok {
			continue
		}
		path := filepath.Join(rdir, e.Name())
		key, _, err := readKeyFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue // retired by another process while we listed
		}
		if err != nil {
			return err
		}
		id, err := addKey(keys, key)
		if err != nil {
			return err
		}
		// Retire finds keys by file name, so a misnamed file would let
		// the wrong key survive a retirement.
		if hex.EncodeToString(id[:]) != name {
			return fmt.Errorf("%w: %s holds key %x, not the key its name says", ErrBadMasterKey, path, id)
		}
	}
	return nil
}

// addKey builds the AEAD for key, adds it to keys and zeroes key.
func addKey(keys map[kekID]cipher.AEAD, key []byte) (kekID, error) {
	defer clear(key)
	id := keyID(key)
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return id, err
	}
	keys[id] = aead
	return id, nil
}

func retiredName(name string) (string, bool) {
	id, ok := strings.CutSuffix(name, keyFileExt)
	return id, ok && isKEKID(id)
}

// isKEKID accepts exactly what KeyID produces, which also keeps ids used in
// paths free of separators and dots.
func isKEKID(id string) bool {
	return isLowerHex(id, 2*kekIDSize)
}

// isLowerHex accepts only the lower-case form ids are made in, so one id
// has one spelling (hex.Decode would also take upper case).
func isLowerHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// readKeyFile checks the mode on the open file (not a separate stat that
// could race with a swap) and returns the key and what it was read from.
func readKeyFile(path string) ([]byte, os.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("%w: %s is not a regular file", ErrBadMasterKey, path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, nil, fmt.Errorf("%w: %s has mode %04o", ErrKeyFileMode, path, perm)
	}
	// Anything longer than a padded key and a little whitespace is not a key;
	// the limit keeps a misplaced large file from being read whole.
	data, err := io.ReadAll(io.LimitReader(f, 256))
	if err != nil {
		return nil, nil, err
	}
	defer clear(data)
	key, err := parseKey(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s", err, path)
	}
	return key, fi, nil
}

func parseKey(text []byte) ([]byte, error) {
	text = bytes.TrimSpace(text)
	key := make([]byte, base64.StdEncoding.DecodedLen(len(text)))
	n, err := base64.StdEncoding.Decode(key, text)
	if err != nil || n != keySize {
		clear(key)
		return nil, ErrBadMasterKey
	}
	return key[:keySize:keySize], nil
}

// createMasterKey creates master.key with a fresh key unless it exists. It
// refuses when other key files are there: a missing master.key next to them
// means it was lost, and a new one would silently orphan every data key.
func createMasterKey(dir string) error {
	path := filepath.Join(dir, masterKeyFile)
	if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
		return nil // present, or unreadable: loading reports which
	}
	if _, err := os.Lstat(filepath.Join(dir, newKeyFile)); err == nil {
		return fmt.Errorf("%w: %s is missing but %s exists; refusing to create a new master key", ErrNoMasterKey, path, newKeyFile)
	}
	if ids, _ := (&Keyring{dir: dir}).RetiredIDs(); len(ids) > 0 {
		return fmt.Errorf("%w: %s is missing but %s/ holds keys; refusing to create a new master key", ErrNoMasterKey, path, retiredDir)
	}
	if err := mkdirDurable(dir); err != nil {
		return fmt.Errorf("seal: create data directory: %w", err)
	}
	key := make([]byte, keySize)
	randomBytes(key)
	err := createKeyFile(dir, masterKeyFile, key)
	clear(key)
	if err != nil && !errors.Is(err, fs.ErrExist) { // ErrExist: another process won the race; load reads its key
		return fmt.Errorf("seal: create %s: %w", path, err)
	}
	return nil
}

// createKeyFile writes key to dir/name, mode 0600, durably, and never
// replaces an existing file (the error then wraps fs.ErrExist). It writes a
// temporary file and hard-links it into place, so a crash can never leave a
// half-written key under the real name.
func createKeyFile(dir, name string, key []byte) error {
	f, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	// Only ever unlinked, never wiped: once linked it shares the real file.
	defer os.Remove(tmp)

	text := make([]byte, base64.StdEncoding.EncodedLen(len(key))+1)
	defer clear(text)
	base64.StdEncoding.Encode(text, key)
	text[len(text)-1] = '\n'
	_, err = f.Write(text)
	if err == nil {
		err = f.Chmod(0o600) // exact, whatever the umask
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Link(tmp, filepath.Join(dir, name)); err != nil {
		return err
	}
	if err := os.Remove(tmp); err != nil {
		return err
	}
	return syncDir(dir)
}

// mkdirDurable creates dir (0700) when missing and syncs its parent so the
// new entry survives a power cut. An existing directory keeps its mode.
func mkdirDurable(dir string) error {
	if _, err := os.Stat(dir); err == nil {
		return nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return syncDir(filepath.Dir(dir))
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// wrapAD authenticates the blob header along with the caller's data, so a
// future format cannot be confused with this one.
func wrapAD(header, aad []byte) []byte {
	return slices.Concat(header, aad)
}

// randomBytes fills b from crypto/rand. Since Go 1.24 rand.Read never
// returns an error: it crashes the program rather than hand out weak bytes.
func randomBytes(b []byte) {
	_, _ = rand.Read(b)
}
