#!/usr/bin/env bash
# Browser tests in headless Chromium (Debian's package, driven by playwright-core:
# no browser download). Builds the example site twice (French as shipped, and an
# English copy with `language: en`), checks every page of both with the Nu Html
# Checker, then runs each test file explicitly with the environment it needs:
#   - tests/explorer.test.mjs: the table explorer on one dataset page of the
#     example site, then on the test's own fixture (large tables, English,
#     the streaming mode);
#   - tests/search.test.mjs: the catalogue search and its facets on both
#     sites (and, with SCALE_SITE_DIR set, the bytes loaded before the first
#     query and the time per keystroke on a large generated catalogue);
#   - tests/hostile.test.mjs: a file named `javascript:…` and HTML in the map
#     attribution run no script (its own hostile site, built here);
#   - tests/a11y.test.mjs: axe-core (WCAG 2.0/2.1 A + AA) on every page type of
#     both sites, the skip link and visible keyboard focus (all findings also
#     in target/browser-a11y-report.json).
# Every step runs even if an earlier one failed; the script fails at the end if
# any did. Needs node, npm, java and /usr/bin/chromium.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
site="$root/target/browser-site"
site_en="$root/target/browser-site-en"
src_en="$root/target/browser-site-en-src"
cd "$root"
cargo build --locked --quiet
rm -rf "$site"
SOURCE_DATE_EPOCH=1795392000 target/debug/kiosque build example-site --output "$site" --quiet
# the English copy: the same sources with `language: en`
rm -rf "$src_en" "$site_en"
mkdir -p "$src_en"
tar -C example-site --exclude=./public --exclude=./.kiosque-cache -cf - . | tar -C "$src_en" -xf -
sed -i 's/^language: fr$/language: en/' "$src_en/site.yaml"
grep -q '^language: en$' "$src_en/site.yaml" || { echo "no 'language: fr' line to switch in example-site/site.yaml" >&2; exit 1; }
SOURCE_DATE_EPOCH=1795392000 target/debug/kiosque build "$src_en" --output "$site_en" --quiet
cd "$here"
npm ci --no-audit --no-fund --silent

failed=()
step() { # step NAME COMMAND...: run one step, remember its failure
  local name="$1"
  shift
  echo "-- $name"
  if ! "$@"; then failed+=("$name"); fi
}
vnu=(java -jar node_modules/vnu-jar/build/dist/vnu.jar --errors-only --skip-non-html)
step "HTML of every page of the example site (Nu Html Checker)" "${vnu[@]}" "$site"
step "HTML of every page of the English example site (Nu Html Checker)" "${vnu[@]}" "$site_en"
step "explorer on the example site" env SITE_DIR="$site" PAGE=datasets/budget/index.html node --test tests/explorer.test.mjs
step "explorer on the test fixture" env -u SITE_DIR -u PAGE node --test tests/explorer.test.mjs
step "catalogue search on the example site" env SITE_DIR="$site" node --test tests/search.test.mjs
step "catalogue search on the English example site" env SITE_DIR="$site_en" node --test tests/search.test.mjs
if [ -n "${SCALE_SITE_DIR:-}" ]; then
  step "catalogue search at scale ($SCALE_SITE_DIR)" env -u SITE_DIR SCALE_SITE_DIR="$SCALE_SITE_DIR" node --test tests/search.test.mjs
fi
step "hostile file names and map attribution run no script" env KIOSQUE="$root/target/debug/kiosque" node --test tests/hostile.test.mjs
step "accessibility (axe-core, keyboard) of the French and English example sites" \
  env SITE_DIR="$site" SITE_DIR_EN="$site_en" A11Y_REPORT="$root/target/browser-a11y-report.json" node --test tests/a11y.test.mjs

if ((${#failed[@]})); then
  printf 'FAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
