#!/usr/bin/env bash
# CPU profile of `metroportal build` on the benchmark site (run bench/run.sh first, which
# generates bench/sites/ and the binary bench/sites/bin/metroportal): perf samples of a fresh
# build (output removed just before, as in the hyperfine fresh runs) and of a steady repeat
# build (third build in a row), summarised into bench/results/perf-N.txt.
#
#   bench/profile.sh [N]        # N = 10000 by default; needs perf (apt-get install linux-perf)
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
N="${1:-10000}"
cd "$BENCH"
command -v perf >/dev/null || { echo "perf is missing: apt-get install linux-perf" >&2; exit 2; }
[ -x sites/bin/metroportal ] && [ -d "sites/mp-$N/content" ] || { echo "run bench/run.sh first" >&2; exit 2; }

out_dir="sites/out-mp-$N"
cmd=(sites/bin/metroportal build --root "sites/mp-$N" --output "$out_dir/public")
data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT

rm -rf "$out_dir" && sync
perf record -q -g -o "$data/fresh.data" "${cmd[@]}" -v 2> "$data/fresh.txt"
sync && "${cmd[@]}" 2>/dev/null
sync && perf record -q -g -o "$data/repeat.data" "${cmd[@]}" -v 2> "$data/repeat.txt"

report() {
    local f="$1"
    set +e +o pipefail   # grep/head end pipelines early
    echo "--- samples by object"
    perf report -i "$data/$f.data" --no-children --sort dso --stdio 2>/dev/null | grep -E '^ +[0-9]' | head -4
    echo "--- inclusive share of selected functions (children, self)"
    perf report -i "$data/$f.data" --children --sort sym --stdio -g none 2>/dev/null |
        grep -E '__ext4_new_inode|recently_deleted|ext4_mkdir$|ext4_create$|vfs_write$|ksys_read$|do_unlinkat|metroportal::markdown::render$|metroportal::site::render_job|minijinja::vm::Vm::eval|metroportal::output::same_contents|metroportal::output::Staging::write$|metroportal::output::Staging::commit|metroportal::content::load' | head -16
    echo "--- top functions (self)"
    perf report -i "$data/$f.data" --no-children --sort sym --stdio -g none 2>/dev/null | grep -E '^ +[0-9]' | head -20
}

{
    echo "# perf profile of metroportal at N=$N ($("${cmd[0]}" --version), binary built by run.sh at commit $(cat sites/bin/metroportal.commit 2>/dev/null || echo unknown))"
    echo "# machine: $(nproc) cores; percentages are shares of all CPU samples of the process"
    echo
    echo "=== fresh build:  rm -rf $out_dir && sync && perf record -g ${cmd[*]} -v"
    cat "$data/fresh.txt"
    report fresh
    echo
    echo "=== steady repeat build (third in a row):  sync && perf record -g ${cmd[*]} -v"
    cat "$data/repeat.txt"
    report repeat
} > "results/perf-$N.txt"
cat "results/perf-$N.txt"
