#!/usr/bin/env bash
# Refreshes the built-in schemas (src/tableschema/schemas/<name>.json) from
# their published schema.json, verbatim: downloaded from the official URL of
# the version src/tableschema/builtin.rs names, or copied from FOLDER/<name>/
# schema.json when a folder is given (e.g. ../shared/schemas, offline).
#
#   scripts/refresh-schemas.sh [FOLDER]
#
# To move a schema to a new version: change its `version` and `canonical_url`
# in builtin.rs, run this script, then `cargo test` (the tests compare each
# built-in with the published file when ../shared is there).
set -euo pipefail
cd "$(dirname "$0")/.."
from="${1:-}"
builtin=src/tableschema/builtin.rs
# Pairs "name url", in the order of builtin.rs.
pairs=$(awk -F'"' '/name: "/ {name=$2} /canonical_url: "/ {print name, $2}' "$builtin")
[[ -n "$pairs" ]] || { echo "no built-in schema found in $builtin" >&2; exit 1; }
while read -r name url; do
  target="src/tableschema/schemas/$name.json"
  if [[ -n "$from" ]]; then
    cp "$from/$name/schema.json" "$target"
  else
    curl -fsSL "$url" -o "$target"
  fi
  echo "$name <- ${from:+$from/$name/schema.json}${from:-$url}"
done <<<"$pairs"
git status --short src/tableschema/schemas/
