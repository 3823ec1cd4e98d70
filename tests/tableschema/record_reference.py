#!/usr/bin/env python3
"""Regenerate tests/tableschema/reference.json: the verdicts of the Frictionless reference validator.

For every (schema, example CSV) pair of /work/shared/schemas that applies, and for our own
fixtures in tests/tableschema/fixtures/, this runs frictionless-py (v5) and records its verdict, keyed
"<schema path>|<csv path>" (paths relative to the shared folder, or to this crate for keys
starting with "tests/"), as

    {"valid": bool, "errors": [{"type", "rowNumber", "fieldNumber", "fieldName", "note", "cell", "label"}]}

(each error keeps those of its keys frictionless gives; header errors have no rowNumber).

The Rust test `tests/reference.rs` reads this table; it never runs this script.

Usage (once, by hand, when the examples or the pinned frictionless version change):

    python3 -m venv /tmp/fl && /tmp/fl/bin/pip install frictionless==5.21.0
    /tmp/fl/bin/python tests/record_reference.py [SHARED_DIR]   # default /work/shared

Special case: `arbres-urbains/schema.json` has a `name` ("Arbres urbains") that does not match
the Table Schema name pattern, so frictionless rejects the whole schema (one `schema-error`). That
raw verdict is recorded as is; the entry also carries a `tolerant` verdict, obtained by running
frictionless on the same schema with the offending `name` removed, which is what our tolerant
reader (warn, don't fail) is compared against.
"""

import json
import os
import sys

from frictionless import Schema, validate

SHARED = sys.argv[1] if len(sys.argv) > 1 else "/work/shared"
CRATE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(CRATE, "tests", "reference.json")

SUBVENTIONS = "schemas/scdl-subventions/schema.json"
PAIRS = [
    ("schemas/arbres-urbains/schema.json", "schemas/arbres-urbains/exemple-valide.csv"),
    ("schemas/etalab-catalogue-donnees/schema.json", "schemas/etalab-catalogue-donnees/exemple-valide.csv"),
    ("schemas/fontaines-eau/schema.json", "schemas/fontaines-eau/exemple-valide.csv"),
    (
        "schemas/futurocite-equipements-collectifs/schema.json",
        "schemas/futurocite-equipements-collectifs/exemple-valide.csv",
    ),
    ("schemas/lieux-covoiturage/schema.json", "schemas/lieux-covoiturage/exemple-valide.csv"),
    ("schemas/lieux-covoiturage/schema.json", "schemas/lieux-covoiturage/exemple-invalide.csv"),
    ("schemas/stationnement/schema.json", "schemas/stationnement/exemple-valide.csv"),
    ("schemas/stationnement/schema.json", "schemas/stationnement/exemple-invalide.csv"),
    # The examples of the DataSubvention repository target the OFFICIAL 16-field schema,
    # not the 40-field extension published beside them.
    (SUBVENTIONS, "schemas/scdl-subventions-github/exemples/exemple_valide.csv"),
    (SUBVENTIONS, "schemas/scdl-subventions-github/exemples/exemple_invalide_erreurs_cellules.csv"),
    (SUBVENTIONS, "schemas/scdl-subventions-github/exemples/exemple_invalide_erreurs_colonnes.csv"),
    (SUBVENTIONS, "schemas/scdl-subventions-github/exemple-duplicate-column.csv"),
]

# Our own fixtures (tests/tableschema/fixtures/, paths relative to the crate): a value x type matrix
# (each row repeats one probe value in every column), row-level checks (unique,
# primaryKey, missingValues, widths, blank and multi-line rows) and header cases.
FIXTURES = [
    ("tests/tableschema/fixtures/probes.schema.json", "tests/tableschema/fixtures/probes.csv"),
    ("tests/tableschema/fixtures/rows.schema.json", "tests/tableschema/fixtures/rows.csv"),
    ("tests/tableschema/fixtures/labels.schema.json", "tests/tableschema/fixtures/labels.csv"),
    ("tests/tableschema/fixtures/short.schema.json", "tests/tableschema/fixtures/short.csv"),
    ("tests/tableschema/fixtures/subset.schema.json", "tests/tableschema/fixtures/subset.csv"),
]

KEEP = ("type", "rowNumber", "fieldNumber", "fieldName", "note", "cell", "label")


def verdict(schema_path, csv_path):
    """Validate one CSV against a schema (file path relative to the shared folder, or Schema
    object), as `frictionless validate --schema SCHEMA CSV` does when run from that folder."""
    # No cap on the number of errors (frictionless stops at 1000 by default).
    report = validate(csv_path, schema=schema_path, limit_errors=10**9)
    errors = list(report.errors)  # descriptor-level errors (e.g. schema-error)
    for task in report.tasks:
        errors.extend(task.errors)
    compact = []
    for error in errors:
        d = error.to_descriptor()
        compact.append({k: d[k] for k in KEEP if k in d})
    return {"valid": report.valid, "errors": compact}


def without_name(schema_path):
    """The schema of `schema_path` without its `name`, as a frictionless Schema object."""
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    schema.pop("name", None)
    return Schema.from_descriptor(schema)


def main():
    import frictionless

    # frictionless refuses absolute paths ("not safe"): work from the shared folder, as the CLI.
    os.chdir(SHARED)
    table = {"_generator": f"frictionless {frictionless.__version__} via tests/record_reference.py"}
    record(table, PAIRS)
    os.chdir(CRATE)
    record(table, FIXTURES)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(dump(table))


def dump(table):
    """The table as JSON with one error per line (readable diffs, modest size)."""
    one = lambda v: json.dumps(v, ensure_ascii=False, separators=(", ", ": "))

    def verdict(v, indent):
        errors = (",\n" + indent + "  ").join(one(e) for e in v["errors"])
        body = f'"valid": {one(v["valid"])}, "errors": [\n{indent}  {errors}\n{indent}]' if errors else f'"valid": {one(v["valid"])}, "errors": []'
        if "tolerant" in v:
            body += f',\n{indent}"tolerant": {{{verdict(v["tolerant"], indent + "  ")}}}'
        return body

    lines = []
    for key, v in table.items():
        lines.append(f"  {one(key)}: " + (one(v) if isinstance(v, str) else "{" + verdict(v, "   ") + "}"))
    return "{\n" + ",\n".join(lines) + "\n}\n"


def record(table, pairs):
    """Adds the verdict of each (schema, csv) pair, paths relative to the current folder."""
    for schema_rel, csv_rel in pairs:
        key = f"{schema_rel}|{csv_rel}"
        entry = verdict(schema_rel, csv_rel)
        if any(e["type"] == "schema-error" for e in entry["errors"]):
            entry["tolerant"] = verdict(without_name(schema_rel), csv_rel)
        table[key] = entry
        print(f"{key}: valid={entry['valid']} errors={len(entry['errors'])}", file=sys.stderr)


if __name__ == "__main__":
    main()
