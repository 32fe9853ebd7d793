package ovh

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// maxParallel bounds the requests one collection fetch has in flight. The
// API returns ids only (REFERENCE §4), so a page of 40 frontends is 41
// calls; ovhcloud-cli uses 10 at a time, 8 leaves room for the other
// collections of the same page.
const maxParallel = 8

// getAll fetches base/{id} for every id, at most maxParallel at a time, and
// returns the objects in the order of ids. The first error cancels the
// requests not yet answered and is returned.
//
// An object that answers 404 is left out: it was deleted between the list
// and the fetch, which the API's two-step collections cannot prevent
// ([INF]: a listing is a snapshot, not a transaction).
func getAll[T any, ID int64 | string](ctx context.Context, c *Client, op, base string, ids []ID) ([]T, error) {
	out := make([]T, len(ids))
	found := make([]bool, len(ids))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(maxParallel)
	for i, id := range ids {
		if gctx.Err() != nil {
			break // an earlier fetch failed: start no more
		}
		g.Go(func() error {
			err := c.get(gctx, op, base+pathf(id), &out[i])
			if KindOf(err) == KindNotFound {
				return nil
			}
			found[i] = err == nil
			return err
		})
	}
	if err := g.Wait(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err() // the caller's context, not a sibling's failure
		}
		return nil, err
	}
	kept := out[:0]
	for i := range out {
		if found[i] {
			kept = append(kept, out[i])
		}
	}
	return kept, nil
}
