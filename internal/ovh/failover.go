package ovh

import (
	"cmp"
	"context"
	"fmt"
	"net/netip"
	"slices"

	"golang.org/x/sync/errgroup"
)

// This file gathers what the console's failover-IP pages need in a few
// concurrent round trips: the IPLB's failover IPs with the frontends that
// pin them (dedicatedIpfo), the IP tasks in progress, and the account's
// failover IPs that can move to the IPLB.

// ParseBlock returns the canonical form of an IP block as the API writes it:
// "203.0.113.10/32" for "203.0.113.10/32" or "203.0.113.10", and the masked
// network for a wider block ("203.0.113.17/29" is "203.0.113.16/29"). It
// checks input before it reaches a path of the API.
func ParseBlock(s string) (string, error) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked().String(), nil
	}
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		return netip.PrefixFrom(a, a.BitLen()).String(), nil
	}
	return "", &Error{Op: "ovh.ParseBlock", Kind: KindInvalid, Message: fmt.Sprintf("%q is not an IP address or block.", s)}
}

// sameIPBlock reports whether a and b name the same block, whatever their
// spelling (a frontend's dedicatedIpfo may hold "203.0.113.10" or
// "203.0.113.10/32"; REFERENCE §7.1).
func sameIPBlock(a, b string) bool {
	ca, errA := ParseBlock(a)
	cb, errB := ParseBlock(b)
	if errA != nil || errB != nil {
		return a == b
	}
	return ca == cb
}

// FailoverIP is a failover IP routed to an IPLB, or on its way there.
type FailoverIP struct {
	// Block is the IP as the API lists it, e.g. "203.0.113.10/32".
	Block string
	// PinnedBy lists the frontends whose dedicatedIpfo holds the IP, by
	// protocol then name. Empty: the IP serves every frontend of the IPLB
	// (the guide "Router une IP Failover").
	PinnedBy []Frontend
	// Task is the IP's latest task when it is not finished (a move or a
	// park in progress), nil otherwise.
	Task *IPTask
}

// FailoverOverview is the failover-IP page of an IPLB.
type FailoverOverview struct {
	// IPs are the IPs routed to the IPLB, in the API's order.
	IPs []FailoverIP
	// Incoming are the account's IPs with a move to the IPLB in progress:
	// they are not routed to it yet, so GET .../failover does not list them.
	Incoming []FailoverIP
	// Frontends are every frontend of the IPLB, all protocols.
	Frontends []Frontend
}

// FailoverPins returns the IPs routed to the IPLB sn with the frontends
// that pin them, and every frontend of sn. Two concurrent round trips
// (the failover list, and each protocol's ids then objects), whatever the
// number of IPs or frontends.
func (c *Client) FailoverPins(ctx context.Context, sn string) ([]FailoverIP, []Frontend, error) {
	var blocks []string
	var frontends []Frontend
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		blocks, err = c.Failover(gctx, sn)
		return err
	})
	g.Go(func() (err error) {
		frontends, err = c.failoverFrontends(gctx, sn)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, nil, preferCallerErr(ctx, err)
	}
	return pinnedBlocks(blocks, frontends), frontends, nil
}

// FailoverOverview returns the IPs routed to the IPLB sn with the frontends
// that pin them and their tasks in progress, plus the account's failover
// IPs being moved to sn. It runs, concurrently: the IPLB's failover list,
// the account's failover blocks, and the frontends of the three protocols;
// then the latest task of every block (two calls each, at most maxParallel
// blocks at a time). A page therefore costs about four sequential round
// trips, whatever the number of frontends.
func (c *Client) FailoverOverview(ctx context.Context, sn string) (FailoverOverview, error) {
	var blocks, account []string
	var frontends []Frontend
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		blocks, err = c.Failover(gctx, sn)
		return err
	})
	g.Go(func() (err error) {
		account, err = c.IPBlocks(gctx, IPFilter{Type: IPTypeFailover})
		return err
	})
	g.Go(func() (err error) {
		frontends, err = c.failoverFrontends(gctx, sn)
		return err
	})
	if err := g.Wait(); err != nil {
		return FailoverOverview{}, preferCallerErr(ctx, err)
	}

	// Every block whose task may concern sn: its own IPs (moving away or
	// being parked) and the account's others (moving here).
	all := slices.Clone(blocks)
	for _, b := range account {
		if !slices.ContainsFunc(all, func(x string) bool { return sameIPBlock(x, b) }) {
			all = append(all, b)
		}
	}
	tasks, err := c.runningIPTasks(ctx, all)
	if err != nil {
		return FailoverOverview{}, err
	}

	out := FailoverOverview{IPs: pinnedBlocks(blocks, frontends), Frontends: frontends}
	for i := range out.IPs {
		out.IPs[i].Task = tasks[out.IPs[i].Block]
	}
	for _, b := range all[len(blocks):] {
		if t := tasks[b]; t != nil && t.Destination != nil && t.Destination.ServiceName != nil && *t.Destination.ServiceName == sn {
			out.Incoming = append(out.Incoming, FailoverIP{Block: b, Task: t})
		}
	}
	return out, nil
}

// MovableIP is one of the account's failover IPs, with where it is now and
// whether it can move to a given IPLB.
type MovableIP struct {
	// IP is the block, with RoutedTo (where its traffic goes now).
	IP IP
	// Offered is true when GET /ip/{ip}/move lists the IPLB among the
	// block's ipLoadbalancing destinations.
	Offered bool
	// RoutedToLB is the IPLB the IP is routed to now, nil when it is parked
	// or routed to another kind of service (a server, a VPS…).
	RoutedToLB *LoadBalancer
	// Task is the block's latest task when it is not finished: no move can
	// start while it runs (the API answers 409).
	Task *IPTask
}

// MovableIPs returns the account's failover IPs that can move to the IPLB
// sn (their move destinations offer it), in the API's order, each with
// where it is now and any task in progress. Round trips: the account's
// failover IPs (ids, then objects) and its IPLBs, concurrently; then, for
// every IP not already on sn, its move destinations and its latest task
// (at most maxParallel IPs at a time).
func (c *Client) MovableIPs(ctx context.Context, sn string) ([]MovableIP, error) {
	var ips []IP
	var lbs []LoadBalancer
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		ips, err = c.IPs(gctx, IPFilter{Type: IPTypeFailover})
		return err
	})
	g.Go(func() (err error) {
		lbs, err = c.AllLoadBalancers(gctx)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, preferCallerErr(ctx, err)
	}

	candidates := slices.DeleteFunc(ips, func(ip IP) bool { return ip.RoutedToService() == sn })
	out := make([]MovableIP, len(candidates))
	g, gctx = errgroup.WithContext(ctx)
	g.SetLimit(maxParallel)
	for i, ip := range candidates {
		if gctx.Err() != nil {
			break
		}
		out[i] = MovableIP{IP: ip, RoutedToLB: lbNamed(lbs, ip.RoutedToService())}
		g.Go(func() error {
			m, err := c.fetchMoveInfo(gctx, ip.IP, sn)
			if KindOf(err) == KindNotFound {
				return nil // gone since the listing ([INF], as getAll)
			}
			out[i].Offered, out[i].Task = m.offered, m.task
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, preferCallerErr(ctx, err)
	}
	return slices.DeleteFunc(out, func(m MovableIP) bool { return !m.Offered }), nil
}

// MoveCandidate returns one IP block of the account as a candidate to move
// to the IPLB sn: its details, whether its destinations offer sn, the IPLB
// it is on now and its task in progress. block must be canonical (see
// ParseBlock). A block that is not the account's is KindNotFound.
func (c *Client) MoveCandidate(ctx context.Context, block, sn string) (MovableIP, error) {
	var ip IP
	var lbs []LoadBalancer
	var m moveInfo
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		ip, err = c.IP(gctx, block)
		return err
	})
	g.Go(func() (err error) {
		lbs, err = c.AllLoadBalancers(gctx)
		return err
	})
	g.Go(func() (err error) {
		m, err = c.fetchMoveInfo(gctx, block, sn)
		return err
	})
	if err := g.Wait(); err != nil {
		return MovableIP{}, preferCallerErr(ctx, err)
	}
	return MovableIP{IP: ip, Offered: m.offered, RoutedToLB: lbNamed(lbs, ip.RoutedToService()), Task: m.task}, nil
}

// LatestIPTask returns the block's most recent task, or nil when it has
// none. The API lists ids only and has no sort order; the highest id is the
// newest ([INF]: OVH task ids grow over time). A block has at most one move
// or park running (the API answers 409 to a second one; REFERENCE §5.1),
// so the newest task is the one that may be running.
func (c *Client) LatestIPTask(ctx context.Context, block string) (*IPTask, error) {
	ids, err := c.IPTaskIDs(ctx, block, IPTaskFilter{})
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	t, err := c.IPTask(ctx, block, slices.Max(ids))
	if KindOf(err) == KindNotFound {
		return nil, nil // purged between the two calls
	}
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// moveInfo is what GET /ip/{ip}/move and the latest task say of a block.
type moveInfo struct {
	offered bool
	task    *IPTask // running task, nil if none
}

// fetchMoveInfo fetches, concurrently, the block's move destinations and its
// latest task.
func (c *Client) fetchMoveInfo(ctx context.Context, block, sn string) (moveInfo, error) {
	var dest Destinations
	var latest *IPTask
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		dest, err = c.IPMoveDestinations(gctx, block)
		return err
	})
	g.Go(func() (err error) {
		latest, err = c.LatestIPTask(gctx, block)
		return err
	})
	if err := g.Wait(); err != nil {
		return moveInfo{}, preferCallerErr(ctx, err)
	}
	m := moveInfo{offered: slices.ContainsFunc(dest.IPLoadbalancing, func(d Destination) bool { return d.Service == sn })}
	if latest != nil && !latest.Status.Finished() {
		m.task = latest
	}
	return m, nil
}

// runningIPTasks returns, per block, the block's latest task when it is not
// finished. Blocks are handled at most maxParallel at a time; a block that
// disappeared meanwhile (404) has no task.
func (c *Client) runningIPTasks(ctx context.Context, blocks []string) (map[string]*IPTask, error) {
	found := make([]*IPTask, len(blocks))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(maxParallel)
	for i, b := range blocks {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			t, err := c.LatestIPTask(gctx, b)
			if KindOf(err) == KindNotFound {
				return nil
			}
			if t != nil && !t.Status.Finished() {
				found[i] = t
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, preferCallerErr(ctx, err)
	}
	out := make(map[string]*IPTask, len(blocks))
	for i, b := range blocks {
		if found[i] != nil {
			out[b] = found[i]
		}
	}
	return out, nil
}

// failoverFrontends returns the frontends of the three protocols of sn,
// fetched concurrently, ordered by protocol (HTTP, TCP, UDP) then id.
func (c *Client) failoverFrontends(ctx context.Context, sn string) ([]Frontend, error) {
	per := make([][]Frontend, len(Protocols))
	g, gctx := errgroup.WithContext(ctx)
	for i, p := range Protocols {
		g.Go(func() (err error) {
			per[i], err = c.Frontends(gctx, sn, p)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, preferCallerErr(ctx, err)
	}
	return slices.Concat(per...), nil
}

// pinnedBlocks pairs each block with the frontends whose dedicatedIpfo holds it.
func pinnedBlocks(blocks []string, frontends []Frontend) []FailoverIP {
	out := make([]FailoverIP, 0, len(blocks))
	for _, b := range blocks {
		ip := FailoverIP{Block: b}
		for _, f := range frontends {
			if slices.ContainsFunc(f.DedicatedIPFO, func(x string) bool { return sameIPBlock(x, b) }) {
				ip.PinnedBy = append(ip.PinnedBy, f)
			}
		}
		slices.SortStableFunc(ip.PinnedBy, func(a, b Frontend) int {
			return cmp.Or(cmp.Compare(slices.Index(Protocols, a.Protocol), slices.Index(Protocols, b.Protocol)),
				cmp.Compare(a.Name(), b.Name()))
		})
		out = append(out, ip)
	}
	return out
}

// lbNamed returns the IPLB named sn in lbs, or nil.
func lbNamed(lbs []LoadBalancer, sn string) *LoadBalancer {
	if sn == "" {
		return nil
	}
	for i := range lbs {
		if lbs[i].ServiceName == sn {
			return &lbs[i]
		}
	}
	return nil
}

// preferCallerErr prefers the caller's context error to a sibling's failure it
// caused, as getAll does.
func preferCallerErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}
