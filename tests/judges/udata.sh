#!/usr/bin/env bash
# data.gouv.fr's real harvester (udata 17.18.0, in-memory mongomock) against kiosque's DCAT
# catalogues (project issue 22), for the example site and for a generated stress fixture
# (tests/judges/harvest_fixture.py, 520 datasets). For each site:
# - build it, serve the output on 127.0.0.1, let udata harvest catalog.ttl, .rdf and .jsonld
#   (tests/judges/udata_harvest.py);
# - pySHACL with the DCAT-AP 3.0.1 shapes on the same three files: no violation;
# - harvest_compare.py: every job "done", 100% of the datasets saved, no sidecar field lost,
#   and kiosque's own preview (`kiosque check --harvest --format json`) equal to what udata
#   stored.
#
#   tests/judges/udata.sh          (needs ../shared/datagouv/licenses.json; skipped without it)
#
# Environment:
#   VENV               the udata venv (default target/udata-venv; created when missing)
#   JUDGES_VENV        pySHACL's venv, as tests/judges/run.sh makes it (default target/judges-venv)
#   SHARED             the shared folder (default ../shared)
#   FIXTURE_DATASETS   datasets in the generated fixture (default 520)
#   FIXTURE_CATALOGUES catalogues udata harvests for the fixture (default "catalog.ttl
#                      catalog.rdf catalog.jsonld")
#   JOBS               udata harvests run at once, one process per catalogue (default nproc)
#   SERVE_CHARSET      charset announced for text and RDF files (default none, as
#                      `python3 -m http.server` and many hosts send `text/turtle`; see serve())
#   UDATA_JOB_SAVES    "end" (default): udata saves the harvest job once, at its end, instead
#                      of after every item (see harvest() below); "all": as udata does
#   PROFILE            the cargo profile of the kiosque binary judged (default debug)
#   KEEP=1             keep the work folder (builds, udata JSON, logs) and print its path
set -uo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/tests/judges"
VENV="${VENV:-$root/target/udata-venv}"
JUDGES_VENV="${JUDGES_VENV:-$root/target/judges-venv}"
SHARED="${SHARED:-$root/../shared}"
FIXTURE_DATASETS="${FIXTURE_DATASETS:-520}"
FIXTURE_CATALOGUES="${FIXTURE_CATALOGUES:-catalog.ttl catalog.rdf catalog.jsonld}"
JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"
SERVE_CHARSET="${SERVE_CHARSET-}"
licenses="$SHARED/datagouv/licenses.json"
failures=0
start=$(date +%s)

step() { printf '\n=== %s\n' "$*"; }
check() { # check NAME COMMAND...
    local name="$1"; shift
    if "$@"; then echo "--- PASS: $name"; else echo "--- FAIL: $name"; failures=$((failures + 1)); fi
}
elapsed() { echo "$(($(date +%s) - start))s"; }
# One binary for the whole run (built below), so that every step judges the same code: the
# debug build `cargo test` already made in CI (PROFILE=release for the optimised one).
PROFILE="${PROFILE:-debug}"
bin="${CARGO_TARGET_DIR:-$root/target}/$PROFILE/kiosque"
kiosque() { "$bin" "$@"; }

if [ ! -f "$licenses" ]; then
    echo "udata judge: $licenses not found, skipped"
    exit 0
fi
if ! "$VENV/bin/python" -c 'import importlib.metadata as m, mongomock, yaml
assert m.version("udata") == "17.18.0"' 2>/dev/null; then
    step "installing udata 17.18.0, mongomock and PyYAML into $VENV"
    python3 -m venv "$VENV" && "$VENV/bin/pip" install -q 'udata==17.18.0' mongomock pyyaml || exit 2
fi

if [ ! -x "$JUDGES_VENV/bin/pyshacl" ]; then
    step "installing pySHACL into $JUDGES_VENV"
    python3 -m venv "$JUDGES_VENV" && "$JUDGES_VENV/bin/pip" install -q pyshacl rdflib || exit 2
fi

work="$(mktemp -d)"
server_pids=()
cleanup() {
    for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null; done
    if [ "${KEEP:-}" = 1 ]; then echo "udata judge: work folder kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cat "$SHARED/dcat-ap-shacl/shapes.ttl" "$SHARED/dcat-ap-shacl/range.ttl" >"$work/dcat-ap.ttl" || exit 2

step "building kiosque ($PROFILE)"
profile_flag=()
[ "$PROFILE" = release ] && profile_flag=(--release)
cargo build -q "${profile_flag[@]}" --manifest-path "$root/Cargo.toml" || { echo "udata judge: cargo build failed"; exit 2; }

# serve DIR PORTFILE: a static file server on a free 127.0.0.1 port, written to PORTFILE.
# It is `python3 -m http.server`, which sends `text/turtle` without a charset as many hosts
# do: udata (requests' `response.text`) then decodes the catalogue as ISO-8859-1, which
# kiosque's ASCII-only catalogue files survive. SERVE_CHARSET=utf-8 announces one.
serve() {
    python3 - "$1" "$SERVE_CHARSET" >"$2" 2>/dev/null <<'PY' &
import functools, http.server, sys
directory, charset = sys.argv[1], sys.argv[2]
class Handler(http.server.SimpleHTTPRequestHandler):
    def guess_type(self, path):
        t = super().guess_type(path)
        if charset and (t.startswith("text/") or t.endswith(("json", "xml"))):
            t += "; charset=" + charset
        return t
    def log_message(self, *args):
        pass
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=directory))
print(server.server_address[1], flush=True)
server.serve_forever()
PY
    server_pids+=($!)
    local port="" i
    for i in $(seq 1 100); do
        port="$(head -n1 "$2" 2>/dev/null)"
        if [ -n "$port" ] && python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
            "http://127.0.0.1:$port/catalog.ttl" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    echo "udata judge: the file server did not answer"
    return 1
}

# harvest OUT URL...: udata_harvest.py, one process per URL, JOBS at a time; the results are
# merged into OUT (one JSON object keyed by URL, in the given order).
# udata saves the whole harvest job (every item so far) after each item, which mongomock makes
# quadratic: 50 s for 520 datasets, 10 s with the job saved once at the end. Only that
# progress bookkeeping is skipped: the output is byte-identical (UDATA_JOB_SAVES=all to check).
harvest() {
    local out="$1"; shift
    local pids=() parts=() rc=0 i=0 url p runner=("$here/udata_harvest.py")
    if [ "${UDATA_JOB_SAVES:-end}" != all ]; then
        cat >"$work/udata_harvest_fast.py" <<'PY'
import os, runpy, sys
os.environ["UDATA_SETTINGS"] = "/nonexistent/udata.cfg"
from udata.harvest.backends import base
saving, save_job, end_job = [False], base.BaseBackend.save_job, base.BaseBackend.end_job
def lazy_save_job(self):
    if saving[0] or not self.job.items:  # the job's creation, and its end
        save_job(self)
def saving_end_job(self):
    saving[0] = True
    try:
        end_job(self)
    finally:
        saving[0] = False
base.BaseBackend.save_job, base.BaseBackend.end_job = lazy_save_job, saving_end_job
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
PY
        runner=("$work/udata_harvest_fast.py" "$here/udata_harvest.py")
    fi
    for url in "$@"; do
        if [ "${#pids[@]}" -ge "$JOBS" ]; then
            wait "${pids[0]}" || rc=1
            pids=("${pids[@]:1}")
        fi
        "$VENV/bin/python" "${runner[@]}" --licenses "$licenses" "$url" \
            >"$out.$i.json" 2>"$out.$i.log" &
        pids+=($!)
        parts+=("$out.$i.json")
        i=$((i + 1))
    done
    for p in "${pids[@]}"; do wait "$p" || rc=1; done
    for i in "${!parts[@]}"; do
        grep -h '^\[udata_harvest\].*job' "$out.$i.log"
        if [ "$rc" -ne 0 ]; then tail -n 15 "$out.$i.log"; fi
    done
    "$VENV/bin/python" - "$out" "${parts[@]}" <<'PY' || rc=1
import json, sys
merged = {}
for part in sys.argv[2:]:
    with open(part, encoding="utf-8") as f:
        merged.update(json.load(f))
with open(sys.argv[1], "w", encoding="utf-8") as f:
    json.dump(merged, f, ensure_ascii=False, indent=1)
PY
    return "$rc"
}

# judge NAME SITE CATALOGUE...
judge() {
    local name="$1" site="$2"; shift 2
    local dir="$work/$name" t0 urls=() c port
    mkdir -p "$dir"
    step "$name: build"
    t0=$(date +%s)
    SOURCE_DATE_EPOCH=1795392000 kiosque build "$site" -o "$dir/public" -q 2>"$dir/build.log" \
        || { cat "$dir/build.log"; echo "--- FAIL: $name: kiosque build"; failures=$((failures + 1)); return; }
    serve "$dir/public" "$dir/port" || { echo "--- FAIL: $name: serve"; failures=$((failures + 1)); return; }
    port="$(head -n1 "$dir/port")"
    for c in "$@"; do urls+=("http://127.0.0.1:$port/$c"); done

    step "$name: pySHACL, DCAT-AP 3.0.1 shapes + range, on the same files"
    for c in "$@"; do
        local fmt=turtle
        case "$c" in *.rdf) fmt=xml ;; *.jsonld) fmt=json-ld ;; esac
        check "$name: pyshacl $c" bash -c '"$1" -s "$2" -df "$3" -f human "$4" >"$5" 2>&1 || { tail -n 30 "$5"; exit 1; }' \
            _ "$JUDGES_VENV/bin/pyshacl" "$work/dcat-ap.ttl" "$fmt" "$dir/public/$c" "$dir/pyshacl.log"
    done

    step "$name: udata harvests $* ($JOBS at a time)"
    check "$name: udata_harvest.py ran" harvest "$dir/udata.json" "${urls[@]}"
    echo "    ($(($(date +%s) - t0))s since the build; total $(elapsed))"

    step "$name: kiosque check --harvest --format json"
    local pred=()
    kiosque check "$site" --harvest --format json >"$dir/prediction.json" 2>"$dir/prediction.log"
    if python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert isinstance(d.get("harvest"), list)' \
        "$dir/prediction.json" 2>/dev/null; then
        pred=(--prediction "$dir/prediction.json")
        echo "prediction: $(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["harvest"]))' "$dir/prediction.json") datasets"
    else
        echo "note: \`kiosque check --harvest --format json\` gave no {\"harvest\": [...]} JSON; prediction not compared"
        head -n 5 "$dir/prediction.log"
    fi

    step "$name: harvest_compare.py"
    if [ -s "$dir/udata.json" ]; then
        local what="udata kept every dataset and field"
        [ "${#pred[@]}" -gt 0 ] && what="$what, and equals the kiosque prediction"
        check "$name: $what" \
            "$VENV/bin/python" "$here/harvest_compare.py" --udata "$dir/udata.json" --sidecars "$site" "${pred[@]}"
    else
        echo "--- FAIL: $name: no udata output to compare"; failures=$((failures + 1))
    fi
    kill "${server_pids[-1]}" 2>/dev/null
}

judge example-site "$root/example-site" catalog.ttl catalog.rdf catalog.jsonld

step "fixture: generating $FIXTURE_DATASETS datasets"
fixture="$work/fixture-site"
if python3 "$here/harvest_fixture.py" "$fixture" --datasets "$FIXTURE_DATASETS"; then
    check "fixture: kiosque check reports no error" bash -c \
        '"$1" check "$2" --format json >"$3" 2>&1 || { grep -B2 -A6 "\"error\"" "$3" | head -40; exit 1; }' \
        _ "$bin" "$fixture" "$work/fixture-check.json"
    # shellcheck disable=SC2086  # FIXTURE_CATALOGUES is a list
    judge fixture "$fixture" $FIXTURE_CATALOGUES
else
    echo "--- FAIL: fixture: harvest_fixture.py"; failures=$((failures + 1))
fi

step "summary ($(elapsed))"
if [ "$failures" -eq 0 ]; then echo "ALL UDATA JUDGES PASS"; else echo "$failures UDATA JUDGE(S) FAILED"; fi
exit "$((failures > 0 ? 1 : 0))"
