package handlers

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/iplb-console/iplb-console/views"
)

// whoamiAPI is what the whoami page needs from internal/ovh.
type whoamiAPI interface {
	LoadBalancers(ctx context.Context) ([]string, error)
}

// whoami shows who is signed in and the service names of the account's
// load balancers, fetched with the user's own consumer key. It is the small
// protected page of the sign-in work (and of its isolation tests); the
// dashboard of the next issue replaces it.
func (h *Handler) whoami(c echo.Context) error {
	u, _ := sessionUser(c) // requireLogin guarantees a user
	client, err := h.clientFor(c)
	if err != nil {
		return err
	}
	lbs, err := client.LoadBalancers(c.Request().Context())
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, h.pageMeta(c, "Signed in", views.NavNone),
		views.WhoAmI(views.WhoAmIModel{
			User:          views.SignedInUser{Account: u.Account, IAMUser: u.IAMUser, Name: u.Name, KeyExpires: u.KeyExpires},
			LoadBalancers: lbs,
		}))
}
