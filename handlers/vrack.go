package handlers

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"
	"golang.org/x/sync/errgroup"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/views"
)

// vrackPageAPI is what the vRack page needs from internal/ovh.
type vrackPageAPI interface {
	shellAPI
	VRackStatus(ctx context.Context, sn string) (ovh.VRackInformation, error)
	VRackNetworks(ctx context.Context, sn string) ([]ovh.VRackNetwork, error)
	VRackCreationRules(ctx context.Context, sn string) (ovh.VRackCreationRules, error)
	Farms(ctx context.Context, sn string, p ovh.Protocol) ([]ovh.Farm, error)
}

// vrackTab is the shell tab of the vRack page.
const vrackTab = views.TabVRack

// showVRack is the vRack page (read-only): the link's state, the networks
// with the farms using each, the creation rules, and the farms that break
// the vRack condition of a refresh. Everything is fetched concurrently (two
// round trips): the creation rules too, although only an IPLB in a vRack
// has any; outside one the API's refusal is expected and dropped.
func (h *Handler) showVRack(c echo.Context) error {
	sn, err := pathParam(c, "sn")
	if err != nil {
		return err
	}
	api, err := h.clientFor(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var (
		shell    views.IPLBShell
		status   ovh.VRackInformation
		networks []ovh.VRackNetwork
		rules    ovh.VRackCreationRules
		rulesErr error
		farms    = make([][]ovh.Farm, len(ovh.Protocols))
	)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { shell, err = h.iplbShell(gctx, api, sn, vrackTab); return })
	g.Go(func() (err error) { status, err = api.VRackStatus(gctx, sn); return })
	g.Go(func() (err error) { networks, err = api.VRackNetworks(gctx, sn); return })
	g.Go(func() error {
		rules, rulesErr = api.VRackCreationRules(gctx, sn)
		return nil // judged below, once the status says whether it matters
	})
	for i, p := range ovh.Protocols {
		g.Go(func() (err error) { farms[i], err = api.Farms(gctx, sn, p); return })
	}
	if err := g.Wait(); err != nil {
		return callerErr(ctx, err)
	}
	var all []ovh.Farm
	for _, fs := range farms {
		all = append(all, fs...)
	}
	var rulesPtr *ovh.VRackCreationRules
	inVRack := status.VRackName != nil && *status.VRackName != ""
	switch {
	case rulesErr == nil && inVRack:
		rulesPtr = &rules
	case rulesErr != nil && inVRack:
		if ovh.KindOf(rulesErr) == ovh.KindUnauthorized {
			return rulesErr // the session's key is refused: sign in again
		}
		// The rules are a detail of the page: show the rest.
		h.log.WarnContext(ctx, "vRack creation rules not shown", "service", sn, "err", rulesErr)
	}
	m := views.NewVRackPage(sn, status, rulesPtr, networks, all)
	return h.render(c, http.StatusOK, h.pageMeta(c, shell.Title("vRack"), views.NavIPLB), views.IPLBPage(shell, views.VRackPage(m)))
}
