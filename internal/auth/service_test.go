package auth

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"

	"hearth/internal/seal"
	"hearth/internal/store"
	"hearth/internal/store/storetest"
)

const svcPassword = "a quiet lake at first light"

// recordingKeys is the real sealer, with a record of the keys forgotten and
// a hook run at each Forget.
type recordingKeys struct {
	*seal.Sealer
	mu        sync.Mutex
	forgotten []string
	onForget  func()
}

func (k *recordingKeys) Forget(id string) {
	k.mu.Lock()
	k.forgotten = append(k.forgotten, id)
	hook := k.onForget
	k.mu.Unlock()
	k.Sealer.Forget(id)
	if hook != nil {
		hook()
	}
}

func (k *recordingKeys) Forgotten() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]string(nil), k.forgotten...)
}

type testService struct {
	*Service
	st   *store.Store
	opts store.Options
	keys *recordingKeys
	logs *syncBuffer
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// newTestService is the auth service on a real store of dialect, with cheap
// hashing and a log of its own.
func newTestService(t *testing.T, dialect string, slots int) *testService {
	t.Helper()
	opts := storetest.Options(t, dialect)
	st, err := store.Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	kr, err := seal.OpenKeyring(t.TempDir(), "", true)
	if err != nil {
		t.Fatal(err)
	}
	signing, err := LoadSigningKeys(context.Background(), st, kr)
	if err != nil {
		t.Fatal(err)
	}
	devices, err := LoadDevices(context.Background(), st, kr)
	if err != nil {
		t.Fatal(err)
	}
	retired, err := LoadRetiredHandles(context.Background(), st, kr)
	if err != nil {
		t.Fatal(err)
	}
	keys := &recordingKeys{Sealer: seal.NewSealer(kr, st, 100)}
	svc, err := NewService(st, keys, storetest.NoPairs{}, NewHasher(testParams, slots, 64), signing, devices, retired)
	if err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	svc.log = slog.New(slog.NewTextHandler(logs, nil))
	return &testService{Service: svc, st: st, opts: opts, keys: keys, logs: logs}
}

// signUp registers handle and returns its principal and data key id.
func (s *testService) signUp(t *testing.T, handle string) (*store.Principal, string) {
	t.Helper()
	ctx := context.Background()
	g, _, err := s.Register(ctx, handle, svcPassword)
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Authenticate(ctx, g.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if g.Member.DataKeyID == nil {
		t.Fatal("no data key")
	}
	return p, *g.Member.DataKeyID
}
