#!/usr/bin/env bash
# Side-by-side warm per-card time: Satori + @resvg/resvg-js vs ogcard.
#
#   bash bench/compare.sh [--n 50] [--out /tmp/satori-card.png] [--card bench/card.json] [--satori-only]
#
# Installs pinned satori and @resvg/resvg-js from the npm registry into a
# temporary folder outside the repo (removed on exit), times the Satori card
# (bench/satori/card.mjs), then runs ogcard's BenchmarkRenderOG five times, and prints
# both per-card times and the ratio against the target (satori/ogcard >= 12x).
# ogcard runs on one core (-cpu 1), as Satori's render loop does.
#
# Exit status: 0 target met; 1 both sides ran but the target was missed;
# 2 a side failed to run (or bad usage). With --satori-only: 0 if Satori ran.
# See bench/README.md.

set -u -o pipefail

SATORI_VERSION=0.63.2
RESVG_VERSION=2.6.2
TARGET=12

N=50
OUT="${TMPDIR:-/tmp}/satori-card.png"
CARD=""
SATORI_ONLY=0

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
	case "$1" in
	--n) N="${2:-}"; shift 2 || { usage >&2; exit 2; } ;;
	--out) OUT="${2:-}"; shift 2 || { usage >&2; exit 2; } ;;
	--card) CARD="${2:-}"; shift 2 || { usage >&2; exit 2; } ;;
	--satori-only) SATORI_ONLY=1; shift ;;
	-h | --help) usage; exit 0 ;;
	*) echo "compare.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
	esac
done
case "$N" in '' | *[!0-9]* | 0) echo "compare.sh: --n wants a positive integer" >&2; exit 2 ;; esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 2
[ -n "$CARD" ] || CARD="$ROOT/bench/card.json"
[ -f "$CARD" ] || { echo "compare.sh: card file not found: $CARD" >&2; exit 2; }

need() { command -v "$1" >/dev/null 2>&1 || { echo "compare.sh: '$1' is not installed" >&2; exit 2; }; }
need node
need npm
[ "$SATORI_ONLY" = 1 ] || need go

# Temp folder for node_modules: outside the repo, removed however we exit.
TMP="$(mktemp -d "${TMPDIR:-/tmp}/ogcard-bench.XXXXXX")" || { echo "compare.sh: mktemp failed" >&2; exit 2; }
case "$TMP/" in "$ROOT"/*) echo "compare.sh: temp dir $TMP is inside the repo; set TMPDIR elsewhere" >&2; rm -rf "$TMP"; exit 2 ;; esac
cleanup() { rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== machine: $(nproc 2>/dev/null || echo '?') cores, load average:$(uptime 2>/dev/null | sed 's/.*load average[s]*://')"
echo "== node $(node -v), npm $(npm -v)$([ "$SATORI_ONLY" = 1 ] || echo ", $(go version | awk '{print $3}')")"

# ---------- Satori + resvg-js ----------
echo "== installing satori@$SATORI_VERSION @resvg/resvg-js@$RESVG_VERSION into $TMP"
printf '{"private": true}\n' >"$TMP/package.json"
if ! (cd "$TMP" && npm install --no-save --no-audit --no-fund --loglevel=error \
	"satori@$SATORI_VERSION" "@resvg/resvg-js@$RESVG_VERSION"); then
	echo "compare.sh: npm install failed" >&2
	exit 2
fi

echo "== satori: 5 warm-up + $N timed renders"
node "$ROOT/bench/satori/card.mjs" "$CARD" --modules "$TMP" --n "$N" --warmup 5 --out "$OUT" | tee "$TMP/satori.txt"
st=$?
SATORI_MS="$(sed -n 's/^satori_ms_per_card=\([0-9.]*\)$/\1/p' "$TMP/satori.txt" | tail -1)"
if [ "$st" -ne 0 ] || [ -z "$SATORI_MS" ]; then
	echo "compare.sh: the Satori benchmark failed (exit $st)" >&2
	exit 2
fi
SATORI_SVG="$(sed -n 's/^satori_svg_ms=//p' "$TMP/satori.txt" | tail -1)"
SATORI_PNG="$(sed -n 's/^satori_png_ms=//p' "$TMP/satori.txt" | tail -1)"

if [ "$SATORI_ONLY" = 1 ]; then
	echo
	echo "satori + resvg-js: $SATORI_MS ms/card (svg $SATORI_SVG, png $SATORI_PNG)  [--satori-only: ogcard not run]"
	echo "satori_ms_per_card=$SATORI_MS"
	exit 0
fi

# ---------- ogcard ----------
# Five runs of N cards, and the median of their means: Satori's figure is
# the median of its renders, which one stall of the machine does not move;
# the mean of a single 0.5 s run it does (4.1 to 6.6 ms in four runs in a
# row on a shared 2-core machine).
echo "== ogcard: go test ./internal/render -bench 'BenchmarkRenderOG\$' -benchtime ${N}x -count 5 -cpu 1"
go test ./internal/render -run '^$' -bench 'BenchmarkRenderOG$' -benchtime "${N}x" -count 5 -cpu 1 2>&1 | tee "$TMP/go.txt"
gst=$?
# "BenchmarkRenderOG-2   50   12345678 ns/op   ..." (the -N suffix is GOMAXPROCS)
NS="$(awk '$1 ~ /^BenchmarkRenderOG(-[0-9]+)?$/ { for (i = 3; i <= NF; i++) if ($i == "ns/op") print $(i-1) }' "$TMP/go.txt" |
	sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }')"
if [ "$gst" -ne 0 ] || [ -z "$NS" ]; then
	if ! ls internal/render/*.go >/dev/null 2>&1; then
		echo "compare.sh: internal/render has no Go files yet, so BenchmarkRenderOG does not exist" >&2
	elif [ "$gst" -eq 0 ]; then
		echo "compare.sh: go test ran but printed no BenchmarkRenderOG ns/op line" >&2
	fi
	echo "compare.sh: the ogcard benchmark failed (go test exit $gst); satori alone: $SATORI_MS ms/card" >&2
	exit 2
fi

# ---------- verdict ----------
awk -v s="$SATORI_MS" -v sv="$SATORI_SVG" -v sp="$SATORI_PNG" -v ns="$NS" -v t="$TARGET" 'BEGIN {
	o = ns / 1e6
	r = s / o
	ok = (r >= t)
	printf "\n"
	printf "satori + resvg-js  %8.1f ms/card  (svg %s ms, png %s ms; median of the timed renders)\n", s, sv, sp
	printf "ogcard             %8.2f ms/card  (BenchmarkRenderOG: median of 5 runs, each a mean)\n", o
	printf "satori/ogcard = %.1fx   target >= %dx   %s\n", r, t, (ok ? "PASS" : "FAIL")
	printf "satori_ms_per_card=%.1f\nogcard_ms_per_card=%.2f\nratio=%.2f\nresult=%s\n", s, o, r, (ok ? "PASS" : "FAIL")
	exit(ok ? 0 : 1)
}'
