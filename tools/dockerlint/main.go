// Command dockerlint lints Dockerfiles offline with BuildKit's own rules, the
// ones `docker build --check` applies (JSONArgsRecommended, FromAsCasing,
// UndefinedVar, syntax errors, ...), without a Docker daemon or a registry.
//
// Usage: go run . ../../Dockerfile [more files]
//
// It prints every finding and exits 1 if there is any, 2 on a usage or I/O
// error. Base images are not pulled: a stub resolver answers with a minimal
// image config, so rules that need the real image's environment see an empty
// one. A rule can be skipped in the Dockerfile itself with BuildKit's
// `# check=skip=RuleName` directive.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	digest "github.com/opencontainers/go-digest"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: dockerlint Dockerfile...")
		os.Exit(2)
	}
	failed := false
	for _, name := range os.Args[1:] {
		n, err := lint(context.Background(), name, os.Stdout)
		if err != nil {
			fmt.Fprintf(os.Stderr, "dockerlint: %s: %v\n", name, err)
			os.Exit(2)
		}
		if n > 0 {
			failed = true
			fmt.Fprintf(os.Stdout, "dockerlint: %s: %d finding(s)\n", name, n)
		}
	}
	if failed {
		os.Exit(1)
	}
}

// lint checks one Dockerfile and returns how many findings it printed to w
// (a syntax error counts as one).
func lint(ctx context.Context, name string, w io.Writer) (int, error) {
	dt, err := os.ReadFile(name)
	if err != nil {
		return 0, err
	}
	sm := llb.NewSourceMap(nil, name, "Dockerfile", dt)
	sm.Definition = &llb.Definition{} // AddSource dereferences it
	res, err := dockerfile2llb.DockerfileLint(ctx, dt, dockerfile2llb.ConvertOpt{
		SourceMap:    sm,
		MetaResolver: offlineResolver{},
	})
	if err != nil {
		return 0, err
	}
	if err := res.PrintTo(w, nil); err != nil {
		return 0, err
	}
	n := len(res.Warnings)
	if res.Error != nil {
		res.PrintErrorTo(w, nil)
		n++
	}
	return n, nil
}

// offlineResolver stands in for the registry: every base image "exists" and
// has one layer and an empty configuration.
type offlineResolver struct{}

func (offlineResolver) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	cfg, err := json.Marshal(map[string]any{
		"architecture": "amd64",
		"os":           "linux",
		"rootfs": map[string]any{
			"type":     "layers",
			"diff_ids": []string{"sha256:" + fmt.Sprintf("%064d", 0)},
		},
		"config": map[string]any{},
	})
	return ref, "", cfg, err
}
