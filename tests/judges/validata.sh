#!/usr/bin/env bash
# Validata (validata-core 0.9.7, the validator of schema.data.gouv.fr), run by
# .ci/run after the other judges: it validates the published subsidies
# examples and tests/tableschema/fixtures/siret-cases.csv against the official
# subsidies schema, and its counts of custom-check errors per check and field
# must equal tests/tableschema/validata.json, which
# tests/tableschema_builtin.rs compares with kiosque's own counts: so kiosque
# reports what Validata reports, checked live.
#
#   tests/judges/validata.sh       (needs ../shared; skipped without it)
#
# Environment: VENV (default target/validata-venv), SHARED (default ../shared).
set -uo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
VENV="${VENV:-$root/target/validata-venv}"
SHARED="${SHARED:-$root/../shared}"

if [ ! -d "$SHARED/schemas/scdl-subventions" ]; then
    echo "validata: skipped, $SHARED/schemas/scdl-subventions not found"
    exit 0
fi
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import validata_core' 2>/dev/null; then
    echo "=== installing validata-core 0.9.7 into $VENV"
    python3 -m venv "$VENV" && "$VENV/bin/pip" install -q 'validata-core==0.9.7' || exit 2
fi
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
"$VENV/bin/python" "$root/tests/tableschema/record_validata.py" "$SHARED" "$out" >/dev/null || exit 2
if cmp -s "$out" "$root/tests/tableschema/validata.json"; then
    echo "--- PASS: validata reports the counts kiosque is tested against"
else
    echo "--- FAIL: validata's counts differ from tests/tableschema/validata.json:"
    diff "$root/tests/tableschema/validata.json" "$out"
    exit 1
fi
