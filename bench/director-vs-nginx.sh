#!/usr/bin/env bash
# The director against nginx and HAProxy on this machine, alternating, several rounds (see
# GUIDE.md, "Benchmarks").
#
# 1. Redirects: wrk (1 thread, 64 connections) against `mirrorscope serve` in redirect mode,
#    against nginx (`worker_processes 1`, `return 302` + `add_header Set-Cookie`) and against
#    HAProxy (`nbthread 1`, `http-request redirect` + `http-after-response set-header Set-Cookie`,
#    the same header nginx sends). Like with like: one event loop thread against one worker or
#    thread, access logs off on all three, keep-alive on all three. Twice:
#    new sessions (no cookie: the director picks a server and signs a token) and sticky sessions
#    (every request carries a token: the director verifies its HMAC; nginx ignores it).
# 2. Proxy: a 100 MB body served by an nginx static origin, fetched through the director in proxy
#    mode and through nginx `proxy_pass` (one worker), with curl; MB/s and the ratio.
# 3. GeoIP (when a GeoLite2 City file is found: GEOIP_DB, default .build-geo/GeoLite2-City.mmdb):
#    new sessions on a second director with `geoip_db`, `trusted_proxies = ["127.0.0.1"]` and
#    mirrors in twelve countries; every request carries `X-Forwarded-For` (wrk's Lua script cycles
#    through GEO_ADDRESSES requests built beforehand, random public IPv4 addresses with a fixed
#    seed: 1 is one place again and again, 10000 defeats the director's per-loop memory of places).
#    nginx and HAProxy get the same requests and ignore the header: the bar is their plain redirect.
# 4. File checks (CHECK_FILES=1): new sessions on a third director with `check_files = true` whose
#    two mirrors are folders of the nginx origin (so the checks' HEADs are answered); the cache is
#    warmed before wrk starts, so this is the warm path's cost: compare with row 1.
#
# Usage: bench/director-vs-nginx.sh            (ROUNDS=3 DURATION=10s by default)
#        CHECK_FILES=1 bench/director-vs-nginx.sh   (adds part 4)
#        GEO_ADDRESSES=10000 GEO_ONLY=1 bench/director-vs-nginx.sh   (GEO_ONLY=1: part 3 only)
#        MIRRORSCOPE=/path/to/mirrorscope bench/director-vs-nginx.sh
#        THREADS=2 bench/director-vs-nginx.sh   (the director's threads, nginx's workers and
#        HAProxy's threads, all three alike; default 1)
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-1}
BASE_PORT=${BASE_PORT:-18080}
DIRECTOR_PORT=$BASE_PORT
NGINX_PORT=$((BASE_PORT + 1))
ORIGIN_PORT=$((BASE_PORT + 2))
PROXY_DIRECTOR_PORT=$((BASE_PORT + 3))
PROXY_NGINX_PORT=$((BASE_PORT + 4))
GEO_DIRECTOR_PORT=$((BASE_PORT + 5))
HAPROXY_PORT=$((BASE_PORT + 6))
CHECK_DIRECTOR_PORT=$((BASE_PORT + 7))
CHECK_FILES=${CHECK_FILES:-0}
GEOIP_DB=${GEOIP_DB:-}
GEO_ADDRESSES=${GEO_ADDRESSES:-1}
GEO_ONLY=${GEO_ONLY:-0}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
[[ -z "$GEOIP_DB" && -s "$ROOT/.build-geo/GeoLite2-City.mmdb" ]] && GEOIP_DB="$ROOT/.build-geo/GeoLite2-City.mmdb"

missing=()
for tool in wrk nginx haproxy curl; do command -v "$tool" >/dev/null || missing+=("$tool"); done
if ((${#missing[@]})); then
    echo "missing: ${missing[*]}" >&2
    echo "install the peers with: apt-get update && apt-get install -y nginx haproxy wrk curl" >&2
    exit 1
fi

if [[ -z "${MIRRORSCOPE:-}" ]]; then
    MIRRORSCOPE="$ROOT/.build-release-director/release/mirrorscope"
    if [[ ! -x "$MIRRORSCOPE" ]]; then
        echo "building mirrorscope (release) into .build-release-director ..." >&2
        (cd "$ROOT" && swift build -c release --scratch-path .build-release-director --product mirrorscope >&2)
    fi
fi
if ! "$MIRRORSCOPE" serve --help >/dev/null 2>&1; then
    echo "$MIRRORSCOPE has no 'serve' command" >&2
    exit 1
fi

WORK=$(mktemp -d /tmp/director-bench.XXXXXX)
chmod 755 "$WORK" # nginx's workers (not root) read the origin's file
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

wait_for() { # URL: until it answers, 10 s at most
    for _ in $(seq 100); do
        curl -s -o /dev/null "$1" && return 0
        sleep 0.1
    done
    echo "nothing answers at $1" >&2
    exit 1
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
divide() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# --- servers ------------------------------------------------------------------------------------

SECRET=bench-secret-0123456789abcdef
cat >"$WORK/director.toml" <<EOF
listen = "127.0.0.1:$DIRECTOR_PORT"
secret = "$SECRET"
threads = $THREADS
access_log = "off"

[health]
enabled = false

[[real]]
id = "a"
url = "http://mirror-a.example/pub/"

[[real]]
id = "b"
url = "http://mirror-b.example/pub/"

[[virtual]]
name = "proxy"
listen = "127.0.0.1:$PROXY_DIRECTOR_PORT"
mode = "proxy"
real = ["origin"]

[[real]]
id = "origin"
url = "http://127.0.0.1:$ORIGIN_PORT/"
EOF

# nginx answers what the director answers: a 302 to a mirror and a session cookie of the same size.
COOKIE_VALUE="mirrorscope_session=1.a.1900000000.$(printf '%064d' 0); Path=/; Max-Age=1800; HttpOnly; SameSite=Lax"
mkdir -p "$WORK/nginx/logs" "$WORK/www"
head -c 100000000 /dev/urandom >"$WORK/www/big.bin"
chmod -R a+rX "$WORK/www"
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes $THREADS;
daemon off;
error_log $WORK/nginx/logs/error.log warn;
pid $WORK/nginx/nginx.pid;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path $WORK/nginx/body;
    proxy_temp_path $WORK/nginx/proxy;
    fastcgi_temp_path $WORK/nginx/fastcgi;
    uwsgi_temp_path $WORK/nginx/uwsgi;
    scgi_temp_path $WORK/nginx/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / {
            add_header Set-Cookie "$COOKIE_VALUE";
            return 302 http://mirror-a.example/pub\$request_uri;
        }
    }
    server {
        listen 127.0.0.1:$ORIGIN_PORT;
        root $WORK/www;
    }
    server {
        listen 127.0.0.1:$PROXY_NGINX_PORT;
        location / { proxy_pass http://127.0.0.1:$ORIGIN_PORT; }
    }
}
EOF

# HAProxy answers the same: `http-after-response` also applies to the responses HAProxy makes
# itself (the redirect), so the cookie is byte for byte nginx's.
cat >"$WORK/haproxy.cfg" <<EOF
global
    nbthread $THREADS
    maxconn 4096
defaults
    mode http
    option http-keep-alive
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend redirect
    bind 127.0.0.1:$HAPROXY_PORT
    http-request redirect location http://mirror-a.example/pub%[url] code 302
    http-after-response set-header Set-Cookie "$COOKIE_VALUE"
EOF

if [[ -n "$GEOIP_DB" ]]; then
    cat >"$WORK/geo-director.toml" <<EOF
listen = "127.0.0.1:$GEO_DIRECTOR_PORT"
secret = "$SECRET"
threads = $THREADS
access_log = "off"
geoip_db = "$GEOIP_DB"
trusted_proxies = ["127.0.0.1"]

[health]
enabled = false
EOF
    for cc in us de fr gb jp br au za in nl se ca; do
        printf '\n[[real]]\nid = "%s"\nurl = "http://mirror-%s.example/pub/"\nlocation = "%s"\n' "$cc" "$cc" "$cc" >>"$WORK/geo-director.toml"
    done
    # The requests wrk sends, built once (a Lua string per address): random public IPv4 addresses.
    awk -v n="$GEO_ADDRESSES" 'BEGIN {
        srand(13); print "local addresses = {}"
        for (i = 1; i <= n; ) {
            a = int(1 + rand() * 223); if (a == 10 || a == 100 || a == 127 || a == 169 || a == 172 || a == 192) continue
            printf "addresses[%d] = \"%d.%d.%d.%d\"\n", i, a, int(rand() * 256), int(rand() * 256), int(1 + rand() * 254)
            i++
        }
        print "local requests = {}"
        print "init = function(args)"
        print "    for k, address in ipairs(addresses) do"
        print "        requests[k] = wrk.format(\"GET\", \"/files/README.txt\", {[\"X-Forwarded-For\"] = address})"
        print "    end"
        print "end"
        print "local i = 0"
        print "request = function() i = i % #requests + 1; return requests[i] end"
    }' >"$WORK/geo.lua"
    "$MIRRORSCOPE" serve --config "$WORK/geo-director.toml" --log-level warning >"$WORK/geo-director.out" 2>"$WORK/geo-director.err" &
    PIDS+=($!)
fi

if [[ "$CHECK_FILES" == 1 ]]; then
    for m in a b; do mkdir -p "$WORK/www/$m/files" && echo "README" >"$WORK/www/$m/files/README.txt"; done
    chmod -R a+rX "$WORK/www"
    cat >"$WORK/check-director.toml" <<EOF
listen = "127.0.0.1:$CHECK_DIRECTOR_PORT"
secret = "$SECRET"
threads = $THREADS
access_log = "off"
check_files = true

[health]
enabled = false

[[real]]
id = "a"
url = "http://127.0.0.1:$ORIGIN_PORT/a/"

[[real]]
id = "b"
url = "http://127.0.0.1:$ORIGIN_PORT/b/"
EOF
    "$MIRRORSCOPE" serve --config "$WORK/check-director.toml" --log-level warning >"$WORK/check-director.out" 2>"$WORK/check-director.err" &
    PIDS+=($!)
fi

nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
PIDS+=($!)
haproxy -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.out" 2>&1 &
PIDS+=($!)
"$MIRRORSCOPE" serve --config "$WORK/director.toml" --log-level warning >"$WORK/director.out" 2>"$WORK/director.err" &
PIDS+=($!)
wait_for "http://127.0.0.1:$NGINX_PORT/"
wait_for "http://127.0.0.1:$HAPROXY_PORT/"
wait_for "http://127.0.0.1:$DIRECTOR_PORT/-/health"
TOKEN=$(curl -s -o /dev/null -D - "http://127.0.0.1:$DIRECTOR_PORT/x" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \(mirrorscope_session=[^;]*\).*/\1/p')

echo "machine: $(nproc) cores; $(uname -sr); $(nginx -v 2>&1); $(haproxy -v | head -1); wrk -t1 -c$CONNECTIONS -d$DURATION"
echo "director: $MIRRORSCOPE (threads = $THREADS); nginx: worker_processes $THREADS; haproxy: nbthread $THREADS"
echo

wrk_rate() { # URL [header or a Lua script's path]: requests per second
    local args=(-t1 "-c$CONNECTIONS" "-d$DURATION" "$1")
    if [[ "${2:-}" == *.lua ]]; then args+=(-s "$2"); elif [[ -n "${2:-}" ]]; then args+=(-H "$2"); fi
    local out
    out=$(wrk "${args[@]}")
    if grep -q "Non-2xx or 3xx" <<<"$out"; then echo "unexpected statuses from $1" >&2; echo "$out" >&2; exit 1; fi
    awk '/^Requests\/sec:/ { print $2 }' <<<"$out"
}

redirects() { # label, cookie header or Lua script (may be empty), [director port]
    local label=$1 header=$2 port=${3:-$DIRECTOR_PORT} ours=() nginxes=() haproxies=()
    echo "== redirects/s, $label =="
    for round in $(seq "$ROUNDS"); do
        local a b c
        a=$(wrk_rate "http://127.0.0.1:$port/files/README.txt" "$header")
        b=$(wrk_rate "http://127.0.0.1:$NGINX_PORT/files/README.txt" "$header")
        c=$(wrk_rate "http://127.0.0.1:$HAPROXY_PORT/files/README.txt" "$header")
        ours+=("$a")
        nginxes+=("$b")
        haproxies+=("$c")
        printf 'round %d: director %10.0f   nginx %10.0f   haproxy %10.0f\n' "$round" "$a" "$b" "$c"
    done
    local mo mn mh
    mo=$(printf '%s\n' "${ours[@]}" | median)
    mn=$(printf '%s\n' "${nginxes[@]}" | median)
    mh=$(printf '%s\n' "${haproxies[@]}" | median)
    printf 'median:  director %10.0f   nginx %10.0f   haproxy %10.0f   ratio to nginx %.2f   to haproxy %.2f\n\n' \
        "$mo" "$mn" "$mh" "$(divide "$mo" "$mn")" "$(divide "$mo" "$mh")"
}

if [[ -n "$GEOIP_DB" ]]; then
    wait_for "http://127.0.0.1:$GEO_DIRECTOR_PORT/-/health"
    # The GeoIP director must really place clients: a French address goes to the French mirror.
    placed=$(curl -s -o /dev/null -w '%{redirect_url}' -H 'X-Forwarded-For: 194.254.3.1' "http://127.0.0.1:$GEO_DIRECTOR_PORT/x")
    [[ "$placed" == http://mirror-fr.example/* ]] || { echo "the GeoIP director sent a French client to $placed" >&2; exit 1; }
fi
if [[ "$GEO_ONLY" != 1 ]]; then
    redirects "new sessions (no cookie)" ""
    redirects "sticky sessions (valid token)" "Cookie: $TOKEN"
fi
if [[ -n "$GEOIP_DB" ]]; then
    redirects "new sessions, GeoIP ($GEO_ADDRESSES client addresses in X-Forwarded-For from a trusted proxy)" "$WORK/geo.lua" "$GEO_DIRECTOR_PORT"
else
    echo "(no GeoLite2 City file: set GEOIP_DB to measure GeoIP selection)"
    echo
fi
if [[ "$CHECK_FILES" == 1 ]]; then
    wait_for "http://127.0.0.1:$CHECK_DIRECTOR_PORT/-/health"
    # The checks must really run: a file both hold is redirected, one neither holds is a 404.
    held=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$CHECK_DIRECTOR_PORT/files/README.txt")
    none=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$CHECK_DIRECTOR_PORT/files/none.iso")
    [[ "$held" == 302 && "$none" == 404 ]] || { echo "check_files director: README $held, none.iso $none (want 302, 404)" >&2; exit 1; }
    redirects "new sessions, check_files (warm cache: every answer known)" "" "$CHECK_DIRECTOR_PORT"
fi
[[ "$GEO_ONLY" == 1 ]] && exit 0

echo "== proxy, 100 MB body, MB/s (curl, one stream) =="
ours=() theirs=()
for round in $(seq "$ROUNDS"); do
    a=$(curl -s -o /dev/null -w '%{speed_download}' "http://127.0.0.1:$PROXY_DIRECTOR_PORT/big.bin")
    b=$(curl -s -o /dev/null -w '%{speed_download}' "http://127.0.0.1:$PROXY_NGINX_PORT/big.bin")
    a=$(divide "$a" 1000000)
    b=$(divide "$b" 1000000)
    ours+=("$a")
    theirs+=("$b")
    printf 'round %d: director %8.0f   nginx %8.0f\n' "$round" "$a" "$b"
done
mo=$(printf '%s\n' "${ours[@]}" | median)
mt=$(printf '%s\n' "${theirs[@]}" | median)
printf 'median:  director %8.0f   nginx %8.0f   ratio %.2f\n' "$mo" "$mt" "$(divide "$mo" "$mt")"
