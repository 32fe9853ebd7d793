package ovh

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"
)

// Protocol is a protocol of IPLB frontends, farms and routes; it is the
// path segment of their routes (/ipLoadbalancing/{sn}/{http|tcp|udp}/...)
// and the type of DefinedFrontend and DefinedFarm.
type Protocol string

// Protocols. Routes and rules exist for HTTP and TCP only (REFERENCE §9).
const (
	HTTP Protocol = "http"
	TCP  Protocol = "tcp"
	UDP  Protocol = "udp"
)

// Protocols lists every protocol, in the control panel's order.
var Protocols = []Protocol{HTTP, TCP, UDP}

// ParseProtocol returns the Protocol named s ("http", "tcp", "udp").
func ParseProtocol(s string) (Protocol, error) {
	switch p := Protocol(s); p {
	case HTTP, TCP, UDP:
		return p, nil
	}
	return "", fmt.Errorf("unknown protocol %q (want http, tcp or udp)", s)
}

// Valid reports whether p is one of HTTP, TCP, UDP.
func (p Protocol) Valid() bool { return p == HTTP || p == TCP || p == UDP }

// checkProtocol refuses a protocol that is not valid for a kind of object
// before any call: a bad path segment would otherwise reach the API.
func checkProtocol(op string, p Protocol, routes bool) error {
	if !p.Valid() || (routes && p == UDP) {
		what := "http, tcp or udp"
		if routes {
			what = "http or tcp" // REFERENCE §9: no UDP routes
		}
		return &Error{Op: op, Kind: KindInvalid, Message: fmt.Sprintf("Unknown protocol %q: expected %s.", p, what)}
	}
	return nil
}

// LoadBalancerState is the state of an IPLB (ipLoadbalancing.IpStateEnum).
type LoadBalancerState string

// IPLB states.
const (
	LoadBalancerBlacklisted LoadBalancerState = "blacklisted"
	LoadBalancerDeleted     LoadBalancerState = "deleted"
	LoadBalancerFree        LoadBalancerState = "free"
	LoadBalancerOK          LoadBalancerState = "ok"
	LoadBalancerQuarantined LoadBalancerState = "quarantined"
	LoadBalancerSuspended   LoadBalancerState = "suspended"
)

// SSLConfiguration is an IPLB's TLS policy
// (ipLoadbalancing.SslConfigurationEnum); null means intermediate.
type SSLConfiguration string

// TLS policies.
const (
	SSLIntermediate SSLConfiguration = "intermediate"
	SSLModern       SSLConfiguration = "modern"
)

// LoadBalancer is an IPLB service (ipLoadbalancing.IpWithIAM, REFERENCE
// §6.2).
type LoadBalancer struct {
	ServiceName      string            `json:"serviceName"`     // e.g. "loadbalancer-a1b2c3d4e5f60718"
	IP               string            `json:"ipLoadbalancing"` // the IPLB's main IPv4
	IPv4             *string           `json:"ipv4"`
	IPv6             *string           `json:"ipv6"`
	State            LoadBalancerState `json:"state"`
	Zones            []string          `json:"zone"` // subscribed zones, e.g. ["gra","rbx"]
	DisplayName      *string           `json:"displayName"`
	Offer            string            `json:"offer"`
	VRackEligibility bool              `json:"vrackEligibility"`
	VRackName        *string           `json:"vrackName"` // the vRack it is in, e.g. "pn-1234"
	SSLConfiguration *SSLConfiguration `json:"sslConfiguration"`
	MetricsToken     *string           `json:"metricsToken"`
	OrderableZones   []OrderableZone   `json:"orderableZone"`
	IAM              *IAMMetadata      `json:"iam"`
}

// Name returns the display name, or the service name when there is none.
func (lb LoadBalancer) Name() string {
	if lb.DisplayName != nil && *lb.DisplayName != "" {
		return *lb.DisplayName
	}
	return lb.ServiceName
}

// OrderableZone is a zone the IPLB could subscribe to.
type OrderableZone struct {
	Name     string `json:"name"`
	PlanCode string `json:"planCode"`
}

// LoadBalancers lists the service names of the account's IPLBs.
func (c *Client) LoadBalancers(ctx context.Context) ([]string, error) {
	var names []string
	if err := c.get(ctx, "ovh.LoadBalancers", "/ipLoadbalancing", &names); err != nil {
		return nil, err
	}
	return names, nil
}

// LoadBalancer returns one IPLB.
func (c *Client) LoadBalancer(ctx context.Context, sn string) (LoadBalancer, error) {
	var lb LoadBalancer
	err := c.get(ctx, "ovh.LoadBalancer", pathf("ipLoadbalancing", sn), &lb)
	return lb, err
}

// AllLoadBalancers returns every IPLB of the account, fetched in parallel.
func (c *Client) AllLoadBalancers(ctx context.Context) ([]LoadBalancer, error) {
	names, err := c.LoadBalancers(ctx)
	if err != nil {
		return nil, err
	}
	return getAll[LoadBalancer](ctx, c, "ovh.AllLoadBalancers", "/ipLoadbalancing", names)
}

// Failover lists the Additional (failover) IP blocks routed to the IPLB.
func (c *Client) Failover(ctx context.Context, sn string) ([]string, error) {
	var blocks []string
	if err := c.get(ctx, "ovh.Failover", pathf("ipLoadbalancing", sn, "failover"), &blocks); err != nil {
		return nil, err
	}
	return blocks, nil
}

// Zones lists the IPLB's zones.
func (c *Client) Zones(ctx context.Context, sn string) ([]string, error) {
	var zones []string
	if err := c.get(ctx, "ovh.Zones", pathf("ipLoadbalancing", sn, "zone"), &zones); err != nil {
		return nil, err
	}
	return zones, nil
}

// PendingChange is the number of changes not yet applied in a zone
// (ipLoadbalancing.PendingChanges).
type PendingChange struct {
	Zone   string `json:"zone"`
	Number int64  `json:"number"`
}

// PendingChanges lists the zones with changes not yet applied by a
// refresh.
func (c *Client) PendingChanges(ctx context.Context, sn string) ([]PendingChange, error) {
	var out []PendingChange
	if err := c.get(ctx, "ovh.PendingChanges", pathf("ipLoadbalancing", sn, "pendingChanges"), &out); err != nil {
		return nil, err
	}
	return out, nil
}

// Refresh applies the IPLB's configuration in zone, or in every zone when
// zone is "" (then no body is sent, as terraform does; REFERENCE §10.2
// [C]), and returns the refresh task.
func (c *Client) Refresh(ctx context.Context, sn, zone string) (Task, error) {
	var body any // nil: no body at all, not "null"
	if zone != "" {
		body = struct {
			Zone string `json:"zone"`
		}{zone}
	}
	var t Task
	err := c.post(ctx, "ovh.Refresh", pathf("ipLoadbalancing", sn, "refresh"), body, &t)
	return t, err
}

// TaskFilter holds the filters of GET /ipLoadbalancing/{sn}/task
// (REFERENCE §6.1). Zero fields are not sent.
type TaskFilter struct {
	Action      TaskAction
	Status      TaskStatus
	CreatedFrom time.Time // creationDate.from
	CreatedTo   time.Time // creationDate.to
	DoneFrom    time.Time // doneDate.from
	DoneTo      time.Time // doneDate.to
}

func (f TaskFilter) values() url.Values {
	q := url.Values{}
	set(q, "action", string(f.Action))
	set(q, "status", string(f.Status))
	for key, t := range map[string]time.Time{
		"creationDate.from": f.CreatedFrom, "creationDate.to": f.CreatedTo,
		"doneDate.from": f.DoneFrom, "doneDate.to": f.DoneTo,
	} {
		if !t.IsZero() {
			q.Set(key, t.Format(time.RFC3339))
		}
	}
	return q
}

// TaskIDs lists the ids of the IPLB's tasks matching f.
func (c *Client) TaskIDs(ctx context.Context, sn string, f TaskFilter) ([]int64, error) {
	var ids []int64
	if err := c.get(ctx, "ovh.TaskIDs", withQuery(pathf("ipLoadbalancing", sn, "task"), f.values()), &ids); err != nil {
		return nil, err
	}
	return ids, nil
}

// Tasks lists the IPLB's tasks matching f.
func (c *Client) Tasks(ctx context.Context, sn string, f TaskFilter) ([]Task, error) {
	ids, err := c.TaskIDs(ctx, sn, f)
	if err != nil {
		return nil, err
	}
	return getAll[Task](ctx, c, "ovh.Tasks", pathf("ipLoadbalancing", sn, "task"), ids)
}

// Task returns one task of the IPLB.
func (c *Client) Task(ctx context.Context, sn string, id int64) (Task, error) {
	var t Task
	err := c.get(ctx, "ovh.Task", pathf("ipLoadbalancing", sn, "task", id), &t)
	return t, err
}

// Health is a status in ipLoadbalancing.Status (ipLoadbalancing.status.Enum).
type Health string

// Health values.
const (
	HealthOK      Health = "ok"
	HealthWarn    Health = "warn"
	HealthError   Health = "error"
	HealthUnknown Health = "unknown"
)

// Status is the health of an IPLB and of its parts (ipLoadbalancing.Status,
// REFERENCE §6.4).
type Status struct {
	Service   ServiceStatus   `json:"service"`
	Frontends StatusComponent `json:"frontends"`
	Farms     StatusComponent `json:"farms"`
	Servers   StatusComponent `json:"servers"`
}

// ServiceStatus is the health of the IPLB itself.
type ServiceStatus struct {
	Status Health `json:"status"`
}

// StatusComponent counts one kind of part by health.
type StatusComponent struct {
	Total  int64        `json:"total"`
	Status StatusCounts `json:"status"`
}

// StatusCounts counts parts per health (ipLoadbalancing.status.ComponentStatus).
type StatusCounts struct {
	OK      int64 `json:"ok"`
	Warn    int64 `json:"warn"`
	Error   int64 `json:"error"`
	Unknown int64 `json:"unknown"`
}

// Status returns the health of the IPLB.
func (c *Client) Status(ctx context.Context, sn string) (Status, error) {
	var s Status
	err := c.get(ctx, "ovh.Status", pathf("ipLoadbalancing", sn, "status"), &s)
	return s, err
}

// DefinedFrontend is a frontend id with its protocol
// (ipLoadbalancing.DefinedFrontend).
type DefinedFrontend struct {
	ID   int64    `json:"id"`
	Type Protocol `json:"type"`
}

// DefinedFrontends lists every frontend of the IPLB, all protocols.
func (c *Client) DefinedFrontends(ctx context.Context, sn string) ([]DefinedFrontend, error) {
	var out []DefinedFrontend
	if err := c.get(ctx, "ovh.DefinedFrontends", pathf("ipLoadbalancing", sn, "definedFrontends"), &out); err != nil {
		return nil, err
	}
	return out, nil
}

// RefreshIfPending applies the IPLB's pending changes, as terraform does
// (REFERENCE §10.3 [C]): it waits for the refreshes already running, reads
// pendingChanges, and refreshes every zone only if some change is pending,
// then waits for that refresh. It returns the refresh task and true, or a
// zero Task and false when there was nothing to apply. every is the polling
// interval (see WaitTask).
//
// A running refresh that ends in error does not stop it: its changes are
// still pending and the new refresh applies them.
func (c *Client) RefreshIfPending(ctx context.Context, sn string, every time.Duration) (Task, bool, error) {
	for _, st := range []TaskStatus{TaskTodo, TaskDoing, TaskBlocked} {
		ids, err := c.TaskIDs(ctx, sn, TaskFilter{Action: TaskRefresh, Status: st})
		if err != nil {
			return Task{}, false, err
		}
		for _, id := range ids {
			_, err := WaitTask(ctx, every, func(ctx context.Context) (Task, error) { return c.Task(ctx, sn, id) })
			if err != nil && !errors.Is(err, ErrTaskFailed) {
				return Task{}, false, err
			}
		}
	}
	pending, err := c.PendingChanges(ctx, sn)
	if err != nil {
		return Task{}, false, err
	}
	var n int64
	for _, p := range pending {
		n += p.Number
	}
	if n == 0 {
		return Task{}, false, nil
	}
	t, err := c.Refresh(ctx, sn, "")
	if err != nil {
		return Task{}, false, err
	}
	t, err = WaitTask(ctx, every, func(ctx context.Context) (Task, error) { return c.Task(ctx, sn, t.ID) })
	return t, true, err
}
