#!/usr/bin/env bash
# mirrorscope probe against curl --parallel, direct and through the same real proxies, side by side.
#
# The farm (`mirrorscope demo --serve-only --without-director`) runs in its own process: MIRRORS
# mirrors on 127.0.0.1 with scripted delays spread over 5-300 ms, no jitter, a few percent refusing,
# hanging or answering 503, a quarter serving https. Its /farm.json is the truth each measurement is
# compared with. Three ways to reach the mirrors:
#   direct      both tools connect to the mirrors
#   tinyproxy   HTTP CONNECT: ours tunnels every probe; curl is given --proxytunnel so that it
#               tunnels too (without it curl would send http URLs to the proxy as GET, a different job)
#   microsocks  SOCKS5 with the proxy resolving names: ours socks5h://, curl --socks5-hostname
# Each round runs both tools (alternating which goes first) over the same probe URLs with the same
# timeout and 64 transfers at once, one sample each, and records wall time, CPU time and peak RSS
# (/usr/bin/time) and each tool's timing error |measured - scripted delay| per answered mirror.
#
# The figure compared is the mirror's own time, without the leg to the proxy: ours is `ms`
# (tunnel + TLS + first byte; direct: connect + TLS + first byte); curl's is time_starttransfer -
# time_connect (time_connect is the TCP connect to the proxy when there is one; the CONNECT or
# SOCKS exchange, TLS and the first byte come after it). Direct, curl's is time_starttransfer - the
# lookup (time_namelookup), as ours leaves the lookup out.
#
# Usage: bench/probe-via-proxy.sh   (ROUNDS=3 MIRRORS=200 TIMEOUT_MS=3000; BUILD=0 uses the release
#        binary already built; MIRRORSCOPE=path uses that binary; KEEP=1 keeps the work folder with
#        every run's JSON and curl lines)
# Needs: swift, curl, python3, tinyproxy, microsocks, /usr/bin/time
#        (Debian: apt-get install -y curl python3 tinyproxy microsocks time).
set -euo pipefail
ROUNDS=${ROUNDS:-3}
MIRRORS=${MIRRORS:-200}
TIMEOUT_MS=${TIMEOUT_MS:-3000}
cd "$(dirname "$0")/.."

for tool in curl python3 tinyproxy microsocks /usr/bin/time; do
    command -v "$tool" >/dev/null 2>&1 || { echo "missing $tool (Debian: apt-get install -y curl python3 tinyproxy microsocks time)" >&2; exit 2; }
done
# Release, with the Swift runtime linked in, in the same build folder as the other benchmarks.
build=(-c release --static-swift-stdlib --scratch-path .build-release-parse)
if [ "${BUILD:-1}" != 0 ]; then
    echo "building the release binary..." >&2
    swift build "${build[@]}" --product mirrorscope >&2
fi
BIN=${MIRRORSCOPE:-$(swift build "${build[@]}" --show-bin-path)/mirrorscope}

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
# The runs keep their history (docs/history.md) in the work folder, never in the real home; later
# rounds read the earlier ones' (only the probe order changes: the historically best first).
export XDG_STATE_HOME="$work/state"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() {  # port, what: waits (with a deadline) until something accepts on 127.0.0.1:port
    for _ in $(seq 1 100); do
        python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', $1), 0.2)" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "$2 did not start on port $1" >&2; exit 1
}

"$BIN" demo --serve-only --without-director --mirrors "$MIRRORS" --no-jitter --seed 7 > "$work/page-url" 2>/dev/null &
pids+=($!)
for _ in $(seq 1 100); do [ "$(wc -l < "$work/page-url")" -ge 2 ] && break; sleep 0.1; done
page=$(sed -n 2p "$work/page-url")   # the farm's own origin: its page, /farm.json, /ca.pem
[ -n "$page" ] || { echo "the farm did not start" >&2; exit 1; }
curl -sf --noproxy '*' "${page}farm.json" > "$work/farm.json"
curl -sf --noproxy '*' "${page}ca.pem" > "$work/ca.pem"
curl -sf --noproxy '*' "${page}probe.json" > "$work/probe.json"
# The latency round only, as curl does: the farm's script also asks for a throughput phase and
# freshness fetches (issue 10), which curl does not do; bench/throughput.sh measures those.
python3 - "$work/probe.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for key in ("throughput", "freshness"):
    doc.get("probe", {}).pop(key, None)
json.dump(doc, open(sys.argv[1], "w"))
PY

# tinyproxy: no ConnectPort line, so tunnels to the farm's ports are allowed; enough clients for 64
# tunnels at once; logging at the Warning level, as a production proxy would.
tiny_port=$(free_port)
cat > "$work/tinyproxy.conf" <<EOF
Port $tiny_port
Listen 127.0.0.1
Timeout 30
MaxClients 400
LogLevel Warning
Allow 127.0.0.1
DisableViaHeader Yes
EOF
tinyproxy -d -c "$work/tinyproxy.conf" > "$work/tinyproxy.log" 2>&1 &
pids+=($!)
socks_port=$(free_port)
microsocks -i 127.0.0.1 -p "$socks_port" > "$work/microsocks.log" 2>&1 &
pids+=($!)
wait_port "$tiny_port" tinyproxy
wait_port "$socks_port" microsocks

# curl gets the very URLs mirrorscope probes: each mirror's base + the probe object, one transfer
# each on its own connection (Connection: close), bounded like ours.
python3 - "$work/farm.json" > "$work/curl.conf" <<'PY'
import json, sys
for m in json.load(open(sys.argv[1]))["mirrors"]:
    print(f'url = "{m["url"]}probe.bin"\noutput = "/dev/null"')
PY

timeout_s=$(python3 -c "print($TIMEOUT_MS/1000)")
declare -A ours_proxy=([direct]="" [tinyproxy]="http://127.0.0.1:$tiny_port" [microsocks]="socks5h://127.0.0.1:$socks_port")
declare -A curl_proxy=([direct]="" [tinyproxy]="--proxy http://127.0.0.1:$tiny_port --proxytunnel" [microsocks]="--socks5-hostname 127.0.0.1:$socks_port")
run_ours() {  # mode round
    /usr/bin/time -f "%e %U %S %M" -o "$work/ours-$1-$2.time" \
        env -u http_proxy -u https_proxy -u all_proxy -u HTTPS_PROXY -u ALL_PROXY \
        "$BIN" probe "$work/probe.json" --format json --samples 1 --timeout "$TIMEOUT_MS" --concurrency 64 \
        --cacert "$work/ca.pem" --proxy "${ours_proxy[$1]}" \
        > "$work/ours-$1-$2.json" 2> "$work/ours-$1-$2.err" || true
    [ -s "$work/ours-$1-$2.json" ] || { echo "mirrorscope probe ($1) gave no ranking:" >&2; cat "$work/ours-$1-$2.err" >&2; exit 1; }
}
run_curl() {  # mode round
    # shellcheck disable=SC2086 # the proxy flags are words
    /usr/bin/time -f "%e %U %S %M" -o "$work/curl-$1-$2.time" \
        env -u http_proxy -u https_proxy -u all_proxy -u HTTPS_PROXY -u ALL_PROXY \
        curl --parallel --parallel-max 64 --silent --max-time "$timeout_s" -H 'Connection: close' --cacert "$work/ca.pem" \
        ${curl_proxy[$1]} \
        -w '%{url_effective} %{http_code} %{time_namelookup} %{time_connect} %{time_pretransfer} %{time_starttransfer}\n' \
        -K "$work/curl.conf" > "$work/curl-$1-$2.txt" 2>/dev/null || true
}
for round in $(seq 1 "$ROUNDS"); do
    for mode in direct tinyproxy microsocks; do
        echo "round $round/$ROUNDS: $mode" >&2
        if [ $((round % 2)) -eq 1 ]; then run_ours "$mode" "$round"; run_curl "$mode" "$round"
        else run_curl "$mode" "$round"; run_ours "$mode" "$round"; fi
    done
done

python3 - "$work" "$ROUNDS" "$MIRRORS" "$tiny_port" "$socks_port" <<'PY'
import json, statistics, sys
work, rounds, mirrors, tiny, socks = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
farm = json.load(open(f"{work}/farm.json"))
base_delay = {m["url"]: m["delay_ms"] for m in farm["mirrors"] if m["fault"] is None}
probe_delay = {url + "probe.bin": d for url, d in base_delay.items()}

def times(path):
    wall, user, sys_, rss = open(path).read().split()[-4:]
    return float(wall), float(user) + float(sys_), int(rss) / 1024

rows = {}
for mode in ["direct", "tinyproxy", "microsocks"]:
    for tool in ["ours", "curl"]:
        rows[(mode, tool)] = []
    for r in range(1, rounds + 1):
        doc = json.load(open(f"{work}/ours-{mode}-{r}.json"))["mirrors"]
        answered = [m for m in doc if m["ok"] and m["url"] in base_delay]
        resp = [abs(m["ms"] - base_delay[m["url"]]) for m in answered]
        ttfb = [abs(m["ttfb_ms"] - base_delay[m["url"]]) for m in answered]
        via = {m["proxy"] for m in answered}
        expected = {"direct": {None}, "tinyproxy": {f"http://127.0.0.1:{tiny}"}, "microsocks": {f"socks5h://127.0.0.1:{socks}"}}[mode]
        if via != expected:
            sys.exit(f"{mode}: our probes went via {via}, expected {expected}")
        wall, cpu, rss = times(f"{work}/ours-{mode}-{r}.time")
        rows[(mode, "ours")].append(dict(wall=wall, cpu=cpu, rss=rss, resp=resp, ttfb=ttfb, ok=len(answered)))

        resp, ttfb, ok = [], [], 0
        for line in open(f"{work}/curl-{mode}-{r}.txt"):
            url, code, lookup, connect, pre, start = line.split()
            if code == "200" and url in probe_delay:
                ok += 1
                begin = float(lookup) if mode == "direct" else float(connect)
                resp.append(abs((float(start) - begin) * 1000 - probe_delay[url]))
                ttfb.append(abs((float(start) - float(pre)) * 1000 - probe_delay[url]))
        wall, cpu, rss = times(f"{work}/curl-{mode}-{r}.time")
        rows[(mode, "curl")].append(dict(wall=wall, cpu=cpu, rss=rss, resp=resp, ttfb=ttfb, ok=ok))

def med(mode, tool, key): return statistics.median(x[key] for x in rows[(mode, tool)])
def err(mode, tool, key, q):
    per_round = []
    for x in rows[(mode, tool)]:
        v = sorted(x[key])
        if not v: return float("nan")
        per_round.append(statistics.median(v) if q == 0.5 else v[min(len(v) - 1, int(len(v) * q))])
    return statistics.median(per_round)

print(f"\nmirrorscope probe vs curl --parallel --parallel-max 64, direct and through proxies: {mirrors} simulated mirrors, "
      f"1 sample each, {rounds} rounds alternating (medians over rounds)")
for mode in ["direct", "tinyproxy", "microsocks"]:
    print(f"\n{mode}")
    print(f"  {'':44}{'ours':>10}{'curl':>10}{'ours/curl':>11}")
    def line(label, a, b, fmt="{:.3f}"):
        print(f"  {label:44}{fmt.format(a):>10}{fmt.format(b):>10}{(a / b if b else float('nan')):>11.2f}")
    line("timing error, mirror's time (ms, median)", err(mode, "ours", "resp", 0.5), err(mode, "curl", "resp", 0.5))
    line("timing error, mirror's time (ms, p99)", err(mode, "ours", "resp", 0.99), err(mode, "curl", "resp", 0.99))
    line("timing error, first byte only (ms, median)", err(mode, "ours", "ttfb", 0.5), err(mode, "curl", "ttfb", 0.5))
    line("wall time (s)", med(mode, "ours", "wall"), med(mode, "curl", "wall"), "{:.2f}")
    line("CPU time, user+sys (s)", med(mode, "ours", "cpu"), med(mode, "curl", "cpu"), "{:.2f}")
    line("peak RSS (MB)", med(mode, "ours", "rss"), med(mode, "curl", "rss"), "{:.1f}")
    print(f"  {'mirrors answering (of ' + mirrors + ')':44}{med(mode, 'ours', 'ok'):>10.0f}{med(mode, 'curl', 'ok'):>10.0f}")
print("\n(mirror's time = ours: ms (tunnel or connect + TLS + first byte); curl: time_starttransfer - time_connect "
      "through a proxy, - time_namelookup direct. first byte only = ours: ttfb_ms; curl: time_starttransfer - time_pretransfer)")
PY
