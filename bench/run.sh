#!/usr/bin/env bash
# Benchmark: `metroportal build` against Hugo on the synthetic multilingual site of
# bench/gen_site.py (N logical pages in pl/en/uk), fresh builds (empty output) and repeat builds
# (output present), with hyperfine; peak memory with /usr/bin/time -v. Results go to
# bench/results/ (hyperfine JSON and Markdown, memory.tsv, profile-*.txt, env.txt, summary.md).
#
#   bench/run.sh                     # N = 1000 and 10000 (about 12-15 minutes on 2 cores)
#   SIZES=1000 bench/run.sh          # only N = 1000
#   RUNS_1000=10 RUNS_10000=5 bench/run.sh
#   REGEN=1 bench/run.sh             # regenerate the sites in bench/sites/ even if present
#
# Protocol notes. Every timed run is preceded by `sync` (hyperfine --prepare), so that no run
# pays for writing back the previous run's files; fresh builds also remove the output first.
# On this machine's ext4 (no journal), creating files right after deleting many is slow: the
# inode allocator skips inodes deleted in the last 60 s (kernel `recently_deleted`). A fresh
# build therefore pays for the output it deleted, for both generators alike; before the fresh
# builds of each size the script waits SETTLE seconds, so that they do not also pay for files
# deleted earlier (regenerated sites, outputs of the previous size).
#
# Needs: python3, cargo, hugo, hyperfine, GNU time (/usr/bin/time). It installs nothing.
# Zola is not measured here (see BENCHMARKS.md for its reference figures).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$BENCH")"
SIZES="${SIZES:-1000 10000}"
RUNS_1000="${RUNS_1000:-5}"
RUNS_10000="${RUNS_10000:-3}"
REGEN="${REGEN:-0}"        # 1: regenerate the sites even if present
QUIET_WAIT="${QUIET_WAIT:-120}"   # max seconds to wait for an idle CPU before each measurement
SETTLE="${SETTLE:-65}"      # seconds to wait before the fresh builds of each size, see below
SITES="$BENCH/sites"       # git-ignored
RESULTS="$BENCH/results"

missing=()
for tool in python3 cargo hugo hyperfine; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
[ -x /usr/bin/time ] || missing+=("time (/usr/bin/time)")
if [ ${#missing[@]} -gt 0 ]; then
    echo "missing: ${missing[*]}" >&2
    echo "install them with:  apt-get install hugo hyperfine time   (and a Rust toolchain for cargo)" >&2
    exit 2
fi

mkdir -p "$SITES" "$RESULTS"
cd "$BENCH"

echo "== building metroportal (release)"
cargo build --release --quiet --manifest-path "$REPO/Cargo.toml"
# Benchmark a private copy, so that a concurrent rebuild of target/ cannot swap the binary mid-run.
mkdir -p "$SITES/bin"
cp "$REPO/target/release/metroportal" "$SITES/bin/metroportal"
MP="sites/bin/metroportal"
git -C "$REPO" rev-parse --short HEAD > "$SITES/bin/metroportal.commit" 2>/dev/null || echo unknown > "$SITES/bin/metroportal.commit"

{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "nproc: $(nproc)"
    echo "memory: $(free -m | awk '/^Mem:/ {print $2 " MiB"}')"
    echo "kernel: $(uname -sr)"
    echo "filesystem of bench/sites: $(df -T "$SITES" | awk 'NR==2 {print $2}')"
    echo "hugo: $(hugo version)"
    echo "hyperfine: $(hyperfine --version)"
    echo "rustc: $(rustc --version)"
    echo "metroportal: $("$MP" --version) at commit $(cat "$SITES/bin/metroportal.commit") (built from the working tree)"
    echo "python3: $(python3 --version 2>&1)"
} > "$RESULTS/env.txt"
cat "$RESULTS/env.txt"

# Waits (at most QUIET_WAIT s) until the CPU is idle, so that a concurrent job (a compile) does
# not distort a measurement; warns if it never is.
wait_quiet() {
    local waited=0 u n s i w rest b0 t0 b1 t1
    while :; do
        read -r _ u n s i w rest < /proc/stat; b0=$((u + n + s)); t0=$((b0 + i + w))
        sleep 3
        read -r _ u n s i w rest < /proc/stat; b1=$((u + n + s)); t1=$((b1 + i + w))
        if [ $((100 * (b1 - b0) / (t1 - t0 + 1))) -lt 10 ]; then return 0; fi
        waited=$((waited + 3))
        if [ "$waited" -ge "$QUIET_WAIT" ]; then
            echo "   warning: the CPU is still busy after ${QUIET_WAIT}s; measuring anyway" >&2
            return 0
        fi
    done
}

printf 'n\tgenerator\tbuild\tmax_rss_kib\twall\n' > "$RESULTS/memory.tsv"

# Runs CMD... under GNU time and appends its peak RSS to memory.tsv.
peak_rss() {
    local n="$1" gen="$2" kind="$3"
    shift 3
    local log
    log="$(mktemp)"
    /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; rm -f "$log"; return 1; }
    local rss wall
    rss="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")"
    wall="$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")"
    printf '%s\t%s\t%s\t%s\t%s\n' "$n" "$gen" "$kind" "$rss" "$wall" >> "$RESULTS/memory.tsv"
    echo "   peak RSS $gen $kind N=$n: $((rss / 1024)) MiB (wall $wall)"
    rm -f "$log"
}

for n in $SIZES; do
    case "$n" in
        1000) runs="$RUNS_1000" ;;
        10000) runs="$RUNS_10000" ;;
        *) runs="${RUNS:-3}" ;;
    esac
    peers="sites/peers-$n"    # content + Hugo (and Zola) config and theme; Hugo writes public-hugo/
    mp="sites/mp-$n"          # the same content, metroportal flavor, + bench/config.toml + bench/theme
    # metroportal keeps state beside its output (the previous generation, `.public.prev`, and a
    # lock file), so its output gets a folder of its own: a fresh build removes all of it.
    mp_dir="sites/out-mp-$n"
    mp_out="$mp_dir/public"
    hugo_out="$peers/public-hugo"
    hugo_clean="$hugo_out $peers/resources"

    if [ "$REGEN" = 1 ] || [ ! -d "$peers/content" ] || [ ! -d "$mp/content" ]; then
        echo "== generating N=$n"
        python3 gen_site.py "$peers" -n "$n" --force
        python3 gen_site.py "$mp" -n "$n" --flavor metroportal --force
    fi
    rm -rf "$mp/themes" && mkdir -p "$mp/themes"
    cp -r theme "$mp/themes/bench"
    cp config.toml "$mp/config.toml"

    mp_cmd="$MP build --root $mp --output $mp_out"
    hugo_cmd="hugo --source $peers --config hugo.toml --quiet"

    rm -rf "$mp_dir" $hugo_clean "sites/copy-$n"
    sync
    echo "   waiting ${SETTLE}s for the inodes of files deleted before (sites, outputs) to age"
    sleep "$SETTLE"
    echo "== N=$n: fresh builds (output removed before each run), $runs runs + 1 warm-up"
    wait_quiet
    hyperfine --warmup 1 --runs "$runs" \
        --prepare "rm -rf $mp_dir && sync" -n metroportal "$mp_cmd" \
        --prepare "rm -rf $hugo_clean && sync" -n hugo "$hugo_cmd" \
        --prepare "rm -rf sites/copy-$n && sync" -n "cp (floor)" "cp -r $mp_out sites/copy-$n" \
        --export-json "$RESULTS/fresh-$n.json" --export-markdown "$RESULTS/fresh-$n.md"

    echo "== N=$n: repeat builds (output of the previous build present), $runs runs + 1 warm-up"
    rm -rf "sites/copy-$n"
    wait_quiet
    hyperfine --warmup 1 --runs "$runs" --prepare sync \
        -n metroportal "$mp_cmd" \
        -n hugo "$hugo_cmd" \
        --export-json "$RESULTS/repeat-$n.json" --export-markdown "$RESULTS/repeat-$n.md"

    echo "== N=$n: peak memory (one run each, /usr/bin/time -v)"
    wait_quiet
    rm -rf "$mp_dir" && sync
    peak_rss "$n" metroportal fresh $mp_cmd
    sync
    peak_rss "$n" metroportal repeat $mp_cmd
    rm -rf $hugo_clean && sync
    peak_rss "$n" hugo fresh $hugo_cmd
    sync
    peak_rss "$n" hugo repeat $hugo_cmd

    echo "== N=$n: metroportal phase timings (-v)"
    wait_quiet
    {
        echo "\$ rm -rf $mp_dir && sync && $mp_cmd -v"
        rm -rf "$mp_dir" && sync
        $mp_cmd -v 2>&1
        echo
        echo "\$ sync && $mp_cmd -v      # first repeat: output present, no previous generation yet"
        sync
        $mp_cmd -v 2>&1
        echo
        echo "\$ sync && $mp_cmd -v      # steady repeat (what the hyperfine repeat runs measure)"
        sync
        $mp_cmd -v 2>&1
    } > "$RESULTS/profile-$n.txt"
    cat "$RESULTS/profile-$n.txt"
    echo "   HTML files: metroportal $(find "$mp_out" -name '*.html' | wc -l), hugo $(find "$hugo_out" -name '*.html' | wc -l)"
done

python3 - "$RESULTS" <<'EOF' | tee "$RESULTS/summary.md"
import csv, json, os, sys
res = sys.argv[1]
mem = {}
with open(os.path.join(res, "memory.tsv")) as f:
    for row in csv.DictReader(f, delimiter="\t"):
        mem[(row["n"], row["generator"], row["build"])] = int(row["max_rss_kib"])
def size(kib):
    return f"{kib / 1024:.0f} MiB" if kib < 1024 * 1024 else f"{kib / 1024 / 1024:.2f} GiB"
print("| N | build | metroportal median | Hugo median | Hugo / metroportal | metroportal peak RSS | Hugo peak RSS |")
print("|---|---|---|---|---|---|---|")
ns = sorted({k[0] for k in mem}, key=int)
floor = []
for n in ns:
    for kind in ("fresh", "repeat"):
        path = os.path.join(res, f"{kind}-{n}.json")
        if not os.path.exists(path):
            continue
        r = {x["command"]: x for x in json.load(open(path))["results"]}
        m, h = r["metroportal"], r["hugo"]
        print(f"| {int(n):,} | {kind} | {m['median']:.3f} s (±{m['stddev']:.3f}) | {h['median']:.2f} s (±{h['stddev']:.2f}) "
              f"| {h['median'] / m['median']:.1f}× | {size(mem[(n, 'metroportal', kind)])} | {size(mem[(n, 'hugo', kind)])} |")
        if "cp (floor)" in r:
            floor.append(f"N={int(n):,}: cp -r of the metroportal output {r['cp (floor)']['median']:.3f} s")
if floor:
    print()
    print("Floor (median of a plain copy of the output tree, same protocol as fresh builds): " + "; ".join(floor))
EOF
echo "results in $RESULTS"
