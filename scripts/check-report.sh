#!/usr/bin/env bash
# Checks an HTML report as a person would see it: renders it in headless Chromium, fails on any
# console message (a clean report logs nothing: script errors, CSP refusals and failed loads all
# show up there) and on images that are missing or do not decode, and saves a screenshot.
#
#   scripts/check-report.sh REPORT_HTML [SCREENSHOT_PNG]
#
# Installs Chromium with apt when no Chromium/Chrome is on PATH. Exit status 0 when clean.
set -euo pipefail

if [ $# -lt 1 ] || [ ! -f "$1" ]; then
  echo "usage: scripts/check-report.sh REPORT_HTML [SCREENSHOT_PNG] (the HTML file must exist)" >&2
  exit 2
fi
html=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shot=${2:-${html%.html}.png}
dir=$(dirname "$html")

browser=""
for candidate in chromium chromium-browser google-chrome google-chrome-stable; do
  if command -v "$candidate" >/dev/null 2>&1; then browser=$candidate; break; fi
done
if [ -z "$browser" ]; then
  echo "check-report: installing chromium (apt)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
  browser=chromium
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --user-data-dir="$work/profile" --enable-logging=stderr --v=0 --virtual-time-budget=5000)
url="file://$html"
failures=0

# 1. Load the page, run its script, dump the DOM; console messages go to stderr.
"$browser" "${flags[@]}" --dump-dom "$url" >"$work/dom.html" 2>"$work/console.log" || {
  echo "check-report: FAIL: $browser could not render $html" >&2
  cat "$work/console.log" >&2
  exit 1
}
if ! grep -q "</html>\|</body>" "$work/dom.html"; then
  echo "check-report: FAIL: the rendered DOM of $html is empty or truncated" >&2
  failures=$((failures + 1))
fi
if grep -E "CONSOLE|Uncaught|Refused to" "$work/console.log" >"$work/errors.log"; then
  echo "check-report: FAIL: console messages while rendering $html:" >&2
  cat "$work/errors.log" >&2
  failures=$((failures + 1))
fi

# 2. Every <img src> / SVG <image href> must be a decodable PNG data URI or an existing file.
images=0
while IFS= read -r src; do
  [ -z "$src" ] && continue
  images=$((images + 1))
  case "$src" in
    data:image/png\;base64,*)
      # Decode to a file first: piping into `head` would end base64 with SIGPIPE (pipefail).
      printf '%s' "${src#data:image/png;base64,}" | base64 -d >"$work/image.bin" 2>/dev/null || true
      signature=$(od -An -tx1 -N8 "$work/image.bin" | tr -d ' \n')
      if [ "$signature" != "89504e470d0a1a0a" ]; then
        echo "check-report: FAIL: image $images is a data URI that is not a PNG" >&2
        failures=$((failures + 1))
      fi ;;
    data:*) ;;
    http:*|https:*|//*)
      echo "check-report: FAIL: image $images is fetched from the network ($src); reports must be self-contained" >&2
      failures=$((failures + 1)) ;;
    *)
      if [ ! -s "$dir/${src%%[?#]*}" ]; then
        echo "check-report: FAIL: image $images ($src) is missing next to $html" >&2
        failures=$((failures + 1))
      fi ;;
  esac
done < <(grep -oE '<img [^>]*src="[^"]*"|<image [^>]*href="[^"]*"' "$work/dom.html" | sed -E 's/.*(src|href)="([^"]*)"$/\2/')

# 3. Screenshot of the top of the page (what the README shows).
"$browser" "${flags[@]}" --hide-scrollbars --window-size=1280,1800 --screenshot="$shot" "$url" >/dev/null 2>"$work/shot.log" || true
if [ ! -s "$shot" ]; then
  echo "check-report: FAIL: no screenshot was written to $shot" >&2
  cat "$work/shot.log" >&2
  failures=$((failures + 1))
fi

if [ "$failures" -gt 0 ]; then
  echo "check-report: $failures problem(s) in $html" >&2
  exit 1
fi
echo "check-report: OK: $html ($images images, no console messages); screenshot $shot"
