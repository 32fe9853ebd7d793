package handlers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/iplb-console/iplb-console/internal/ovh"
	"github.com/iplb-console/iplb-console/internal/ovhemu"
	"github.com/iplb-console/iplb-console/views"
)

// TestBuildersMatchRoutes checks STYLE §2.8: every URL builder of views
// (paths.go, auth.go) produces a path that Echo's router sends to the route
// meant for it, with the method its page uses, and with the path parameters
// the handler reads back (pathParam unescapes them: an IP block is one
// segment). It also fails when a builder is missing from the table, and
// when a registered page route is named by no builder.
func TestBuildersMatchRoutes(t *testing.T) {
	t.Parallel()
	e := echo.New()
	New(Deps{}).Register(e)

	// The arguments every builder below is called with, and so the values
	// its route's parameters must carry.
	const (
		sn    = ovhemu.DemoLB
		proto = ovh.TCP
		block = "203.0.113.16/29"
	)
	params := map[string]string{"sn": sn, "proto": string(proto), "block": block, "id": "4", "rid": "5", "sid": "5"}

	get, post := http.MethodGet, http.MethodPost
	tests := []struct {
		builder, method, path, route string
	}{
		{"HomePath", get, views.HomePath(), "/"},
		{"HealthzPath", get, views.HealthzPath(), "/healthz"},
		{"LoginPath", get, views.LoginPath("/iplb", views.LoginReasonExpired), "/login"},
		{"LoginPath", post, views.LoginPath("", ""), "/login"},
		{"LoginCallbackPath", get, views.LoginCallbackPath(), "/login/callback"},
		{"LoginKeyPath", post, views.LoginKeyPath(), "/login/key"},
		{"LogoutPath", post, views.LogoutPath(), "/logout"},
		{"WhoAmIPath", get, views.WhoAmIPath(), "/whoami"},

		{"IPLBListPath", get, views.IPLBListPath(), "/iplb"},
		{"IPLBPath", get, views.IPLBPath(sn), "/iplb/:sn"},
		{"BannerPath", get, views.BannerPath(sn), "/iplb/:sn/banner"},
		{"ApplyPath", get, views.ApplyPath(sn), "/iplb/:sn/apply"},
		{"ApplyPath", post, views.ApplyPath(sn), "/iplb/:sn/apply"},
		{"RefreshTaskPath", get, views.RefreshTaskPath(sn, 4), "/iplb/:sn/tasks/:id"},

		{"FailoverPath", get, views.FailoverPath(sn), "/iplb/:sn/failover"},
		{"AttachIPPath", get, views.AttachIPPath(sn), "/iplb/:sn/failover/attach"},
		{"AttachIPPath", post, views.AttachIPPath(sn), "/iplb/:sn/failover/attach"},
		{"AttachIPConfirmPath", get, views.AttachIPConfirmPath(sn, block), "/iplb/:sn/failover/attach"},
		{"IPTaskPath", get, views.IPTaskPath(sn, block, 4), "/iplb/:sn/failover/:block/task/:id"},
		{"DetachIPPath", get, views.DetachIPPath(sn, block), "/iplb/:sn/failover/:block/detach"},
		{"DetachIPPath", post, views.DetachIPPath(sn, block), "/iplb/:sn/failover/:block/detach"},

		{"FrontendsPath", get, views.FrontendsPath(sn, proto), "/iplb/:sn/frontends/:proto"},
		{"FrontendsPath", post, views.FrontendsPath(sn, proto), "/iplb/:sn/frontends/:proto"},
		{"NewFrontendPath", get, views.NewFrontendPath(sn, proto), "/iplb/:sn/frontends/:proto/new"},
		{"NewFrontendWithIPPath", get, views.NewFrontendWithIPPath(sn, proto, block), "/iplb/:sn/frontends/:proto/new"},
		{"EditFrontendPath", get, views.EditFrontendPath(sn, proto, 4), "/iplb/:sn/frontends/:proto/:id/edit"},
		{"FrontendPath", post, views.FrontendPath(sn, proto, 4), "/iplb/:sn/frontends/:proto/:id"},
		{"DeleteFrontendPath", get, views.DeleteFrontendPath(sn, proto, 4), "/iplb/:sn/frontends/:proto/:id/delete"},
		{"DeleteFrontendPath", post, views.DeleteFrontendPath(sn, proto, 4), "/iplb/:sn/frontends/:proto/:id/delete"},

		{"FarmsPath", get, views.FarmsPath(sn, proto), "/iplb/:sn/farms/:proto"},
		{"FarmsPath", post, views.FarmsPath(sn, proto), "/iplb/:sn/farms/:proto"},
		{"NewFarmPath", get, views.NewFarmPath(sn, proto), "/iplb/:sn/farms/:proto/new"},
		{"FarmPath", get, views.FarmPath(sn, proto, 4), "/iplb/:sn/farms/:proto/:id"},
		{"EditFarmPath", get, views.EditFarmPath(sn, proto, 4), "/iplb/:sn/farms/:proto/:id/edit"},
		{"UpdateFarmPath", post, views.UpdateFarmPath(sn, proto, 4), "/iplb/:sn/farms/:proto/:id/update"},
		{"DeleteFarmPath", get, views.DeleteFarmPath(sn, proto, 4), "/iplb/:sn/farms/:proto/:id/delete"},
		{"DeleteFarmPath", post, views.DeleteFarmPath(sn, proto, 4), "/iplb/:sn/farms/:proto/:id/delete"},
		{"NewServerPath", get, views.NewServerPath(sn, proto, 4), "/iplb/:sn/farms/:proto/:id/servers/new"},
		{"ServersPath", post, views.ServersPath(sn, proto, 4), "/iplb/:sn/farms/:proto/:id/servers"},
		{"EditServerPath", get, views.EditServerPath(sn, proto, 4, 5), "/iplb/:sn/farms/:proto/:id/servers/:sid/edit"},
		{"ServerPath", post, views.ServerPath(sn, proto, 4, 5), "/iplb/:sn/farms/:proto/:id/servers/:sid"},
		{"ToggleServerPath", post, views.ToggleServerPath(sn, proto, 4, 5), "/iplb/:sn/farms/:proto/:id/servers/:sid/toggle"},
		{"DeleteServerPath", get, views.DeleteServerPath(sn, proto, 4, 5), "/iplb/:sn/farms/:proto/:id/servers/:sid/delete"},
		{"DeleteServerPath", post, views.DeleteServerPath(sn, proto, 4, 5), "/iplb/:sn/farms/:proto/:id/servers/:sid/delete"},
		{"VRackPath", get, views.VRackPath(sn), "/iplb/:sn/vrack"},

		{"RoutesPath", get, views.RoutesPath(sn, proto), "/iplb/:sn/routes/:proto"},
		{"RoutesPath", post, views.RoutesPath(sn, proto), "/iplb/:sn/routes/:proto"},
		{"FrontendRoutesPath", get, views.FrontendRoutesPath(sn, proto, 3), "/iplb/:sn/routes/:proto"},
		{"NewRoutePath", get, views.NewRoutePath(sn, proto), "/iplb/:sn/routes/:proto/new"},
		{"NewFrontendRoutePath", get, views.NewFrontendRoutePath(sn, proto, 3), "/iplb/:sn/routes/:proto/new"},
		{"RoutePath", get, views.RoutePath(sn, proto, 4), "/iplb/:sn/routes/:proto/:id"},
		{"EditRoutePath", get, views.EditRoutePath(sn, proto, 4), "/iplb/:sn/routes/:proto/:id/edit"},
		{"UpdateRoutePath", post, views.UpdateRoutePath(sn, proto, 4), "/iplb/:sn/routes/:proto/:id/update"},
		{"DeleteRoutePath", get, views.DeleteRoutePath(sn, proto, 4), "/iplb/:sn/routes/:proto/:id/delete"},
		{"DeleteRoutePath", post, views.DeleteRoutePath(sn, proto, 4), "/iplb/:sn/routes/:proto/:id/delete"},
		{"RulesPath", post, views.RulesPath(sn, proto, 4), "/iplb/:sn/routes/:proto/:id/rules"},
		{"EditRulePath", get, views.EditRulePath(sn, proto, 4, 5), "/iplb/:sn/routes/:proto/:id/rules/:rid/edit"},
		{"UpdateRulePath", post, views.UpdateRulePath(sn, proto, 4, 5), "/iplb/:sn/routes/:proto/:id/rules/:rid/update"},
		{"DeleteRulePath", get, views.DeleteRulePath(sn, proto, 4, 5), "/iplb/:sn/routes/:proto/:id/rules/:rid/delete"},
		{"DeleteRulePath", post, views.DeleteRulePath(sn, proto, 4, 5), "/iplb/:sn/routes/:proto/:id/rules/:rid/delete"},

		{"TasksPath", get, views.TasksPath(sn), "/iplb/:sn/tasks"},
		{"TasksFilterPath", get, views.TasksFilterPath(sn, "refreshIplb", "done"), "/iplb/:sn/tasks"},
		{"TaskRowPath", get, views.TaskRowPath(sn, 4), "/iplb/:sn/tasks/:id/row"},
		{"IPTaskRowPath", get, views.IPTaskRowPath(sn, block, 4), "/iplb/:sn/ip-tasks/:block/:id/row"},
	}

	registered := map[string]bool{} // "METHOD path" of every route
	for _, r := range e.Routes() {
		registered[r.Method+" "+r.Path] = true
	}
	named := map[string]bool{}   // builders in the table
	reached := map[string]bool{} // "METHOD route" the table reaches
	for _, tt := range tests {
		named[tt.builder] = true
		reached[tt.method+" "+tt.route] = true
		t.Run(tt.builder+"/"+tt.method, func(t *testing.T) {
			if !registered[tt.method+" "+tt.route] {
				t.Fatalf("the table's route %s %s is not registered", tt.method, tt.route)
			}
			u, err := url.Parse(tt.path)
			if err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(u.Path, "/") {
				t.Fatalf("%s = %q: not an absolute path (%v)", tt.builder, tt.path, err)
			}
			// Echo routes on the escaped path (RawPath when there is one),
			// as it does for a request.
			c := e.NewContext(nil, nil)
			e.Router().Find(tt.method, u.EscapedPath(), c)
			if c.Path() != tt.route {
				t.Fatalf("%s %s reaches route %q, want %q", tt.method, tt.path, c.Path(), tt.route)
			}
			for _, name := range c.ParamNames() {
				got, err := url.PathUnescape(c.Param(name))
				if err != nil || got != params[name] {
					t.Errorf("%s %s: param %s = %q (%v), want %q", tt.method, tt.path, name, got, err, params[name])
				}
			}
		})
	}

	for _, b := range exportedBuilders(t, "paths.go", "auth.go") {
		if !named[b] {
			t.Errorf("views.%s is not in the table: add the route(s) it is used with", b)
		}
	}
	for _, r := range e.Routes() {
		// The static files (static.Path builds them) and the catch-alls Echo
		// adds for a group's middleware (any method, or its own
		// "route not found" one) are not pages.
		if r.Method != get && r.Method != post || r.Path == "" || strings.HasSuffix(r.Path, "*") {
			continue
		}
		if !reached[r.Method+" "+r.Path] {
			t.Errorf("route %s %s is named by no builder in views", r.Method, r.Path)
		}
	}
}

// exportedBuilders lists the exported functions ending in "Path" declared
// in the given files of the views package.
func exportedBuilders(t *testing.T, files ...string) []string {
	t.Helper()
	var names []string
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, filepath.Join("..", "views", name), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if ok && fn.Recv == nil && fn.Name.IsExported() && strings.HasSuffix(fn.Name.Name, "Path") {
				names = append(names, fn.Name.Name)
			}
		}
	}
	if len(names) == 0 {
		t.Fatal("no URL builder found in views: has the file moved?")
	}
	slices.Sort(names)
	return names
}
