#!/usr/bin/env bash
# Fetches the front-end packages from npm and copies the files Conform
# serves into internal/web/static/vendor, recording each package's version
# and each file's SHA-256 in internal/web/static/vendor/VENDOR.txt.
# Run it to upgrade; the result is committed, so building Conform needs no
# Node and running it needs nothing outside the binary.
#   scripts/vendor-assets.sh          fetch and copy
#   scripts/vendor-assets.sh --check  verify the committed files against VENDOR.txt
#
# The design system is Tabler (Bootstrap 5 underneath, MIT); its icons come
# from Tabler Icons (MIT), of which only the ones listed below are gathered
# into one SVG sprite, icons.svg, so a page loads a few kilobytes of icons
# rather than the whole set.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=internal/web/static/vendor

# package@version  file-in-package  name-in-vendor
files=(
  "htmx.org@2.0.11 dist/htmx.min.js htmx.min.js"
  "@tabler/core@1.6.1 dist/css/tabler.min.css tabler.min.css"
  "@tabler/core@1.6.1 dist/js/tabler.min.js tabler.min.js"
)
icons_pkg="@tabler/icons@3.52.0"
# Icons the pages use, by their Tabler name; add one here and re-run.
icons=(
  alert-circle alert-triangle arrow-down arrow-left arrow-up building check
  chevron-down chevron-left chevron-right circle-check circle-x clipboard-check
  components copy device-desktop dots-vertical external-link eye file-text filter
  fingerprint history home inbox info-circle key keyboard list-details lock login
  logout menu-2 moon pencil plus refresh search selector settings shield-check
  shield-lock sun trash user-circle users users-group x
  alert-octagon arrows-diff bell book calendar certificate chart-line checklist
  clock compass download file-certificate file-spreadsheet file-type-pdf
  file-upload files flag gauge leaf link map message-circle paperclip route
  school server sitemap speakerphone stack-2 table target timeline topology-star
  upload user-check world
)

if [ "${1:-}" = "--check" ]; then
  (cd "$dest" && grep -v '^#' VENDOR.txt | awk '{print $3"  "$2}' | sha256sum --check --quiet)
  echo "vendored assets match VENDOR.txt"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
unpack() { # package@version -> $tmp/<sanitised>/package
  local dir="$tmp/$(echo "$1" | tr '/@' '__')"
  if [ ! -d "$dir" ]; then
    mkdir -p "$dir"
    (cd "$dir" && npm pack --silent "$1" >/dev/null && tar -xzf ./*.tgz)
  fi
  echo "$dir/package"
}
{
  echo "# package@version file sha256 (written by scripts/vendor-assets.sh)"
  for f in "${files[@]}"; do
    read -r pkg src name <<<"$f"
    cp "$(unpack "$pkg")/$src" "$dest/$name"
    echo "$pkg $name $(sha256sum "$dest/$name" | cut -d' ' -f1)"
  done
  src="$(unpack "$icons_pkg")/icons/outline"
  {
    echo '<svg xmlns="http://www.w3.org/2000/svg">'
    for i in "${icons[@]}"; do
      # Keep the drawing, drop the wrapper and the invisible bounding box.
      body=$(tr '\n' ' ' <"$src/$i.svg" | sed -e 's/^.*<svg[^>]*>//' -e 's#</svg>.*$##' \
        -e 's#<path stroke="none" d="M0 0h24v24H0z" fill="none" */>##' -e 's/  */ /g')
      echo "<symbol id=\"$i\" viewBox=\"0 0 24 24\">$body</symbol>"
    done
    echo '</svg>'
  } >"$dest/icons.svg"
  echo "$icons_pkg icons.svg $(sha256sum "$dest/icons.svg" | cut -d' ' -f1)"
} >"$dest/VENDOR.txt"
cat "$dest/VENDOR.txt"
