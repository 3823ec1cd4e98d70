#!/usr/bin/env bash
# Browser tests of the table explorer in headless Chromium (Debian's
# package, driven by playwright-core: no browser download). Builds the
# example site, then runs the explorer test against one of its dataset
# pages and against the test's own fixture (large tables, English, the
# streaming mode); before that, every page goes through the Nu Html Checker.
# Needs node, npm, java and /usr/bin/chromium.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
site="$root/target/browser-site"
cd "$root"
cargo build --locked --quiet
rm -rf "$site"
SOURCE_DATE_EPOCH=1795392000 target/debug/kiosque build example-site --output "$site" --quiet
cd "$here"
npm ci --no-audit --no-fund --silent
echo "-- HTML of every page of the example site (Nu Html Checker)"
java -jar node_modules/vnu-jar/build/dist/vnu.jar --errors-only --skip-non-html "$site"
echo "-- explorer on the example site"
SITE_DIR="$site" PAGE=datasets/budget/index.html npm test --silent
echo "-- explorer on the test fixture"
npm test --silent
