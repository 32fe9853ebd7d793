package ovh

import (
	"context"
	"time"
)

// CertificateType says who manages a certificate
// (ipLoadbalancing.SslTypeEnum).
type CertificateType string

// Certificate types.
const (
	CertificateBuilt          CertificateType = "built"            // managed by the IPLB (Let's Encrypt)
	CertificateBuiltNotRouted CertificateType = "built_not_routed" // managed, but its domain does not point at the IPLB
	CertificateCustom         CertificateType = "custom"           // uploaded by the customer
)

// Certificate is an SSL certificate of an IPLB (ipLoadbalancing.Ssl.Ssl);
// a frontend's DefaultSSLID is the ID of one of them. Every field but
// DisplayName is read-only.
type Certificate struct {
	ID          int64            `json:"id"`
	DisplayName *string          `json:"displayName"`
	Type        *CertificateType `json:"type"`
	Subject     string           `json:"subject"`
	SAN         []string         `json:"san"`
	Fingerprint string           `json:"fingerprint"`
	Serial      string           `json:"serial"` // deprecated by the API in favour of Fingerprint
	ExpireDate  time.Time        `json:"expireDate"`
}

// Name returns the display name, or the subject when there is none, or
// "#<id>".
func (s Certificate) Name() string {
	switch {
	case s.DisplayName != nil && *s.DisplayName != "":
		return *s.DisplayName
	case s.Subject != "":
		return s.Subject
	}
	return "#" + itoa(s.ID)
}

// CertificateIDs lists the ids of the IPLB's SSL certificates
// (GET /ipLoadbalancing/{sn}/ssl).
func (c *Client) CertificateIDs(ctx context.Context, sn string) ([]int64, error) {
	var ids []int64
	if err := c.get(ctx, "ovh.CertificateIDs", pathf("ipLoadbalancing", sn, "ssl"), &ids); err != nil {
		return nil, err
	}
	return ids, nil
}

// Certificates returns the IPLB's SSL certificates, fetched in parallel, in
// the API's order of ids.
func (c *Client) Certificates(ctx context.Context, sn string) ([]Certificate, error) {
	ids, err := c.CertificateIDs(ctx, sn)
	if err != nil {
		return nil, err
	}
	return getAll[Certificate](ctx, c, "ovh.Certificates", pathf("ipLoadbalancing", sn, "ssl"), ids)
}

// Certificate returns one SSL certificate of the IPLB.
func (c *Client) Certificate(ctx context.Context, sn string, id int64) (Certificate, error) {
	var s Certificate
	err := c.get(ctx, "ovh.Certificate", pathf("ipLoadbalancing", sn, "ssl", id), &s)
	return s, err
}
