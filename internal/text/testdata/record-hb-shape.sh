#!/usr/bin/env bash
# Records HarfBuzz's shaping of shaping-cases.txt into hb-shape.txt: one line
# per case, the case's five fields and hb-shape's JSON (glyph ids, cluster
# indices, offsets and advances in font units). Uses hb-shape from PATH, or
# Debian bookworm's libharfbuzz-bin 6.0.0+dfsg-3 (downloaded, not installed).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
FONTS="$HERE/../../../fonts"
HB=$(command -v hb-shape || true)
if [ -z "$HB" ]; then
  WORK=$(mktemp -d)
  trap 'rm -rf "$WORK"' EXIT
  chmod 755 "$WORK"
  (cd "$WORK" && apt-get download -o APT::Sandbox::User=root libharfbuzz-bin=6.0.0+dfsg-3 >/dev/null && dpkg -x libharfbuzz-bin_*.deb root)
  HB="$WORK/root/usr/bin/hb-shape"
fi
{
  echo "# $("$HB" --version | head -1); recorded by record-hb-shape.sh from shaping-cases.txt"
  grep -v '^#' "$HERE/shaping-cases.txt" | while IFS=$'\t' read -r font dir script lang text; do
    json=$("$HB" --output-format=json --no-glyph-names --direction="$dir" --script="$script" --language="$lang" "$FONTS/$font" "$text")
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$font" "$dir" "$script" "$lang" "$text" "$json"
  done
} > "$HERE/hb-shape.txt"
