package sessionstore

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrNotFound is returned by a Backend for an ID it does not hold (never
// stored, deleted, or expired).
var ErrNotFound = errors.New("sessionstore: no such session")

// ErrExists is returned by Backend.Create for an ID already in use.
var ErrExists = errors.New("sessionstore: session ID already in use")

// Backend keeps encoded session records by ID. Implementations are safe for
// concurrent use.
type Backend interface {
	// Load returns the record stored under id, or ErrNotFound.
	Load(ctx context.Context, id string) ([]byte, error)
	// Create stores a new record, or fails with ErrExists.
	Create(ctx context.Context, id string, data []byte, expires time.Time) error
	// Update replaces an existing record, or fails with ErrNotFound: a
	// request that loaded a session before a logout deleted it must not
	// bring it back when it saves.
	Update(ctx context.Context, id string, data []byte, expires time.Time) error
	// Delete removes the record; an unknown id is not an error.
	Delete(ctx context.Context, id string) error
}

// Memory is a Backend in memory, for tests: it is lost when the process
// ends. The zero value is not usable; use NewMemory.
type Memory struct {
	mu   sync.Mutex
	recs map[string]memRecord
	now  func() time.Time
}

type memRecord struct {
	data    []byte
	expires time.Time
}

// NewMemory returns an empty Memory backend using now as its clock for
// expiry (nil = time.Now).
func NewMemory(now func() time.Time) *Memory {
	if now == nil {
		now = time.Now
	}
	return &Memory{recs: map[string]memRecord{}, now: now}
}

// Load implements Backend.
func (m *Memory) Load(_ context.Context, id string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.recs[id]
	if !ok || !m.now().Before(r.expires) {
		delete(m.recs, id) // expired: gone, as Redis would have it
		return nil, ErrNotFound
	}
	return append([]byte(nil), r.data...), nil
}

// Create implements Backend.
func (m *Memory) Create(_ context.Context, id string, data []byte, expires time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.recs[id]; ok && m.now().Before(r.expires) {
		return ErrExists
	}
	m.recs[id] = memRecord{data: append([]byte(nil), data...), expires: expires}
	return nil
}

// Update implements Backend.
func (m *Memory) Update(_ context.Context, id string, data []byte, expires time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.recs[id]; !ok || !m.now().Before(r.expires) {
		return ErrNotFound
	}
	m.recs[id] = memRecord{data: append([]byte(nil), data...), expires: expires}
	return nil
}

// Delete implements Backend.
func (m *Memory) Delete(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.recs, id)
	return nil
}

// Len returns how many records are stored, expired ones included (tests).
func (m *Memory) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.recs)
}
