package ogcard

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// cliFlags returns the flags a command's source file declares
// (fs.String("o", ...), fs.Var(&x, "template", ...)).
func cliFlags(t *testing.T, file string) map[string]bool {
	t.Helper()
	flags := cliFlagsIn(t, file)
	if len(flags) < 5 {
		t.Fatalf("%s: found only flags %v; the pattern is stale", file, flags)
	}
	return flags
}

// cliFlagsIn returns the flags a Go file of the CLI defines.
func cliFlagsIn(t *testing.T, file string) map[string]bool {
	t.Helper()
	re := regexp.MustCompile(`\b(?:fs|fl)\.(?:String|Bool|Int|Duration|Var)\((?:&\w+, )?"([a-z-]+)"`)
	flags := map[string]bool{}
	for _, m := range re.FindAllStringSubmatch(string(readFile(t, file)), -1) {
		flags[m[1]] = true
	}
	return flags
}

// flagsIn returns the --flags of a command line or script.
func flagsIn(s string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`(?:^|[\s("])--?([a-z][a-z-]*)`).FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

type actionFile struct {
	Name        string
	Description string
	Author      string
	Branding    map[string]string
	Inputs      map[string]struct {
		Description string
		Required    bool
		Default     *string
	}
	Outputs map[string]struct{ Description, Value string }
	Runs    struct {
		Using string
		Steps []struct {
			Name  string
			ID    string
			Uses  string
			If    string
			Shell string
			Run   string
			With  map[string]string
			Env   map[string]string
		}
	}
}

// TestActionYAML parses action.yml: a composite action that installs the
// pinned ogcard (or builds the action's checkout), caches the output
// folder, and runs `ogcard build` with flags the CLI has, from scripts that
// take inputs through the environment (never ${{ }} inside a script, where
// an input could inject shell).
func TestActionYAML(t *testing.T) {
	var a actionFile
	dec := yaml.NewDecoder(bytes.NewReader(readFile(t, "action.yml")))
	dec.KnownFields(true)
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using = %q, want composite", a.Runs.Using)
	}
	for _, in := range []string{"content", "output", "base-url", "shard", "version"} {
		if _, ok := a.Inputs[in]; !ok {
			t.Errorf("no input %q", in)
		}
	}
	if !a.Inputs["content"].Required {
		t.Error("input content is not required")
	}
	for name, in := range a.Inputs {
		if in.Description == "" || (!in.Required && in.Default == nil) {
			t.Errorf("input %s: description %q, default %v", name, in.Description, in.Default)
		}
	}
	buildFlags := cliFlags(t, "cmd/ogcard/build.go")
	for f := range cliFlagsIn(t, "cmd/ogcard/sitebuild.go") { // the site flags build adds
		buildFlags[f] = true
	}
	var cached, installed, built bool
	for _, s := range a.Runs.Steps {
		switch {
		case strings.HasPrefix(s.Uses, "actions/cache@"):
			// The cards and the build state beside them, per shard.
			paths := strings.Split(strings.TrimSpace(s.With["path"]), "\n")
			for i := range paths {
				paths[i] = strings.TrimSpace(paths[i])
			}
			cached = slices.Contains(paths, "${{ inputs.output }}") &&
				slices.Contains(paths, "${{ inputs.output }}.ogcard-state.json") &&
				strings.Contains(s.With["key"], "inputs.shard")
		case s.Run != "":
			if s.Shell != "bash" {
				t.Errorf("step %q: shell %q, want bash", s.Name, s.Shell)
			}
			if strings.Contains(s.Run, "${{") {
				t.Errorf("step %q interpolates ${{ }} into its script; pass inputs through env", s.Name)
			}
			cmd := exec.Command("bash", "-n")
			cmd.Stdin = strings.NewReader(s.Run)
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("step %q: bash -n: %v\n%s", s.Name, err, out)
			}
			if strings.Contains(s.Run, "go install \"github.com/ogcard/ogcard/cmd/ogcard@${OGCARD_VERSION}\"") && strings.Contains(s.Run, "go install ./cmd/ogcard") {
				installed = true
			}
			if strings.Contains(s.Run, "args=(build ") {
				built = true
				// The command line is assembled in args: its flags are
				// the ones after args=( or args+=( on each line.
				var line string
				for _, l := range strings.Split(s.Run, "\n") {
					if i := strings.Index(l, "args=(build "); i >= 0 {
						line += l[i:] + "\n"
					} else if i := strings.Index(l, "args+=("); i >= 0 {
						line += l[i:] + "\n"
					}
				}
				for _, f := range flagsIn(line) {
					if !buildFlags[f] {
						t.Errorf("step %q passes --%s, which ogcard build does not have", s.Name, f)
					}
				}
				for _, want := range []string{"--shard", "--json", "-o"} {
					if !strings.Contains(line, want) {
						t.Errorf("build step lacks %s", want)
					}
				}
			}
		}
	}
	if !cached || !installed || !built {
		t.Errorf("steps: cache of the output folder per shard %v, install (pinned or checkout) %v, build %v", cached, installed, built)
	}
	if a.Outputs["manifest"].Value == "" {
		t.Error("no manifest output")
	}
}

// TestContainerFiles checks the Dockerfile and .ko.yaml: a static binary
// (CGO_ENABLED=0) of ./cmd/ogcard with its version stamped into the
// variable the CLI prints, on a base that runs as a non-root user, serving
// on the port the Kubernetes example probes.
func TestContainerFiles(t *testing.T) {
	if !regexp.MustCompile(`(?m)^var version = `).Match(readFile(t, "cmd/ogcard/inspect.go")) {
		t.Fatal("cmd/ogcard/inspect.go has no `var version`: -X main.version stamps nothing")
	}
	docker := string(readFile(t, "Dockerfile"))
	var stages []string
	var final []string // instructions of the last stage
	for _, line := range strings.Split(docker, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "FROM ") {
			stages = append(stages, line)
			final = nil
		}
		final = append(final, line)
	}
	if len(stages) != 2 {
		t.Fatalf("Dockerfile has %d stages, want build and run", len(stages))
	}
	if !regexp.MustCompile(`RUN CGO_ENABLED=0 go build .*-X main\.version=.* \./cmd/ogcard`).MatchString(docker) {
		t.Error("Dockerfile: no CGO_ENABLED=0 go build of ./cmd/ogcard stamping main.version")
	}
	if !strings.Contains(stages[1], "nonroot") || !slices.Contains(final, "USER 65532:65532") {
		t.Errorf("Dockerfile's final stage %q does not run as non-root: %q", stages[1], final)
	}
	if !slices.Contains(final, `ENTRYPOINT ["/ogcard"]`) || !slices.Contains(final, "EXPOSE 8080") {
		t.Errorf("Dockerfile's final stage: %q", final)
	}
	serveFlags := cliFlags(t, "cmd/ogcard/serve.go")
	for _, l := range final {
		if strings.HasPrefix(l, "CMD ") {
			for _, f := range flagsIn(l) {
				if !serveFlags[f] {
					t.Errorf("Dockerfile CMD passes --%s, which ogcard serve does not have", f)
				}
			}
		}
	}

	var ko struct {
		DefaultBaseImage string `yaml:"defaultBaseImage"`
		Builds           []struct {
			ID      string   `yaml:"id"`
			Main    string   `yaml:"main"`
			Env     []string `yaml:"env"`
			Flags   []string `yaml:"flags"`
			Ldflags []string `yaml:"ldflags"`
		} `yaml:"builds"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(readFile(t, ".ko.yaml")))
	dec.KnownFields(true)
	if err := dec.Decode(&ko); err != nil {
		t.Fatalf(".ko.yaml: %v", err)
	}
	if !strings.Contains(ko.DefaultBaseImage, "nonroot") || len(ko.Builds) != 1 {
		t.Fatalf(".ko.yaml: base %q, %d builds", ko.DefaultBaseImage, len(ko.Builds))
	}
	b := ko.Builds[0]
	if st, err := os.Stat(b.Main); err != nil || !st.IsDir() || !slices.Contains(b.Env, "CGO_ENABLED=0") || !strings.Contains(strings.Join(b.Ldflags, " "), "-X main.version=") {
		t.Errorf(".ko.yaml build: %+v (%v)", b, err)
	}
}

type k8sObject struct {
	Kind     string
	Metadata struct{ Name string }
	Spec     struct {
		Selector struct {
			MatchLabels map[string]string `yaml:"matchLabels"`
		} `yaml:"selector"`
		Template struct {
			Metadata struct{ Labels map[string]string }
			Spec     struct {
				SecurityContext struct {
					RunAsNonRoot bool `yaml:"runAsNonRoot"`
					RunAsUser    int  `yaml:"runAsUser"`
				} `yaml:"securityContext"`
				InitContainers []k8sContainer `yaml:"initContainers"`
				Containers     []k8sContainer `yaml:"containers"`
			}
		}
		Ports []struct {
			TargetPort string `yaml:"targetPort"`
		}
	}
}

type k8sProbe struct {
	HTTPGet struct {
		Path string
		Port string
	} `yaml:"httpGet"`
}

type k8sContainer struct {
	Name  string
	Image string
	Args  []string
	Env   []struct {
		Name  string
		Value string
	}
	Ports []struct {
		Name          string
		ContainerPort int `yaml:"containerPort"`
	}
	ReadinessProbe *k8sProbe `yaml:"readinessProbe"`
	LivenessProbe  *k8sProbe `yaml:"livenessProbe"`
	StartupProbe   *k8sProbe `yaml:"startupProbe"`
	Resources      struct {
		Requests map[string]string
		Limits   map[string]string
	}
	SecurityContext struct {
		ReadOnlyRootFilesystem   bool `yaml:"readOnlyRootFilesystem"`
		AllowPrivilegeEscalation bool `yaml:"allowPrivilegeEscalation"`
	} `yaml:"securityContext"`
}

// TestKubernetesExample parses deploy/kubernetes/ogcard.yaml: a Deployment
// whose ogcard container runs `serve` with flags the CLI has, probes
// /healthz on its named port, asks for 192Mi and is limited to 256Mi (the
// server's measured peak is near 187 MiB under its own soft limit, which
// no GOMEMLIMIT overrides), runs as non-root on a read-only root, and a
// Service that targets the port.
func TestKubernetesExample(t *testing.T) {
	dec := yaml.NewDecoder(bytes.NewReader(readFile(t, "deploy/kubernetes/ogcard.yaml")))
	var objs []k8sObject
	for {
		var o k8sObject
		err := dec.Decode(&o)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("deploy/kubernetes/ogcard.yaml: %v", err)
		}
		objs = append(objs, o)
	}
	if len(objs) != 2 || objs[0].Kind != "Deployment" || objs[1].Kind != "Service" {
		t.Fatalf("want a Deployment and a Service, got %d objects", len(objs))
	}
	d := objs[0].Spec
	for k, v := range d.Selector.MatchLabels {
		if d.Template.Metadata.Labels[k] != v {
			t.Errorf("selector %s=%s does not match the pod's labels", k, v)
		}
	}
	pod := d.Template.Spec
	if !pod.SecurityContext.RunAsNonRoot || pod.SecurityContext.RunAsUser == 0 {
		t.Errorf("pod security context: %+v", pod.SecurityContext)
	}
	i := slices.IndexFunc(pod.Containers, func(c k8sContainer) bool { return c.Name == "ogcard" })
	if i < 0 {
		t.Fatal("no ogcard container")
	}
	c := pod.Containers[i]
	serveFlags := cliFlags(t, "cmd/ogcard/serve.go")
	if len(c.Args) == 0 || c.Args[0] != "serve" {
		t.Fatalf("ogcard container args %q, want serve ...", c.Args)
	}
	for _, a := range c.Args[1:] {
		name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !serveFlags[name] {
			t.Errorf("arg %q: ogcard serve has no --%s", a, name)
		}
		if name == "addr" && !strings.HasSuffix(a, ":8080") {
			t.Errorf("arg %q: want port 8080", a)
		}
	}
	if len(c.Ports) != 1 || c.Ports[0].ContainerPort != 8080 {
		t.Fatalf("ports %+v", c.Ports)
	}
	for name, probe := range map[string]*k8sProbe{"readiness": c.ReadinessProbe, "liveness": c.LivenessProbe, "startup": c.StartupProbe} {
		if probe == nil || probe.HTTPGet.Path != "/healthz" || probe.HTTPGet.Port != c.Ports[0].Name {
			t.Errorf("%s probe %+v, want GET /healthz on port %s", name, probe, c.Ports[0].Name)
		}
	}
	if c.Resources.Requests["memory"] != "192Mi" || c.Resources.Limits["memory"] != "256Mi" || c.Resources.Requests["cpu"] == "" {
		t.Errorf("resources %+v, want requests 192Mi (and a CPU request), limit 256Mi", c.Resources)
	}
	for _, e := range c.Env {
		if e.Name == "GOMEMLIMIT" {
			t.Errorf("GOMEMLIMIT=%s overrides the limit ogcard serve sets itself", e.Value)
		}
	}
	for _, a := range c.Args {
		if strings.HasPrefix(a, "--memory-limit") {
			t.Errorf("arg %q: leave the memory limit automatic", a)
		}
	}
	for _, cc := range append(pod.InitContainers, c) {
		if !cc.SecurityContext.ReadOnlyRootFilesystem || cc.SecurityContext.AllowPrivilegeEscalation {
			t.Errorf("container %s: security context %+v", cc.Name, cc.SecurityContext)
		}
	}
	if svc := objs[1].Spec; len(svc.Ports) != 1 || svc.Ports[0].TargetPort != c.Ports[0].Name {
		t.Errorf("Service ports %+v, want the container's port %s", svc.Ports, c.Ports[0].Name)
	}
}
