#!/usr/bin/env python3
"""Run data.gouv.fr's real DCAT harvester (udata) against catalogues and dump what it saved.

    udata_harvest.py --licenses ../shared/datagouv/licenses.json URL [URL...]

Needs a venv with `udata==17.18.0 mongomock` (see tests/judges/run.sh or judges.md).
The database is an in-memory mongomock, emptied before each URL; the only network access is
the given URLs (plus whatever the catalogue itself makes udata fetch, e.g. a dct:temporal given
as a URI). Prints ONE JSON document on stdout:

    {"<url>": {"job": {"status", "errors", "items": [{"remote_id", "status", "errors", "logs"}]},
               "datasets": [{title, description, license, frequency, tags, ...,
                             "resources": [...]}],
               "dataservices": [...]}}

Dates are ISO strings. Timestamps that udata stamps with "now" during the run (between the
start and the end of the harvest) are written "<harvest-time>" and the source's random id
"<source-id>", so the output is deterministic; --raw keeps them as they are.
Everything else udata or the harness logs goes to stderr.
"""

import argparse
import datetime as dt
import json
import logging
import os
import sys
import traceback

# No udata.cfg from the current directory may leak into the settings.
os.environ["UDATA_SETTINGS"] = "/nonexistent/udata.cfg"

import mongomock  # noqa: E402

HARVEST_TIME = "<harvest-time>"
SOURCE_ID = "<source-id>"


class HarnessSettings:
    TESTING = False
    DEBUG = False
    SECRET_KEY = "kiosque-udata-harness"  # udata refuses to start without them
    API_TOKEN_SECRET = "kiosque-udata-harness"
    MONGODB_HOST = "mongodb://localhost:27017/udata"
    MONGODB_SETTINGS = {
        "host": "mongodb://localhost:27017/udata",
        "mongo_client_class": mongomock.MongoClient,
    }
    URLS_ALLOW_LOCAL = True
    URLS_ALLOW_PRIVATE = False
    URLS_RESOLVE_HOSTNAME = False
    HARVESTER_BACKENDS = ["dcat"]
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
    DEFAULT_LANGUAGE = "fr"
    CACHE_TYPE = "flask_caching.backends.NullCache"
    CACHE_NO_NULL_WARNING = True
    ELASTICSEARCH_URL = None
    SEARCH_SERVICE_API_URL = None
    SCHEMA_CATALOG_URL = None
    CDATA_BASE_URL = None
    SENTRY_DSN = None
    SEND_MAIL = False
    HARVEST_ACTIVITY_USER_ID = None
    HARVEST_GRAPHS_S3_BUCKET = None
    PUBLISH_ON_RESOURCE_EVENTS = False
    LOGGER_HANDLER_POLICY = "never"


def make_app():
    from udata import settings
    from udata.app import create_app

    return create_app(settings.Defaults, override=HarnessSettings)


def all_documents():
    """Every concrete, collection-backed mongoengine Document udata registered."""
    from mongoengine.base.common import _document_registry

    seen = set()
    for cls in list(_document_registry.values()):
        meta = getattr(cls, "_meta", {})
        if meta.get("abstract") or getattr(cls, "_is_document", False) is False:
            continue
        name = cls._get_collection_name() if hasattr(cls, "_get_collection_name") else None
        if not name or name in seen:
            continue
        seen.add(name)
        yield cls


def reset_db():
    from mongoengine.connection import get_db

    db = get_db()
    for name in db.list_collection_names():
        db.drop_collection(name)
    for cls in all_documents():
        cls._collection = None  # forget the cached handle on the dropped collection


def load_licenses(path):
    from udata.models import License

    with open(path, encoding="utf-8") as f:
        licenses = json.load(f)
    for lic in licenses:
        License(
            id=lic["id"],
            title=lic["title"],
            url=lic.get("url") or None,
            alternate_titles=lic.get("alternate_titles") or [],
            alternate_urls=lic.get("alternate_urls") or [],
            flags=lic.get("flags") or [],
            maintainer=lic.get("maintainer"),
            active=True,
        ).save()
    return len(licenses)


class Normaliser:
    def __init__(self, start, end, source_id, raw):
        self.start, self.end, self.source_id, self.raw = start, end, source_id, raw

    def value(self, v):
        from bson import ObjectId

        if isinstance(v, dt.datetime):
            aware = v if v.tzinfo else v.replace(tzinfo=dt.timezone.utc)
            if not self.raw and self.start <= aware <= self.end:
                return HARVEST_TIME
            return v.isoformat()
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, ObjectId):
            return str(v)
        if hasattr(v, "value") and v.__class__.__module__.startswith("udata") and hasattr(
            v, "name"
        ):  # udata enums (UpdateFrequency, ...)
            return v.value
        if isinstance(v, dict):
            return {str(k): self.value(x) for k, x in v.items()}
        if isinstance(v, (list, tuple)):
            return [self.value(x) for x in v]
        if hasattr(v, "to_mongo"):
            return self.value(v.to_mongo().to_dict())
        if isinstance(v, (str, int, float, bool)) or v is None:
            if not self.raw and isinstance(v, str) and v == self.source_id:
                return SOURCE_ID
            return v
        return str(v)

    def embedded(self, doc):
        return None if not doc else self.value(doc)


def dump_resource(r, n):
    return {
        "title": r.title,
        "description": r.description,
        "url": r.url,
        "format": r.format,
        "mime": r.mime,
        "filesize": r.filesize,
        "filetype": r.filetype,
        "type": r.type,
        "checksum": {"type": r.checksum.type, "value": r.checksum.value}
        if r.checksum and r.checksum.value
        else None,
        "schema": {"name": r.schema.name, "url": r.schema.url, "version": r.schema.version}
        if r.schema
        else None,
        "harvest": n.embedded(r.harvest),
        "extras": n.value(dict(r.extras or {})),
    }


def dump_dataset(d, n):
    tc = d.temporal_coverage
    sp = d.spatial
    return {
        "title": d.title,
        "acronym": d.acronym,
        "description": d.description,
        "license": d.license.id if d.license else None,
        "frequency": n.value(d.frequency),
        "tags": sorted(d.tags or []),
        "temporal_coverage": {"start": n.value(tc.start), "end": n.value(tc.end)} if tc else None,
        "spatial": {
            "zones": [getattr(z, "id", z) for z in (sp.zones or [])],
            "geom": n.value(sp.geom),
            "granularity": sp.granularity,
        }
        if sp
        else None,
        "schema": {"name": d.schema.name, "url": d.schema.url, "version": d.schema.version}
        if d.schema
        else None,
        "contact_points": [
            {"name": c.name, "email": c.email, "contact_form": c.contact_form, "role": c.role}
            for c in (d.contact_points or [])
        ],
        "organization": d.organization.name if d.organization else None,
        "private": d.private,
        "created_at_internal": n.value(d.created_at_internal),
        "last_update": n.value(d.last_update),
        "harvest": n.embedded(d.harvest),
        "extras": n.value(dict(d.extras or {})),
        "resources": sorted(
            (dump_resource(r, n) for r in d.resources), key=lambda r: (r["url"] or "", r["title"])
        ),
    }


def dump_dataservice(s, n):
    fields = ("title", "description", "base_api_url", "endpoint_description_url", "format")
    out = {f: n.value(getattr(s, f, None)) for f in fields}
    out["license"] = s.license.id if getattr(s, "license", None) else None
    out["datasets"] = sorted(d.title for d in (s.datasets or []) if hasattr(d, "title"))
    out["harvest"] = n.embedded(s.harvest)
    return out


def harvest_one(url, licenses_path, raw):
    from udata.core.dataservices.models import Dataservice
    from udata.core.organization.models import Organization
    from udata.harvest import actions
    from udata.harvest.models import HarvestJob, HarvestSource
    from udata.models import Dataset

    reset_db()
    count = load_licenses(licenses_path)
    org = Organization(name="Kiosque harness", description="Harvesting test organisation").save()
    source = HarvestSource(
        name=f"kiosque {url}", url=url, backend="dcat", organization=org, active=True
    ).save()
    print(f"[udata_harvest] {url}: {count} licences loaded, harvesting…", file=sys.stderr)

    start = dt.datetime.now(dt.timezone.utc)
    actions.run(source)
    end = dt.datetime.now(dt.timezone.utc)
    n = Normaliser(start, end, str(source.id), raw)

    job = HarvestJob.objects(source=source).order_by("-created").first()
    items = []
    for it in job.items if job else []:
        items.append(
            {
                "remote_id": it.remote_id,
                "status": it.status,
                "errors": [e.message for e in it.errors],
                "logs": [{"level": lg.level, "message": lg.message} for lg in (it.logs or [])],
            }
        )
        for e in it.errors:
            if e.details:
                print(f"[udata_harvest] item {it.remote_id}: {e.details}", file=sys.stderr)
    items.sort(key=lambda i: (i["remote_id"] or "", i["status"]))
    if job:
        for e in job.errors:
            if e.details:
                print(f"[udata_harvest] job: {e.details}", file=sys.stderr)

    datasets = sorted(
        (dump_dataset(d, n) for d in Dataset.objects), key=lambda d: (d["title"] or "")
    )
    dataservices = sorted(
        (dump_dataservice(s, n) for s in Dataservice.objects), key=lambda s: (s["title"] or "")
    )
    print(
        f"[udata_harvest] {url}: job {job.status if job else None}, "
        f"{len(datasets)} datasets, {len(dataservices)} dataservices saved",
        file=sys.stderr,
    )
    return {
        "job": {
            "status": job.status if job else None,
            "format": (job.data or {}).get("format") if job else None,
            "errors": [e.message for e in job.errors] if job else [],
            "items": items,
        },
        "datasets": datasets,
        "dataservices": dataservices,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--licenses", required=True, help="data.gouv.fr licenses.json")
    parser.add_argument("--raw", action="store_true", help="keep run timestamps and ids as is")
    parser.add_argument("urls", nargs="+", metavar="URL")
    args = parser.parse_args(argv)

    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    # Whatever udata prints goes to stderr; only the final JSON goes to stdout.
    real_stdout = sys.stdout
    sys.stdout = sys.stderr
    result = {}
    try:
        app = make_app()
        with app.app_context(), app.test_request_context():
            for url in args.urls:
                try:
                    result[url] = harvest_one(url, args.licenses, args.raw)
                except Exception as e:  # harness failure, not a harvest failure
                    traceback.print_exc()
                    result[url] = {"harness_error": f"{type(e).__name__}: {e}"}
    finally:
        sys.stdout = real_stdout
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2, sort_keys=True)
    sys.stdout.write("\n")
    return 1 if any("harness_error" in r for r in result.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
