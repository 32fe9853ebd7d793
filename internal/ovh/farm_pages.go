package ovh

import (
	"context"

	"golang.org/x/sync/errgroup"
)

// This file holds what the farm and vRack pages need beyond the plain
// collections: the farms of a protocol together with their servers in a
// bounded number of round trips, and the vRack network creation rules.

// FarmsWithServers returns the IPLB's farms of protocol p and the servers
// of each (by farm id; a farm without servers has an empty entry). It runs
// in three sequential steps whatever the number of farms: the farm ids;
// then the farms and the server lists of every farm together; then the
// servers. Within a step the requests run in parallel, bounded (maxParallel
// per collection, and as many farms' server lists at a time), so that a
// page of many farms costs a few more waves, not one call after another. A
// farm deleted between the list and the fetch is left out.
func (c *Client) FarmsWithServers(ctx context.Context, sn string, p Protocol) ([]Farm, map[int64][]Server, error) {
	ids, err := c.FarmIDs(ctx, sn, p)
	if err != nil {
		return nil, nil, err
	}
	var farms []Farm
	servers := make([][]Server, len(ids))
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) {
		farms, err = getAll[Farm](gctx, c, "ovh.FarmsWithServers", farmPath(sn, p), ids)
		return err
	})
	g.Go(func() error {
		// The server lists, at most maxParallel farms at a time (each list
		// then fetches its servers with the same bound).
		sg, sctx := errgroup.WithContext(gctx)
		sg.SetLimit(maxParallel)
		for i, id := range ids {
			sg.Go(func() error {
				s, err := c.Servers(sctx, sn, p, id)
				if KindOf(err) == KindNotFound {
					return nil // the farm went away meanwhile; getAll drops it too
				}
				servers[i] = s
				return err
			})
		}
		return sg.Wait()
	})
	if err := g.Wait(); err != nil {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		return nil, nil, err
	}
	byFarm := make(map[int64][]Server, len(farms))
	for i, id := range ids {
		if servers[i] == nil {
			servers[i] = []Server{}
		}
		byFarm[id] = servers[i]
	}
	kept := make(map[int64][]Server, len(farms))
	for i := range farms {
		farms[i].Protocol = p
		kept[farms[i].ID] = byFarm[farms[i].ID]
	}
	return farms, kept, nil
}

// VRackCreationRules are the rules to create a vRack network on the IPLB
// (ipLoadbalancing.VrackNetworkCreationRules, REFERENCE §11.1).
type VRackCreationRules struct {
	// MinNatIPs is how many addresses a network's natIp block must hold
	// at least.
	MinNatIPs int64 `json:"minNatIps"`
	// RemainingNetworks is how many more networks the IPLB can have.
	RemainingNetworks int64 `json:"remainingNetworks"`
	// VRackName is the vRack the IPLB is in, e.g. "pn-1234".
	VRackName string `json:"vrackName"`
}

// VRackCreationRules returns the IPLB's vRack network creation rules (a
// BETA route). It only makes sense for an IPLB in a vRack: outside one the
// API has nothing to answer with (vrackName is not nullable), and the
// emulator refuses with a 400 ([INF]).
func (c *Client) VRackCreationRules(ctx context.Context, sn string) (VRackCreationRules, error) {
	var r VRackCreationRules
	err := c.get(ctx, "ovh.VRackCreationRules", pathf("ipLoadbalancing", sn, "vrack", "networkCreationRules"), &r)
	return r, err
}
