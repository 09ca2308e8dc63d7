#!/usr/bin/env bash
# Time to decision: how soon `mirrorscope probe` names the fastest mirror of the 500-mirror farm
# (with its hanging mirrors), against the leader's own figure (its scripted delay × samples: the
# least time anything could know it in), and the wall time of the whole round. Side by side with
# curl --parallel over the same probe URLs, which is what a user waits for without a decision:
# every transfer to its end or its timeout.
#
# The farm (`mirrorscope demo --serve-only --without-director`) runs in its own process: MIRRORS
# mirrors on 127.0.0.1, scripted delays spread over 5-300 ms, no jitter, 2 % each refusing, hanging
# (until the timeout) and answering 503, a quarter on https. Its /farm.json is the truth.
# Each round runs, alternating which goes first: ours for the whole round (decided_ms and wall_ms
# from its JSON), ours with --until-decided (the process's wall time), and curl (its wall time).
# With CONCURRENCY 1024 every mirror starts at once; with 64 (our default) mirrors wait their turn,
# and a mirror not yet started could still be the fastest, so the decision waits for the last one
# to start and pass the leader's figure.
#
# Then the history's probe order (docs/history.md): at HISTORY_CONCURRENCY, the decision's time
# with a history of the page (the historically best probed first; one warm-up round fills it)
# against --no-history (page order), alternating; the other runs above use --no-history, so that
# one round's history never changes the next one's order.
#
# Usage: bench/decision.sh   (ROUNDS=5 MIRRORS=500 SAMPLES=3 TIMEOUT_MS=3000 CONCURRENCY_LIST="1024 64" HISTORY_CONCURRENCY=64;
#        BUILD=0 uses the release binary already built; MIRRORSCOPE=path uses that binary)
# Needs: swift, curl, python3, /usr/bin/time (Debian: apt-get install -y curl time).
set -euo pipefail
ROUNDS=${ROUNDS:-5}
MIRRORS=${MIRRORS:-500}
SAMPLES=${SAMPLES:-3}
TIMEOUT_MS=${TIMEOUT_MS:-3000}
CONCURRENCY_LIST=${CONCURRENCY_LIST:-"1024 64"}
HISTORY_CONCURRENCY=${HISTORY_CONCURRENCY:-64}
cd "$(dirname "$0")/.."

for tool in curl python3 /usr/bin/time; do
    command -v "$tool" >/dev/null 2>&1 || { echo "missing $tool (Debian: apt-get install -y curl python3 time)" >&2; exit 2; }
done
# The same release build as bench/probe-vs-curl.sh and bench/parse.sh.
build=(-c release --static-swift-stdlib --scratch-path .build-release-parse)
if [ "${BUILD:-1}" != 0 ]; then
    echo "building the release binary..." >&2
    swift build "${build[@]}" --product mirrorscope >&2
fi
BIN=${MIRRORSCOPE:-$(swift build "${build[@]}" --show-bin-path)/mirrorscope}

work=$(mktemp -d)
farm_pid=""
cleanup() {
    [ -n "$farm_pid" ] && kill "$farm_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
# Nothing of the benchmark goes into the real history.
export XDG_STATE_HOME="$work/state"

"$BIN" demo --serve-only --without-director --mirrors "$MIRRORS" --no-jitter --seed 7 > "$work/page-url" 2>/dev/null &
farm_pid=$!
for _ in $(seq 1 100); do [ "$(wc -l < "$work/page-url")" -ge 2 ] && break; sleep 0.1; done
page=$(sed -n 2p "$work/page-url")
[ -n "$page" ] || { echo "the farm did not start" >&2; exit 1; }
curl -sf "${page}farm.json" > "$work/farm.json"
curl -sf "${page}ca.pem" > "$work/ca.pem"
curl -sf "${page}probe.json" > "$work/probe.json"
# The latency round only, as curl does: the farm's script also asks for a throughput phase and
# freshness fetches (issue 10), which curl does not do and which do not change a ranking by
# response time (the decision comes before them; bench/throughput.sh measures them).
python3 - "$work/probe.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for key in ("throughput", "freshness"):
    doc.get("probe", {}).pop(key, None)
json.dump(doc, open(sys.argv[1], "w"))
PY
python3 - "$work/farm.json" "$SAMPLES" > "$work/curl.conf" <<'PY'
import json, sys
farm = json.load(open(sys.argv[1]))
for _ in range(int(sys.argv[2])):
    for m in farm["mirrors"]:
        print(f'url = "{m["url"]}probe.bin"\noutput = "/dev/null"')
PY
timeout_s=$(python3 -c "print($TIMEOUT_MS/1000)")

for C in $CONCURRENCY_LIST; do
    run_full() {
        /usr/bin/time -f "%e" -o "$work/full-$C-$1.time" \
            "$BIN" probe "$work/probe.json" --format json --samples "$SAMPLES" --timeout "$TIMEOUT_MS" --concurrency "$C" \
            --cacert "$work/ca.pem" --quiet --no-history > "$work/full-$C-$1.json" 2> "$work/full-$C-$1.err" || true
        [ -s "$work/full-$C-$1.json" ] || { echo "mirrorscope probe gave no ranking:" >&2; cat "$work/full-$C-$1.err" >&2; exit 1; }
    }
    run_until() {
        /usr/bin/time -f "%e" -o "$work/until-$C-$1.time" \
            "$BIN" probe "$work/probe.json" --format json --samples "$SAMPLES" --timeout "$TIMEOUT_MS" --concurrency "$C" \
            --cacert "$work/ca.pem" --quiet --no-history --until-decided > "$work/until-$C-$1.json" 2> "$work/until-$C-$1.err" || true
        [ -s "$work/until-$C-$1.json" ] || { echo "mirrorscope probe --until-decided gave no ranking:" >&2; cat "$work/until-$C-$1.err" >&2; exit 1; }
    }
    run_curl() {
        /usr/bin/time -f "%e" -o "$work/curl-$C-$1.time" \
            curl --parallel --parallel-max "$C" --silent --max-time "$timeout_s" -H 'Connection: close' --cacert "$work/ca.pem" \
            -K "$work/curl.conf" > /dev/null 2>&1 || true
    }
    for round in $(seq 1 "$ROUNDS"); do
        echo "concurrency $C, round $round/$ROUNDS" >&2
        case $((round % 3)) in
            1) run_full "$round"; run_until "$round"; run_curl "$round" ;;
            2) run_until "$round"; run_curl "$round"; run_full "$round" ;;
            0) run_curl "$round"; run_full "$round"; run_until "$round" ;;
        esac
    done

    python3 - "$work" "$ROUNDS" "$MIRRORS" "$SAMPLES" "$C" "$TIMEOUT_MS" <<'PY'
import json, statistics, sys
work, rounds, mirrors, samples, c, timeout = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5], sys.argv[6]
farm = json.load(open(f"{work}/farm.json"))
delay = {m["url"]: m["delay_ms"] for m in farm["mirrors"] if m["fault"] is None}
fastest_url = min(delay, key=delay.get)
wall = lambda p: float(open(p).read().split()[-1]) * 1000

rows = []
for r in range(1, rounds + 1):
    full = json.load(open(f"{work}/full-{c}-{r}.json"))
    until = json.load(open(f"{work}/until-{c}-{r}.json"))
    leader = next(m for m in full["mirrors"] if m["ok"])
    rows.append(dict(decided=full["decided_ms"], round_wall=full["wall_ms"],
                     leader_url=leader["url"], leader_measured=sum(leader["samples_ms"]),
                     until_leader=next(m for m in until["mirrors"] if m["ok"])["url"],
                     until_process=wall(f"{work}/until-{c}-{r}.time"), full_process=wall(f"{work}/full-{c}-{r}.time"),
                     curl_process=wall(f"{work}/curl-{c}-{r}.time")))

med = lambda k: statistics.median(x[k] for x in rows)
figure = delay[fastest_url] * samples
goal = 1.5 * figure + 50
print(f"\ntime to decision: {mirrors} simulated mirrors, {samples} samples, timeout {timeout} ms, "
      f"concurrency {c}, {rounds} rounds alternating (medians over rounds)")
print(f"  leader: {fastest_url} (scripted {delay[fastest_url]:.0f} ms); our leader was it in "
      f"{sum(x['leader_url'] == fastest_url for x in rows)}/{rounds} full rounds, "
      f"{sum(x['until_leader'] == fastest_url for x in rows)}/{rounds} --until-decided rounds")
ranked = sorted(delay, key=delay.get)
ours = ", ".join(f"{delay.get(x['leader_url'], float('nan')):.1f} ms (#{ranked.index(x['leader_url']) + 1 if x['leader_url'] in ranked else '?'})" for x in rows)
print(f"  our leader each round, its scripted delay (its place): {ours}")
print(f"  {'leader figure: scripted delay x samples (ms)':52}{figure:>10.0f}")
print(f"  {'leader measured: sum of its samples (ms)':52}{med('leader_measured'):>10.1f}")
print(f"  {'decided_ms':52}{med('decided'):>10.1f}   ({med('decided') / figure:.2f}x the figure; "
      f"goal <= 1.5x + 50 = {goal:.0f} ms: {'met' if med('decided') <= goal else 'NOT met'})")
each = "  ".join("%.0f" % x["decided"] for x in rows)
print(f"  {'decided_ms, each round':52}{each:>10}")
print(f"  {'wall_ms of the whole round (its JSON)':52}{med('round_wall'):>10.1f}   (decided at {med('decided') / med('round_wall'):.1%} of it)")
print(f"\n  {'process wall time (ms)':52}{'ours':>10}{'curl':>10}{'ours/curl':>11}")
for label, key in (("probe, the whole round", "full_process"), ("probe --until-decided", "until_process")):
    print(f"  {label:52}{med(key):>10.0f}{med('curl_process'):>10.0f}{med(key) / med('curl_process'):>11.2f}")
PY
done

# The history's probe order: the same round with a history of the page and without.
C=$HISTORY_CONCURRENCY
run_probe() {  # NAME ROUND EXTRA...
    local name=$1 r=$2; shift 2
    "$BIN" probe "$work/probe.json" --format json --samples "$SAMPLES" --timeout "$TIMEOUT_MS" --concurrency "$C" \
        --cacert "$work/ca.pem" --quiet "$@" > "$work/$name-$r.json" 2> "$work/$name-$r.err" || true
    [ -s "$work/$name-$r.json" ] || { echo "mirrorscope probe ($name) gave no ranking:" >&2; cat "$work/$name-$r.err" >&2; exit 1; }
}
echo "history: warm-up round" >&2
run_probe warm 0 --history-file "$work/history.sqlite"
for round in $(seq 1 "$ROUNDS"); do
    echo "history, concurrency $C, round $round/$ROUNDS" >&2
    if [ $((round % 2)) = 1 ]; then
        run_probe with "$round" --history-file "$work/history.sqlite"; run_probe without "$round" --no-history
    else
        run_probe without "$round" --no-history; run_probe with "$round" --history-file "$work/history.sqlite"
    fi
done
python3 - "$work" "$ROUNDS" "$MIRRORS" "$C" <<'PY'
import json, statistics, sys
work, rounds, mirrors, c = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def decided(name):
    return [json.load(open(f"{work}/{name}-{r}.json"))["decided_ms"] or float("nan") for r in range(1, rounds + 1)]
def leader(name):
    return [next(m for m in json.load(open(f"{work}/{name}-{r}.json"))["mirrors"] if m["ok"])["url"] for r in range(1, rounds + 1)]
w, wo = decided("with"), decided("without")
print(f"\nthe history's probe order: {mirrors} mirrors, concurrency {c}, {rounds} rounds alternating")
print(f"  {'decided_ms':40}{'with history':>14}{'--no-history':>14}{'with/without':>14}")
print(f"  {'median':40}{statistics.median(w):>14.0f}{statistics.median(wo):>14.0f}{statistics.median(w) / statistics.median(wo):>14.2f}")
print(f"  {'each round':40}{' '.join('%.0f' % x for x in w):>14}  |  {' '.join('%.0f' % x for x in wo)}")
print(f"  same leader in {sum(a == b for a, b in zip(leader('with'), leader('without')))}/{rounds} rounds")
PY
