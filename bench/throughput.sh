#!/usr/bin/env bash
# mirrorscope's throughput phase against curl -w '%{speed_download}' on the same simulated mirrors.
#
# The farm (`mirrorscope demo --serve-only --without-director`) runs in its own process: MIRRORS
# mirrors on 127.0.0.1, no jitter, each healthy one pacing its bodies to a scripted rate (a token
# bucket; the demo spreads them over 1-50 MB/s on a log scale). Its /farm.json is the truth.
# Each round runs both tools (alternating which goes first) over every healthy mirror's sample
# object (big.bin, 8 MiB), one download at a time so that neither shares the machine with itself:
#   ours: `probe --top N --throughput-concurrency 1` (stops at 4 MiB, 3 s after the first byte, or
#         once steady; the rate excludes connection set-up and the first read);
#   curl: `-r 0-4194303 --max-time 3` per mirror, one after another. Its speed_download is the
#         bytes over the whole transfer, connection set-up and the wait for the first byte
#         included (what curl users read); "curl, body only" is size_download / (time_total -
#         time_starttransfer), the same span ours times, for a like-for-like figure.
# Per mirror, the rate error is |measured - scripted| / scripted. Then the phase's own wall time
# with the defaults (the leading 5 mirrors, 2 at once): wall(probe) - wall(probe --top 0).
#
# Usage: bench/throughput.sh   (ROUNDS=5 MIRRORS=12 SEED=1; BUILD=0 uses the release binary already
#        built; MIRRORSCOPE=path uses that binary)
# Needs: swift, curl, python3, /usr/bin/time (Debian: apt-get install -y curl python3 time).
set -euo pipefail
ROUNDS=${ROUNDS:-5}
MIRRORS=${MIRRORS:-12}
SEED=${SEED:-1}
cd "$(dirname "$0")/.."

for tool in curl python3 /usr/bin/time; do
    command -v "$tool" >/dev/null 2>&1 || { echo "missing $tool (Debian: apt-get install -y curl python3 time)" >&2; exit 2; }
done
# The same release build as bench/parse.sh and bench/probe-vs-curl.sh.
build=(-c release --static-swift-stdlib --scratch-path .build-release-parse)
if [ -z "${MIRRORSCOPE:-}" ] && [ "${BUILD:-1}" != 0 ]; then
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
# The runs keep their history (docs/history.md) in the work folder, never in the real home; later
# rounds read the earlier ones' (only the probe order changes: the historically best first).
export XDG_STATE_HOME="$work/state"

"$BIN" demo --serve-only --without-director --mirrors "$MIRRORS" --no-jitter --seed "$SEED" > "$work/page-url" 2>/dev/null &
farm_pid=$!
for _ in $(seq 1 100); do [ "$(wc -l < "$work/page-url")" -ge 2 ] && break; sleep 0.1; done
origin=$(sed -n 2p "$work/page-url")   # the farm's own origin: /farm.json, /ca.pem, /probe.json
[ -n "$origin" ] || { echo "the farm did not start" >&2; exit 1; }
curl -sf "${origin}farm.json" > "$work/farm.json"
curl -sf "${origin}ca.pem" > "$work/ca.pem"
curl -sf "${origin}probe.json" > "$work/probe.json"

# The healthy mirrors with a scripted rate: their sample object's URL and rate.
python3 - "$work/farm.json" > "$work/targets" <<'PY'
import json, sys
for m in json.load(open(sys.argv[1]))["mirrors"]:
    if m["fault"] is None and m["bytes_per_second"]:
        print(m["url"] + "big.bin", m["bytes_per_second"])
PY
count=$(wc -l < "$work/targets")
[ "$count" -ge 1 ] || { echo "the farm has no paced mirror" >&2; exit 1; }
top=$(( count > 50 ? 50 : count ))

run_ours() {
    "$BIN" probe "$work/probe.json" --format json --samples 1 --top "$top" --throughput-concurrency 1 \
        --throughput-path big.bin --cacert "$work/ca.pem" > "$work/ours-$1.json" 2> "$work/ours-$1.err" || true
    [ -s "$work/ours-$1.json" ] || { echo "mirrorscope probe gave no ranking:" >&2; cat "$work/ours-$1.err" >&2; exit 1; }
}
run_curl() {
    : > "$work/curl-$1.txt"
    while read -r url _; do
        # Exit 28 (the time limit) is the expected end for the slow ones: speed_download is still written.
        curl -s -o /dev/null -r 0-4194303 --max-time 3 -H 'Connection: close' --cacert "$work/ca.pem" \
            -w "$url %{http_code} %{speed_download} %{size_download} %{time_starttransfer} %{time_total}\n" "$url" >> "$work/curl-$1.txt" 2>/dev/null || true
    done < "$work/targets"
}
for round in $(seq 1 "$ROUNDS"); do
    echo "rates, round $round/$ROUNDS ($count mirrors)" >&2
    if [ $((round % 2)) -eq 1 ]; then run_ours "$round"; run_curl "$round"; else run_curl "$round"; run_ours "$round"; fi
done

# The phase's wall time with the defaults: the whole probe with and without it, alternating.
for round in $(seq 1 "$ROUNDS"); do
    echo "phase wall time, round $round/$ROUNDS" >&2
    for top_n in 5 0; do
        /usr/bin/time -f "%e" -o "$work/wall-$top_n-$round" \
            "$BIN" probe "$work/probe.json" --format json --top "$top_n" --throughput-path big.bin --cacert "$work/ca.pem" \
            > "$work/wall-$top_n-$round.json" 2>/dev/null || true
    done
done

python3 - "$work" "$ROUNDS" "$count" <<'PY'
import json, statistics, sys
work, rounds, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
truth = {}
for line in open(f"{work}/targets"):
    url, rate = line.split()
    truth[url] = float(rate)
base = {url[: -len("big.bin")]: rate for url, rate in truth.items()}

errors = {"ours": [], "curl": [], "body": []}    # per round: the relative error of each mirror
per_mirror = {"ours": {}, "curl": {}, "body": {}}  # url -> [measured rate per round]
for r in range(1, rounds + 1):
    e = []
    for m in json.load(open(f"{work}/ours-{r}.json"))["mirrors"]:
        if m["url"] in base and m["throughput_bps"]:
            e.append(abs(m["throughput_bps"] - base[m["url"]]) / base[m["url"]])
            per_mirror["ours"].setdefault(m["url"] + "big.bin", []).append(m["throughput_bps"])
    errors["ours"].append(e)
    e, b = [], []
    for line in open(f"{work}/curl-{r}.txt"):
        url, code, speed, size, start, total = line.split()
        if code == "206" and url in truth:
            e.append(abs(float(speed) - truth[url]) / truth[url])
            per_mirror["curl"].setdefault(url, []).append(float(speed))
            if float(total) > float(start):
                body = float(size) / (float(total) - float(start))
                b.append(abs(body - truth[url]) / truth[url])
                per_mirror["body"].setdefault(url, []).append(body)
    errors["curl"].append(e)
    errors["body"].append(b)

def over_rounds(tool, pick):
    return statistics.median(pick(sorted(e)) for e in errors[tool] if e)
def med(e): return statistics.median(e)
def worst(e): return e[-1]
measured = {t: statistics.median(len(e) for e in errors[t]) for t in errors}

print(f"\nthroughput: mirrorscope's phase vs curl -w '%{{speed_download}}', {count} farm mirrors paced at 1-50 MB/s, "
      f"{rounds} rounds alternating (medians over rounds)")
print(f"{'':40}{'ours':>8}{'curl':>8}{'ours/curl':>11}{'curl, body only':>17}{'ours/body':>11}")
def line(label, a, b, c, fmt="{:.1%}"):
    ratio = lambda x, y: f"{x / y:.2f}" if y else "-"
    print(f"{label:40}{fmt.format(a):>8}{fmt.format(b):>8}{ratio(a, b):>11}{fmt.format(c):>17}{ratio(a, c):>11}")
line("rate error, median over mirrors", over_rounds("ours", med), over_rounds("curl", med), over_rounds("body", med))
line("rate error, worst mirror", over_rounds("ours", worst), over_rounds("curl", worst), over_rounds("body", worst))
print(f"{'mirrors measured (of ' + str(count) + ')':40}{measured['ours']:>8.0f}{measured['curl']:>8.0f}{'':>11}{measured['body']:>17.0f}")

print(f"\n{'scripted MB/s':>14}{'ours MB/s':>11}{'curl MB/s':>11}{'body only':>11}  (medians over rounds)")
for url, rate in sorted(truth.items(), key=lambda kv: kv[1]):
    f = lambda v: f"{statistics.median(v) / 1e6:.2f}" if v else "-"
    print(f"{rate / 1e6:>14.2f}{f(per_mirror['ours'].get(url)):>11}{f(per_mirror['curl'].get(url)):>11}{f(per_mirror['body'].get(url)):>11}")

walls = {n: [float(open(f"{work}/wall-{n}-{r}").read().split()[-1]) for r in range(1, rounds + 1)] for n in (5, 0)}
phase = [a - b for a, b in zip(walls[5], walls[0])]
print(f"\nphase wall time with the defaults (top 5, 2 at once, 4 MiB / 3 s / steady): median {med(sorted(phase)):.2f} s "
      f"(probe with it {med(sorted(walls[5])):.2f} s, with --top 0 {med(sorted(walls[0])):.2f} s)")
PY
