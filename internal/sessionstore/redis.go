package sessionstore

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/gomodule/redigo/redis"
)

// Redis is a Backend in a Redis server, so that several replicas of the
// console share sessions. Records expire in Redis itself (PX), and
// Create/Update use SET's NX/XX so that a write never brings back a session
// deleted meanwhile, on any replica.
type Redis struct {
	pool   *redis.Pool
	prefix string
}

// Timeouts of one Redis connection: sessions are read on every request, so
// a Redis that hangs must fail the request quickly rather than hold it.
const (
	redisConnectTimeout = 5 * time.Second
	redisIOTimeout      = 5 * time.Second
)

// NewRedis returns a Redis backend for rawURL (redis://[user:password@]host:port[/db]
// or rediss:// for TLS), storing records under keys prefix+ID. It does not
// connect; Ping does.
func NewRedis(rawURL, prefix string) (*Redis, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
		// Never repeat the URL: it may hold a password.
		return nil, errors.New("sessionstore: want a redis:// or rediss:// URL")
	}
	pool := &redis.Pool{
		MaxIdle:     8,
		IdleTimeout: 4 * time.Minute,
		DialContext: func(ctx context.Context) (redis.Conn, error) {
			return redis.DialURLContext(ctx, rawURL,
				redis.DialConnectTimeout(redisConnectTimeout),
				redis.DialReadTimeout(redisIOTimeout),
				redis.DialWriteTimeout(redisIOTimeout))
		},
		TestOnBorrow: func(c redis.Conn, idleSince time.Time) error {
			if time.Since(idleSince) < time.Minute {
				return nil
			}
			_, err := c.Do("PING")
			return err
		},
	}
	return &Redis{pool: pool, prefix: prefix}, nil
}

// Ping checks that the server answers.
func (r *Redis) Ping(ctx context.Context) error {
	_, err := r.do(ctx, "PING")
	return err
}

// Close releases the connections.
func (r *Redis) Close() error { return r.pool.Close() }

func (r *Redis) do(ctx context.Context, cmd string, args ...any) (any, error) {
	conn, err := r.pool.GetContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("sessionstore: redis: %w", err)
	}
	defer func() { _ = conn.Close() }()
	reply, err := redis.DoContext(conn, ctx, cmd, args...)
	if err != nil {
		return nil, fmt.Errorf("sessionstore: redis %s: %w", cmd, err)
	}
	return reply, nil
}

// Load implements Backend.
func (r *Redis) Load(ctx context.Context, id string) ([]byte, error) {
	reply, err := r.do(ctx, "GET", r.prefix+id)
	if err != nil {
		return nil, err
	}
	if reply == nil {
		return nil, ErrNotFound
	}
	return redis.Bytes(reply, nil)
}

// Create implements Backend.
func (r *Redis) Create(ctx context.Context, id string, data []byte, expires time.Time) error {
	return r.set(ctx, id, data, expires, "NX", ErrExists)
}

// Update implements Backend.
func (r *Redis) Update(ctx context.Context, id string, data []byte, expires time.Time) error {
	return r.set(ctx, id, data, expires, "XX", ErrNotFound)
}

// set runs SET with the condition cond (NX or XX); a nil reply means the
// condition failed, which is reported as failed.
func (r *Redis) set(ctx context.Context, id string, data []byte, expires time.Time, cond string, failed error) error {
	ttl := time.Until(expires).Milliseconds()
	if ttl < 1 {
		ttl = 1
	}
	reply, err := r.do(ctx, "SET", r.prefix+id, data, "PX", ttl, cond)
	if err != nil {
		return err
	}
	if reply == nil {
		return failed
	}
	return nil
}

// Delete implements Backend.
func (r *Redis) Delete(ctx context.Context, id string) error {
	_, err := r.do(ctx, "DEL", r.prefix+id)
	return err
}
