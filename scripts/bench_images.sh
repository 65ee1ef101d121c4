#!/usr/bin/env bash
# Image benchmark: attache's figure processing against Hugo's image processing
# on the same camera-sized JPEGs, cold (empty image cache) and warm (second
# build, cache kept), each timed once in the same run. See docs/performance.md.
#
#   scripts/bench_images.sh [N]          # N photos, default 500
#
# Each photo is a 4000x3000 JPEG of generated, photo-like content (smooth
# colour fields, a horizon, texture and sensor-like noise, so it compresses
# like a photograph: about 3-5 MB), with no EXIF; the same N and SEED always
# give the same files. Both sites hold one page per photo and make the same
# six variants of it: widths 480, 960 and 1600, each as JPEG and WebP,
# quality 80 (attache: figures.widths/formats/quality; Hugo: `.Resize
# "480x q80"` ... `.Resize "1600x webp q80"`). Neither publishes the original.
#
# Needs python3 with numpy and Pillow (pip install numpy pillow) for the
# generator, and hugo (Debian: apt-get install -y hugo). Environment:
#   ATTACHE=path     attache binary (default: target/release/attache, built
#                    here with cargo build --release if missing)
#   TOOLS="attache hugo"   which halves to run
#   SEED=1           generator seed
#   BENCH_CACHE=/tmp/attache-bench-images   where photos and sites live
#   BENCH_OUT=...    where the outputs go (default: BENCH_CACHE; /dev/shm/...
#                    takes the virtual disk out of the figures)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

N=${1:-500}
SEED=${SEED:-1}
TOOLS=${TOOLS:-attache hugo}
CACHE=${BENCH_CACHE:-/tmp/attache-bench-images}
OUT=${BENCH_OUT:-$CACHE}
ATTACHE=${ATTACHE:-$REPO/target/release/attache}
PHOTOS=$CACHE/photos-n$N-seed$SEED
mkdir -p "$CACHE" "$OUT"

has() { case " $TOOLS " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }

if has attache && [ ! -x "$ATTACHE" ]; then
    cargo build --release --quiet
fi
if has hugo && ! command -v hugo >/dev/null; then
    echo "bench_images: hugo is not installed (apt-get install -y hugo)" >&2
    exit 1
fi

# --- the photos -------------------------------------------------------------
if [ ! -f "$PHOTOS/.done" ]; then
    echo "== generating $N photos (4000x3000 JPEG) into $PHOTOS"
    rm -rf "$PHOTOS"
    mkdir -p "$PHOTOS"
    python3 - "$PHOTOS" "$N" "$SEED" <<'PY'
import sys
from multiprocessing import Pool

try:
    import numpy as np
    from PIL import Image
except ImportError:
    sys.exit("bench_images: the photo generator needs numpy and Pillow (pip install numpy pillow)")

OUT, N, SEED = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
W, H = 4000, 3000


def smooth(rng, rows, cols, w, h):
    """Random values on a coarse grid, smoothly enlarged to w x h."""
    coarse = rng.uniform(-1.0, 1.0, (rows, cols)).astype(np.float32)
    return np.asarray(Image.fromarray(coarse, mode="F").resize((w, h), Image.BICUBIC))


def photo(i):
    rng = np.random.default_rng([SEED, i])
    # the scene at a quarter of the size: sky, a ridge line, land, and
    # brightness texture at three scales (mostly grey, a little tint)
    w, h = W // 4, H // 4
    y = np.linspace(0.0, 1.0, h, dtype=np.float32)[:, None]
    x = np.linspace(0.0, 1.0, w, dtype=np.float32)[None, :]
    ridge = rng.uniform(0.35, 0.6) + 0.06 * np.sin(x * rng.uniform(4, 12) + rng.uniform(0, 6)) \
        + 0.02 * np.sin(x * rng.uniform(20, 40)) + 0.03 * smooth(rng, 1, 24, w, 1)
    land = (1.0 / (1.0 + np.exp(np.clip((ridge - y) * 300.0, -60, 60))))[:, :, None]
    sky = np.array(rng.uniform([90, 130, 180], [150, 180, 235]), dtype=np.float32)
    ground = np.array(rng.uniform([50, 55, 30], [110, 105, 70]), dtype=np.float32)
    base = sky * (1.0 - 0.35 * y[:, :, None]) * (1 - land) \
        + ground * (0.6 + 0.6 * y[:, :, None]) * land
    texture = 30 * smooth(rng, 8, 10, w, h) + 22 * smooth(rng, 60, 80, w, h) * land[:, :, 0] \
        + 14 * smooth(rng, 250, 330, w, h) * land[:, :, 0]
    tint = np.array(rng.uniform(0.85, 1.15, 3), dtype=np.float32)
    small = np.clip(base + texture[:, :, None] * tint, 0, 255).astype(np.uint8)
    full = np.asarray(Image.fromarray(small, "RGB").resize((W, H), Image.BICUBIC), dtype=np.int16)
    # sensor-like noise in brightness
    noise = (rng.standard_normal((H, W, 1), dtype=np.float32) * 6.0).astype(np.int16)
    Image.fromarray(np.clip(full + noise, 0, 255).astype(np.uint8), "RGB").save(
        f"{OUT}/photo-{i:04d}.jpg", quality=92, subsampling=0, optimize=False
    )


if __name__ == "__main__":
    with Pool(2) as pool:
        pool.map(photo, range(1, N + 1), chunksize=4)
PY
    touch "$PHOTOS/.done"
fi
echo "== $N photos, $(du -sm "$PHOTOS" | cut -f1) MB ($(ls -l "$PHOTOS"/photo-0001.jpg | awk '{printf "%.1f", $5/1e6}') MB the first)"

# --- the two sites (photos hard-linked in, so they cost no disk) ------------
SITES=$CACHE/sites-n$N-seed$SEED
if [ ! -f "$SITES/.done" ]; then
    rm -rf "$SITES"
    A=$SITES/attache
    H=$SITES/hugo
    mkdir -p "$A/content/briefings/2024" "$H/content/photos" "$H/layouts/_default"
    cat >"$A/attache.yaml" <<'YAML'
title: Image benchmark
base_url: https://example.org/
figures:
  widths: [480, 960, 1600]
  formats: [webp]
  quality: 80
cache: .attache-cache
YAML
    cat >"$H/config.toml" <<'TOML'
baseURL = "https://example.org/"
title = "Image benchmark"
disableKinds = ["taxonomy", "term", "RSS", "sitemap"]
[imaging]
quality = 80
TOML
    cat >"$H/layouts/_default/single.html" <<'HTML'
<!doctype html><html lang="en"><head><title>{{ .Title }}</title></head><body><main><h1>{{ .Title }}</h1>
{{ with .Resources.GetMatch "*.jpg" }}
{{ $j1 := .Resize "480x q80" }}{{ $j2 := .Resize "960x q80" }}{{ $j3 := .Resize "1600x q80" }}
{{ $w1 := .Resize "480x webp q80" }}{{ $w2 := .Resize "960x webp q80" }}{{ $w3 := .Resize "1600x webp q80" }}
<figure><picture>
<source type="image/webp" srcset="{{ $w1.RelPermalink }} 480w, {{ $w2.RelPermalink }} 960w, {{ $w3.RelPermalink }} 1600w" sizes="(min-width: 50rem) 46rem, 100vw">
<img src="{{ $j3.RelPermalink }}" srcset="{{ $j1.RelPermalink }} 480w, {{ $j2.RelPermalink }} 960w, {{ $j3.RelPermalink }} 1600w" sizes="(min-width: 50rem) 46rem, 100vw" width="{{ $j3.Width }}" height="{{ $j3.Height }}" alt="{{ $.Params.alt }}" loading="lazy" decoding="async">
</picture><figcaption>{{ $.Params.caption }}</figcaption></figure>
{{ end }}
{{ .Content }}</main></body></html>
HTML
    cat >"$H/layouts/_default/list.html" <<'HTML'
<!doctype html><html lang="en"><head><title>{{ .Title }}</title></head><body><ul>
{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul></body></html>
HTML
    for i in $(seq 1 "$N"); do
        n=$(printf '%04d' "$i")
        day=$(date -u -d "2020-01-01 +$i days" +%F)
        alt="Generated test photograph number $i: a horizon between sky and land"
        mkdir -p "$A/content/briefings/2024/$day-photo-$n" "$H/content/photos/photo-$n"
        ln "$PHOTOS/photo-$n.jpg" "$A/content/briefings/2024/$day-photo-$n/photo-$n.jpg"
        ln "$PHOTOS/photo-$n.jpg" "$H/content/photos/photo-$n/photo-$n.jpg"
        cat >"$A/content/briefings/2024/$day-photo-$n/index.md" <<MD
---
title: Photo $n
date: $day
figures:
  - src: photo-$n.jpg
    credit: "Generated test image"
---

A page with one photograph.

![$alt](photo-$n.jpg "Photo $n.")
MD
        cat >"$H/content/photos/photo-$n/index.md" <<MD
---
title: Photo $n
date: $day
alt: "$alt"
caption: "Photo $n. Generated test image"
_build:
  publishResources: false
---

A page with one photograph.
MD
    done
    touch "$SITES/.done"
fi

# --- timing -------------------------------------------------------------------
# One run each: cold deletes the output and the image cache first; warm
# deletes only the output. The file system is synced before every run.
now() { date +%s.%N; }
declare -A WALL
timed() { # NAME LOG COMMAND...
    local name=$1 log=$2 t0 t1
    shift 2
    sync
    sleep 0.5
    t0=$(now)
    if ! "$@" >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        echo "bench_images: $name failed: $*" >&2
        exit 1
    fi
    t1=$(now)
    WALL[$name]=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    echo "$name: ${WALL[$name]} s"
}
variants() { find "$1" -type f \( -name '*.jpg' -o -name '*.webp' \) | wc -l; }

if has attache; then
    echo "== attache ($ATTACHE)"
    rm -rf "$SITES/attache/.attache-cache" "$OUT/out-attache"
    timed attache-cold "$CACHE/attache-cold.log" \
        "$ATTACHE" build --root "$SITES/attache" --output "$OUT/out-attache"
    grep -h -i 'images' "$CACHE/attache-cold.log" || true
    echo "   variants written: $(variants "$OUT/out-attache")"
    rm -rf "$OUT/out-attache"
    timed attache-warm "$CACHE/attache-warm.log" \
        "$ATTACHE" build --root "$SITES/attache" --output "$OUT/out-attache"
    grep -h -i 'images' "$CACHE/attache-warm.log" || true
    echo "   variants written: $(variants "$OUT/out-attache")"
fi
if has hugo; then
    echo "== hugo ($(hugo version | cut -d' ' -f2))"
    rm -rf "$SITES/hugo/resources" "$OUT/out-hugo"
    timed hugo-cold "$CACHE/hugo-cold.log" hugo -s "$SITES/hugo" -d "$OUT/out-hugo"
    grep -h 'Processed images' "$CACHE/hugo-cold.log" || true
    echo "   variants written: $(variants "$OUT/out-hugo")"
    rm -rf "$OUT/out-hugo"
    timed hugo-warm "$CACHE/hugo-warm.log" hugo -s "$SITES/hugo" -d "$OUT/out-hugo"
    grep -h 'Processed images' "$CACHE/hugo-warm.log" || true
    echo "   variants written: $(variants "$OUT/out-hugo")"
fi

echo
echo "== $N photos of 4000x3000, widths 480/960/1600 x JPEG+WebP, quality 80; wall seconds, one run each"
printf '| %-7s | %8s | %8s |\n' tool cold warm
printf '|---------|---------:|---------:|\n'
for t in attache hugo; do
    has "$t" && printf '| %-7s | %8s | %8s |\n' "$t" "${WALL[$t-cold]}" "${WALL[$t-warm]}"
done
if has attache && has hugo; then
    awk -v ac="${WALL[attache-cold]}" -v aw="${WALL[attache-warm]}" \
        -v hc="${WALL[hugo-cold]}" -v hw="${WALL[hugo-warm]}" 'BEGIN {
        printf "attache/hugo ratio: cold %.2f, warm %.2f\n", ac / hc, aw / hw }'
fi
