#!/usr/bin/env python3
"""Check what data.gouv.fr's harvester (udata) saved from a kiosque site.

    harvest_compare.py --udata UDATA.json --sidecars SITEDIR [--prediction PRED.json]

UDATA.json is the output of udata_harvest.py (one entry per catalogue URL). Three checks:

a. every catalogue: the harvest job is "done" with no failed item, and udata saved as many
   datasets as the site has sidecars (datasets/*/dataset.yaml and datasets/*.yaml);
b. no field lost against the sidecars (read with PyYAML; udata's dataset is found by
   harvest.remote_id == slug): title, description, licence, frequency, keywords, temporal
   coverage, created/modified dates, contact e-mail, resources, schema (see check_sidecar);
c. with --prediction (the output of `kiosque check SITE --harvest --format json`): kiosque's
   own preview equals what udata stored, field by field (PREDICTION_FIELDS below).

Each problem is printed as `slug: field: expected X, got Y`, grouped by field, followed by a
count per field; a problem seen in only some catalogues names them. Exit 1 if any, else 0.
Run it with the udata venv's python (it needs PyYAML and the `slugify` udata uses).
"""

import argparse
import collections
import datetime as dt
import glob
import json
import os
import sys
import urllib.parse

import yaml
from slugify import slugify  # the very module udata.tags uses (awesome-slugify in udata 17.18)

# kiosque licence id -> data.gouv.fr licence id (../shared/datagouv/licenses.json).
LICENSE_IDS = {
    "etalab-2.0": "lov2",
    "etalab-1.0": "fr-lo",
    "odbl-1.0": "odc-odbl",
    "odc-by-1.0": "odc-by",
    "pddl-1.0": "odc-pddl",
    "cc-by-4.0": "cc-by",
    "cc-by-sa-4.0": "cc-by-sa",
    "cc0-1.0": "cc-zero",
}

# kiosque frequency -> udata UpdateFrequency id (through the EU frequency authority table).
FREQUENCY_IDS = {
    "continuous": "continuous",
    "hourly": "hourly",
    "daily": "daily",
    "weekly": "weekly",
    "biweekly": "biweekly",
    "monthly": "monthly",
    "bimonthly": "bimonthly",
    "quarterly": "quarterly",
    "semiannual": "semiannual",
    "annual": "annual",
    "biennial": "biennial",
    "triennial": "triennial",
    "quinquennial": "quinquennial",
    "irregular": "irregular",
    "never": "never",
    "unknown": "unknown",
}

TAG_MIN_LENGTH = 3  # udata's TAG_MIN_LENGTH
TABULAR_EXTENSIONS = {"csv", "tsv", "tab", "xlsx", "xlsm", "xls", "ods"}

# (c) The prediction, field by field: (key in kiosque's prediction, path in udata's dataset as
# udata_harvest.py dumps it, how to compare). Kinds: text (equal after strip), exact, set
# (same elements, any order), date (YYYY-MM-DD part), daterange ({start, end} as dates),
# contacts (same {name, email, role} set), spatial (bool: udata has a coverage; object: the
# GeoJSON udata stored), schema (same url, or name when udata kept no url), resources (matched
# by url, else title, then compared with RESOURCE_FIELDS).
PREDICTION_FIELDS = [
    ("title", "title", "text"),
    ("description", "description", "text"),
    ("license", "license", "exact"),
    ("frequency", "frequency", "exact"),
    ("tags", "tags", "set"),
    ("temporal_coverage", "temporal_coverage", "daterange"),
    ("created_at", "harvest.created_at", "date"),
    ("issued_at", "harvest.issued_at", "date"),
    ("modified_at", "harvest.modified_at", "date"),
    ("contact_points", "contact_points", "contacts"),
    ("spatial", "spatial", "spatial"),
    ("schema", "schema", "schema"),
    ("resources", "resources", "resources"),
]
RESOURCE_FIELDS = [
    ("title", "title", "text"),
    ("description", "description", "text"),
    ("url", "url", "exact"),
    ("format", "format", "exact"),
    ("mime", "mime", "exact"),
    ("filesize", "filesize", "int"),
    ("schema", "schema", "schema"),
]

MISSING = object()  # a key absent from the prediction


def short(v, limit=140):
    if v is MISSING:
        return "<absent>"
    s = json.dumps(v, ensure_ascii=False, sort_keys=True, default=str)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def get(d, path):
    for part in path.split("."):
        if not isinstance(d, dict):
            return None
        d = d.get(part)
    return d


def day(v):
    """The YYYY-MM-DD part of a date or datetime (string or object)."""
    if v is None or v is MISSING:
        return v
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()[:10]
    return str(v)[:10]


class Report:
    """Problems, each seen in some catalogues; printed grouped by section and field."""

    def __init__(self, catalogues, max_per_field):
        self.catalogues = catalogues
        self.max_per_field = max_per_field
        self.items = collections.OrderedDict()  # (section, field, line) -> [catalogue]

    def add(self, section, field, line, catalogue):
        seen = self.items.setdefault((section, field, line), [])
        if catalogue not in seen:
            seen.append(catalogue)

    def mismatch(self, section, catalogue, slug, field, expected, got, label=None):
        """`label` is what the line names (a resource), `field` what it is grouped under."""
        line = f"{slug}: {label or field}: expected {short(expected)}, got {short(got)}"
        self.add(section, field, line, catalogue)

    def print(self, section, title):
        rows = [(f, line, cats) for (s, f, line), cats in self.items.items() if s == section]
        if not rows:
            print(f"{title}: no problem")
            return 0
        print(f"{title}: {len(rows)} problem(s)")
        by_field = collections.OrderedDict()
        for f, line, cats in rows:
            by_field.setdefault(f, []).append((line, cats))
        for f, lines in by_field.items():
            for i, (line, cats) in enumerate(lines):
                if self.max_per_field and i >= self.max_per_field:
                    print(f"  … and {len(lines) - i} more {f} problem(s)")
                    break
                where = "" if len(cats) == len(self.catalogues) else f"  [{', '.join(cats)}]"
                print(f"  {line}{where}")
        print(f"  {title}, per field: " + ", ".join(f"{f} {len(v)}" for f, v in by_field.items()))
        return len(rows)


# --- the site -----------------------------------------------------------------------------


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f) or {}


def sidecars(site):
    """slug -> (sidecar dict, dataset folder, one-file data file name or None)."""
    out = {}
    for path in sorted(glob.glob(os.path.join(site, "datasets", "*", "dataset.yaml"))):
        folder = os.path.dirname(path)
        data = load_yaml(path)
        out[data.get("slug") or os.path.basename(folder)] = (data, folder, None)
    for path in sorted(glob.glob(os.path.join(site, "datasets", "*.yaml"))):
        stem = os.path.basename(path)[: -len(".yaml")]
        data = load_yaml(path)
        siblings = [
            f
            for f in os.listdir(os.path.dirname(path))
            if f.startswith(stem + ".") and f != stem + ".yaml"
            and os.path.isfile(os.path.join(os.path.dirname(path), f))
        ]
        out[data.get("slug") or stem] = (data, os.path.dirname(path), sorted(siblings))
    return out


def text(v):
    return None if v is None else str(v)


def date_text(v):
    return None if v is None else day(v if isinstance(v, (dt.date, dt.datetime)) else str(v))


def local_files(folder, one_file):
    """The files a sidecar without `resources:` publishes (its data files)."""
    if one_file is not None:
        return one_file
    names = []
    for dirpath, _, files in os.walk(folder):
        for f in files:
            rel = os.path.relpath(os.path.join(dirpath, f), folder)
            if rel == "dataset.yaml" or f.startswith("."):
                continue
            names.append(rel.replace(os.sep, "/"))
    return sorted(names)


def url_name(url):
    return urllib.parse.unquote(urllib.parse.urlsplit(url or "").path.rstrip("/").rsplit("/", 1)[-1])


def extension(name):
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


# --- (a) and (b) --------------------------------------------------------------------------


def check_sidecar(report, cat, slug, sc, site, ds, today, freq_seen):
    """(b): every sidecar field udata should have kept."""
    data, folder, one_file = sc
    m = lambda field, exp, got, label=None: report.mismatch(  # noqa: E731
        "b", cat, slug, field, exp, got, label
    )

    if text(data.get("title")) != ds.get("title"):
        m("title", text(data.get("title")), ds.get("title"))
    exp_desc = (text(data.get("description")) or "").strip()
    got_desc = (ds.get("description") or "").strip()
    if exp_desc != got_desc:
        m("description", exp_desc, got_desc)

    lic = data.get("license") or data.get("licence") or site.get("license") or site.get("licence")
    exp_lic = LICENSE_IDS.get(str(lic).lower(), f"<unmapped {lic}>") if lic else None
    if exp_lic != ds.get("license"):
        m("license", exp_lic, ds.get("license"))

    freq = data.get("frequency")
    if freq:
        got = ds.get("frequency")
        freq_seen[(str(freq), got)] += 1
        if got is None or got != FREQUENCY_IDS.get(str(freq).lower(), got):
            m("frequency", FREQUENCY_IDS.get(str(freq).lower(), "not null"), got)

    tags = set(ds.get("tags") or [])
    for k in data.get("keywords") or []:
        s = slugify(str(k).lower())
        if len(s) >= TAG_MIN_LENGTH and s not in tags:
            m("tags", f"{s} (from {k!r})", sorted(tags))

    temporal = data.get("temporal")
    if isinstance(temporal, dict):
        exp = {"start": date_text(temporal.get("start")), "end": date_text(temporal.get("end"))}
        tc = ds.get("temporal_coverage")
        got = {"start": day(tc.get("start")), "end": day(tc.get("end"))} if tc else None
        if exp != got:
            m("temporal_coverage", exp, got)

    harvest = ds.get("harvest") or {}
    if data.get("created") is not None:
        exp = date_text(data["created"])
        if exp != day(harvest.get("created_at")):
            m("harvest.created_at", exp, harvest.get("created_at"))
    if data.get("modified") is not None:
        exp = date_text(data["modified"])
        if exp > today:
            exp = None  # udata refuses a modification date in the future
        if exp != day(harvest.get("modified_at")):
            m("harvest.modified_at", exp, harvest.get("modified_at"))

    contact = data.get("contact") if isinstance(data.get("contact"), dict) else None
    contact = contact or (site.get("contact") if isinstance(site.get("contact"), dict) else None)
    if contact and contact.get("email"):
        emails = sorted({c.get("email") for c in ds.get("contact_points") or [] if c.get("email")})
        if contact["email"] not in emails:
            m("contact_points.email", contact["email"], emails)

    resources = ds.get("resources") or []
    by_url = {r.get("url"): r for r in resources}
    by_title = collections.defaultdict(list)
    for r in resources:
        by_title[r.get("title")].append(r)
    by_name = collections.defaultdict(list)
    for r in resources:
        by_name[url_name(r.get("url"))].append(r)

    declared = data.get("resources")
    if isinstance(declared, list):
        wanted = []
        for r in declared:
            if not isinstance(r, dict):
                continue
            if r.get("url"):
                wanted.append(("remote", r.get("url"), r))
            elif r.get("path"):
                wanted.append(("local", str(r["path"]), r))
    else:
        wanted = [("local", name, {}) for name in local_files(folder, one_file)]

    schema = data.get("schema")
    for kind, where, r in wanted:
        label = f"resource {where}"
        if kind == "remote":
            got = by_url.get(where)
            if got is None:
                m("resources", "a resource with this url", sorted(by_url), label)
                continue
        else:
            name = where.rsplit("/", 1)[-1]
            cands = by_title.get(r.get("title"), []) if r.get("title") else []
            cands = cands or by_name.get(name, [])
            if not cands:
                exp = (f"a resource titled {r.get('title')!r}" if r.get("title")
                       else f"a resource whose url ends with {name}")
                m("resources", exp, sorted(x.get("title") for x in resources), label)
                continue
            got = cands[0]
        if r.get("title") is not None and got.get("title") != text(r.get("title")):
            m("resources.title", text(r.get("title")), got.get("title"), f"{label}: title")
        if r.get("description") is not None and (got.get("description") or "").strip() != text(
            r.get("description")
        ).strip():
            m("resources.description", text(r.get("description")).strip(), got.get("description"),
              f"{label}: description")
        if kind == "local":
            if got.get("filesize") is None:
                m("resources.filesize", "a size", None, f"{label}: filesize")
            if not got.get("mime"):
                m("resources.mime", "a media type", got.get("mime"), f"{label}: mime")
        fmt = str(r.get("format") or extension(where)).lower()
        if schema and kind == "local" and fmt in TABULAR_EXTENSIONS | {"csv"}:
            s = got.get("schema") or {}
            if not (s.get("url") or s.get("name")):
                m("resources.schema", f"a schema url (sidecar schema {schema})", got.get("schema"),
                  f"{label}: schema")
    if schema:
        s = ds.get("schema") or {}
        if not (s.get("url") or s.get("name")):
            m("schema", f"a schema url (sidecar schema {schema})", ds.get("schema"))


def check_catalogue(report, cat, result, sites, site_cfg, today, freq_seen):
    """(a) then (b) for one catalogue URL. Returns the datasets by remote id."""
    if "harness_error" in result:
        report.add("a", "harness", f"{cat}: udata_harvest.py failed: {result['harness_error']}", cat)
        print(f"{cat}: harness error")
        return {}
    job = result.get("job") or {}
    datasets = result.get("datasets") or []
    by_id = {}
    for d in datasets:
        rid = get(d, "harvest.remote_id")
        if rid in by_id:
            report.add("a", "duplicate", f"{cat}: remote id {rid} saved twice", cat)
        by_id[rid] = d
    items = job.get("items") or []
    failed = [i for i in items if i.get("status") == "failed"]
    print(f"{cat}: {len(datasets)}/{len(sites)} saved (job {job.get('status')}, "
          f"{len(items)} items, {len(failed)} failed)")
    if job.get("status") != "done":
        report.add("a", "job", f"{cat}: job status {job.get('status')!r}, expected 'done'", cat)
    for e in job.get("errors") or []:
        report.add("a", "job", f"{cat}: job error: {e}", cat)
    errors = collections.defaultdict(list)
    for i in failed:
        for e in i.get("errors") or ["(no message)"]:
            errors[e].append(i.get("remote_id"))
    for e, ids in sorted(errors.items(), key=lambda kv: -len(kv[1])):
        sample = ", ".join(ids[:3]) + (", …" if len(ids) > 3 else "")
        report.add("a", "failed items", f"{cat}: {len(ids)} item(s) failed: {e} ({sample})", cat)
    if len(datasets) != len(sites):
        report.add("a", "count", f"{cat}: {len(datasets)} datasets saved, expected {len(sites)}", cat)
    item_error = {i.get("remote_id"): (i.get("errors") or [i.get("status")])[0] for i in items}
    for slug, sc in sites.items():
        ds = by_id.get(slug)
        if ds is None:
            report.mismatch("b", cat, slug, "saved", "saved", f"not saved: {item_error.get(slug, 'no item')}")
            continue
        check_sidecar(report, cat, slug, sc, site_cfg, ds, today, freq_seen)
    for rid in sorted(set(by_id) - set(sites), key=str):
        report.mismatch("b", cat, rid, "saved", "no such sidecar", "saved")
    return by_id


# --- (c) ----------------------------------------------------------------------------------


def schema_key(s):
    if not s:
        return None
    if isinstance(s, str):
        return s
    return s.get("url") or s.get("name")


def same(kind, pred, got):
    """Whether a predicted value equals udata's, and the two as printed."""
    if pred is MISSING:
        return False, pred, got
    if kind == "text":
        a, b = (pred or "").strip() or None, (got or "").strip() or None
        return a == b, a, b
    if kind == "exact":
        return pred == got, pred, got
    if kind == "int":
        a = int(pred) if isinstance(pred, (int, str)) and str(pred).isdigit() else pred
        b = int(got) if isinstance(got, (int, str)) and str(got).isdigit() else got
        return a == b, a, b
    if kind == "set":
        a, b = sorted(set(pred or []), key=str), sorted(set(got or []), key=str)
        return a == b, a, b
    if kind == "date":
        return day(pred) == day(got), day(pred), day(got)
    if kind == "daterange":
        norm = lambda r: {"start": day(r.get("start")), "end": day(r.get("end"))} if r else None  # noqa: E731
        return norm(pred) == norm(got), norm(pred), norm(got)
    if kind == "contacts":
        norm = lambda cs: sorted(  # noqa: E731
            ((c.get("name"), c.get("email"), c.get("role")) for c in (cs or []) if isinstance(c, dict)),
            key=lambda t: tuple("" if v is None else str(v) for v in t),
        )
        return norm(pred) == norm(got), norm(pred), norm(got)
    if kind == "spatial":
        if isinstance(pred, bool) or pred is None:
            has = bool(got and (got.get("geom") or got.get("zones")))
            return bool(pred) == has, bool(pred), has
        geom = got.get("geom") if got else None
        return pred == geom, pred, geom
    if kind == "schema":
        return schema_key(pred) == schema_key(got), schema_key(pred), schema_key(got)
    raise ValueError(kind)


def check_prediction(report, cat, pred_by_id, udata_by_id, items):
    saved = set(udata_by_id)
    status = {i.get("remote_id"): i.get("status") for i in items}
    for ident in sorted(set(pred_by_id) | saved, key=str):
        p = pred_by_id.get(ident)
        u = udata_by_id.get(ident)
        m = lambda field, exp, got, label=None: report.mismatch(  # noqa: E731
            "c", cat, ident, field, exp, got, label
        )
        if p is None:
            m("identifier", "in the prediction", "absent (udata saved it)")
            continue
        kept = p.get("kept", MISSING)
        if kept is MISSING or bool(kept) != (u is not None):
            m("kept", kept, "saved by udata" if u is not None
              else f"not saved by udata (item {status.get(ident, 'absent')})")
        if u is None:
            continue
        for key, path, kind in PREDICTION_FIELDS:
            pv = p.get(key, MISSING)
            uv = get(u, path)
            if kind == "resources":
                check_resources(m, pv, uv or [])
                continue
            ok, a, b = same(kind, pv, uv)
            if not ok:
                m(key, a, b)


def check_resources(m, pred, got):
    if pred is MISSING:
        m("resources", MISSING, [r.get("title") for r in got])
        return
    if not isinstance(pred, list):
        m("resources", pred, [r.get("title") for r in got])
        return
    # The preview may still list titles only: a string is {"title": it}.
    pred = [r if isinstance(r, dict) else {"title": r} for r in pred]
    remaining = list(got)
    for r in pred:
        match = None
        for key in ("url", "title"):
            if r.get(key) is not None:
                match = next((g for g in remaining if g.get(key) == r.get(key)), None)
                if match:
                    break
        label = f"resource {r.get('url') or r.get('title')}"
        if match is None:
            m("resources", "stored by udata", "absent", label)
            continue
        remaining.remove(match)
        for key, path, kind in RESOURCE_FIELDS:
            pv = r.get(key, MISSING)
            ok, a, b = same(kind, pv, get(match, path))
            if not ok:
                m(f"resources.{key}", a, b, f"{label}: {key}")
    for g in remaining:
        m("resources", "absent (not predicted)", "stored by udata", f"resource {g.get('url')}")


# --- main ---------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--udata", required=True, help="udata_harvest.py output")
    parser.add_argument("--sidecars", required=True, help="the kiosque site folder")
    parser.add_argument("--prediction", help="`kiosque check SITE --harvest --format json` output")
    parser.add_argument("--max-per-field", type=int, default=12,
                        help="problems printed per field (0: all); the counts are always complete")
    parser.add_argument("--today", default=dt.date.today().isoformat(),
                        help="the date udata compared `modified` with (default: today)")
    args = parser.parse_args(argv)

    with open(args.udata, encoding="utf-8") as f:
        udata = json.load(f)
    site_cfg = load_yaml(os.path.join(args.sidecars, "site.yaml"))
    sites = sidecars(args.sidecars)
    cats = [url_name(u) or u for u in udata]
    report = Report(cats, args.max_per_field)
    freq_seen = collections.Counter()

    pred_by_id = None
    if args.prediction:
        with open(args.prediction, encoding="utf-8") as f:
            pred = json.load(f)
        entries = pred.get("harvest") if isinstance(pred, dict) else pred
        pred_by_id = {e.get("identifier"): e for e in entries or []}

    spatial_seen = []
    for url, cat in zip(udata, cats):
        result = udata[url]
        by_id = check_catalogue(report, cat, result, sites, site_cfg, args.today, freq_seen)
        declared = [slug for slug, sc in sites.items() if sc[0].get("spatial")]
        stored = [slug for slug in declared if (by_id.get(slug) or {}).get("spatial")]
        spatial_seen.append(f"{cat} {len(stored)}/{len(declared)}")
        if pred_by_id is not None and "harness_error" not in result:
            check_prediction(report, cat, pred_by_id, by_id, (result.get("job") or {}).get("items") or [])

    if freq_seen:
        seen = collections.defaultdict(set)
        for (k, u), _ in freq_seen.items():
            seen[k].add(str(u))
        print("frequency mapping seen (sidecar → udata): "
              + ", ".join(f"{k}→{'/'.join(sorted(v))}" for k, v in sorted(seen.items())))
    # Not a check: udata's DCAT harvester keeps only a geometry, never a place name or an INSEE
    # code, so `spatial: {label, insee}` is dropped by design (kiosque's preview says so).
    print("spatial coverage stored by udata (sidecars with `spatial:`): " + ", ".join(spatial_seen))
    total = report.print("a", "(a) harvest jobs")
    total += report.print("b", "(b) sidecar fields kept by udata")
    if pred_by_id is not None:
        total += report.print("c", "(c) kiosque's prediction vs udata")
    print("harvest_compare: " + ("PASS" if total == 0 else f"FAIL ({total} problem(s))"))
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
