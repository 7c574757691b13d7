package seal

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func newKeyText(t *testing.T) (key []byte, text string) {
	t.Helper()
	key = make([]byte, 32)
	rand.Read(key)
	return key, base64.StdEncoding.EncodeToString(key)
}

func writeFileMode(t *testing.T, path, content string, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil { // past the umask
		t.Fatal(err)
	}
}

func fileMode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// keyFileID reads a key file the way an operator would, independently of the
// code under test.
func keyFileID(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(data)))
	if err != nil || len(key) != 32 {
		t.Fatalf("%s: not base64 of 32 bytes", path)
	}
	return KeyID(key)
}

func openKeyring(t *testing.T, dir string) *Keyring {
	t.Helper()
	kr, err := OpenKeyring(dir, "", false)
	if err != nil {
		t.Fatal(err)
	}
	return kr
}

func TestKeyID(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	sum := sha256.Sum256(append([]byte("hearth master key id v1"), key...))
	if got, want := KeyID(key), hex.EncodeToString(sum[:8]); got != want {
		t.Fatalf("KeyID = %s, want %s", got, want)
	}
	if KeyID(key) == KeyID(make([]byte, 32)) {
		t.Fatal("different keys share an id")
	}
}

func TestOpenKeyringCreatesMasterKey(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	kr, err := OpenKeyring(dir, "", true)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "master.key")
	if m := fileMode(t, path); m != 0o600 {
		t.Fatalf("master.key mode %04o, want 0600", m)
	}
	if m := fileMode(t, dir); m&0o077 != 0 {
		t.Fatalf("data dir mode %04o, want no group/other access", m)
	}
	data, _ := os.ReadFile(path)
	if !bytes.HasSuffix(data, []byte("\n")) {
		t.Fatal("master.key does not end in a newline")
	}
	if got := keyFileID(t, path); got != kr.CurrentID() {
		t.Fatalf("file key %s, keyring current %s", got, kr.CurrentID())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("data dir holds %d entries, want only master.key (temporary files left?)", len(entries))
	}

	again, err := OpenKeyring(dir, "", true)
	if err != nil {
		t.Fatal(err)
	}
	if again.CurrentID() != kr.CurrentID() {
		t.Fatal("second open read a different key")
	}
	blob, _ := kr.Wrap([]byte("x"), nil)
	if _, err := again.Unwrap(blob, nil); err != nil {
		t.Fatal(err)
	}
}

func TestOpenKeyringNoMasterKey(t *testing.T) {
	dir := t.TempDir()
	_, err := OpenKeyring(dir, "", false)
	if !errors.Is(err, ErrNoMasterKey) {
		t.Fatalf("err = %v, want ErrNoMasterKey", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatal("create=false wrote files")
	}
}

func TestOpenKeyringRefusesOpenMode(t *testing.T) {
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660, 0o602} {
		dir := t.TempDir()
		path := filepath.Join(dir, "master.key")
		_, text := newKeyText(t)
		writeFileMode(t, path, text+"\n", mode)
		before, _ := os.Stat(path)
		for _, create := range []bool{false, true} {
			_, err := OpenKeyring(dir, "", create)
			if !errors.Is(err, ErrKeyFileMode) {
				t.Fatalf("mode %04o create=%v: err = %v, want ErrKeyFileMode", mode, create, err)
			}
		}
		after, _ := os.Stat(path)
		data, _ := os.ReadFile(path)
		if after.Mode() != before.Mode() || !after.ModTime().Equal(before.ModTime()) || string(data) != text+"\n" {
			t.Fatalf("mode %04o: the key file was modified", mode)
		}
	}
}

func TestOpenKeyringRefusesOpenModeOnOtherKeyFiles(t *testing.T) {
	for _, name := range []string{"master.key.new", "retired-keys/KEYID.key"} {
		dir := t.TempDir()
		if _, err := OpenKeyring(dir, "", true); err != nil {
			t.Fatal(err)
		}
		key, text := newKeyText(t)
		writeFileMode(t, filepath.Join(dir, strings.Replace(name, "KEYID", KeyID(key), 1)), text+"\n", 0o644)
		if _, err := OpenKeyring(dir, "", false); !errors.Is(err, ErrKeyFileMode) {
			t.Fatalf("%s 0644: err = %v, want ErrKeyFileMode", name, err)
		}
	}
}

func TestOpenKeyringBadKeys(t *testing.T) {
	short := base64.StdEncoding.EncodeToString(make([]byte, 16))
	long := base64.StdEncoding.EncodeToString(make([]byte, 33))
	hex64 := strings.Repeat("ab", 32)
	cases := map[string]string{
		"short":      short,
		"long":       long,
		"31 bytes":   base64.StdEncoding.EncodeToString(make([]byte, 31)),
		"garbage":    "this is not a key!",
		"hex":        hex64,
		"url base64": strings.Repeat("_-", 21) + "AA=",
		"whitespace": "   \n",
	}
	for name, text := range cases {
		dir := t.TempDir()
		writeFileMode(t, filepath.Join(dir, "master.key"), text+"\n", 0o600)
		_, err := OpenKeyring(dir, "", true)
		if !errors.Is(err, ErrBadMasterKey) {
			t.Fatalf("file %s: err = %v, want ErrBadMasterKey", name, err)
		}
		if !strings.Contains(err.Error(), "must be base64 of 32 bytes (256 bits)") {
			t.Fatalf("file %s: message %q does not say what a key must be", name, err)
		}
		if strings.TrimSpace(text) != "" && strings.Contains(err.Error(), strings.TrimSpace(text)) {
			t.Fatalf("file %s: message leaks the key text", name)
		}
		if name == "whitespace" {
			continue // an empty env value means "no env key"
		}
		_, err = OpenKeyring(t.TempDir(), text, true)
		if !errors.Is(err, ErrBadMasterKey) {
			t.Fatalf("env %s: err = %v, want ErrBadMasterKey", name, err)
		}
		if strings.Contains(err.Error(), text) {
			t.Fatalf("env %s: message leaks the key text", name)
		}
	}
}

func TestOpenKeyringEnv(t *testing.T) {
	dir := t.TempDir()
	// A broken master.key must not matter: the env key wins and files are not touched.
	writeFileMode(t, filepath.Join(dir, "master.key"), "garbage", 0o644)
	key, text := newKeyText(t)
	kr, err := OpenKeyring(dir, "  "+text+"\n", true)
	if err != nil {
		t.Fatal(err)
	}
	if kr.CurrentID() != KeyID(key) {
		t.Fatal("env keyring does not use the env key")
	}
	blob, err := kr.Wrap([]byte("secret"), []byte("aad"))
	if err != nil {
		t.Fatal(err)
	}
	if id, _ := BlobKeyID(blob); id != KeyID(key) {
		t.Fatalf("wrapped under %s, want env key %s", id, KeyID(key))
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "master.key")); string(data) != "garbage" {
		t.Fatal("env keyring modified master.key")
	}
	if m := fileMode(t, filepath.Join(dir, "master.key")); m != 0o644 {
		t.Fatal("env keyring changed master.key's mode")
	}
	if _, err := OpenKeyring("", text, false); err != nil {
		t.Fatalf("env key without a data dir: %v", err)
	}
	if _, err := OpenKeyring(filepath.Join(dir, "missing"), text, false); err != nil {
		t.Fatalf("env key with a missing data dir: %v", err)
	}

	_, err = kr.PrepareRotation()
	if err == nil || !strings.Contains(err.Error(), "HEARTH_MASTER_KEY") {
		t.Fatalf("PrepareRotation on env keyring: err = %v, want a refusal naming HEARTH_MASTER_KEY", err)
	}
	if _, err := kr.CommitRotation(); err == nil {
		t.Fatal("CommitRotation on env keyring succeeded")
	}
	if _, err := os.Stat(filepath.Join(dir, "master.key.new")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("env keyring wrote master.key.new")
	}
}

func TestOpenKeyringEnvLoadsRetiredKeys(t *testing.T) {
	oldKey, oldText := newKeyText(t)
	old, err := OpenKeyring("", oldText, false)
	if err != nil {
		t.Fatal(err)
	}
	blob, _ := old.Wrap([]byte("from an old backup"), []byte("aad"))

	dir := t.TempDir()
	writeFileMode(t, filepath.Join(dir, "retired-keys", KeyID(oldKey)+".key"), oldText+"\n", 0o600)
	_, text := newKeyText(t)
	kr, err := OpenKeyring(dir, text, false)
	if err != nil {
		t.Fatal(err)
	}
	got, err := kr.Unwrap(blob, []byte("aad"))
	if err != nil || string(got) != "from an old backup" {
		t.Fatalf("unwrap under retired key: %q, %v", got, err)
	}
	if ids, _ := kr.RetiredIDs(); !slices.Equal(ids, []string{KeyID(oldKey)}) {
		t.Fatalf("RetiredIDs = %v", ids)
	}
	if err := kr.Retire(kr.CurrentID()); err == nil {
		t.Fatal("Retire accepted the env key")
	}
	if err := kr.Retire(KeyID(oldKey)); err != nil {
		t.Fatal(err)
	}
	if _, err := kr.Unwrap(blob, []byte("aad")); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("after Retire: err = %v, want ErrUnknownKey", err)
	}
}

func TestOpenKeyringRefusesMisnamedRetiredKey(t *testing.T) {
	dir := t.TempDir()
	if _, err := OpenKeyring(dir, "", true); err != nil {
		t.Fatal(err)
	}
	_, text := newKeyText(t)
	writeFileMode(t, filepath.Join(dir, "retired-keys", "0123456789abcdef.key"), text+"\n", 0o600)
	if _, err := OpenKeyring(dir, "", false); !errors.Is(err, ErrBadMasterKey) {
		t.Fatalf("err = %v, want ErrBadMasterKey", err)
	}
}

func TestOpenKeyringWillNotReplaceLostMasterKey(t *testing.T) {
	dir := t.TempDir()
	key, text := newKeyText(t)
	writeFileMode(t, filepath.Join(dir, "retired-keys", KeyID(key)+".key"), text+"\n", 0o600)
	if _, err := OpenKeyring(dir, "", true); !errors.Is(err, ErrNoMasterKey) {
		t.Fatalf("err = %v, want ErrNoMasterKey", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "master.key")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a new master.key was created next to retired keys")
	}
}

func TestWrapUnwrap(t *testing.T) {
	kr, err := OpenKeyring(t.TempDir(), "", true)
	if err != nil {
		t.Fatal(err)
	}
	plain := []byte("a data key, 32 bytes long.......")
	aad := []byte("hearth dek v1:abc")
	blob, err := kr.Wrap(plain, aad)
	if err != nil {
		t.Fatal(err)
	}
	if len(blob) != 1+8+24+len(plain)+16 || blob[0] != 1 {
		t.Fatalf("blob layout: len %d, version %d", len(blob), blob[0])
	}
	if id, _ := BlobKeyID(blob); id != kr.CurrentID() || hex.EncodeToString(blob[1:9]) != id {
		t.Fatalf("BlobKeyID = %s, want %s", id, kr.CurrentID())
	}
	got, err := kr.Unwrap(blob, aad)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Unwrap = %q, %v", got, err)
	}
	if again, _ := kr.Wrap(plain, aad); bytes.Equal(again, blob) {
		t.Fatal("two wraps of the same key are identical: nonce reused")
	}
	if empty, err := kr.Wrap(nil, nil); err != nil {
		t.Fatal(err)
	} else if got, err := kr.Unwrap(empty, nil); err != nil || len(got) != 0 {
		t.Fatalf("empty round trip: %q, %v", got, err)
	}

	for _, wrong := range [][]byte{nil, []byte("hearth dek v1:abd"), append(aad, 0)} {
		if _, err := kr.Unwrap(blob, wrong); !errors.Is(err, ErrOpen) {
			t.Fatalf("aad %q: err = %v, want ErrOpen", wrong, err)
		}
	}
	for i := range blob {
		for _, bit := range []byte{0x01, 0x80} {
			bad := bytes.Clone(blob)
			bad[i] ^= bit
			_, err := kr.Unwrap(bad, aad)
			inKeyID := i >= 1 && i < 9
			if !errors.Is(err, ErrOpen) && !(inKeyID && errors.Is(err, ErrUnknownKey)) {
				t.Fatalf("byte %d bit %#x: err = %v", i, bit, err)
			}
			if err != nil && bytes.Contains([]byte(err.Error()), plain) {
				t.Fatal("error leaks plaintext")
			}
		}
	}
	for n := range len(blob) {
		if _, err := kr.Unwrap(blob[:n], aad); !errors.Is(err, ErrOpen) {
			t.Fatalf("truncated to %d: err = %v, want ErrOpen", n, err)
		}
	}
	if _, err := kr.Unwrap(append(bytes.Clone(blob), 0), aad); !errors.Is(err, ErrOpen) {
		t.Fatalf("extended: err = %v, want ErrOpen", err)
	}
	if _, err := BlobKeyID(blob[:5]); err == nil {
		t.Fatal("BlobKeyID accepted a truncated blob")
	}
}

func TestRotation(t *testing.T) {
	dir := t.TempDir()
	kr, err := OpenKeyring(dir, "", true)
	if err != nil {
		t.Fatal(err)
	}
	// Two servers that were running before the rotation: one only wraps,
	// one only unwraps.
	wrapper := openKeyring(t, dir)
	reader := openKeyring(t, dir)

	oldID := kr.CurrentID()
	aad := []byte("row")
	blobOld, _ := kr.Wrap([]byte("old secret"), aad)

	newID, err := kr.PrepareRotation()
	if err != nil {
		t.Fatal(err)
	}
	if newID == oldID || kr.CurrentID() != newID {
		t.Fatalf("after prepare: current %s, new %s, old %s", kr.CurrentID(), newID, oldID)
	}
	if m := fileMode(t, filepath.Join(dir, "master.key.new")); m != 0o600 {
		t.Fatalf("master.key.new mode %04o", m)
	}
	if got := keyFileID(t, filepath.Join(dir, "master.key.new")); got != newID {
		t.Fatalf("master.key.new holds %s, want %s", got, newID)
	}
	during, _ := kr.Wrap([]byte("during"), aad)
	if id, _ := BlobKeyID(during); id != newID {
		t.Fatalf("wrap during rotation used %s, want %s", id, newID)
	}
	if _, err := kr.Unwrap(blobOld, aad); err != nil {
		t.Fatalf("old blob during rotation: %v", err)
	}

	retired, err := kr.CommitRotation()
	if err != nil {
		t.Fatal(err)
	}
	if retired != oldID {
		t.Fatalf("retired %s, want %s", retired, oldID)
	}
	if got := keyFileID(t, filepath.Join(dir, "master.key")); got != newID {
		t.Fatalf("master.key holds %s, want %s", got, newID)
	}
	retiredPath := filepath.Join(dir, "retired-keys", oldID+".key")
	if got := keyFileID(t, retiredPath); got != oldID {
		t.Fatalf("retired file holds %s, want %s", got, oldID)
	}
	if m := fileMode(t, retiredPath); m != 0o600 {
		t.Fatalf("retired key mode %04o", m)
	}
	if m := fileMode(t, filepath.Join(dir, "retired-keys")); m != 0o700 {
		t.Fatalf("retired-keys mode %04o", m)
	}
	if _, err := os.Stat(filepath.Join(dir, "master.key.new")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("master.key.new still exists")
	}
	if ids, _ := kr.RetiredIDs(); !slices.Equal(ids, []string{oldID}) {
		t.Fatalf("RetiredIDs = %v", ids)
	}

	for name, k := range map[string]*Keyring{"rotator": kr, "fresh": openKeyring(t, dir)} {
		if got, err := k.Unwrap(blobOld, aad); err != nil || string(got) != "old secret" {
			t.Fatalf("%s: old blob after rotation: %q, %v", name, got, err)
		}
		if k.CurrentID() != newID {
			t.Fatalf("%s: current %s, want %s", name, k.CurrentID(), newID)
		}
	}
	blobNew, _ := kr.Wrap([]byte("new secret"), aad)
	if id, _ := BlobKeyID(blobNew); id != newID {
		t.Fatalf("new wrap under %s, want %s", id, newID)
	}

	// The other processes notice without a restart.
	fromOther, err := wrapper.Wrap([]byte("x"), aad)
	if err != nil {
		t.Fatal(err)
	}
	if id, _ := BlobKeyID(fromOther); id != newID {
		t.Fatalf("a keyring opened before the rotation still wraps under %s, want %s", id, newID)
	}
	if got, err := reader.Unwrap(blobNew, aad); err != nil || string(got) != "new secret" {
		t.Fatalf("a keyring opened before the rotation cannot unwrap under the new key: %q, %v", got, err)
	}

	// Retire.
	// Upper case is a different (refused) id only when the random id holds
	// a letter; an id of digits alone reads the same either way.
	upper := "ABCDEF0123456789"
	if u := strings.ToUpper(oldID); u != oldID {
		upper = u
	}
	for _, bad := range []string{"../x", "", "..", oldID + "/", upper, oldID[:15], oldID + "0", "0123456789abcdeg", "../retired-keys/" + oldID} {
		if err := kr.Retire(bad); err == nil {
			t.Fatalf("Retire(%q) accepted", bad)
		}
	}
	if err := kr.Retire(newID); err == nil {
		t.Fatal("Retire accepted the current key")
	}
	if err := kr.Retire("0123456789abcdef"); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("Retire of a missing key: err = %v, want ErrUnknownKey", err)
	}
	if err := kr.Retire(oldID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(retiredPath); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("retired key file still exists")
	}
	if ids, _ := kr.RetiredIDs(); len(ids) != 0 {
		t.Fatalf("RetiredIDs after Retire = %v", ids)
	}
	for name, k := range map[string]*Keyring{"retirer": kr, "fresh": openKeyring(t, dir)} {
		if _, err := k.Unwrap(blobOld, aad); !errors.Is(err, ErrUnknownKey) {
			t.Fatalf("%s: blob under retired key: err = %v, want ErrUnknownKey", name, err)
		}
		if _, err := k.Unwrap(blobNew, aad); err != nil {
			t.Fatalf("%s: blob under current key after Retire: %v", name, err)
		}
	}
}

func TestRetireWipesEveryName(t *testing.T) {
	dir := t.TempDir()
	kr, err := OpenKeyring(dir, "", true)
	if err != nil {
		t.Fatal(err)
	}
	// A crash between linking master.key into place and removing the
	// temporary name leaves a second name for the key.
	if err := os.Link(filepath.Join(dir, "master.key"), filepath.Join(dir, ".keytmp-left-over")); err != nil {
		t.Fatal(err)
	}
	if _, err := kr.PrepareRotation(); err != nil {
		t.Fatal(err)
	}
	old, err := kr.CommitRotation()
	if err != nil {
		t.Fatal(err)
	}
	if err := kr.Retire(old); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, ".keytmp-left-over"))
	if len(data) == 0 || bytes.Count(data, []byte{0}) != len(data) {
		t.Fatalf("a second name of the retired key still holds %d non-zero bytes", len(data)-bytes.Count(data, []byte{0}))
	}
}

func TestRotationResumesAfterCrash(t *testing.T) {
	dir := t.TempDir()
	kr, err := OpenKeyring(dir, "", true)
	if err != nil {
		t.Fatal(err)
	}
	oldID := kr.CurrentID()
	blobOld, _ := kr.Wrap([]byte("old"), nil)
	newID, err := kr.PrepareRotation()
	if err != nil {
		t.Fatal(err)
	}
	blobMid, _ := kr.Wrap([]byte("mid"), nil)

	// Crash; the server restarts in the middle of the rotation.
	restarted := openKeyring(t, dir)
	if restarted.CurrentID() != newID {
		t.Fatalf("restarted mid-rotation wraps under %s, want the new key %s", restarted.CurrentID(), newID)
	}
	again, err := restarted.PrepareRotation()
	if err != nil {
		t.Fatal(err)
	}
	if again != newID {
		t.Fatalf("re-run PrepareRotation made %s: it replaced master.key.new (%s) and orphaned keys wrapped under it", again, newID)
	}
	// Crash after the old key was kept but before the rename.
	if err := os.Mkdir(filepath.Join(dir, "retired-keys"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(filepath.Join(dir, "master.key"), filepath.Join(dir, "retired-keys", oldID+".key")); err != nil {
		t.Fatal(err)
	}
	retired, err := restarted.CommitRotation()
	if err != nil {
		t.Fatal(err)
	}
	if retired != oldID {
		t.Fatalf("retired %s, want %s", retired, oldID)
	}
	if _, err := restarted.CommitRotation(); err == nil {
		t.Fatal("CommitRotation with no rotation in progress succeeded")
	}
	fresh := openKeyring(t, dir)
	for _, b := range [][]byte{blobOld, blobMid} {
		if _, err := fresh.Unwrap(b, nil); err != nil {
			t.Fatal(err)
		}
	}
	if fresh.CurrentID() != newID {
		t.Fatal("master.key is not the new key")
	}
}
