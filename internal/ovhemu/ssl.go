package ovhemu

// Certificates of an IPLB (REFERENCE §6.1, ipLoadbalancing.Ssl.Ssl), read
// only: the emulator serves the seeded ones so that a frontend's
// defaultSslId can be chosen and checked; adding, editing and ordering
// certificates are not modelled.

// sslCert is ipLoadbalancing.Ssl.Ssl.
type sslCert struct {
	ID          int64
	DisplayName *string
	Type        *string // SslTypeEnum: built, built_not_routed, custom
	Fingerprint string
	Serial      string
	Subject     string
	San         []string
	ExpireDate  string // datetime, ISO-8601 with offset
}

// sslJSON is ipLoadbalancing.Ssl.Ssl as the API returns it.
type sslJSON struct {
	DisplayName *string  `json:"displayName"`
	ExpireDate  string   `json:"expireDate"`
	Fingerprint string   `json:"fingerprint"`
	ID          int64    `json:"id"`
	San         []string `json:"san"`
	Serial      string   `json:"serial"`
	Subject     string   `json:"subject"`
	Type        *string  `json:"type"`
}

func (s *sslCert) view() sslJSON {
	san := s.San
	if san == nil {
		san = []string{}
	}
	return sslJSON{DisplayName: s.DisplayName, ExpireDate: s.ExpireDate, Fingerprint: s.Fingerprint, ID: s.ID,
		San: san, Serial: s.Serial, Subject: s.Subject, Type: s.Type}
}

func (e *Emulator) registerSSLRoutes() {
	base := "/ipLoadbalancing/{serviceName}/ssl"
	e.handle("GET", base, false, e.listSSL)
	e.handle("GET", base+"/{id}", false, e.getSSL)
}

// listSSL serves GET …/ssl with its filters fingerprint, serial, type and
// expireDate, all equality matches.
func (e *Emulator) listSSL(c *call) (any, error) {
	_, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	fp, serial, typ, exp := c.query("fingerprint"), c.query("serial"), c.query("type"), c.query("expireDate")
	return sortedIDs(lb.ssls, func(s *sslCert) bool {
		return (fp == "" || s.Fingerprint == fp) && (serial == "" || s.Serial == serial) &&
			(typ == "" || (s.Type != nil && *s.Type == typ)) && (exp == "" || s.ExpireDate == exp)
	}), nil
}

func (e *Emulator) getSSL(c *call) (any, error) {
	_, lb, err := e.configLB(c)
	if err != nil {
		return nil, err
	}
	s, err := objectAt(c, lb.ssls, "id", func(*sslCert) bool { return true })
	if err != nil {
		return nil, err
	}
	return s.view(), nil
}

// storeSSL stores a certificate with a new id (seed only).
func (w *world) storeSSL(sn string, s *sslCert) *sslCert {
	s.ID = w.nextID()
	w.conf.lb(sn).ssls[s.ID] = s
	return s
}
