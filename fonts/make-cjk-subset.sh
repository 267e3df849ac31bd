#!/usr/bin/env bash
# Makes NotoSansCJK-Bold-subset.otf: Noto Sans CJK SC Bold (Debian fonts-noto-cjk
# 1:20220127+repack1-1, face 2 of NotoSansCJK-Bold.ttc) cut down to the characters
# of GB2312, JIS X 0208 and KS X 1001 (hanzi/kanji, kana, 2,350 Hangul syllables,
# CJK punctuation, full-width forms), with hb-subset from Debian libharfbuzz-bin
# 6.0.0+dfsg-3. Nothing is installed system-wide. Two runs give the same bytes.
#
# Usage: fonts/make-cjk-subset.sh [OUTDIR]   (default: the folder of this script)
set -euo pipefail
OUT=$(realpath -m "${1:-$(dirname "$0")}")
mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"; cd "$WORK"

apt-get download -o APT::Sandbox::User=root \
  fonts-noto-cjk=1:20220127+repack1-1 \
  libharfbuzz-bin=6.0.0+dfsg-3 >/dev/null
for d in *.deb; do dpkg -x "$d" root; done

# Glyph outlines only: Latin comes from Inter, and Noto CJK's layout features
# (locl, vertical forms, proportional kana) would double the file for nothing
# a horizontal card uses. Hints are dropped: cards are rasterised unhinted.
#
# Every character the three national standards encode: decode each two-byte
# EUC code (rows and cells 0xA1..0xFE) with Python's codecs.
python3 - > unicodes.txt <<'PY'
cps = set()
for codec in ("gb2312", "euc_jp", "euc_kr"):
    for hi in range(0xA1, 0xFF):
        for lo in range(0xA1, 0xFF):
            try:
                s = bytes([hi, lo]).decode(codec)
            except UnicodeDecodeError:
                continue
            cps.update(ord(c) for c in s)
cps.add(0x3000)  # ideographic space
print("\n".join("%04X" % c for c in sorted(cps)))
PY
echo "code points: $(wc -l < unicodes.txt)" >&2

root/usr/bin/hb-subset \
  --font-file=root/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc --face-index=2 \
  --unicodes-file=unicodes.txt \
  --no-hinting --layout-features= --drop-tables+=GSUB,GPOS,VORG,vhea,vmtx \
  --output-file="$OUT/NotoSansCJK-Bold-subset.otf"
zcat -f root/usr/share/doc/fonts-noto-cjk/copyright > "$OUT/LICENSE-NotoSansCJK.debian-copyright"
ls -l "$OUT/NotoSansCJK-Bold-subset.otf" >&2
