#!/usr/bin/env bash
# Builds the seed corpus of one fuzz target in DIR: the committed seeds (fuzz/seeds/TARGET, the
# tests' documents), the real documents in ../shared/fixtures (the page and HTML targets; large
# ones cut to their first 16 KiB so each run stays fast), the themes, and generated inputs (signed
# session tokens, key records). Usage: fuzz/seeds.sh TARGET DIR
set -euo pipefail
target=$1
out=$2
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
fixtures="$root/../shared/fixtures"
mkdir -p "$out"
[ -d "$here/seeds/$target" ] && cp "$here/seeds/$target"/* "$out/" 2>/dev/null || true

case "$target" in
page)
    # The page target's first byte chooses a file name and a media type (0: none, so the content
    # decides, as for a file given on the command line).
    for f in "$out"/*; do { printf '\0'; cat "$f"; } > "$f.seed" && mv "$f.seed" "$f"; done
    if [ -d "$fixtures" ]; then
        for f in "$fixtures"/*; do
            [ "$(basename "$f")" = SOURCES.md ] && continue
            { printf '\0'; head -c 16384 "$f"; } > "$out/fixture-$(basename "$f")"
        done
    fi
    ;;
html)
    for f in "$fixtures"/*.html; do
        if [ -e "$f" ]; then head -c 16384 "$f" > "$out/fixture-$(basename "$f")"; fi
    done
    ;;
theme)
    cp "$root/themes"/*.toml "$out/"
    ;;
session-token)
    # Real tokens for the target's secret (FuzzEntries' SessionTokenTarget.fuzzSecret).
    python3 - "$out" <<'PY'
import hmac, hashlib, sys
secret = b"fuzz-secret-fuzz-secret-fuzz-secret"
for n, (server, expiry) in enumerate([("m0", 9999999999), ("de1", 1764600000), ("a-b_c", 1764590001), ("x", 1)]):
    message = f"1.{server}.{expiry}".encode()
    token = message + b"." + hmac.new(secret, message, hashlib.sha256).hexdigest().encode()
    open(f"{sys.argv[1]}/token{n}", "wb").write(token)
PY
    ;;
key-decoder)
    # Records of (status, little-endian code): ESC [ A, ESC O P, a function key, plain letters.
    printf '\0\x1b\0\0\0\0[\0\0\0\0A\0\0\0' > "$out/csi"
    printf '\0\x1b\0\0\0\0O\0\0\0\0P\0\0\0\0q\0\0\0' > "$out/ss3"
    printf '\1\x03\1\0\0\0j\0\0\0\0\x0d\0\0\0\0\x1b\0\0\0' > "$out/keys"
    ;;
esac
