#!/usr/bin/env bash
# The build cache (issue 15): a fresh build, then repeat builds with nothing changed (rendered
# nothing, written nothing) and builds after one page changed, on the synthetic sites of
# bench/gen_site.py. Wall time and peak memory from GNU time; results in
# bench/results/cache-N.txt.
#
#   bench/cache.sh                 # N = 1000 and 10000 (sites made as bench/run.sh makes them)
#   SIZES=1000 RUNS=10 bench/cache.sh
#
# Needs: python3, cargo, GNU time (/usr/bin/time). It installs nothing.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$BENCH")"
SIZES="${SIZES:-1000 10000}"
RUNS="${RUNS:-5}"
SITES="$BENCH/sites"
mkdir -p "$SITES/bin" "$BENCH/results"
# MP=/path/to/metroportal measures another binary (an older commit, say) on the same sites;
# LABEL names it in the results (bench/results/cache-LABEL-N.txt).
if [ -z "${MP:-}" ]; then
    cargo build --release --quiet --manifest-path "$REPO/Cargo.toml"
    cp "$REPO/target/release/metroportal" "$SITES/bin/metroportal-cache"
    MP="$SITES/bin/metroportal-cache"
    commit="$(git -C "$REPO" rev-parse --short HEAD)"
else
    commit="${LABEL:-$(basename "$MP")}"
fi
suffix="${LABEL:+-$LABEL}"

for n in $SIZES; do
    site="$SITES/mp-$n"
    if [ ! -d "$site/content" ]; then
        python3 "$BENCH/gen_site.py" "$site" -n "$n" --flavor metroportal --force >/dev/null
        rm -rf "$site/themes" && mkdir -p "$site/themes" && cp -r "$BENCH/theme" "$site/themes/bench"
        cp "$BENCH/config.toml" "$site/config.toml"
    fi
    out="$BENCH/results/cache$suffix-$n.txt"
    {
        echo "# metroportal $commit, N = $n, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores"
        echo "# kind seconds peak-KiB"
        cd "$site"
        rm -rf public .public.prev .public.cache .public.deps .public.lock
        sync
        /usr/bin/time -f "fresh %e %M" "$MP" build 2>&1 >/dev/null | tail -1
        for _ in $(seq "$RUNS"); do
            sync
            /usr/bin/time -f "nothing-changed %e %M" "$MP" build 2>&1 >/dev/null | tail -1
        done
        page="$(find content -name '*.md' | sort | sed -n 500p)"
        cp "$page" "$SITES/page.orig"
        for i in $(seq "$RUNS"); do
            printf '\nEdited for the benchmark (%s).\n' "$i" >> "$page"
            sync
            /usr/bin/time -f "one-page-changed %e %M" "$MP" build 2>&1 >/dev/null | tail -1
        done
        mv "$SITES/page.orig" "$page"
        cd - >/dev/null
    } | tee "$out"
done
