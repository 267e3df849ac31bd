#!/usr/bin/env bash
# Fetches Noto Sans Thai, Devanagari, Bengali and Tamil, Regular and Bold, from
# Debian bookworm's fonts-noto-core 20201225-1 (download + unpack; nothing is
# installed system-wide). The Inter, Arabic, Hebrew, Droid and Noto Emoji files
# come from ../shared/tools/fetch-fonts.sh, the CJK subset from make-cjk-subset.sh.
#
# Usage: fonts/fetch-noto-scripts.sh [OUTDIR]   (default: the folder of this script)
set -euo pipefail
OUT=$(realpath -m "${1:-$(dirname "$0")}")
mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"; cd "$WORK"
apt-get download -o APT::Sandbox::User=root fonts-noto-core=20201225-1 >/dev/null
dpkg -x fonts-noto-core_20201225-1_all.deb root
for s in Thai Devanagari Bengali Tamil; do
  for w in Regular Bold; do
    cp "root/usr/share/fonts/truetype/noto/NotoSans$s-$w.ttf" "$OUT/"
  done
done
