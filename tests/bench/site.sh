#!/usr/bin/env bash
# The site benchmark: the whole `mdbook-runbook build` (validation, FAQ,
# scripts, every language) against a plain single-language `mdbook build`
# of the same book without the preprocessor, timed in the same run.
#
#   tests/bench/site.sh [COPIES...]     # default: 50 370
#
# Builds the release binary, writes a synthetic book of COPIES copies of the
# guide (tests/bench/synthetic_book.py), then times RUNS runs of each
# command, taking turns (median wall time, peak resident memory from GNU
# time), and prints the ratios. Needs the mdbook binary: $MDBOOK, or
# .tools/mdbook/bin/mdbook (tests/run.sh installs it), or mdbook on PATH.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${RUNS:-5}
mdbook=${MDBOOK:-.tools/mdbook/bin/mdbook}
[ -x "$mdbook" ] || mdbook=$(command -v mdbook)
cargo build --release --locked --quiet
tool=$PWD/target/release/mdbook-runbook
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# once LABEL COMMAND...: runs COMMAND once; appends its wall time (seconds)
# to the file times-LABEL and its peak resident memory (KiB) to peak-LABEL.
# Wall time comes from bash's microsecond clock around GNU time (whose own
# %e rounds to 10 ms, a fifth of `check`); the memory from GNU time.
once() {
    local label=$1 start end
    shift
    start=$EPOCHREALTIME
    /usr/bin/time -f '%M' -o "$work/time" "$@" >/dev/null 2>&1 || {
        echo "$label failed:" >&2
        "$@" >&2 || true
        exit 1
    }
    end=$EPOCHREALTIME
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.4f\n", e - s }' >>"$work/times-$label"
    cat "$work/time" >>"$work/peak-$label"
}

# report LABEL TEXT: prints the median time and the peak memory of LABEL's
# runs; sets MEDIAN (seconds) and PEAK (MiB).
report() {
    MEDIAN=$(sort -n "$work/times-$1" | sed -n "$((runs / 2 + 1))p")
    PEAK=$(($(sort -n "$work/peak-$1" | tail -n 1) / 1024))
    printf '  %-44s %7.3f s  %6d MiB\n' "$2" "$MEDIAN" "$PEAK"
}

for copies in "${@:-50 370}"; do
    for n in $copies; do
        book=$work/book-$n
        python3 tests/bench/synthetic_book.py "$n" "$book"
        entries=$((n * $(grep -c '^### ' book/troubleshooting.md)))
        # The same book for plain mdBook: no preprocessor, no other output.
        plain=$work/plain-$n
        cp -r "$book" "$plain"
        python3 - "$plain/book.toml" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
text = re.sub(r"(?ms)^\[(preprocessor|output)\.runbook\]\n.*?(?=^\[|\Z)", "", text)
open(path, "w").write(text)
PY
        echo "$n copies of the guide ($entries entries), $runs runs each, median:"
        rm -f "$work"/times-* "$work"/peak-*
        # The three commands take turns, so that a burst of load from
        # elsewhere on the machine weighs on all of them alike.
        for ((i = 0; i < runs; i++)); do
            once plain "$mdbook" build "$plain" -d "$work/plain-out-$n"
            once check "$tool" check "$book" --format json
            once build "$tool" build "$book"
        done
        report plain "mdbook build (plain, one language)"
        plain_time=$MEDIAN plain_peak=$PEAK
        report check "mdbook-runbook check"
        check_time=$MEDIAN
        report build "mdbook-runbook build (every language)"
        build_time=$MEDIAN build_peak=$PEAK
        awk -v b="$build_time" -v p="$plain_time" -v c="$check_time" -v bm="$build_peak" -v pm="$plain_peak" 'BEGIN {
            printf "  ratios: build/plain %.3fx (target <= 1.3x), check/plain %.3fx (target <= 0.1x), peak memory %.2fx (target <= 1.5x)\n", b / p, c / p, bm / pm
        }'
    done
done
