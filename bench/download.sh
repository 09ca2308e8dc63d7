#!/usr/bin/env bash
# mirrorscope get against curl and aria2c, downloading the farm's large file (256 MiB by default)
# from simulated mirrors with scripted rates.
#
# The farm (`mirrorscope demo --serve-only --without-director --farm-mirrors ... --large-file N`)
# runs in its own process. Its mirrors (plain http, no jitter, 5 ms delay):
#   raw     unpaced (as fast as loopback and the client take it: the clients' own cost)
#   warsaw  40 MB/s, madrid 30 MB/s, lisbon 20 MB/s (scripted with the farm's token bucket)
#   dying   40 MB/s, resets the connection after 64 MiB of every answer (a mirror dying midway)
# Scenarios, each tool in turn (the order alternates every round), ROUNDS rounds:
#   unpaced   one mirror, raw:               ours `get --mirror raw`, ours with --no-verify, curl -o,
#                                            curl then sha256sum (both timed), aria2c -x1 -s1
#   single    one mirror, warsaw:            the same five
#   segments  three mirrors, warsaw+madrid+lisbon, 3 connections: ours `--segments 3`, aria2c -s3
#             with the three URIs (curl has no segments); the speed-up is against "single"
#   failover  dying then warsaw:             ours `--mirror dying --mirror warsaw`, aria2c with both
#             URIs (curl stops at the reset: it is not run)
# Every tool checks the result: ours verifies the SHA-256 it finds in SHA256SUMS beside the file
# (part of its wall time), aria2c is given it (--checksum), curl's file is checked here after its
# run (not in its time). Two rows compare like with like: "ours-nv" (`--no-verify`: no hash, as
# curl) against curl, and "curl+sum" (curl, then `sha256sum` of the file, as a curl user verifies;
# both in its time) against ours; their files are checked here too, not in their time. Wall, user+sys CPU and peak RSS come from /usr/bin/time -v.
#
# Usage: bench/download.sh   (ROUNDS=3 SIZE=268435456; BUILD=0 uses the release binary already
#        built; MIRRORSCOPE=path uses that binary)
# Needs: swift, curl, aria2c, python3, /usr/bin/time (Debian: apt-get install -y curl aria2 python3 time).
set -euo pipefail
ROUNDS=${ROUNDS:-3}
SIZE=${SIZE:-268435456}
cd "$(dirname "$0")/.."

for tool in curl aria2c python3 /usr/bin/time; do
    command -v "$tool" >/dev/null 2>&1 || { echo "missing $tool (Debian: apt-get install -y curl aria2 python3 time)" >&2; exit 2; }
done
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

cat > "$work/mirrors.json" <<'JSON'
[
 {"id": "raw", "name": "Raw", "location": "pl", "delayMs": 5, "jitterMs": 0, "tls": false},
 {"id": "warsaw", "name": "Warsaw", "location": "pl", "delayMs": 5, "jitterMs": 0, "tls": false, "bytesPerSecond": 40000000},
 {"id": "madrid", "name": "Madrid", "location": "es", "delayMs": 5, "jitterMs": 0, "tls": false, "bytesPerSecond": 30000000},
 {"id": "lisbon", "name": "Lisbon", "location": "pt", "delayMs": 5, "jitterMs": 0, "tls": false, "bytesPerSecond": 20000000},
 {"id": "dying", "name": "Dying", "location": "de", "delayMs": 5, "jitterMs": 0, "tls": false, "bytesPerSecond": 40000000,
  "downloadFault": "reset after 67108864"}
]
JSON
echo "starting the farm (hashing the $SIZE-byte file)..." >&2
"$BIN" demo --serve-only --without-director --farm-mirrors "$work/mirrors.json" --large-file "$SIZE" > "$work/page-url" 2>"$work/farm.err" &
farm_pid=$!
for _ in $(seq 1 600); do [ "$(wc -l < "$work/page-url")" -ge 2 ] && break; sleep 0.1; done
page=$(sed -n 1p "$work/page-url")
[ -n "$page" ] || { echo "the farm did not start:" >&2; cat "$work/farm.err" >&2; exit 1; }
name=mirrorscope-demo-1.0.img
path=files/$name
curl -sf "${page}farm.json" > "$work/farm.json"
url() { python3 -c "import json,sys; print([m['url'] for m in json.load(open('$work/farm.json'))['mirrors'] if m['id']==sys.argv[1]][0])" "$1"; }
declare -A base
for id in raw warsaw madrid lisbon dying; do base[$id]=$(url "$id"); done
sha=$(curl -sf "${base[raw]}files/SHA256SUMS" | awk -v n="$name" '$2==n {print $1}')
[ -n "$sha" ] || { echo "no SHA-256 for $name in SHA256SUMS" >&2; exit 1; }

# timed LABEL TOOL SCENARIO ROUND COMMAND...: runs COMMAND in a fresh folder under /usr/bin/time -v,
# checks the saved file's hash, appends "scenario tool wall cpu rss ok" to results.
timed() {
    local tool=$1 scenario=$2 round=$3; shift 3
    local dir="$work/out-$tool-$scenario-$round"
    mkdir -p "$dir"
    ( cd "$dir" && /usr/bin/time -v -o "$work/time" "$@" > "$work/stdout" 2> "$work/stderr" ) || true
    local ok=0
    [ -f "$dir/$name" ] && [ "$(sha256sum "$dir/$name" | cut -d' ' -f1)" = "$sha" ] && ok=1
    [ "$ok" = 1 ] || { echo "  $tool $scenario: no verified file" >&2; tail -3 "$work/stderr" >&2; }
    python3 - "$work/time" "$scenario" "$tool" "$ok" >> "$work/results" <<'PY'
import sys
t = {}
for line in open(sys.argv[1]):
    k, _, v = line.strip().rpartition(": ")
    t[k] = v
def seconds(text):
    s = 0.0
    for part in text.split(":"): s = s * 60 + float(part)
    return s
wall = seconds(t["Elapsed (wall clock) time (h:mm:ss or m:ss)"])
cpu = float(t["User time (seconds)"]) + float(t["System time (seconds)"])
print(sys.argv[2], sys.argv[3], wall, cpu, int(t["Maximum resident set size (kbytes)"]), sys.argv[4])
PY
    rm -rf "$dir"
}
aria=(aria2c --console-log-level=error --summary-interval=0 --file-allocation=none --allow-overwrite=true
      --max-tries=3 --retry-wait=0 --checksum=sha-256="$sha" -o "$name")
ours=("$BIN" get "$page" "$path" --quiet)

: > "$work/results"
for round in $(seq 1 "$ROUNDS"); do
    echo "round $round/$ROUNDS" >&2
    tools=(ours ours-nv curl curl+sum aria2c); [ $((round % 2)) -eq 0 ] && tools=(aria2c curl+sum curl ours-nv ours)
    for scenario in unpaced single segments failover; do
        for tool in "${tools[@]}"; do
            case "$scenario/$tool" in
                unpaced/ours)   timed ours "$scenario" "$round" "${ours[@]}" --mirror "${base[raw]}" ;;
                unpaced/ours-nv) timed ours-nv "$scenario" "$round" "${ours[@]}" --no-verify --mirror "${base[raw]}" ;;
                unpaced/curl)   timed curl "$scenario" "$round" curl -sf -o "$name" "${base[raw]}$path" ;;
                unpaced/curl+sum) timed curl+sum "$scenario" "$round" sh -c 'curl -sf -o "$1" "$2" && sha256sum "$1" > /dev/null' - "$name" "${base[raw]}$path" ;;
                unpaced/aria2c) timed aria2c "$scenario" "$round" "${aria[@]}" -x1 -s1 "${base[raw]}$path" ;;
                single/ours)    timed ours "$scenario" "$round" "${ours[@]}" --mirror "${base[warsaw]}" ;;
                single/ours-nv) timed ours-nv "$scenario" "$round" "${ours[@]}" --no-verify --mirror "${base[warsaw]}" ;;
                single/curl)    timed curl "$scenario" "$round" curl -sf -o "$name" "${base[warsaw]}$path" ;;
                single/curl+sum) timed curl+sum "$scenario" "$round" sh -c 'curl -sf -o "$1" "$2" && sha256sum "$1" > /dev/null' - "$name" "${base[warsaw]}$path" ;;
                single/aria2c)  timed aria2c "$scenario" "$round" "${aria[@]}" -x1 -s1 "${base[warsaw]}$path" ;;
                segments/ours)  timed ours "$scenario" "$round" "${ours[@]}" --segments 3 --mirror "${base[warsaw]}" --mirror "${base[madrid]}" --mirror "${base[lisbon]}" ;;
                segments/aria2c) timed aria2c "$scenario" "$round" "${aria[@]}" -x1 -s3 "${base[warsaw]}$path" "${base[madrid]}$path" "${base[lisbon]}$path" ;;
                failover/ours)  timed ours "$scenario" "$round" "${ours[@]}" --mirror "${base[dying]}" --mirror "${base[warsaw]}" ;;
                failover/aria2c) timed aria2c "$scenario" "$round" "${aria[@]}" -x1 -s1 "${base[dying]}$path" "${base[warsaw]}$path" ;;
                *) ;;  # curl has no segments and no failover
            esac
        done
    done
done

python3 - "$work/results" "$SIZE" "$ROUNDS" <<'PY'
import statistics, sys
size, rounds = int(sys.argv[2]), int(sys.argv[3])
runs = {}
for line in open(sys.argv[1]):
    scenario, tool, wall, cpu, rss, ok = line.split()
    runs.setdefault((scenario, tool), []).append((float(wall), float(cpu), int(rss), ok == "1"))
med = lambda xs: statistics.median(xs) if xs else float("nan")
print(f"\ndownload: mirrorscope get vs curl and aria2c, a {size / 2**20:.0f} MiB file from farm mirrors, "
      f"{rounds} rounds alternating (medians)")
print(f"{'scenario':10}{'tool':9}{'wall s':>8}{'MB/s':>8}{'CPU s':>8}{'peak RSS MB':>13}{'verified':>10}{'wall/ours':>11}")
for scenario in ["unpaced", "single", "segments", "failover"]:
    ours = med([r[0] for r in runs.get((scenario, "ours"), [])])
    for tool in ["ours", "ours-nv", "curl", "curl+sum", "aria2c"]:
        rs = runs.get((scenario, tool))
        if not rs: continue
        wall = med([r[0] for r in rs]); cpu = med([r[1] for r in rs]); rss = max(r[2] for r in rs) / 1024
        ok = sum(r[3] for r in rs)
        print(f"{scenario:10}{tool:9}{wall:>8.2f}{size / wall / 1e6:>8.1f}{cpu:>8.2f}{rss:>13.1f}{f'{ok}/{len(rs)}':>10}{wall / ours:>11.2f}")
single = med([r[0] for r in runs.get(("single", "ours"), [])])
seg = med([r[0] for r in runs.get(("segments", "ours"), [])])
for scenario in ["unpaced", "single"]:
    w = lambda tool: med([r[0] for r in runs.get((scenario, tool), [])])
    print(f"{scenario}: throughput against curl: ours-nv (no hash, as curl) {w('curl') / w('ours-nv'):.2f}x; "
          f"ours verified against curl then sha256sum {w('curl+sum') / w('ours'):.2f}x")
print(f"\nsegments: ours over 3 mirrors is {single / seg:.2f}x the best single mirror (warsaw, 40 MB/s) alone")
PY
