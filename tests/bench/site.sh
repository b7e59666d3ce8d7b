#!/usr/bin/env bash
# The site benchmark: the whole `mdbook-runbook build` (validation, FAQ,
# scripts, every language) against a plain single-language `mdbook build`
# of the same book without the preprocessor, timed in the same run.
#
#   tests/bench/site.sh [COPIES...]     # default: 50 370
#
# Builds the release binary, writes a synthetic book of COPIES copies of the
# guide (tests/bench/synthetic_book.py), then times RUNS runs of each
# command (median wall time, peak resident memory from GNU time) and prints
# the ratios. Needs the mdbook binary: $MDBOOK, or .tools/mdbook/bin/mdbook
# (tests/run.sh installs it), or mdbook on PATH.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${RUNS:-5}
mdbook=${MDBOOK:-.tools/mdbook/bin/mdbook}
[ -x "$mdbook" ] || mdbook=$(command -v mdbook)
cargo build --release --locked --quiet
tool=$PWD/target/release/mdbook-runbook
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# measure LABEL COMMAND...: sets MEDIAN (seconds) and PEAK (MiB). Wall time
# comes from bash's microsecond clock around GNU time (whose own %e rounds to
# 10 ms, a fifth of `check`); the peak resident memory comes from GNU time.
measure() {
    local label=$1 times=() peak=0 i start end kib
    shift
    for ((i = 0; i < runs; i++)); do
        start=$EPOCHREALTIME
        /usr/bin/time -f '%M' -o "$work/time" "$@" >/dev/null 2>&1 || {
            echo "$label failed:" >&2
            "$@" >&2 || true
            exit 1
        }
        end=$EPOCHREALTIME
        read -r kib <"$work/time"
        times+=("$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.4f", e - s }')")
        if [ "$kib" -gt "$peak" ]; then peak=$kib; fi
    done
    MEDIAN=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$((runs / 2 + 1))p")
    PEAK=$((peak / 1024))
    printf '  %-44s %7.3f s  %6d MiB\n' "$label" "$MEDIAN" "$PEAK"
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
        measure "mdbook build (plain, one language)" "$mdbook" build "$plain" -d "$work/plain-out-$n"
        plain_time=$MEDIAN plain_peak=$PEAK
        measure "mdbook-runbook check" "$tool" check "$book" --format json
        check_time=$MEDIAN
        measure "mdbook-runbook build (every language)" "$tool" build "$book"
        build_time=$MEDIAN build_peak=$PEAK
        awk -v b="$build_time" -v p="$plain_time" -v c="$check_time" -v bm="$build_peak" -v pm="$plain_peak" 'BEGIN {
            printf "  ratios: build/plain %.3fx (target <= 1.3x), check/plain %.3fx (target <= 0.1x), peak memory %.2fx (target <= 1.5x)\n", b / p, c / p, bm / pm
        }'
    done
done
