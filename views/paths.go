package views

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/iplb-console/iplb-console/internal/ovh"
)

// URL builders. Views use them for links and handlers for redirects, so
// that a URL is spelled in one place. Every segment is escaped: an IP block
// such as "203.0.113.16/29" becomes one segment, "203.0.113.16%2F29"
// (handlers unescape it with pathParam).

// HomePath is the home page.
func HomePath() string { return pathOf() }

// HealthzPath is the health check.
func HealthzPath() string { return pathOf("healthz") }

// --- IPLB pages (IPLB engineer): list, dashboard, banner, apply. ---

// IPLBListPath is the list of the user's load balancers.
func IPLBListPath() string { return pathOf("iplb") }

// IPLBPath is the dashboard of the load balancer sn.
func IPLBPath(sn string) string { return pathOf("iplb", sn) }

// ApplyPath is the apply-configuration page of sn (GET: pre-flight and
// zones; POST: start the refresh).
func ApplyPath(sn string) string { return pathOf("iplb", sn, "apply") }

// RefreshTaskPath is the progress fragment of sn's task id, polled by htmx.
func RefreshTaskPath(sn string, id int64) string {
	return pathOf("iplb", sn, "tasks", strconv.FormatInt(id, 10))
}

// BannerPath is the "configuration not applied" banner fragment of sn.
func BannerPath(sn string) string { return pathOf("iplb", sn, "banner") }

// FailoverPath is the failover IPs page of sn. Added by the IPLB engineer
// for the shell's tabs (ISSUE5 URL scheme); owned by the failover page.
func FailoverPath(sn string) string { return pathOf("iplb", sn, "failover") }

// FrontendsPath is the frontends list of sn for proto. Added by the IPLB
// engineer for the shell's tabs (ISSUE5 URL scheme); owned by the
// frontends page.
func FrontendsPath(sn string, proto ovh.Protocol) string {
	return pathOf("iplb", sn, "frontends", string(proto))
}

// EditFrontendPath is the edit form of frontend id. Added by the IPLB
// engineer for the pre-flight links (ISSUE5 URL scheme); owned by the
// frontends page.
func EditFrontendPath(sn string, proto ovh.Protocol, id int64) string {
	return pathOf("iplb", sn, "frontends", string(proto), strconv.FormatInt(id, 10), "edit")
}

// --- end of IPLB pages. ---

// --- Frontend pages (frontends engineer): create, edit, delete. ---

// NewFrontendPath is the creation form of a proto frontend of sn.
func NewFrontendPath(sn string, proto ovh.Protocol) string {
	return pathOf("iplb", sn, "frontends", string(proto), "new")
}

// NewFrontendWithIPPath is the creation form with the failover IP block
// already ticked in its dedicated IPs (the form reads ?ipfo=), for a
// "pin it to a new frontend" link after an attach.
func NewFrontendWithIPPath(sn string, proto ovh.Protocol, block string) string {
	return NewFrontendPath(sn, proto) + "?" + url.Values{"ipfo": {block}}.Encode()
}

// FrontendPath is where the edit form of frontend id is posted (POST to
// FrontendsPath creates one).
func FrontendPath(sn string, proto ovh.Protocol, id int64) string {
	return pathOf("iplb", sn, "frontends", string(proto), strconv.FormatInt(id, 10))
}

// DeleteFrontendPath is the deletion of frontend id: GET the confirmation
// page, POST to delete.
func DeleteFrontendPath(sn string, proto ovh.Protocol, id int64) string {
	return pathOf("iplb", sn, "frontends", string(proto), strconv.FormatInt(id, 10), "delete")
}

// --- end of frontend pages. ---

// --- Failover IP pages (failover-IP engineer): attach, task badge, detach.
// FailoverPath, the list, is above with the IPLB pages. ---

// AttachIPPath is the attach page of sn: GET the chooser (or, with
// ?ip=<block>, the confirmation of that block), POST ip=<block> to start
// the move.
func AttachIPPath(sn string) string { return pathOf("iplb", sn, "failover", "attach") }

// AttachIPConfirmPath is the confirmation step of moving block to sn (the
// chooser's form submits the same query by GET).
func AttachIPConfirmPath(sn, block string) string {
	return AttachIPPath(sn) + "?" + url.Values{"ip": {block}}.Encode()
}

// IPTaskPath is the badge of the IP task id on block (a move to sn or a
// park from it): a fragment polled by htmx, or a whole page without it.
func IPTaskPath(sn, block string, id int64) string {
	return pathOf("iplb", sn, "failover", block, "task", strconv.FormatInt(id, 10))
}

// DetachIPPath is the detachment of block from sn: GET the confirmation
// page, POST to park the IP.
func DetachIPPath(sn, block string) string { return pathOf("iplb", sn, "failover", block, "detach") }

// --- end of failover IP pages. ---

// --- Farm, server and vRack pages (farms engineer). ---

// FarmsPath is the farms list of sn for proto (GET); POST creates a farm.
func FarmsPath(sn string, proto ovh.Protocol) string {
	return pathOf("iplb", sn, "farms", string(proto))
}

// NewFarmPath is the creation form of a proto farm of sn.
func NewFarmPath(sn string, proto ovh.Protocol) string {
	return pathOf("iplb", sn, "farms", string(proto), "new")
}

// FarmPath is the page of farm id, with its servers.
func FarmPath(sn string, proto ovh.Protocol, id int64) string {
	return pathOf("iplb", sn, "farms", string(proto), strconv.FormatInt(id, 10))
}

// EditFarmPath is the edit form of farm id.
func EditFarmPath(sn string, proto ovh.Protocol, id int64) string {
	return pathOf("iplb", sn, "farms", string(proto), strconv.FormatInt(id, 10), "edit")
}

// UpdateFarmPath is where the edit form of farm id is posted.
func UpdateFarmPath(sn string, proto ovh.Protocol, id int64) string {
	return pathOf("iplb", sn, "farms", string(proto), strconv.FormatInt(id, 10), "update")
}

// DeleteFarmPath is the deletion of farm id: GET the confirmation page,
// POST to delete.
func DeleteFarmPath(sn string, proto ovh.Protocol, id int64) string {
	return pathOf("iplb", sn, "farms", string(proto), strconv.FormatInt(id, 10), "delete")
}

// ServersPath is where the new-server form of farm farmID is posted.
func ServersPath(sn string, proto ovh.Protocol, farmID int64) string {
	return pathOf("iplb", sn, "farms", string(proto), strconv.FormatInt(farmID, 10), "servers")
}

// NewServerPath is the form adding a server to farm farmID.
func NewServerPath(sn string, proto ovh.Protocol, farmID int64) string {
	return pathOf("iplb", sn, "farms", string(proto), strconv.FormatInt(farmID, 10), "servers", "new")
}

// ServerPath is where the edit form of server sid of farm farmID is posted.
func ServerPath(sn string, proto ovh.Protocol, farmID, sid int64) string {
	return pathOf("iplb", sn, "farms", string(proto), strconv.FormatInt(farmID, 10), "servers", strconv.FormatInt(sid, 10))
}

// EditServerPath is the edit form of server sid of farm farmID.
func EditServerPath(sn string, proto ovh.Protocol, farmID, sid int64) string {
	return ServerPath(sn, proto, farmID, sid) + "/edit"
}

// ToggleServerPath enables or disables server sid (POST; in place with
// htmx).
func ToggleServerPath(sn string, proto ovh.Protocol, farmID, sid int64) string {
	return ServerPath(sn, proto, farmID, sid) + "/toggle"
}

// DeleteServerPath is the deletion of server sid: GET the confirmation
// page, POST to delete.
func DeleteServerPath(sn string, proto ovh.Protocol, farmID, sid int64) string {
	return ServerPath(sn, proto, farmID, sid) + "/delete"
}

// VRackPath is the vRack page of sn (read-only).
func VRackPath(sn string) string { return pathOf("iplb", sn, "vrack") }

// --- end of farm, server and vRack pages. ---

// --- Route and task pages (routes engineer, issue 6): routes and rules of
// HTTP and TCP frontends, tasks of the IPLB and its failover IPs. ---

// RoutesPath is the routes page of sn for proto (http or tcp): every route,
// grouped per frontend, in evaluation order.
func RoutesPath(sn string, proto ovh.Protocol) string {
	return pathOf("iplb", sn, "routes", string(proto))
}

// FrontendRoutesPath is the routes page filtered to frontend frontendID.
func FrontendRoutesPath(sn string, proto ovh.Protocol, frontendID int64) string {
	return RoutesPath(sn, proto) + "?" + url.Values{"frontend": {strconv.FormatInt(frontendID, 10)}}.Encode()
}

// NewRoutePath is the creation form of a proto route of sn (POST to
// RoutesPath creates it).
func NewRoutePath(sn string, proto ovh.Protocol) string {
	return pathOf("iplb", sn, "routes", string(proto), "new")
}

// NewFrontendRoutePath is the creation form with frontend frontendID
// preselected: the fix of a frontend that is invalid for a refresh.
func NewFrontendRoutePath(sn string, proto ovh.Protocol, frontendID int64) string {
	return NewRoutePath(sn, proto) + "?" + url.Values{"frontend": {strconv.FormatInt(frontendID, 10)}}.Encode()
}

// RoutePath is the page of route id, with its rules.
func RoutePath(sn string, proto ovh.Protocol, id int64) string {
	return pathOf("iplb", sn, "routes", string(proto), strconv.FormatInt(id, 10))
}

// EditRoutePath is the edit form of route id.
func EditRoutePath(sn string, proto ovh.Protocol, id int64) string {
	return RoutePath(sn, proto, id) + "/edit"
}

// UpdateRoutePath is where the edit form of route id is posted.
func UpdateRoutePath(sn string, proto ovh.Protocol, id int64) string {
	return RoutePath(sn, proto, id) + "/update"
}

// DeleteRoutePath is the deletion of route id: GET the confirmation page,
// POST to delete.
func DeleteRoutePath(sn string, proto ovh.Protocol, id int64) string {
	return RoutePath(sn, proto, id) + "/delete"
}

// RulesPath is where a new rule of route routeID is posted.
func RulesPath(sn string, proto ovh.Protocol, routeID int64) string {
	return RoutePath(sn, proto, routeID) + "/rules"
}

// EditRulePath is the edit form of rule ruleID of route routeID.
func EditRulePath(sn string, proto ovh.Protocol, routeID, ruleID int64) string {
	return RulesPath(sn, proto, routeID) + "/" + strconv.FormatInt(ruleID, 10) + "/edit"
}

// UpdateRulePath is where the edit form of a rule is posted.
func UpdateRulePath(sn string, proto ovh.Protocol, routeID, ruleID int64) string {
	return RulesPath(sn, proto, routeID) + "/" + strconv.FormatInt(ruleID, 10) + "/update"
}

// DeleteRulePath is the removal of rule ruleID: GET the confirmation page,
// POST to remove it (in place with htmx).
func DeleteRulePath(sn string, proto ovh.Protocol, routeID, ruleID int64) string {
	return RulesPath(sn, proto, routeID) + "/" + strconv.FormatInt(ruleID, 10) + "/delete"
}

// TasksPath is the tasks page of sn and its failover IPs.
func TasksPath(sn string) string { return pathOf("iplb", sn, "tasks") }

// TasksFilterPath is the tasks page filtered by action and status ("" =
// any), as its GET form submits it.
func TasksFilterPath(sn, action, status string) string {
	q := url.Values{}
	if action != "" {
		q.Set("action", action)
	}
	if status != "" {
		q.Set("status", status)
	}
	if len(q) == 0 {
		return TasksPath(sn)
	}
	return TasksPath(sn) + "?" + q.Encode()
}

// TaskRowPath is the row of IPLB task id on the tasks page, polled by htmx
// while the task runs.
func TaskRowPath(sn string, id int64) string {
	return pathOf("iplb", sn, "tasks", strconv.FormatInt(id, 10), "row")
}

// IPTaskRowPath is the row of task id of failover IP block on the tasks
// page, polled by htmx while the task runs.
func IPTaskRowPath(sn, block string, id int64) string {
	return pathOf("iplb", sn, "ip-tasks", block, strconv.FormatInt(id, 10), "row")
}

// --- end of route and task pages. ---

// pathOf joins escaped segments into an absolute path.
func pathOf(segments ...string) string {
	escaped := make([]string, len(segments))
	for i, s := range segments {
		escaped[i] = url.PathEscape(s)
	}
	return "/" + strings.Join(escaped, "/")
}
