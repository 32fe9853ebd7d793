package sessionstore_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/iplb-console/iplb-console/internal/sessionstore"
	"github.com/iplb-console/iplb-console/internal/sessionstore/redistest"
)

// The Redis backend against a real redis-server on loopback.
func TestRedisBackend(t *testing.T) {
	t.Parallel()
	url := redistest.Start(t)
	r, err := sessionstore.NewRedis(url, "test:")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Close() })
	ctx := context.Background()
	if err := r.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	const id = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	later := time.Now().Add(time.Hour)

	if _, err := r.Load(ctx, id); !errors.Is(err, sessionstore.ErrNotFound) {
		t.Fatalf("Load of nothing = %v", err)
	}
	if err := r.Update(ctx, id, []byte("x"), later); !errors.Is(err, sessionstore.ErrNotFound) {
		t.Fatalf("Update of nothing = %v, want ErrNotFound (no resurrection)", err)
	}
	if err := r.Create(ctx, id, []byte("one"), later); err != nil {
		t.Fatal(err)
	}
	if err := r.Create(ctx, id, []byte("two"), later); !errors.Is(err, sessionstore.ErrExists) {
		t.Fatalf("second Create = %v, want ErrExists", err)
	}
	if err := r.Update(ctx, id, []byte("three"), later); err != nil {
		t.Fatal(err)
	}
	if b, err := r.Load(ctx, id); err != nil || string(b) != "three" {
		t.Fatalf("Load = %q, %v", b, err)
	}
	if err := r.Delete(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Load(ctx, id); !errors.Is(err, sessionstore.ErrNotFound) {
		t.Fatalf("Load after Delete = %v", err)
	}
	// Expiry is Redis's own: a record whose expiry has passed is gone.
	if err := r.Create(ctx, id, []byte("short"), time.Now()); err != nil {
		t.Fatal(err)
	}
	// PX 1 ms: each Load is a round trip to Redis (no sleep); a record
	// still there after many of them never expires.
	gone := false
	for range 100000 {
		if _, err := r.Load(ctx, id); errors.Is(err, sessionstore.ErrNotFound) {
			gone = true
			break
		}
	}
	if !gone {
		t.Error("a record past its expiry is still in Redis")
	}

	if _, err := sessionstore.NewRedis("http://127.0.0.1:1", ""); err == nil {
		t.Error("an http:// URL was accepted")
	}
	bad, err := sessionstore.NewRedis("redis://user:pa55word@127.0.0.1:1/0", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := bad.Ping(ctx); err == nil {
		t.Error("Ping of a closed port succeeded")
	} else if strings.Contains(err.Error(), "pa55word") {
		t.Errorf("the error reveals the password: %v", err)
	}
}
