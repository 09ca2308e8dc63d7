#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser of untrusted input, with libFuzzer from the Swift toolchain.
#
#   fuzz/run.sh --list                 the targets, one a line
#   fuzz/run.sh TARGET [SECONDS]       build and run one target (default 60 s); exits non-zero on a
#                                      finding (crash, leak, hang over FUZZ_TIMEOUT s, out of memory)
#   FUZZ_RUNS=N fuzz/run.sh TARGET S   stop after N executions or S seconds, whichever comes first
#
# The build line (the fuzz package in fuzz/, its own scratch folder .build-fuzz):
#   swift build --package-path fuzz --scratch-path .build-fuzz --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address
# SwiftPM's --sanitize fuzzer links libFuzzer's main instead of the target's (so the executables
# need only LLVMFuzzerTestOneInput); -Xswiftc -sanitize=fuzzer,address is what instruments the
# Swift code for coverage (SwiftPM's flag alone compiles without it).
#
# The corpus grows in .build-fuzz/corpus/TARGET, seeded from fuzz/seeds.sh; findings are written to
# .build-fuzz/findings/TARGET/ (keep each as a regression input in Tests/*/FuzzRegressions/TARGET/).
# A hang is an input over FUZZ_TIMEOUT seconds (default 1); on shared cores such an input is run
# once more alone, and only a second timeout is a finding (the first goes to findings/TARGET/
# unconfirmed/ and the run goes on). LeakSanitizer skips the toolchain's and TOMLKit's own leaks
# listed, with the reason for each, in fuzz/lsan.supp.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
scratch="$root/.build-fuzz"
targets=(page html link-header probe-script request-target session-token director-config theme key-decoder)

if [ "${1:-}" = "--list" ]; then printf '%s\n' "${targets[@]}"; exit 0; fi
target="${1:?usage: fuzz/run.sh --list | TARGET [SECONDS]}"
seconds="${2:-60}"
printf '%s\n' "${targets[@]}" | grep -qx -- "$target" || { echo "fuzz/run.sh: no target \"$target\" (fuzz/run.sh --list)" >&2; exit 2; }

# FUZZ_SKIP_BUILD=1: the caller has built every target already (.ci/run builds them once; each
# build that finds nothing to do still costs tens of seconds).
if [ -z "${FUZZ_SKIP_BUILD:-}" ]; then
    swift build --package-path "$here" --scratch-path "$scratch" --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address \
        --product "fuzz-$target" 2>&1 | grep -E "error|warning: unre|Compiling fuzz|Build complete" || true
fi
binary="$scratch/debug/fuzz-$target"
[ -x "$binary" ] || { echo "fuzz/run.sh: the build of fuzz-$target failed" >&2; exit 1; }

corpus="$scratch/corpus/$target"
seeds="$scratch/seeds/$target"
findings="$scratch/findings/$target"
rm -rf "$seeds"
mkdir -p "$corpus" "$findings"
"$here/seeds.sh" "$target" "$seeds"

case "$target" in
page|html) max_len=65536 ;;
director-config|theme|probe-script|link-header) max_len=16384 ;;
*) max_len=8192 ;;
esac
dict=()
[ -f "$here/dict/$target.dict" ] && dict=(-dict="$here/dict/$target.dict")
runs=()
[ -n "${FUZZ_RUNS:-}" ] && runs=(-runs="$FUZZ_RUNS")

log="$scratch/$target.log"
# Leaks in the toolchain's libraries, not ours (each explained in the file).
export LSAN_OPTIONS="suppressions=$here/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
timeout="${FUZZ_TIMEOUT:-1}"
: > "$log"

# A timeout on 2 cores shared with other builds may be the scheduler's, not the parser's: a
# timeout input is run once more alone; only if it is slow again is it a finding. One that is
# not (kept in findings/TARGET/unconfirmed/) restarts the run for the time that is left.
start=$(date +%s)
total_execs=0
status=0
while :; do
    left=$(( seconds - ($(date +%s) - start) ))
    [ "$left" -gt 0 ] || break
    set +e
    "$binary" "$corpus" "$seeds" "${dict[@]}" "${runs[@]}" -max_total_time="$left" -max_len="$max_len" \
        -timeout="$timeout" -rss_limit_mb=2048 -artifact_prefix="$findings/" -print_final_stats=1 > "$log.part" 2>&1
    status=$?
    set -e
    cat "$log.part" >> "$log"
    execs=$(grep -E '^stat::number_of_executed_units' "$log.part" | awk '{print $2}')
    total_execs=$(( total_execs + ${execs:-0} ))
    [ $status -ne 0 ] || break
    artifact=$(grep -oE "Test unit written to [^ ]+" "$log.part" | tail -1 | awk '{print $5}')
    if grep -q "libFuzzer: timeout" "$log.part" && [ -n "$artifact" ] && "$binary" -timeout="$timeout" "$artifact" > "$log.again" 2>&1; then
        mkdir -p "$findings/unconfirmed"
        mv "$artifact" "$findings/unconfirmed/"
        echo "fuzz $target: a timeout that did not recur alone ($(grep -oE 'in [0-9]+ ms' "$log.again")); going on" | tee -a "$log"
        status=0
        [ -z "${FUZZ_RUNS:-}" ] || [ "$total_execs" -lt "$FUZZ_RUNS" ] || break
        continue
    fi
    break
done
rm -f "$log.part" "$log.again"
# The figures for the closing note: executions, edges covered, corpus size.
stats=$(grep -E '^#[0-9]+' "$log" | tail -1)
echo "fuzz $target: $total_execs executions in $(( $(date +%s) - start )) s; last: $stats"
if [ $status -ne 0 ]; then
    echo "fuzz $target: FINDING (exit $status); the input is in $findings/, the log in $log:" >&2
    grep -E "ERROR|Fatal error|SUMMARY|ALARM|timeout|leak" "$log" | head -20 >&2
    exit $status
fi
