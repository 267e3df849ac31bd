#!/usr/bin/env bash
# bench/serve.sh: load-test `ogcard serve` on loopback with wrk: cached,
# 304 and uncached throughput, p50/p99 latency and the server's peak RSS,
# against a cold `ogcard build` of the same posts, in one run.
#
#   bash bench/serve.sh [--runs 3] [--content DIR] [--conns 64]
#                       [--cached-secs 10] [--uncached-secs 15]
#                       [--sustained-conns 256] [--sustained-secs 25]
#                       [--templates og,landscape,portrait,square,event]
#                       [--only sustained] [--bin PATH]
#
# Each round: a cold batch build (cards/s); then a server with the cache off
# (--cache-mb 0 --queue 256) loaded with distinct posts' URLs; then a server
# with the default cache, loaded with one warmed URL (200 path) and the same
# URL with If-None-Match (304 path); then a server with the default cache
# under sustained load: every post in every --templates template, so the
# cache fills and evicts. Figures are medians over the rounds; peak RSS
# (VmHWM from /proc) is the largest seen. wrk runs on the same cores as the
# server and takes a share of the CPU. --only sustained runs the batch build
# (for the URL list) and the sustained phase only; --bin uses a prebuilt
# binary, to compare two versions side by side.
#
# Only 127.0.0.1 is targeted. The binary, logs and build output go to a temp
# folder removed on exit, and the servers are stopped on any exit.
#
# Exit status: 0 every target met; 1 it ran but a target was missed;
# 2 it could not run (build failed, server did not start, wrk missing, ...).
# See bench/README.md.

set -u -o pipefail

RUNS=3
CONTENT=../shared/corpus/cilium/src/posts
CONNS=64
CACHED_SECS=10
UNCACHED_SECS=15
REF=/blog/2026/01/23/cilium-at-kubecon-eu-2026
SUSTAINED_CONNS=256
SUSTAINED_SECS=25
TEMPLATES=og,landscape,portrait,square,event
ONLY=""
BIN=""

# Targets (the issue's, for a 2-core machine).
TARGET_CACHED_RPS=10000
TARGET_UNCACHED_RATIO=0.80
TARGET_RSS_MIB=300
TARGET_SUSTAINED_RSS_MIB=200

usage() { sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; }
die() { echo "serve.sh: $*" >&2; exit 2; }
posint() { case "$2" in '' | *[!0-9]* | 0) die "$1 wants a positive integer" ;; esac; }

while [ $# -gt 0 ]; do
	case "$1" in
	--runs) RUNS="${2:-}"; shift 2 || { usage >&2; exit 2; } ;;
	--content) CONTENT="${2:-}"; shift 2 || { usage >&2; exit 2; } ;;
	--conns) CONNS="${2:-}"; shift 2 || { usage >&2; exit 2; } ;;
	--cached-secs) CACHED_SECS="${2:-}"; shift 2 || { usage >&2; exit 2; } ;;
	--uncached-secs) UNCACHED_SECS="${2:-}"; shift 2 || { usage >&2; exit 2; } ;;
	--sustained-conns) SUSTAINED_CONNS="${2:-}"; shift 2 || { usage >&2; exit 2; } ;;
	--sustained-secs) SUSTAINED_SECS="${2:-}"; shift 2 || { usage >&2; exit 2; } ;;
	--templates) TEMPLATES="${2:-}"; shift 2 || { usage >&2; exit 2; } ;;
	--only) ONLY="${2:-}"; shift 2 || { usage >&2; exit 2; } ;;
	--bin) BIN="${2:-}"; shift 2 || { usage >&2; exit 2; } ;;
	-h | --help) usage; exit 0 ;;
	*) echo "serve.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
	esac
done
posint --runs "$RUNS"
posint --conns "$CONNS"
posint --cached-secs "$CACHED_SECS"
posint --uncached-secs "$UNCACHED_SECS"
posint --sustained-conns "$SUSTAINED_CONNS"
posint --sustained-secs "$SUSTAINED_SECS"
case "$ONLY" in '' | sustained) ;; *) die "--only takes 'sustained'" ;; esac
case "$TEMPLATES" in '' | *[!a-z0-9,_-]*) die "--templates wants a comma-separated list of template names" ;; esac

case "$BIN" in '' | /*) ;; *) BIN="$PWD/$BIN" ;; esac
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 2
[ -d "$CONTENT" ] || die "content folder not found: $CONTENT"
for c in go wrk curl jq; do command -v "$c" >/dev/null 2>&1 || die "'$c' is not installed"; done

TMP="$(mktemp -d "${TMPDIR:-/tmp}/ogcard-serve-bench.XXXXXX")" || die "mktemp failed"
SERVER_PID=""
stop_server() {
	if [ -n "$SERVER_PID" ]; then
		kill "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
		SERVER_PID=""
	fi
}
cleanup() { stop_server; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== machine: $(nproc) cores, load average:$(uptime | sed 's/.*load average[s]*://'); $(go version | awk '{print $3}'); $(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')"
if [ -n "$BIN" ]; then
	[ -x "$BIN" ] || die "--bin $BIN is not an executable"
	echo "== binary: $BIN"
else
	go build -o "$TMP/ogcard" ./cmd/ogcard || die "go build failed"
	BIN="$TMP/ogcard"
fi

# start_server LOG ARGS...: starts ogcard serve on a free loopback port
# (the kernel picks it: --addr 127.0.0.1:0, read back from the "serving"
# log line) and waits for /healthz. Sets SERVER_PID and BASE.
start_server() {
	local log=$1 addr="" i
	shift
	"$BIN" serve --content "$CONTENT" --addr 127.0.0.1:0 "$@" 2>"$log" &
	SERVER_PID=$!
	for i in $(seq 1 200); do
		# The log is JSON lines after the config note ("ogcard: using ...").
		addr=$(grep '^{' "$log" | jq -r 'select(.msg == "serving") | .addr' 2>/dev/null | head -1)
		[ -n "$addr" ] && break
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.05
	done
	case "$addr" in 127.0.0.1:[0-9]*) ;; *) cat "$log" >&2; die "server did not start" ;; esac
	BASE="http://$addr"
	for i in $(seq 1 100); do
		curl -fsS --max-time 1 "$BASE/healthz" >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	die "server at $BASE never answered /healthz"
}

# vmhwm PID: peak resident set in KiB.
vmhwm() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }

# wrk scripts. Both print key=value lines from done(); only the uncached
# one defines response(), because handing wrk's Lua every 130 KB body would
# cost the cached run CPU the server needs.
cat >"$TMP/fixed.lua" <<'EOF'
-- args: [etag]; with an etag every request carries If-None-Match.
function init(args)
  if args[1] then wrk.headers["If-None-Match"] = args[1] end
end
function done(summary, latency, requests)
  local s = summary.duration / 1e6
  io.write(string.format("requests=%d\nsecs=%.3f\nrps=%.1f\np50_ms=%.3f\np99_ms=%.3f\nerrors_status=%d\nerrors_socket=%d\n",
    summary.requests, s, summary.requests / s, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
EOF
cat >"$TMP/paths.lua" <<'EOF'
-- args: PATHS_FILE. Each connection walks the list from its own offset, so
-- concurrent requests ask for distinct cards; 200s, 429s and other statuses
-- are counted apart.
local threads, nthreads = {}, 0
function setup(thread)
  thread:set("tid", nthreads)
  nthreads = nthreads + 1
  table.insert(threads, thread)
end
function init(args)
  paths = {}
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  i = math.floor(tid * #paths / 2)
  ok, busy, other = 0, 0, 0
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
function response(status, headers, body)
  if status == 200 then ok = ok + 1 elseif status == 429 then busy = busy + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local o, b, x = 0, 0, 0
  for _, t in ipairs(threads) do o, b, x = o + t:get("ok"), b + t:get("busy"), x + t:get("other") end
  local s = summary.duration / 1e6
  io.write(string.format("requests=%d\nsecs=%.3f\nok=%d\nbusy=%d\nother=%d\ncards_per_s=%.1f\np50_ms=%.3f\np99_ms=%.3f\nerrors_socket=%d\n",
    summary.requests, s, o, b, x, o / s, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
EOF

kv() { sed -n "s/^$2=//p" "$1" | tail -1; } # kv FILE KEY
median() { sort -g | awk '{v[NR] = $1} END {if (NR == 0) print ""; else if (NR % 2) printf "%.1f\n", v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
maxof() { sort -g | tail -1; }

for r in $(seq 1 "$RUNS"); do
	echo "== round $r of $RUNS"

	# Batch baseline: a cold build (fresh output folder, no manifest). With
	# --only sustained it is built once, for the URL list.
	if [ -z "$ONLY" ] || [ ! -s "$TMP/paths.txt" ]; then
		rm -rf "$TMP/out"
		rm -f "$TMP/state.json"; "$BIN" build "$CONTENT" -o "$TMP/out" --state "$TMP/state.json" --json >"$TMP/build.$r.json" 2>"$TMP/build.$r.err" || { cat "$TMP/build.$r.err" >&2; die "ogcard build failed"; }
		jq -r '.cardsPerSecond' "$TMP/build.$r.json" >>"$TMP/batch.cps"
		printf '   batch:    %s cards in %.2f s = %.1f cards/s\n' "$(jq -r .rendered "$TMP/build.$r.json")" \
			"$(jq -r .seconds "$TMP/build.$r.json")" "$(jq -r .cardsPerSecond "$TMP/build.$r.json")"
		if [ ! -s "$TMP/paths.txt" ]; then
			# URL paths of every built post, escaped per segment.
			jq -r '.posts[] | select(.outputs | length > 0) | "/og" + (.urlPath | split("/") | map(@uri) | join("/")) + ".png"' \
				"$TMP/state.json" >"$TMP/paths.txt"
			[ -s "$TMP/paths.txt" ] || die "no URL paths in the build manifest"
		fi
	fi

	if [ -z "$ONLY" ]; then
		# Uncached: every request renders; the queue holds all 64 clients, so
		# this measures throughput, not admission.
		start_server "$TMP/uncached.$r.log" --cache-mb 0 --queue 256 --deadline 60s
		wrk -t2 -c"$CONNS" -d"${UNCACHED_SECS}s" --timeout 60s -s "$TMP/paths.lua" "$BASE" -- "$TMP/paths.txt" >"$TMP/uncached.$r.txt" 2>&1 ||
			{ cat "$TMP/uncached.$r.txt" >&2; die "wrk failed (uncached)"; }
		vmhwm "$SERVER_PID" >>"$TMP/uncached.rss"
		stop_server
		f="$TMP/uncached.$r.txt"
		kv "$f" cards_per_s >>"$TMP/uncached.cps"
		kv "$f" p50_ms >>"$TMP/uncached.p50"
		kv "$f" p99_ms >>"$TMP/uncached.p99"
		kv "$f" busy >>"$TMP/uncached.429"
		printf '   uncached: %s cards/s, p50 %s ms, p99 %s ms, 429s %s, other non-200 %s, socket errors %s\n' \
			"$(kv "$f" cards_per_s)" "$(kv "$f" p50_ms)" "$(kv "$f" p99_ms)" "$(kv "$f" busy)" "$(kv "$f" other)" "$(kv "$f" errors_socket)"

		# Cached: one warmed URL, 200 path, then the same URL with its ETag.
		start_server "$TMP/cached.$r.log"
		URL="$BASE/og$REF.png"
		etag=$(curl -fsS -o /dev/null -D - "$URL" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
		[ -n "$etag" ] || die "warm-up of $URL failed"
		code=$(curl -sS -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$URL")
		[ "$code" = 304 ] || die "If-None-Match: $etag gave $code, want 304"
		for mode in 200 304; do
			f="$TMP/cached$mode.$r.txt"
			if [ "$mode" = 200 ]; then
				wrk -t2 -c"$CONNS" -d"${CACHED_SECS}s" --latency -s "$TMP/fixed.lua" "$URL" >"$f" 2>&1
			else
				wrk -t2 -c"$CONNS" -d"${CACHED_SECS}s" --latency -s "$TMP/fixed.lua" "$URL" -- "$etag" >"$f" 2>&1
			fi || { cat "$f" >&2; die "wrk failed (cached $mode)"; }
			kv "$f" rps >>"$TMP/cached$mode.rps"
			kv "$f" p50_ms >>"$TMP/cached$mode.p50"
			kv "$f" p99_ms >>"$TMP/cached$mode.p99"
			printf '   cached %s: %s req/s, p50 %s ms, p99 %s ms, non-2xx/3xx %s, socket errors %s\n' "$mode" \
				"$(kv "$f" rps)" "$(kv "$f" p50_ms)" "$(kv "$f" p99_ms)" "$(kv "$f" errors_status)" "$(kv "$f" errors_socket)"
		done
		vmhwm "$SERVER_PID" >>"$TMP/cached.rss"
		stop_server
	fi

	# Sustained: default flags (64 MiB cache, queue 4 x workers), every post
	# in every template from more clients than the queue holds, so the cache
	# fills and evicts while renders run flat out and the rest get 429.
	if [ ! -s "$TMP/mixed.txt" ]; then
		for t in ${TEMPLATES//,/ }; do sed "s|^/og/|/og/$t/|" "$TMP/paths.txt"; done >"$TMP/mixed.txt"
	fi
	start_server "$TMP/sustained.$r.log"
	wrk -t2 -c"$SUSTAINED_CONNS" -d"${SUSTAINED_SECS}s" --timeout 60s -s "$TMP/paths.lua" "$BASE" -- "$TMP/mixed.txt" >"$TMP/sustained.$r.txt" 2>&1 ||
		{ cat "$TMP/sustained.$r.txt" >&2; die "wrk failed (sustained)"; }
	vmhwm "$SERVER_PID" >>"$TMP/sustained.rss"
	stop_server
	f="$TMP/sustained.$r.txt"
	kv "$f" cards_per_s >>"$TMP/sustained.cps"
	kv "$f" p50_ms >>"$TMP/sustained.p50"
	kv "$f" p99_ms >>"$TMP/sustained.p99"
	kv "$f" busy >>"$TMP/sustained.429"
	printf '   sustained: %s 200s/s, p50 %s ms, p99 %s ms, 429s %s, other non-200 %s, socket errors %s, peak RSS %s MiB\n' \
		"$(kv "$f" cards_per_s)" "$(kv "$f" p50_ms)" "$(kv "$f" p99_ms)" "$(kv "$f" busy)" "$(kv "$f" other)" "$(kv "$f" errors_socket)" \
		"$(awk -v a="$(tail -1 "$TMP/sustained.rss")" 'BEGIN {printf "%.1f", a / 1024}')"
done

BATCH=$(median <"$TMP/batch.cps")
SUS=$(median <"$TMP/sustained.cps")
RSS_S=$(maxof <"$TMP/sustained.rss")
RSS_SM=$(awk -v a="$RSS_S" 'BEGIN {printf "%.1f", a / 1024}')
verdict() { awk -v v="$1" -v t="$2" 'BEGIN {print (v + 0 >= t + 0) ? "PASS" : "FAIL"}'; }
under() { awk -v v="$1" -v t="$2" 'BEGIN {print (v + 0 <= t + 0) ? "PASS" : "FAIL"}'; }
V_S=$(under "$RSS_SM" "$TARGET_SUSTAINED_RSS_MIB")
row() { printf '%-30s %12s %10s %10s  %-22s %s\n' "$@"; }

echo
if [ -n "$ONLY" ]; then
	echo "== medians of $RUNS rounds, wrk -t2 on the same $(nproc) cores"
	row "measure" "throughput" "p50 ms" "p99 ms" "target" "verdict"
else
	UNC=$(median <"$TMP/uncached.cps")
	C200=$(median <"$TMP/cached200.rps")
	RATIO=$(awk -v u="$UNC" -v b="$BATCH" 'BEGIN {printf "%.2f", u / b}')
	RSS_U=$(maxof <"$TMP/uncached.rss")
	RSS_C=$(maxof <"$TMP/cached.rss")
	RSS=$(awk -v a="$RSS_U" -v b="$RSS_C" 'BEGIN {printf "%.1f", (a > b ? a : b) / 1024}')
	V_C=$(verdict "$C200" "$TARGET_CACHED_RPS")
	V_U=$(verdict "$RATIO" "$TARGET_UNCACHED_RATIO")
	V_R=$(awk -v v="$RSS" -v t="$TARGET_RSS_MIB" 'BEGIN {print (v + 0 < t + 0) ? "PASS" : "FAIL"}')
	echo "== medians of $RUNS rounds, $CONNS connections (sustained: $SUSTAINED_CONNS), wrk -t2 on the same $(nproc) cores"
	row "measure" "throughput" "p50 ms" "p99 ms" "target" "verdict"
	row "cached 200 (req/s)" "$C200" "$(median <"$TMP/cached200.p50")" "$(median <"$TMP/cached200.p99")" ">= $TARGET_CACHED_RPS req/s" "$V_C"
	row "cached 304 (req/s)" "$(median <"$TMP/cached304.rps")" "$(median <"$TMP/cached304.p50")" "$(median <"$TMP/cached304.p99")" "(none)" "-"
	row "uncached (200 cards/s)" "$UNC" "$(median <"$TMP/uncached.p50")" "$(median <"$TMP/uncached.p99")" "" ""
	row "batch build (cards/s)" "$BATCH" "-" "-" "" ""
	row "uncached / batch" "$RATIO" "" "" ">= $TARGET_UNCACHED_RATIO" "$V_U"
	row "peak RSS cached/uncached (MiB)" "$RSS" "" "" "< $TARGET_RSS_MIB MiB" "$V_R"
fi
row "sustained (200 cards/s)" "$SUS" "$(median <"$TMP/sustained.p50")" "$(median <"$TMP/sustained.p99")" "" ""
row "sustained peak RSS (MiB, max)" "$RSS_SM" "" "" "<= $TARGET_SUSTAINED_RSS_MIB MiB" "$V_S"
if [ -z "$ONLY" ]; then
	echo "429s in the uncached runs (queue 256): $(awk '{s += $1} END {print s + 0}' "$TMP/uncached.429")"
	echo "peak RSS: cached server $(awk -v a="$RSS_C" 'BEGIN {printf "%.1f", a / 1024}') MiB, uncached server $(awk -v a="$RSS_U" 'BEGIN {printf "%.1f", a / 1024}') MiB"
fi
echo "sustained: $SUSTAINED_CONNS connections for ${SUSTAINED_SECS}s over templates $TEMPLATES, default server flags (64 MiB cache, queue 4 x workers); 429s: $(awk '{s += $1} END {print s + 0}' "$TMP/sustained.429")"
echo
if [ -z "$ONLY" ]; then
	echo "cached_rps=$C200"
	echo "uncached_cards_per_s=$UNC"
	echo "batch_cards_per_s=$BATCH"
	echo "uncached_batch_ratio=$RATIO"
	echo "peak_rss_mib=$RSS"
fi
echo "sustained_cards_per_s=$SUS"
echo "sustained_peak_rss_mib=$RSS_SM"
if [ -n "$ONLY" ]; then
	V_C=PASS V_U=PASS V_R=PASS
fi
if [ "$V_C$V_U$V_R$V_S" = PASSPASSPASSPASS ]; then
	echo "result=PASS"
	exit 0
fi
echo "result=FAIL"
exit 1
