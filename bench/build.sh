#!/usr/bin/env bash
# bench/build.sh: a cold `ogcard build` of a whole content tree, then a
# no-op rebuild, with wall time, CPU time, cards per second and peak RSS.
#
#   bash bench/build.sh [CONTENT_DIR] [--jobs N]
#
# CONTENT_DIR defaults to ../shared/corpus (from the repo root). The output
# goes to a temp folder removed on exit. Peak RSS is what `ogcard build
# --json` reads from getrusage; wall and CPU time come from the shell.
# On a shared, loaded machine wall time swings; CPU time (user+sys) and
# cards per CPU-second are the stable figures.
set -euo pipefail
cd "$(dirname "$0")/.."
content=${1:-../shared/corpus}
shift || true
extra=("$@")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/ogcard" ./cmd/ogcard

run() { # label
	local label=$1 start end
	start=$(date +%s.%N)
	# times of this subshell's children: user and sys, after the run
	( "$tmp/ogcard" build "$content" -o "$tmp/out" --state "$tmp/state.json" --json "${extra[@]}" >"$tmp/$label.json" 2>"$tmp/$label.err" || true; times >"$tmp/$label.times" )
	end=$(date +%s.%N)
	echo "$start $end" >"$tmp/$label.wall"
}
run cold
run noop

python3 - "$tmp" <<'PY'
import json, sys, re
tmp = sys.argv[1]
def cpu(label):
    # second line of `times`: children's user and sys, like 0m21.6s 0m3.0s
    line = open(f"{tmp}/{label}.times").read().splitlines()[1]
    secs = 0.0
    for m, s in re.findall(r"(\d+)m([\d.]+)s", line):
        secs += int(m) * 60 + float(s)
    return secs
rows = {}
for label in ("cold", "noop"):
    rep = json.load(open(f"{tmp}/{label}.json"))
    a, b = map(float, open(f"{tmp}/{label}.wall").read().split())
    rows[label] = dict(rep=rep, wall=b - a, cpu=cpu(label))
print(f"{'run':6} {'wall s':>8} {'cpu s':>8} {'rendered':>9} {'unchanged':>9} {'failed':>6} {'cards/s':>8} {'cards/cpu-s':>11} {'peak RSS MiB':>12}")
for label, r in rows.items():
    rep = r["rep"]
    n = rep["rendered"]
    print(f"{label:6} {r['wall']:8.2f} {r['cpu']:8.2f} {n:9d} {rep['unchanged']:9d} {rep['failed']:6d} "
          f"{n / r['wall']:8.1f} {n / max(r['cpu'], 1e-9):11.1f} {rep['peakRSSBytes'] / 2**20:12.1f}")
c, z = rows["cold"], rows["noop"]
print(f"no-op / cold: wall {100 * z['wall'] / c['wall']:.1f}%, cpu {100 * z['cpu'] / c['cpu']:.1f}% (target <= 5%)")
print(f"cold throughput: {c['rep']['rendered'] / c['wall']:.1f} cards/s wall (target >= 50)")
PY
