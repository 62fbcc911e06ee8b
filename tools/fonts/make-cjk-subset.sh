#!/usr/bin/env bash
# Regenerates the certificate's CJK font, src/EvidenceChain.Node/Certificates/Fonts/cjk-subset.ttf: face 0 of
# WenQuanYi Micro Hei (Debian fonts-wqy-microhei; Apache-2.0 or GPL-3.0 with the font exception, we take Apache-2.0),
# cut down with fontTools' pyftsubset to ASCII, Latin-1, general and CJK punctuation, full-width forms, the GB 2312
# symbol rows and the 3,755 GB 2312 level-1 hanzi. A TrueType-outline (glyf) font because PDFsharp 6.2 embeds
# TrueType outlines only; Noto Sans CJK is CFF-based. Needs: apt-get install fonts-wqy-microhei python3-fonttools
# (set PYTHON=/usr/bin/python3 when another python3 without fontTools comes first on PATH)
set -euo pipefail
cd "$(dirname "$0")/../.."
source_font=${1:-/usr/share/fonts/truetype/wqy/wqy-microhei.ttc}
out=src/EvidenceChain.Node/Certificates/Fonts/cjk-subset.ttf
codepoints=$(mktemp)
trap 'rm -f "$codepoints"' EXIT
"${PYTHON:-python3}" - "$codepoints" <<'PY'
import sys
points = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
points |= set(range(0x2000, 0x2070)) | set(range(0x3000, 0x3040)) | set(range(0xFF01, 0xFF5F)) | {0x2116, 0x2192, 0x2190, 0x25A0, 0x25CF, 0x2713}
def gb2312(first_row, last_row):
    for row in range(first_row, last_row + 1):
        for cell in range(0xA1, 0xFF):
            try:
                text = bytes([row, cell]).decode("gb2312")
            except UnicodeDecodeError:
                continue
            points.update(ord(c) for c in text)
gb2312(0xA1, 0xA9)   # symbols, full-width ASCII, kana, Greek, Cyrillic, box drawing
gb2312(0xB0, 0xD7)   # level 1: the 3,755 most common hanzi
import glob
for source in glob.glob("src/EvidenceChain.Node/Certificates/*.cs"):  # every character the certificate's own text uses
    points.update(ord(c) for c in open(source, encoding="utf-8").read() if ord(c) >= 0x80)
with open(sys.argv[1], "w") as f:
    f.write(",".join(f"U+{p:04X}" for p in sorted(points)))
PY
"${PYTHON:-python3}" -m fontTools.subset "$source_font" --font-number=0 --unicodes-file="$codepoints" --output-file="$out" \
  --layout-features='*' --name-IDs='*' --name-languages='*' --notdef-outline --no-hinting --drop-tables+=DSIG
echo "wrote $out ($(stat -c %s "$out") bytes)"
