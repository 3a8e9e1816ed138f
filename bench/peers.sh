#!/usr/bin/env bash
# Paired runs of metroportal, Hugo and Zola on the same synthetic site of bench/gen_site.py
# (issue 15): a fresh build (output removed), a repeat build with nothing changed and a build
# after one page changed, timed by hyperfine with the three generators interleaved in one
# session, and the peak memory of each fresh build (GNU time). Results in
# bench/results/peers-<kind>-<N>.{json,md} and peers-memory.tsv.
#
#   ZOLA=/path/to/zola bench/peers.sh              # N = 1000 and 10000
#   SIZES=1000 RUNS=5 ZOLA=… bench/peers.sh
#
# Zola 0.22.1 is built from its source, as BENCHMARKS.md says; Hugo is Debian's `hugo`.
# Needs: python3, cargo, hugo, hyperfine, GNU time, and a zola binary. It installs nothing.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$BENCH")"
SIZES="${SIZES:-1000 10000}"
RUNS="${RUNS:-3}"
ZOLA="${ZOLA:?set ZOLA to a zola binary (BENCHMARKS.md says how it was built)}"
SITES="$BENCH/sites"
RESULTS="$BENCH/results"
mkdir -p "$SITES/bin" "$RESULTS"
cd "$BENCH"
cargo build --release --quiet --manifest-path "$REPO/Cargo.toml"
cp "$REPO/target/release/metroportal" "$SITES/bin/metroportal-peers"
MP="sites/bin/metroportal-peers"
{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git -C "$REPO" rev-parse --short HEAD)"
    echo "nproc: $(nproc)"
    echo "metroportal: $("$MP" --version)"
    echo "hugo: $(hugo version)"
    echo "zola: $("$ZOLA" --version)"
    echo "hyperfine: $(hyperfine --version)"
} | tee "$RESULTS/peers-env.txt"
printf 'n\tgenerator\tmax_rss_kib\twall\n' > "$RESULTS/peers-memory.tsv"

for n in $SIZES; do
    peers="sites/peers-$n"
    mp="sites/mp-$n"
    if [ ! -d "$peers/content" ]; then python3 gen_site.py "$peers" -n "$n" --force >/dev/null; fi
    if [ ! -d "$mp/content" ]; then python3 gen_site.py "$mp" -n "$n" --flavor metroportal --force >/dev/null; fi
    rm -rf "$mp/themes" && mkdir -p "$mp/themes" && cp -r theme "$mp/themes/bench" && cp config.toml "$mp/config.toml"
    mp_dir="sites/out-mp-$n"
    mp_cmd="$MP build --root $mp --output $mp_dir/public"
    hugo_cmd="hugo --source $peers --config hugo.toml --quiet"
    hugo_clean="$peers/public-hugo $peers/resources"
    zola_cmd="$ZOLA --root $peers build --force"
    zola_clean="$peers/public-zola"
    page="$(cd "$mp" && find content -name '*.md' ! -name '_index*' ! -name '*.en.md' ! -name '*.uk.md' | sort | sed -n 100p)"
    [ -f "$peers/$page" ] || { echo "$page is not in $peers" >&2; exit 1; }
    touch_page="printf '\\nEdited %s.\\n' \$(date +%s%N) | tee -a $mp/$page >> $peers/$page && sync"
    echo "== N=$n fresh"
    hyperfine --runs "$RUNS" \
        --prepare "rm -rf $mp_dir && sync" -n metroportal "$mp_cmd" \
        --prepare "rm -rf $hugo_clean && sync" -n hugo "$hugo_cmd" \
        --prepare "rm -rf $zola_clean && sync" -n zola "$zola_cmd" \
        --export-json "$RESULTS/peers-fresh-$n.json" --export-markdown "$RESULTS/peers-fresh-$n.md"
    echo "== N=$n nothing changed"
    hyperfine --runs "$RUNS" --prepare sync -n metroportal "$mp_cmd" -n hugo "$hugo_cmd" -n zola "$zola_cmd" \
        --export-json "$RESULTS/peers-repeat-$n.json" --export-markdown "$RESULTS/peers-repeat-$n.md"
    echo "== N=$n one page changed ($page)"
    cp "$mp/$page" "$SITES/mp.orig" && cp "$peers/$page" "$SITES/peers.orig"
    hyperfine --runs "$RUNS" --prepare "$touch_page" -n metroportal "$mp_cmd" -n hugo "$hugo_cmd" -n zola "$zola_cmd" \
        --export-json "$RESULTS/peers-one-change-$n.json" --export-markdown "$RESULTS/peers-one-change-$n.md"
    mv "$SITES/mp.orig" "$mp/$page" && mv "$SITES/peers.orig" "$peers/$page"
    echo "== N=$n peak memory (fresh)"
    for gen in metroportal hugo zola; do
        case "$gen" in
            metroportal) rm -rf "$mp_dir"; cmd="$mp_cmd" ;;
            hugo) rm -rf $hugo_clean; cmd="$hugo_cmd" ;;
            zola) rm -rf $zola_clean; cmd="$zola_cmd" ;;
        esac
        sync
        log="$(mktemp)"
        # shellcheck disable=SC2086
        /usr/bin/time -v $cmd >/dev/null 2>"$log"
        rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")"
        wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")"
        printf '%s\t%s\t%s\t%s\n' "$n" "$gen" "$rss" "$wall" | tee -a "$RESULTS/peers-memory.tsv"
        rm -f "$log"
    done
done
