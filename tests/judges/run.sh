#!/usr/bin/env bash
# External judges of the example site's machine-readable exports, run by
# .ci/run after `cargo test`:
# - pySHACL: catalog.ttl (and .rdf, .jsonld) conform to the official DCAT-AP
#   3.0.1 shapes (shapes.ttl + range.ttl), without inference;
# - rdflib: the three serialisations parse to isomorphic graphs;
# - frictionless: every datapackage.json validates (files, bytes, hashes,
#   schemas), catalog.csv passes the national catalogue schema.
#
#   tests/judges/run.sh            (needs ../shared beside the project)
#
# Environment: VENV (default target/judges-venv), SHARED (default ../shared).
set -uo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
VENV="${VENV:-$root/target/judges-venv}"
SHARED="${SHARED:-$root/../shared}"
failures=0

step() { printf '\n=== %s\n' "$*"; }
check() { # check NAME COMMAND...
    local name="$1"; shift
    if "$@"; then echo "--- PASS: $name"; else echo "--- FAIL: $name"; failures=$((failures + 1)); fi
}

[ -d "$SHARED/dcat-ap-shacl" ] || { echo "judges: $SHARED/dcat-ap-shacl not found"; exit 2; }
if [ ! -x "$VENV/bin/pyshacl" ] || [ ! -x "$VENV/bin/frictionless" ]; then
    step "installing pyshacl, rdflib and frictionless into $VENV"
    python3 -m venv "$VENV" && "$VENV/bin/pip" install -q pyshacl rdflib 'frictionless[excel]' || exit 2
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
step "building the example site into $out"
SOURCE_DATE_EPOCH=1795392000 cargo run -q -- build "$root/example-site" -o "$out/public" -q || exit 2
pub="$out/public"

shapes="$out/dcat-ap.ttl"
cat "$SHARED/dcat-ap-shacl/shapes.ttl" "$SHARED/dcat-ap-shacl/range.ttl" > "$shapes"
step "pySHACL: DCAT-AP 3.0.1 shapes + range"
check "pyshacl catalog.ttl" "$VENV/bin/pyshacl" -s "$shapes" -f human "$pub/catalog.ttl"
check "pyshacl catalog.rdf" "$VENV/bin/pyshacl" -s "$shapes" -df xml -f human "$pub/catalog.rdf"
check "pyshacl catalog.jsonld" "$VENV/bin/pyshacl" -s "$shapes" -df json-ld -f human "$pub/catalog.jsonld"

step "rdflib: Turtle, RDF/XML and JSON-LD are the same graph"
check "rdflib isomorphism" "$VENV/bin/python" - "$pub" <<'PY'
import sys
from rdflib import Graph
from rdflib.compare import isomorphic
pub = sys.argv[1]
graphs = {}
for name, fmt in [("catalog.ttl", "turtle"), ("catalog.rdf", "xml"), ("catalog.jsonld", "json-ld")]:
    g = Graph()
    g.parse(f"{pub}/{name}", format=fmt)
    graphs[name] = g
    print(f"{name}: {len(g)} triples")
ok = all(isomorphic(graphs["catalog.ttl"], g) for g in graphs.values())
sys.exit(0 if ok else 1)
PY

step "frictionless: data packages"
for dp in "$pub"/datasets/*/datapackage.json "$pub/datapackage.json"; do
    rel="${dp#"$pub"/}"
    check "frictionless validate $rel" bash -c 'cd "$(dirname "$1")" && "$2/bin/frictionless" validate datapackage.json >/tmp/judge-dp.log 2>&1 || { cat /tmp/judge-dp.log; exit 1; }' _ "$dp" "$VENV"
done

step "frictionless: catalog.csv against the national catalogue schema (scdl-catalogue)"
cp "$SHARED/schemas/scdl-catalogue/schema.json" "$pub/.scdl-catalogue.json"
check "frictionless validate catalog.csv" bash -c 'cd "$1" && "$2/bin/frictionless" validate --schema .scdl-catalogue.json catalog.csv' _ "$pub" "$VENV"

step "summary"
if [ "$failures" -eq 0 ]; then echo "ALL JUDGES PASS"; else echo "$failures JUDGE(S) FAILED"; fi
exit "$failures"
