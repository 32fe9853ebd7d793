package ovh

import "context"

// Me is the signed-in account (nichandle.Nichandle), reduced to what the
// console shows.
type Me struct {
	NicHandle     string   `json:"nichandle"` // e.g. "xy1234-ovh"
	FirstName     *string  `json:"firstname"`
	Name          *string  `json:"name"`
	Organisation  *string  `json:"organisation"`
	Email         string   `json:"email"`
	Country       string   `json:"country"`  // nichandle.CountryEnum, e.g. "FR"
	Language      *string  `json:"language"` // e.g. "fr_FR"
	Currency      Currency `json:"currency"`
	CustomerCode  *string  `json:"customerCode"`
	OVHSubsidiary string   `json:"ovhSubsidiary"`
	State         string   `json:"state"`
}

// Currency is an account's currency (nichandle.Currency).
type Currency struct {
	Code   string `json:"code"`
	Symbol string `json:"symbol"`
}

// DisplayName returns "First Last", or the nichandle when both are empty.
func (m Me) DisplayName() string {
	var parts []string
	for _, p := range []*string{m.FirstName, m.Name} {
		if p != nil && *p != "" {
			parts = append(parts, *p)
		}
	}
	if len(parts) == 0 {
		return m.NicHandle
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return parts[0] + " " + parts[1]
}

// Me returns the account the consumer key belongs to.
func (c *Client) Me(ctx context.Context) (Me, error) {
	var m Me
	err := c.get(ctx, "ovh.Me", "/me", &m)
	return m, err
}
