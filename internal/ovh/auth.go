package ovh

import (
	"context"
	"net/http"
	"time"
)

// AccessRule is a right a consumer key asks for or has
// (auth.AccessRuleRequest, auth.AccessRule): an HTTP method and a path
// where "*" matches anything, e.g. {GET, /ipLoadbalancing/*}.
type AccessRule struct {
	Method string `json:"method"` // GET, POST, PUT, DELETE, PATCH
	Path   string `json:"path"`
}

// CredentialState is the state of a consumer key (auth.CredentialStateEnum).
type CredentialState string

// Consumer key states.
const (
	CredentialExpired           CredentialState = "expired"
	CredentialPendingValidation CredentialState = "pendingValidation"
	CredentialRefused           CredentialState = "refused"
	CredentialValidated         CredentialState = "validated"
)

// CredentialRequest is the answer to a consumer-key request
// (auth.ApiCredentialRequest, REFERENCE §2.3): the key, not valid until the
// user signs in at ValidationURL.
type CredentialRequest struct {
	ConsumerKey   string          `json:"consumerKey"`
	State         CredentialState `json:"state"`
	ValidationURL string          `json:"validationUrl"`
}

// RequestCredential asks for a new consumer key with rules, sending the
// user back to redirection ("" = none) once they have validated it. The
// call is not signed (REFERENCE §2.3) and leaves c as it is: go-ovh's
// CkRequest.Do would store the new key in the shared client.
func (c *Client) RequestCredential(ctx context.Context, rules []AccessRule, redirection string) (CredentialRequest, error) {
	body := struct {
		AccessRules []AccessRule `json:"accessRules"`
		Redirection string       `json:"redirection,omitempty"`
	}{AccessRules: rules, Redirection: redirection}
	if body.AccessRules == nil {
		body.AccessRules = []AccessRule{} // required by the schema: never null
	}
	var out CredentialRequest
	err := c.call(ctx, "ovh.RequestCredential", http.MethodPost, "/auth/credential", body, &out, false)
	return out, err
}

// Credential is the consumer key in use (auth.ApiCredential, REFERENCE
// §2.4).
type Credential struct {
	ID            int64           `json:"credentialId"`
	ApplicationID int64           `json:"applicationId"`
	Creation      time.Time       `json:"creation"`
	Expiration    *time.Time      `json:"expiration"`
	LastUse       *time.Time      `json:"lastUse"`
	OVHSupport    bool            `json:"ovhSupport"`
	Rules         []AccessRule    `json:"rules"`
	Status        CredentialState `json:"status"`
	AllowedIPs    []string        `json:"allowedIPs"`
}

// CurrentCredential returns the consumer key the client uses.
func (c *Client) CurrentCredential(ctx context.Context) (Credential, error) {
	var cr Credential
	err := c.get(ctx, "ovh.CurrentCredential", "/auth/currentCredential", &cr)
	return cr, err
}

// AuthMethod is how a caller is authenticated (auth.MethodEnum).
type AuthMethod string

// Authentication methods.
const (
	AuthAccount                 AuthMethod = "account"
	AuthOAuth2ClientCredentials AuthMethod = "oauth2_client_credentials" //nolint:gosec // an enum value, not a credential
	AuthProvider                AuthMethod = "provider"
	AuthUser                    AuthMethod = "user"
)

// AuthDetails says who the caller is (auth.Details, REFERENCE §2.4).
type AuthDetails struct {
	Account       string       `json:"account"`
	AllowedRoutes []AccessRule `json:"allowedRoutes"` // nil = everything
	Description   *string      `json:"description"`
	Identities    []string     `json:"identities"`
	Method        AuthMethod   `json:"method"`
	Roles         []string     `json:"roles"`
	User          *string      `json:"user"` // the IAM user, for AuthUser
}

// AuthDetails returns who the consumer key belongs to.
func (c *Client) AuthDetails(ctx context.Context) (AuthDetails, error) {
	var d AuthDetails
	err := c.get(ctx, "ovh.AuthDetails", "/auth/details", &d)
	return d, err
}

// Logout expires the consumer key the client uses; the client cannot be
// used afterwards.
func (c *Client) Logout(ctx context.Context) error {
	return c.post(ctx, "ovh.Logout", "/auth/logout", nil, nil)
}
