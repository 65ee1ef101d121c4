#!/usr/bin/env bash
# Remakes the default theme's fonts (themes/default/static/fonts/) from
# Debian's packages: Noto Serif (fonts-noto-core) for text, Inter
# (fonts-inter-variable) for the interface. Each is cut to the characters
# English-language briefings use (Latin, Latin-1, Latin Extended-A, general
# punctuation, arrows, the euro and minus signs), without hinting, as WOFF2:
# about 80 KB for the four files. Needs python3 with fontTools and brotli.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download fonts-noto-core fonts-inter-variable >/dev/null)
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/x"; done
fonts="$work/x/usr/share/fonts/truetype"
out=themes/default/static/fonts
chars="U+0000-00FF,U+0100-017F,U+0218-021B,U+02BC,U+02C6,U+02DA,U+02DC,U+2000-206F,U+20AC,U+2122,U+2190-2193,U+21A9,U+2212,U+FE0E"
subset() {
  python3 -m fontTools.subset "$1" --unicodes="$chars" --no-hinting \
    --layout-features="$3" --flavor=woff2 --output-file="$2"
}
text_features="kern,liga,clig,calt,ccmp,locl,mark,mkmk,tnum,lnum,onum"
subset "$fonts/noto/NotoSerif-Regular.ttf" "$out/noto-serif-regular.woff2" "$text_features"
subset "$fonts/noto/NotoSerif-Italic.ttf" "$out/noto-serif-italic.woff2" "$text_features"
subset "$fonts/noto/NotoSerif-Bold.ttf" "$out/noto-serif-bold.woff2" "$text_features"
# Inter is variable: keep the weights the theme uses (400 to 700).
python3 -m fontTools.varLib.instancer "$fonts/inter-vf/Inter-roman.var.ttf" wght=400:700 -o "$work/inter.ttf"
subset "$work/inter.ttf" "$out/inter.woff2" "kern,liga,calt,ccmp,locl,mark,mkmk,tnum,case"
ls -l "$out"
