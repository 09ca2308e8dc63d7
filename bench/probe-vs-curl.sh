#!/usr/bin/env bash
# mirrorscope probe against curl --parallel over the same simulated mirrors, side by side.
#
# The farm (`mirrorscope demo --serve-only --without-director`) runs in its own process: MIRRORS mirrors on 127.0.0.1
# with scripted delays spread over 5-300 ms, no jitter, a few percent refusing, hanging or
# answering 503, a quarter serving https. Its /farm.json is the truth each measurement is compared with.
# Each round runs both tools (alternating which goes first) over the same probe URLs with the same
# timeout and 64 transfers at once, and records wall time, CPU time and peak RSS (/usr/bin/time)
# and each tool's timing error: |measured - scripted delay| per answered mirror.
# Then: the TUI's frame cost for 1000 rows (render + diff), and the CPU an idle TUI uses.
#
# Usage: bench/probe-vs-curl.sh   (ROUNDS=5 MIRRORS=500 SAMPLES_LIST="1 3" TIMEOUT_MS=3000;
#        BUILD=0 uses the release binaries already built; MIRRORSCOPE=path uses that binary)
# With 1 sample both tools do exactly the same requests. With 3 (our default), curl is given each
# URL three times; mirrorscope stops a mirror at its first failure, curl does not.
# Needs: swift, curl, python3, tmux, /usr/bin/time (Debian: apt-get install -y curl tmux time).
set -euo pipefail
ROUNDS=${ROUNDS:-5}
MIRRORS=${MIRRORS:-500}
SAMPLES_LIST=${SAMPLES_LIST:-"1 3"}
TIMEOUT_MS=${TIMEOUT_MS:-3000}
cd "$(dirname "$0")/.."

for tool in curl python3 tmux /usr/bin/time; do
    command -v "$tool" >/dev/null 2>&1 || { echo "missing $tool (Debian: apt-get install -y curl python3 tmux time)" >&2; exit 2; }
done
# Release, with the Swift runtime linked in (--static-swift-stdlib, how a command-line tool ships on
# Linux; it starts faster), in the same build folder as bench/parse.sh.
build=(-c release --static-swift-stdlib --scratch-path .build-release-parse)
if [ "${BUILD:-1}" != 0 ]; then
    echo "building release binaries..." >&2
    swift build "${build[@]}" --product mirrorscope >&2
    swift build "${build[@]}" --product FrameBench >&2
fi
BIN=${MIRRORSCOPE:-$(swift build "${build[@]}" --show-bin-path)/mirrorscope}
FRAMEBENCH=$(swift build "${build[@]}" --show-bin-path)/FrameBench

work=$(mktemp -d)
farm_pid=""
tmux_socket="mirrorscope-bench-$$"
cleanup() {
    [ -n "$farm_pid" ] && kill "$farm_pid" 2>/dev/null || true
    tmux -L "$tmux_socket" kill-server 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
# The runs keep their history (docs/history.md) in the work folder, never in the real home; later
# rounds read the earlier ones' (only the probe order changes: the historically best first).
export XDG_STATE_HOME="$work/state"

"$BIN" demo --serve-only --without-director --mirrors "$MIRRORS" --no-jitter --seed 7 > "$work/page-url" 2>/dev/null &
farm_pid=$!
for _ in $(seq 1 100); do [ "$(wc -l < "$work/page-url")" -ge 2 ] && break; sleep 0.1; done
page=$(sed -n 2p "$work/page-url")   # the farm's own origin: its page, /farm.json, /ca.pem
[ -n "$page" ] || { echo "the farm did not start" >&2; exit 1; }
curl -sf "${page}farm.json" > "$work/farm.json"
# A quarter of the mirrors serve https with the farm's own CA: both tools are told to trust it.
curl -sf "${page}ca.pem" > "$work/ca.pem"
# Both tools read their list of mirrors from a local file prepared before the timed runs: curl a
# config of URLs, mirrorscope the farm's probe script (the same URLs, the same probe object).
curl -sf "${page}probe.json" > "$work/probe.json"
# The latency round only, as curl does: the farm's script also asks for a throughput phase and
# freshness fetches (issue 10), which curl does not do; bench/throughput.sh measures those.
python3 - "$work/probe.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for key in ("throughput", "freshness"):
    doc.get("probe", {}).pop(key, None)
json.dump(doc, open(sys.argv[1], "w"))
PY

for SAMPLES in $SAMPLES_LIST; do
# curl gets the very URLs mirrorscope probes: each mirror's base + the probe object, one transfer
# per sample, each on its own connection (Connection: close), bounded like ours.
python3 - "$work/farm.json" "$SAMPLES" > "$work/curl-$SAMPLES.conf" <<'PY'
import json, sys
farm = json.load(open(sys.argv[1]))
for _ in range(int(sys.argv[2])):
    for m in farm["mirrors"]:
        print(f'url = "{m["url"]}probe.bin"\noutput = "/dev/null"')
PY

timeout_s=$(python3 -c "print($TIMEOUT_MS/1000)")
run_ours() {
    /usr/bin/time -f "%e %U %S %M" -o "$work/ours-$SAMPLES-$1.time" \
        "$BIN" probe "$work/probe.json" --format json --samples "$SAMPLES" --timeout "$TIMEOUT_MS" --concurrency 64 --cacert "$work/ca.pem" \
        > "$work/ours-$SAMPLES-$1.json" 2> "$work/ours-$SAMPLES-$1.err" || true
    [ -s "$work/ours-$SAMPLES-$1.json" ] || { echo "mirrorscope probe gave no ranking:" >&2; cat "$work/ours-$SAMPLES-$1.err" >&2; exit 1; }
}
run_curl() {
    /usr/bin/time -f "%e %U %S %M" -o "$work/curl-$SAMPLES-$1.time" \
        curl --parallel --parallel-max 64 --silent --max-time "$timeout_s" -H 'Connection: close' --cacert "$work/ca.pem" \
        -w '%{url_effective} %{http_code} %{time_pretransfer} %{time_starttransfer}\n' -K "$work/curl-$SAMPLES.conf" \
        > "$work/curl-$SAMPLES-$1.txt" 2>/dev/null || true
}
for round in $(seq 1 "$ROUNDS"); do
    echo "samples $SAMPLES, round $round/$ROUNDS" >&2
    if [ $((round % 2)) -eq 1 ]; then run_ours "$round"; run_curl "$round"; else run_curl "$round"; run_ours "$round"; fi
done

python3 - "$work" "$ROUNDS" "$MIRRORS" "$SAMPLES" <<'PY'
import json, statistics, sys
work, rounds, mirrors, samples = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
farm = json.load(open(f"{work}/farm.json"))
delay = {m["url"] + "probe.bin": m["delay_ms"] for m in farm["mirrors"] if m["fault"] is None}
base_delay = {m["url"]: m["delay_ms"] for m in farm["mirrors"] if m["fault"] is None}

def times(path):
    wall, user, sys_, rss = open(path).read().split()[-4:]
    return float(wall), float(user) + float(sys_), int(rss) / 1024

rows = {"ours": [], "curl": []}
for r in range(1, rounds + 1):
    ours = json.load(open(f"{work}/ours-{samples}-{r}.json"))["mirrors"]
    resp = [abs(m["ms"] - base_delay[m["url"]]) for m in ours if m["ok"] and m["url"] in base_delay]
    ttfb = [abs(m["ttfb_ms"] - base_delay[m["url"]]) for m in ours if m["ok"] and m["url"] in base_delay]
    wall, cpu, rss = times(f"{work}/ours-{samples}-{r}.time")
    rows["ours"].append(dict(wall=wall, cpu=cpu, rss=rss, resp=resp, ttfb=ttfb, ok=sum(m["ok"] for m in ours)))

    resp, ttfb, ok = [], [], 0
    for line in open(f"{work}/curl-{samples}-{r}.txt"):
        url, code, pre, start = line.split()
        if code == "200" and url in delay:
            ok += 1
            resp.append(abs(float(start) * 1000 - delay[url]))
            ttfb.append(abs((float(start) - float(pre)) * 1000 - delay[url]))
    wall, cpu, rss = times(f"{work}/curl-{samples}-{r}.time")
    rows["curl"].append(dict(wall=wall, cpu=cpu, rss=rss, resp=resp, ttfb=ttfb, ok=ok / int(samples)))

def med(tool, key): return statistics.median(x[key] for x in rows[tool])
def err(tool, key, q):
    per_round = []
    for x in rows[tool]:
        v = sorted(x[key])
        per_round.append(statistics.median(v) if q == 0.5 else v[min(len(v) - 1, int(len(v) * q))])
    return statistics.median(per_round)

print(f"\nmirrorscope probe vs curl --parallel --parallel-max 64: {mirrors} simulated mirrors, {samples} sample(s) each, "
      f"{rounds} rounds alternating (medians over rounds)")
print(f"{'':44}{'ours':>10}{'curl':>10}{'ours/curl':>11}")
def line(label, a, b, fmt="{:.3f}"):
    print(f"{label:44}{fmt.format(a):>10}{fmt.format(b):>10}{(a / b if b else float('nan')):>11.2f}")
line("timing error, response (ms, median)", err("ours", "resp", 0.5), err("curl", "resp", 0.5))
line("timing error, response (ms, p99)", err("ours", "resp", 0.99), err("curl", "resp", 0.99))
line("timing error, first byte only (ms, median)", err("ours", "ttfb", 0.5), err("curl", "ttfb", 0.5))
line("wall time (s)", med("ours", "wall"), med("curl", "wall"), "{:.2f}")
line("CPU time, user+sys (s)", med("ours", "cpu"), med("curl", "cpu"), "{:.2f}")
line("peak RSS (MB)", med("ours", "rss"), med("curl", "rss"), "{:.1f}")
print(f"{'mirrors answering (of ' + mirrors + ')':44}{med('ours', 'ok'):>10.0f}{med('curl', 'ok'):>10.0f}")
print("(response = ours: connect + TLS + first byte; curl: time_starttransfer. first byte only = ours: ttfb_ms; "
      "curl: time_starttransfer - time_pretransfer)")
PY

done

echo
echo "TUI frame cost, 1000 mirror rows (render + diff, in-process, release build):"
"$FRAMEBENCH" 1000 2000 120 40 | sed 's/^/  /'

# An idle TUI: after its round, with nothing to do, it should sleep in poll() and use no CPU.
echo
echo "Idle TUI: CPU used over 10 s after the round ends ($MIRRORS rows on screen):"
tmux -L "$tmux_socket" -f /dev/null new-session -d -x 120 -y 40 "exec '$BIN' '$page' --timeout $TIMEOUT_MS --cacert '$work/ca.pem'"
# The round has ended when the header's count is complete and its spinner gone (the notice
# "Fastest:" comes at the decision, often seconds before the hanging mirrors time out).
round_ended() { tmux -L "$tmux_socket" capture-pane -p -t 0 2>/dev/null | head -1 | grep -qE "$MIRRORS/$MIRRORS *\$"; }
for _ in $(seq 1 300); do
    round_ended && break
    sleep 0.1
done
# Measuring a TUI still in its round would not be an idle figure: give up rather than mislead.
if ! round_ended; then
    echo "  the round did not end within 30 s; no idle figure" >&2
    tmux -L "$tmux_socket" kill-server 2>/dev/null || true
    exit 1
fi
pid=$(tmux -L "$tmux_socket" display -p -t 0 '#{pane_pid}')
sample() {  # process CPU ticks (exited threads included), then each live thread's voluntary switches (wake-ups)
    read -r -a f < "/proc/$pid/stat"
    echo "cpu $((f[13] + f[14]))"
    for t in /proc/"$pid"/task/*; do
        echo "thread ${t##*/} $(awk '/^voluntary_ctxt_switches/ {print $2}' "$t/status")"
    done
}
sample > "$work/idle-0"
sleep 10
sample > "$work/idle-1"
python3 - "$work/idle-0" "$work/idle-1" "$(getconf CLK_TCK)" <<'PY'
import sys
def read(path):
    cpu, threads = 0, {}
    for line in open(path):
        kind, key, *rest = line.split()
        if kind == "cpu": cpu = int(key)
        else: threads[key] = int(rest[0])
    return cpu, threads
(c0, t0), (c1, t1), hz = read(sys.argv[1]), read(sys.argv[2]), int(sys.argv[3])
wakeups = sum(t1[k] - t0[k] for k in t0 if k in t1)
print(f"  CPU {(c1 - c0) * 1000 / hz:.0f} ms in 10 s ({c1 - c0} ticks of 1/{hz} s); wake-ups of its threads: {wakeups}")
PY
tmux -L "$tmux_socket" send-keys -t 0 q
