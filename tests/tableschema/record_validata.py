#!/usr/bin/env python3
"""Regenerate tests/tableschema/validata.json: what Validata, the validator of
schema.data.gouv.fr, reports for the `custom_checks` of the official SCDL schemas
(frictionless ignores them; kiosque applies `french-siret-value` and
`one-of-required`).

For each CSV below, validated against the official subsidies schema
(`scdl-subventions/schema.json` of the shared folder), it records the number of
errors of each custom check by field, keyed "<csv path>" (relative to the shared
folder, or to this crate for keys starting with "tests/"):

    {"french-siret-value|idBeneficiaire": 20, "one-of-required|": 1, ...}

The Rust test `tests/tableschema_builtin.rs` reads this table; it never runs
this script.

Usage (once, by hand, when the examples or the pinned Validata version change):

    python3 -m venv /tmp/vd && /tmp/vd/bin/pip install validata-core==0.9.7
    /tmp/vd/bin/python tests/tableschema/record_validata.py [SHARED_DIR [OUT]]

SHARED_DIR defaults to ../shared, OUT to tests/tableschema/validata.json; CI
(tests/judges/validata.sh) writes to another file and compares.
"""
import collections
import json
import os
import sys
import warnings

import validata_core

warnings.simplefilter("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))
CRATE = os.path.dirname(os.path.dirname(HERE))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(CRATE, "..", "shared")
SCHEMA = os.path.join(SHARED, "schemas/scdl-subventions/schema.json")
CHECKS = {"french-siret-value", "one-of-required"}
CSVS = [
    "schemas/scdl-subventions-github/exemples/exemple_valide.csv",
    "schemas/scdl-subventions-github/exemples/exemple_invalide_erreurs_cellules.csv",
    "schemas/scdl-subventions-github/exemples/exemple_invalide_erreurs_colonnes.csv",
    "tests/tableschema/fixtures/siret-cases.csv",
]

table = {}
for key in CSVS:
    path = os.path.join(CRATE if key.startswith("tests/") else SHARED, key)
    report = validata_core.validate(path, SCHEMA)
    counts = collections.Counter()
    for task in report.tasks:
        for error in task.errors:
            if error.get("code") in CHECKS:
                counts[f"{error.get('code')}|{error.get('fieldName') or ''}"] += 1
    table[key] = dict(sorted(counts.items()))
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "validata.json")
with open(OUT, "w") as out:
    json.dump({"validata-core": "0.9.7", "schema": "scdl-subventions 2.1.1", "counts": table}, out, indent=1, sort_keys=True)
    out.write("\n")
print(json.dumps(table, indent=1))
