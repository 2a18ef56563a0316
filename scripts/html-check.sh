#!/usr/bin/env bash
# Screenshots of the HTML report of `shenhe check` in headless Chromium, for people to look at
# (docs/images/). Whether the page works in a browser — it opens, its script runs, every
# highlight is where the finding says — is checked by the CLI test
# `html::the_page_in_headless_chromium_highlights_what_the_findings_say`, which CI runs.
#
# Needs Debian's chromium and a Chinese font (`.ci/setup` installs both) and python3.
#
# Usage: scripts/html-check.sh [OUT_DIR]
#   SHENHE=path/to/shenhe   binary to use (default: build target/release/shenhe)
#   RULES=FILE|DIR          rules (default: the CLI tests' fixture rules)
#   DOCS="a.txt b.pdf"      documents (default: the seed document)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$(mktemp -d)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
rules=${RULES:-$root/crates/shenhe-cli/tests/fixtures/seed.rule}
docs=${DOCS:-$root/examples/000_69e425832d03fcc4.txt}
if [ -z "${SHENHE:-}" ]; then
    (cd "$root" && cargo build --release -q -p shenhe-cli)
    SHENHE=${CARGO_TARGET_DIR:-$root/target}/release/shenhe
fi
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    echo "chromium not found: run .ci/setup" >&2
    exit 2
fi

# shellcheck disable=SC2086
"$SHENHE" check --rules "$rules" --format html -o "$out/report.html" $docs || true
# shellcheck disable=SC2086
"$SHENHE" check --rules "$rules" --format json -o "$out/report.json" $docs 2>/dev/null || true

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --disable-background-networking
       --disable-component-update --disable-sync --no-first-run --disable-quic
       --user-data-dir="$profile")

# A screenshot of the first error-level finding (else the first finding) in the page's focus
# view (`?focus=ID`: only that finding, its table cells and sentences).
target=$(python3 -c '
import json, sys
reports = json.load(open(sys.argv[1]))["reports"]
pairs = [(r["index"], i, f["severity"]) for r in reports for i, f in enumerate(r["findings"])]
pairs.sort(key=lambda p: p[2] != "error")
print("d%d-f%d" % pairs[0][:2] if pairs else "")' "$out/report.json")
"$browser" "${flags[@]}" --hide-scrollbars --window-size=1400,900 \
    --screenshot="$out/report.png" "file://$out/report.html?focus=$target" 2>"$out/chromium.log"
echo "page: $out/report.html"
echo "screenshot: $out/report.png"
