package internal_test

import (
	"encoding/json"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// layers places every package of Hearth on a floor. A package may import
// only packages on floors below its own: so nothing imports a package
// above it (no service reaches up into httpapi, the store never into a
// service), and the services, which share a floor, stand side by side and
// never import one another; where one needs another it declares a small
// interface, and internal/app wires them. A new package must be given its
// floor here.
var layers = map[string]int{
	"hearth/internal/apperr":            0,
	"hearth/internal/apperr/apperrtest": 1, // reads what a service answered, for tests
	"hearth/internal/seal":              0,
	"hearth/internal/throttle":          0,
	"hearth/internal/config":            0,
	"hearth/frontend":                   0,

	"hearth/internal/kernel": 1, // the shared vocabulary

	"hearth/internal/store":           2,
	"hearth/internal/store/storetest": 3,

	// The services.
	"hearth/internal/auth":       4,
	"hearth/internal/forum":      4,
	"hearth/internal/moderation": 4,
	"hearth/internal/mentorship": 4,
	"hearth/internal/notify":     4,
	"hearth/internal/search":     4,
	"hearth/internal/safety":     4,

	"hearth/internal/app":  5,
	"hearth/internal/demo": 5,

	"hearth/internal/httpapi": 6,

	"hearth/cmd/hearth":      7,
	"hearth/cmd/hearthbench": 7,
}

// TestNoPackageImportsOneAboveIt reads every package's imports (tests
// aside) with go list and holds them to layers.
func TestNoPackageImportsOneAboveIt(t *testing.T) {
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports", "hearth/...")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(out)
	seen := 0
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		if p.ImportPath == "hearth/internal" {
			continue // this test's own directory
		}
		seen++
		floor, ok := layers[p.ImportPath]
		if !ok {
			t.Errorf("%s has no floor in layers: give it one", p.ImportPath)
			continue
		}
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, "hearth/") {
				continue
			}
			if f, ok := layers[imp]; ok && f >= floor {
				t.Errorf("%s (floor %d) imports %s (floor %d): a package may import only those below it", p.ImportPath, floor, imp, f)
			}
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatal(err)
	}
	if seen < len(layers)-1 {
		t.Fatalf("go list named %d packages, layers %d: is the module's path still hearth?", seen, len(layers))
	}
}
