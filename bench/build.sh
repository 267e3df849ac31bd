#!/usr/bin/env bash
# bench/build.sh: cold `ogcard build`s of a whole content tree, then a
# no-op rebuild, with wall time, CPU time, cards per second and peak RSS.
#
#   bash bench/build.sh [CONTENT_DIR] [--runs N] [ogcard build flags, like --jobs 2]
#
# CONTENT_DIR defaults to ../shared/corpus (from the repo root). Each of
# the --runs cold builds (default 3) writes into a folder of its own, and
# none is removed before the last has run: on ext4, creating files right
# after thousands were deleted is slower (the inode allocator steps over
# recently freed inodes: the system time of a build grew from 0.7 to
# 1.8 s over runs that each removed the last one's 3,200 files and
# folders). The same holds between two invocations of this script a few
# minutes apart; TMPDIR=/dev/shm (tmpfs) avoids it. Everything goes on
# exit. The no-op rebuild reuses the last cold build's folder and state.
# Peak RSS is what `ogcard build --json` reads from getrusage; wall and CPU
# time come from the shell. On a shared machine wall time swings with the
# host; CPU time (user+sys) and cards per CPU-second are steadier.
set -euo pipefail
cd "$(dirname "$0")/.."
content=../shared/corpus
runs=3
extra=()
while [ $# -gt 0 ]; do
	case $1 in
	--runs) runs=$2; shift 2 ;;
	--runs=*) runs=${1#--runs=}; shift ;;
	-*) extra+=("$1"); shift ;;
	*)
		if [ ${#extra[@]} -gt 0 ]; then extra+=("$1"); else content=$1; fi
		shift
		;;
	esac
done
case $runs in '' | *[!0-9]* | 0) echo "bench/build.sh: --runs wants a number of at least 1" >&2; exit 2 ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/ogcard" ./cmd/ogcard

run() { # label out-folder
	local label=$1 out=$2 start end
	start=$(date +%s.%N)
	# times of this subshell's children: user and sys, after the run
	( "$tmp/ogcard" build "$content" -o "$tmp/$out" --state "$tmp/$out.state.json" --json "${extra[@]}" >"$tmp/$label.json" 2>"$tmp/$label.err" || true; times >"$tmp/$label.times" )
	end=$(date +%s.%N)
	echo "$start $end" >"$tmp/$label.wall"
}
labels=()
for i in $(seq "$runs"); do
	run "cold$i" "out$i"
	labels+=("cold$i")
done
run noop "out$runs"
labels+=(noop)

python3 - "$tmp" "${labels[@]}" <<'PY'
import json, sys, re, statistics
tmp, labels = sys.argv[1], sys.argv[2:]
def cpu(label):
    # second line of `times`: children's user and sys, like 0m21.6s 0m3.0s
    line = open(f"{tmp}/{label}.times").read().splitlines()[1]
    return [int(m) * 60 + float(s) for m, s in re.findall(r"(\d+)m([\d.]+)s", line)]
rows = {}
for label in labels:
    try:
        rep = json.load(open(f"{tmp}/{label}.json"))
    except ValueError:
        sys.exit(f"{label}: no JSON report; ogcard said:\n" + open(f"{tmp}/{label}.err").read())
    a, b = map(float, open(f"{tmp}/{label}.wall").read().split())
    user, sys_ = cpu(label)
    rows[label] = dict(rep=rep, wall=b - a, user=user, sys=sys_, cpu=user + sys_)
print(f"{'run':6} {'wall s':>8} {'cpu s':>8} {'user':>6} {'sys':>6} {'rendered':>9} {'unchanged':>9} {'failed':>6} {'cards/s':>8} {'cards/cpu-s':>11} {'peak RSS MiB':>12}")
for label, r in rows.items():
    rep = r["rep"]
    n = rep["rendered"]
    print(f"{label:6} {r['wall']:8.2f} {r['cpu']:8.2f} {r['user']:6.2f} {r['sys']:6.2f} {n:9d} {rep['unchanged']:9d} {rep['failed']:6d} "
          f"{n / r['wall']:8.1f} {n / max(r['cpu'], 1e-9):11.1f} {rep['peakRSSBytes'] / 2**20:12.1f}")
colds = [r for label, r in rows.items() if label != "noop"]
cold = statistics.median(r["wall"] for r in colds)
z = rows["noop"]
print(f"cold median of {len(colds)}: {cold:.2f} s wall, {statistics.median(r['cpu'] for r in colds):.2f} CPU-s (target <= 4 s)")
print(f"no-op / cold median: wall {100 * z['wall'] / cold:.1f}% (target <= 5%)")
print(f"cold throughput: {colds[0]['rep']['rendered'] / cold:.1f} cards/s wall (target >= 50)")
PY
