#!/usr/bin/env bash
# Parsing real mirror lists: `mirrorscope list FILE --format json` against a Python one-liner that
# does the same job with its standard library (read, build the list of mirrors, write it as JSON),
# whole processes, alternating, several rounds (see GUIDE.md, "Benchmarks"). Prints the medians and
# the ratio (mirrorscope / Python; below 1 is faster), then the parse time alone, measured inside
# the process (`list --timing`: from the bytes read to the page built, output excluded), and the
# start-up of each program doing nothing, to tell start-up from work.
#
# 1. The Arch mirror status JSON (1205 mirrors): json.load + the list, ranked by score.
# 2. Debian's Mirrors.masterlist (357 stanzas): plain-text stanzas + the Archive-* URLs.
#
# The binary is built for release with the Swift runtime and Foundation linked in
# (--static-swift-stdlib, how a command-line tool ships on Linux): it starts in about two thirds of
# the time of the dynamically linked one, whose loader resolves symbols of ~25 shared libraries.
# STATIC=0 builds the dynamic one (into .build-release-parse-dynamic) to compare.
#
# Usage: bench/parse.sh                       (ROUNDS=21 by default)
#        MIRRORSCOPE=/path/to/mirrorscope bench/parse.sh
#        FIXTURES=/path/to/fixtures PYTHON=/usr/bin/python3 bench/parse.sh
set -euo pipefail

ROUNDS=${ROUNDS:-21}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FIXTURES=${FIXTURES:-$ROOT/../shared/fixtures}
ARCH=$FIXTURES/arch_mirrors_status_2026-05-11.json
DEBIAN=$FIXTURES/debian_Mirrors.masterlist
for f in "$ARCH" "$DEBIAN"; do
    [[ -r $f ]] || { echo "missing fixture: $f (set FIXTURES=...)" >&2; exit 1; }
done
command -v python3 >/dev/null || { echo "python3 is the peer and is missing" >&2; exit 1; }
# The interpreter itself, not a wrapper in front of it (a pyenv shim alone costs ~80 ms a run).
PYTHON=${PYTHON:-$(python3 -c 'import sys; print(sys.executable)')}

if [[ -z "${MIRRORSCOPE:-}" ]]; then
    if [[ "${STATIC:-1}" == 1 ]]; then
        scratch=.build-release-parse link=(--static-swift-stdlib)
    else
        scratch=.build-release-parse-dynamic link=()
    fi
    echo "building mirrorscope (release${link[*]:+, ${link[*]}}) into $scratch ..." >&2
    (cd "$ROOT" && swift build -c release "${link[@]}" --scratch-path "$scratch" --product mirrorscope >&2)
    MIRRORSCOPE="$ROOT/$scratch/release/mirrorscope"
fi

PY_ARCH='
import json, sys
doc = json.load(open(sys.argv[1]))
ranked = sorted((u["score"], i) for i, u in enumerate(doc["urls"]) if u.get("score") is not None)
rank = {i: n + 1 for n, (_, i) in enumerate(ranked)}
mirrors = [{"url": u["url"], "protocol": u["protocol"], "location": u["country_code"].lower() or "worldwide",
            "priority": rank.get(i), "country_name": u["country"] or None, "last_sync": u["last_sync"],
            "delay_s": u["delay"], "completion": u["completion_pct"]} for i, u in enumerate(doc["urls"])]
json.dump({"mirrors": mirrors, "warnings": []}, sys.stdout, indent=2)
'
PY_DEBIAN='
import json, sys
mirrors = []
for stanza in open(sys.argv[1], encoding="utf-8").read().split("\n\n"):
    fields = {}
    for line in stanza.splitlines():
        if ":" in line and not line.startswith((" ", "\t", "#")):
            key, value = line.split(":", 1)
            fields.setdefault(key.strip().lower(), value.strip())
    site = fields.get("site")
    if not site:
        continue
    code, _, name = fields.get("country", "").partition(" ")
    for key, scheme in (("archive-https", "https"), ("archive-http", "http"), ("archive-ftp", "ftp"), ("archive-rsync", "rsync")):
        if key in fields:
            mirrors.append({"url": "%s://%s/%s" % (scheme, site, fields[key].lstrip("/")), "protocol": scheme,
                            "location": code.lower() or None, "country_name": name or None, "city": fields.get("location")})
json.dump({"mirrors": mirrors, "warnings": []}, sys.stdout, indent=2)
'

# Wall time of one run, in milliseconds (the output goes to /dev/null).
wall_ms() {
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    echo $(((end - start) / 1000))
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
ms() { awk -v us="$1" 'BEGIN { printf "%.1f", us / 1000 }'; }

compare() { # NAME FILE PYTHON_PROGRAM
    local name=$1 file=$2 program=$3 ours=() theirs=() parse=()
    # Warm the page cache and check that both read the same number of mirrors.
    local n_ours n_theirs
    n_ours=$("$MIRRORSCOPE" list "$file" --format json 2>/dev/null | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["mirrors"]))')
    n_theirs=$("$PYTHON" -c "$program" "$file" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["mirrors"]))')
    for ((round = 0; round < ROUNDS; round++)); do
        if ((round % 2)); then # alternate who goes first
            theirs+=("$(wall_ms "$PYTHON" -c "$program" "$file")")
            ours+=("$(wall_ms "$MIRRORSCOPE" list "$file" --format json)")
        else
            ours+=("$(wall_ms "$MIRRORSCOPE" list "$file" --format json)")
            theirs+=("$(wall_ms "$PYTHON" -c "$program" "$file")")
        fi
        parse+=("$("$MIRRORSCOPE" list "$file" --format json --timing 2>&1 >/dev/null | sed -n 's/.*parse \([0-9.]*\) ms.*/\1/p' | awk '{ printf "%d", $1 * 1000 }')")
    done
    local m_ours m_theirs m_parse
    m_ours=$(printf '%s\n' "${ours[@]}" | median)
    m_theirs=$(printf '%s\n' "${theirs[@]}" | median)
    m_parse=$(printf '%s\n' "${parse[@]}" | median)
    printf '%-34s mirrorscope %7s ms   python3 %7s ms   ratio %s   (mirrors: %s vs %s)\n' "$name" "$(ms "$m_ours")" "$(ms "$m_theirs")" \
        "$(awk -v a="$m_ours" -v b="$m_theirs" 'BEGIN { printf "%.2f", a / b }')" "$n_ours" "$n_theirs"
    printf '%-34s parse alone (in process, median)  %s ms\n' "" "$(ms "$m_parse")"
}

startup() {
    local ours=() theirs=()
    for ((round = 0; round < ROUNDS; round++)); do
        ours+=("$(wall_ms "$MIRRORSCOPE" --version)")
        theirs+=("$(wall_ms "$PYTHON" -c pass)")
    done
    printf '%-34s mirrorscope %7s ms   python3 %7s ms\n' "start-up (--version / -c pass)" \
        "$(ms "$(printf '%s\n' "${ours[@]}" | median)")" "$(ms "$(printf '%s\n' "${theirs[@]}" | median)")"
}

echo "mirrorscope: $MIRRORSCOPE"
echo "python3:     $PYTHON ($("$PYTHON" --version 2>&1)); $ROUNDS rounds, alternating; medians of whole-process wall time"
echo "load:        $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
compare "Arch mirror status (1205 mirrors)" "$ARCH" "$PY_ARCH"
compare "Debian masterlist (357 stanzas)" "$DEBIAN" "$PY_DEBIAN"
startup
