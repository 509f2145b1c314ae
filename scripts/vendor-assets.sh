#!/usr/bin/env bash
# Fetches the front-end packages from npm and copies the files Conform
# serves into internal/web/static/vendor, recording each package's version
# and each file's SHA-256 in internal/web/static/vendor/VENDOR.txt.
# Run it to upgrade; the result is committed, so building Conform needs no
# Node and running it needs nothing outside the binary.
#   scripts/vendor-assets.sh          fetch and copy
#   scripts/vendor-assets.sh --check  verify the committed files against VENDOR.txt
set -euo pipefail
cd "$(dirname "$0")/.."
dest=internal/web/static/vendor

# package@version  file-in-package  name-in-vendor
files=(
  "htmx.org@2.0.11 dist/htmx.min.js htmx.min.js"
  "@picocss/pico@2.1.1 css/pico.min.css pico.min.css"
)

if [ "${1:-}" = "--check" ]; then
  (cd "$dest" && grep -v '^#' VENDOR.txt | awk '{print $3"  "$2}' | sha256sum --check --quiet)
  echo "vendored assets match VENDOR.txt"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
  echo "# package@version file sha256 (written by scripts/vendor-assets.sh)"
  for f in "${files[@]}"; do
    read -r pkg src name <<<"$f"
    (cd "$tmp" && npm pack --silent "$pkg" >/dev/null)
    tgz=$(ls "$tmp"/*.tgz | head -n 1)
    mkdir -p "$tmp/x" && tar -xzf "$tgz" -C "$tmp/x"
    cp "$tmp/x/package/$src" "$dest/$name"
    rm -rf "$tmp/x" "$tgz"
    echo "$pkg $name $(sha256sum "$dest/$name" | cut -d' ' -f1)"
  done
} > "$dest/VENDOR.txt"
cat "$dest/VENDOR.txt"
