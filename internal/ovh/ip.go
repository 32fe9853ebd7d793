package ovh

import (
	"context"
	"net/url"
	"strconv"
)

// IPType is the type of an IP block (ip.IpTypeEnum, REFERENCE §5.2).
type IPType string

// IP types. The console works with IPTypeFailover (Additional IPs).
const (
	IPTypeCDN           IPType = "cdn"
	IPTypeCloud         IPType = "cloud"
	IPTypeDedicated     IPType = "dedicated"
	IPTypeFailover      IPType = "failover"
	IPTypeHostedSSL     IPType = "hosted_ssl"
	IPTypeHousing       IPType = "housing"
	IPTypeLoadBalancing IPType = "loadBalancing"
	IPTypeMail          IPType = "mail"
	IPTypeOverTheBox    IPType = "overthebox"
	IPTypePCC           IPType = "pcc"
	IPTypePCI           IPType = "pci"
	IPTypePrivate       IPType = "private"
	IPTypeVPN           IPType = "vpn"
	IPTypeVPS           IPType = "vps"
	IPTypeVRack         IPType = "vrack"
	IPTypeXDSL          IPType = "xdsl"
)

// IPVersion is 4 or 6 (ip.IpVersionEnum). The schema's enumType is long,
// so it travels as a JSON number, not as the strings its enum lists.
type IPVersion int

// IP versions.
const (
	IPv4 IPVersion = 4
	IPv6 IPVersion = 6
)

// RoutedTo names the service an IP is routed to (ip.RoutedTo); a nil
// ServiceName means the IP is parked.
type RoutedTo struct {
	ServiceName *string `json:"serviceName"`
}

// IAMMetadata is iam.ResourceMetadata.
type IAMMetadata struct {
	ID          string            `json:"id"`
	URN         string            `json:"urn"`
	DisplayName *string           `json:"displayName"`
	State       *string           `json:"state"` // EXPIRED, IN_CREATION, OK, SUSPENDED
	Tags        map[string]string `json:"tags"`
}

// IP is an IP block of the account (ip.IpWithIAM, REFERENCE §5.2).
type IP struct {
	IP              string       `json:"ip"` // a block, e.g. "203.0.113.10/32"
	Type            IPType       `json:"type"`
	RoutedTo        *RoutedTo    `json:"routedTo"`
	Description     *string      `json:"description"`
	CanBeTerminated bool         `json:"canBeTerminated"`
	Country         *string      `json:"country"`
	OrganisationID  *string      `json:"organisationId"`
	Campus          *string      `json:"campus"`
	IsAdditionalIP  bool         `json:"isAdditionalIp"`
	BringYourOwnIP  bool         `json:"bringYourOwnIp"`
	Regions         []string     `json:"regions"`
	RIR             *string      `json:"rir"`
	Version         IPVersion    `json:"version"`
	IAM             *IAMMetadata `json:"iam"`
}

// RoutedToService returns the service the IP is routed to, "" when parked.
func (ip IP) RoutedToService() string {
	if ip.RoutedTo == nil || ip.RoutedTo.ServiceName == nil {
		return ""
	}
	return *ip.RoutedTo.ServiceName
}

// IPFilter holds the filters of GET /ip (REFERENCE §5.1). Zero fields are
// not sent.
type IPFilter struct {
	Type           IPType
	IP             string    // a block the IPs are in or equal to
	RoutedTo       string    // routedTo.serviceName, a like match
	Description    string    // like
	Version        IPVersion // 0 = any
	Campus         string    // ilike
	IsAdditionalIP *bool
}

func (f IPFilter) values() url.Values {
	q := url.Values{}
	set(q, "campus", f.Campus)
	set(q, "description", f.Description)
	set(q, "ip", f.IP)
	if f.IsAdditionalIP != nil {
		q.Set("isAdditionalIp", strconv.FormatBool(*f.IsAdditionalIP))
	}
	set(q, "routedTo.serviceName", f.RoutedTo)
	set(q, "type", string(f.Type))
	if f.Version != 0 {
		q.Set("version", strconv.Itoa(int(f.Version)))
	}
	return q
}

// set adds key=v to q unless v is empty.
func set(q url.Values, key, v string) {
	if v != "" {
		q.Set(key, v)
	}
}

// IPBlocks lists the account's IP blocks matching f.
func (c *Client) IPBlocks(ctx context.Context, f IPFilter) ([]string, error) {
	var blocks []string
	if err := c.get(ctx, "ovh.IPBlocks", withQuery("/ip", f.values()), &blocks); err != nil {
		return nil, err
	}
	return blocks, nil
}

// IPs lists the account's IP blocks matching f, with their details.
func (c *Client) IPs(ctx context.Context, f IPFilter) ([]IP, error) {
	blocks, err := c.IPBlocks(ctx, f)
	if err != nil {
		return nil, err
	}
	return getAll[IP](ctx, c, "ovh.IPs", "/ip", blocks)
}

// IP returns one IP block, e.g. "203.0.113.10/32".
func (c *Client) IP(ctx context.Context, block string) (IP, error) {
	var ip IP
	err := c.get(ctx, "ovh.IP", pathf("ip", block), &ip)
	return ip, err
}

// Destinations lists where an IP can be moved (ip.Destinations, REFERENCE
// §5.3), per kind of service.
type Destinations struct {
	CloudProject        []Destination `json:"cloudProject"`
	DedicatedCloud      []Destination `json:"dedicatedCloud"`
	DedicatedServer     []Destination `json:"dedicatedServer"`
	HostingReseller     []Destination `json:"hostingReseller"`
	IPLoadbalancing     []Destination `json:"ipLoadbalancing"`
	VMwareCloudDirector []Destination `json:"vmwareCloudDirector"`
	VPS                 []Destination `json:"vps"`
}

// Destination is one service an IP can be moved to (ip.Destination).
type Destination struct {
	Service string   `json:"service"`
	NextHop []string `json:"nexthop"`
}

// IPMoveDestinations returns where the IP block can be moved.
func (c *Client) IPMoveDestinations(ctx context.Context, block string) (Destinations, error) {
	var d Destinations
	err := c.get(ctx, "ovh.IPMoveDestinations", pathf("ip", block, "move"), &d)
	return d, err
}

// MoveIP starts moving the IP block to the service to (e.g. an IPLB's
// service name) and returns the move task. Moving to an IPLB takes no
// nexthop (REFERENCE §5.3), so none is sent. Refresh the IPLB once the
// task is done (REFERENCE §5.3 [D]).
func (c *Client) MoveIP(ctx context.Context, block, to string) (IPTask, error) {
	var t IPTask
	body := struct {
		To string `json:"to"`
	}{to}
	err := c.post(ctx, "ovh.MoveIP", pathf("ip", block, "move"), body, &t)
	return t, err
}

// ParkIP starts detaching the IP block from any service and returns the
// task.
func (c *Client) ParkIP(ctx context.Context, block string) (IPTask, error) {
	var t IPTask
	err := c.post(ctx, "ovh.ParkIP", pathf("ip", block, "park"), nil, &t)
	return t, err
}

// IPTaskFilter holds the filters of GET /ip/{ip}/task. Zero fields are not
// sent.
type IPTaskFilter struct {
	Function IPTaskFunction
	Status   IPTaskStatus
}

func (f IPTaskFilter) values() url.Values {
	q := url.Values{}
	set(q, "function", string(f.Function))
	set(q, "status", string(f.Status))
	return q
}

// IPTaskIDs lists the ids of the IP block's tasks matching f.
func (c *Client) IPTaskIDs(ctx context.Context, block string, f IPTaskFilter) ([]int64, error) {
	var ids []int64
	if err := c.get(ctx, "ovh.IPTaskIDs", withQuery(pathf("ip", block, "task"), f.values()), &ids); err != nil {
		return nil, err
	}
	return ids, nil
}

// IPTasks lists the IP block's tasks matching f.
func (c *Client) IPTasks(ctx context.Context, block string, f IPTaskFilter) ([]IPTask, error) {
	ids, err := c.IPTaskIDs(ctx, block, f)
	if err != nil {
		return nil, err
	}
	return getAll[IPTask](ctx, c, "ovh.IPTasks", pathf("ip", block, "task"), ids)
}

// IPTask returns one task of the IP block.
func (c *Client) IPTask(ctx context.Context, block string, id int64) (IPTask, error) {
	var t IPTask
	err := c.get(ctx, "ovh.IPTask", pathf("ip", block, "task", id), &t)
	return t, err
}
