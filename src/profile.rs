//! Stage `profile`: reads each local resource once, in a streaming pass with
//! bounded memory. Every file is hashed (SHA-256) and sized; CSV and TSV
//! files are also decoded, parsed and profiled column by column
//! ([`crate::tabular`]), scanned for personal data ([`crate::personal`])
//! and, when a schema is declared, validated against it
//! ([`crate::tableschema`]) — all in that same pass. Resources are
//! independent, so they are read in parallel on all cores.

use std::collections::BTreeMap;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::Lang;
use crate::model::{Dataset, Located, Resource, Site};
use crate::tableschema::{Report, Schema, TableValidator};
use crate::{personal, tabular, tr};

/// What reading a resource taught us.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ResourceProfile {
    pub bytes: u64,
    /// Lowercase hexadecimal SHA-256; `None` for `check`, which publishes
    /// nothing (see [`Purpose`]).
    pub sha256: Option<String>,
    /// For CSV and TSV files: the table's profile and checks.
    pub table: Option<TableInfo>,
    /// For spreadsheets: each sheet as CSV, profiled and checked.
    pub sheets: Vec<SheetTable>,
    /// For GeoJSON files: the layer, or why it could not be read.
    pub geo: Option<Result<crate::geo::Layer, String>>,
    /// For JSON files that are an array of objects: columns, first rows,
    /// number of objects.
    pub records: Option<(Vec<String>, Vec<Vec<String>>, usize)>,
}

pub use crate::limits::{HEAD_ROWS, PREVIEW_LIMIT_BYTES};

/// Whether a resource is a GeoJSON file.
pub fn is_geojson(r: &Resource) -> bool {
    r.format().is_some_and(|f| f.label == "GeoJSON")
}

/// Whether a resource is a (plain) JSON file.
fn is_json(r: &Resource) -> bool {
    r.format().is_some_and(|f| f.label == "JSON")
}

/// Reads a GeoJSON or JSON file small enough to preview once: size and
/// (when building) SHA-256 of its bytes, and its map or table.
fn read_previewed(path: &Path, r: &Resource, purpose: Purpose) -> std::io::Result<ResourceProfile> {
    let bytes = std::fs::read(path)?;
    let sha256 = purpose.spool().map(|_| crate::util::hex(&Sha256::digest(&bytes)));
    let text = std::str::from_utf8(&bytes);
    let geo = is_geojson(r).then(|| text.map_err(|e| e.to_string()).and_then(crate::geo::read_geojson));
    let records = if is_json(r) { text.ok().and_then(crate::geo::json_records) } else { None };
    Ok(ResourceProfile { bytes: bytes.len() as u64, sha256, table: None, sheets: Vec::new(), geo, records })
}

/// A spreadsheet's sheet, as a CSV table.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct SheetTable {
    pub name: String,
    /// The sheet as UTF-8 comma-separated CSV, published beside the
    /// workbook: the file in the build's spool folder (`None` for `check`,
    /// which publishes nothing), and its size.
    pub csv: Option<std::path::PathBuf>,
    pub bytes: u64,
    pub table: TableInfo,
}

/// The sheet's CSV in a spool folder.
const SHEET_CSV: &str = "sheet.csv";

/// A tabular file's profile, personal data findings and schema check.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct TableInfo {
    pub profile: tabular::Profile,
    pub personal: Vec<personal::Finding>,
    /// The declared schema's name and the validation report.
    pub schema: Option<(String, Report)>,
    /// For a file that is not UTF-8 with commas: its normalised copy (UTF-8,
    /// comma), published beside it.
    pub normalised: Option<Normalised>,
    /// The first data rows (at most [`HEAD_ROWS`], cells cut like preview
    /// cells), for the page's static preview.
    pub head: crate::rows::Rows,
    /// Files derived while building (preview chunks, exports).
    pub derived: Option<crate::derive::Derived>,
    /// The rows' points, when the table has coordinate columns.
    pub points: Option<crate::geo::Points>,
    /// The data of the dataset's declared charts drawn from this table.
    pub charts: Vec<crate::charts::ChartData>,
    /// Whether the coordinate columns the sidecar names are in this table.
    pub named_coordinates: bool,
}

/// A table's normalised copy, written and measured (size and SHA-256) when
/// building; `check` writes nothing, so it does not spend a pass on it.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Normalised {
    pub bytes: Option<u64>,
    pub sha256: Option<String>,
    /// The copy, in the build's spool folder.
    pub file: Option<std::path::PathBuf>,
}

/// Told (files done, files in all) each time a data file has been read.
pub type Progress<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// What the profile stage is for.
#[derive(Clone, Copy)]
pub enum Purpose<'a> {
    /// `kiosque check`: findings only.
    Check,
    /// `kiosque build`: findings, hashes, and the files derived from each
    /// table, streamed into `spool` in the same pass; files a previous build
    /// read unchanged are taken from `cache` instead.
    Build { spool: &'a Path, cache: Option<&'a crate::cache::Cache>, progress: Option<Progress<'a>> },
}

impl Purpose<'_> {
    fn spool(&self) -> Option<&Path> {
        match self {
            Purpose::Check => None,
            Purpose::Build { spool, .. } => Some(spool),
        }
    }
}

/// Whether a table is published with a normalised UTF-8, comma-separated
/// copy beside it.
pub fn needs_normalised_copy(d: &tabular::Dialect) -> bool {
    d.encoding != "UTF-8" || d.bom || d.delimiter != b',' || d.header_row != 0
}

/// Profiles of every local resource, by path relative to the site.
#[derive(Clone, Debug, Default)]
pub struct Profiles {
    pub resources: BTreeMap<String, ResourceProfile>,
}

impl Profiles {
    pub fn get(&self, path: &str) -> Option<&ResourceProfile> {
        self.resources.get(path)
    }

    /// Whether every resource of `ds` that was checked against a schema
    /// passed; `None` when none was.
    pub fn schema_valid(&self, ds: &Dataset) -> Option<bool> {
        let reports: Vec<bool> = ds
            .resources
            .iter()
            .filter_map(|r| self.get(r.local_path()?)?.table.as_ref()?.schema.as_ref().map(|(_, rep)| rep.valid))
            .collect();
        (!reports.is_empty()).then(|| reports.iter().all(|v| *v))
    }
}

/// Streams one file through SHA-256.
pub fn hash_file(path: &Path) -> std::io::Result<(u64, String)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        bytes += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((bytes, crate::util::hex(&hasher.finalize())))
}

/// Whether a resource is a spreadsheet kiosque reads sheet by sheet.
pub fn is_workbook(r: &Resource) -> bool {
    r.format().is_some_and(|f| matches!(f.label, "XLSX" | "XLS" | "ODS"))
}

/// Whether kiosque reads a resource as a table (CSV, TSV).
pub fn is_table(r: &Resource) -> bool {
    r.format().is_some_and(|f| matches!(f.label, "CSV" | "TSV"))
}

/// One resource to read, with what to check it against.
struct Job<'a> {
    /// The resource's path in the model (relative to the site).
    path: &'a str,
    /// The file on disk.
    full: PathBuf,
    resource: &'a Resource,
    dataset: &'a Dataset,
    schema: Option<(String, Schema)>,
    /// The text of the schema, for the cache key.
    schema_text: Option<String>,
}

impl Job<'_> {
    /// Everything reading this resource depends on besides the file's
    /// bytes, as text: the cache key of its profile (see [`crate::cache`]).
    fn description(&self, lang: Lang) -> String {
        use std::fmt::Write;
        let r = self.resource;
        let mut d =
            format!("{}\n{:?}\n{:?}\n{}\n", self.path, r.format().map(|f| f.label), dialect_options(r), lang.code());
        if let Some((name, _)) = &self.schema {
            let _ = writeln!(d, "schema {name} {}", self.schema_text.as_deref().unwrap_or_default());
        }
        for (i, c) in charts_of(self.dataset, r) {
            let y = c.y.as_ref().map(|y| y.value.as_str());
            let _ = writeln!(d, "chart {i} {:?} {:?} {:?} {:?}", c.kind, c.x.value, y, c.aggregation);
        }
        match &self.dataset.coordinates {
            Some(crate::model::CoordinateColumns::Pair { lat, lon }) => {
                let _ = writeln!(d, "coordinates {:?} {:?}", lat.value, lon.value);
            }
            Some(crate::model::CoordinateColumns::Point(p)) => {
                let _ = writeln!(d, "coordinates {:?}", p.value);
            }
            None => {}
        }
        d
    }
}

/// The personal data scanner, the schema validator and, when building,
/// the files derived from the table, fed by the single pass of the profiler.
struct Checks<'s> {
    schema: Option<&'s Schema>,
    scanner: Option<personal::Scanner>,
    validator: Option<TableValidator<'s>>,
    /// Where to derive files (building), and whether this table may have
    /// JSON and Excel exports (its size).
    derive_into: Option<(std::path::PathBuf, Option<u64>)>,
    /// Whether a normalised copy is published.
    needs_copy: bool,
    deriver: Option<std::io::Result<crate::derive::Deriver>>,
    head: crate::rows::Rows,
    coordinates: Option<crate::geo::Coordinates>,
    points: crate::geo::PointGrid,
    /// The declared charts drawn from this table (index in the dataset's
    /// `charts`), then their aggregators once the header is known.
    chart_specs: Vec<(usize, &'s crate::model::ChartSpec)>,
    charts: Vec<crate::charts::Aggregator>,
    /// The coordinate columns the sidecar names, and whether they were found.
    named: Option<&'s crate::model::CoordinateColumns>,
    named_found: bool,
}

impl<'s> Checks<'s> {
    fn new(schema: Option<&'s Schema>, derive_into: Option<(std::path::PathBuf, Option<u64>)>) -> Self {
        Checks {
            schema,
            scanner: None,
            validator: None,
            derive_into,
            needs_copy: false,
            deriver: None,
            head: crate::rows::Rows::default(),
            coordinates: None,
            points: crate::geo::PointGrid::default(),
            chart_specs: Vec::new(),
            charts: Vec::new(),
            named: None,
            named_found: false,
        }
    }

    /// The derived files, once the pass is over.
    fn derived(&mut self) -> std::io::Result<Option<crate::derive::Derived>> {
        self.deriver.take().map(|d| d?.finish()).transpose()
    }
}

impl tabular::RowObserver for Checks<'_> {
    fn header(&mut self, line: u64, names: &[String], dialect: &tabular::Dialect) {
        // Findings name their column: with names as the profile keeps them.
        let short: Vec<String> = names
            .iter()
            .map(|n| crate::limits::cut_chars(n, crate::limits::MAX_COLUMN_NAME_CHARS).to_string())
            .collect();
        self.scanner = Some(personal::Scanner::new(&short, line));
        self.validator = self.schema.map(|s| TableValidator::new(s, names));
        self.needs_copy = needs_normalised_copy(dialect);
        self.coordinates = match self.named {
            Some(named) => crate::geo::named_coordinates(names, named),
            None => crate::geo::coordinates(names),
        };
        self.named_found = self.named.is_some() && self.coordinates.is_some();
        self.charts = self
            .chart_specs
            .iter()
            .map(|&(i, spec)| crate::charts::Aggregator::new(i, spec, names, dialect.decimal))
            .collect();
        if let Some((dir, exports)) = self.derive_into.take() {
            let fields: Vec<&str> = names.iter().map(String::as_str).collect();
            let plan = crate::derive::Plan { dir, normalised: self.needs_copy, exports };
            self.deriver = Some(crate::derive::Deriver::new(plan, &fields));
        }
    }

    fn row(&mut self, line: u64, cells: &[&str], record: &str) {
        if self.head.len() < HEAD_ROWS {
            let shown = cells.iter().take(crate::limits::MAX_COLUMNS);
            self.head.push(shown.map(|c| crate::derive::preview_cell(c)));
        }
        if let Some(Ok(d)) = &mut self.deriver {
            d.row(cells);
        }
        for chart in &mut self.charts {
            chart.row(cells);
        }
        if let Some((lon, lat)) = self.coordinates.and_then(|c| crate::geo::point(c, cells)) {
            self.points.add(lon, lat);
        }
        if let Some(scanner) = &mut self.scanner {
            scanner.row(line, cells, record);
        }
        if let Some(v) = &mut self.validator {
            v.push_row(line, cells);
        }
    }
}

fn dialect_options(r: &Resource) -> tabular::DialectOptions {
    let byte = |v: &Option<Located<String>>| {
        v.as_ref().and_then(|l| match l.value.as_str() {
            "\\t" | "tab" | "tabulation" => Some(b'\t'),
            s if s.len() == 1 => Some(s.as_bytes()[0]),
            _ => None,
        })
    };
    tabular::DialectOptions {
        encoding: r.encoding.as_ref().map(|e| e.value.clone()),
        delimiter: byte(&r.delimiter),
        decimal: byte(&r.decimal),
    }
}

/// The declared charts of `ds` drawn from table `r`: those naming it (by
/// file name or path), and those naming none when it is the first table.
fn charts_of<'a>(ds: &'a Dataset, r: &Resource) -> Vec<(usize, &'a crate::model::ChartSpec)> {
    let first_table = ds.resources.iter().find(|r| is_table(r)).map(|f| std::ptr::eq(f, r)).unwrap_or(false);
    let names = |want: &str| match &r.source {
        crate::model::ResourceSource::Local { path, name } => {
            name == want || path == want || path.ends_with(&format!("/{want}"))
        }
        crate::model::ResourceSource::Remote { .. } => false,
    };
    ds.charts
        .iter()
        .enumerate()
        .filter(|(_, c)| match &c.resource {
            Some(want) => names(want.value.trim()),
            None => first_table,
        })
        .collect()
}

/// Size and, when building, SHA-256 of a file.
fn measure(path: &Path, purpose: Purpose) -> std::io::Result<(u64, Option<String>)> {
    match purpose {
        Purpose::Build { .. } => hash_file(path).map(|(bytes, sha256)| (bytes, Some(sha256))),
        Purpose::Check => Ok((std::fs::metadata(path)?.len(), None)),
    }
}

/// Reads one resource; the profile is kept in allocations of its own (see
/// [`packed`]).
fn read(index: usize, job: &Job, purpose: Purpose) -> std::io::Result<ResourceProfile> {
    read_unpacked(index, job, purpose).map(packed)
}

/// A copy of `p` made once the buffers that read its file are gone. A
/// profile is made beside the parser's, the statistics' and the derived
/// writers' short-lived buffers, so its own small allocations end up
/// scattered over memory pages that those buffers also used; such pages
/// stay resident as long as one profile allocation lives in them, that is
/// for the whole build. A fresh copy is packed: for 10,000 datasets the
/// profile stage's peak memory went from 778 MB to 417 MB.
/// (A copy's vectors and strings also hold no spare room.)
fn packed(p: ResourceProfile) -> ResourceProfile {
    let copy = p.clone();
    drop(p);
    copy
}

/// Reads workbook `full` (resource `index` of the build): each sheet
/// written as CSV (into the spool when building, else a temporary file),
/// then profiled from it like any table.
pub(crate) fn read_workbook(index: usize, full: &Path, purpose: Purpose) -> std::io::Result<ResourceProfile> {
    let (bytes, sha256) = measure(full, purpose)?;
    let mut sheets = Vec::new();
    let mut book = crate::excel::open(full).map_err(std::io::Error::other)?;
    // (A `BookError` inside an io::Error: `profile` makes it a diagnostic.)
    // Sheets are numbered as they are written (empty ones skipped).
    for name in book.sheet_names() {
        let k = sheets.len();
        // Each sheet streams into a file (in the spool when building, to be
        // published; else a temporary one), then is profiled from it.
        let dir = purpose.spool().map(|s| crate::derive::spool_dir(s, index, Some(k)));
        let failed = |e| crate::derive::write_failed(&dir.clone().unwrap_or_else(std::env::temp_dir), e);
        let (mut file, path) = match &dir {
            Some(dir) => {
                std::fs::create_dir_all(dir).map_err(failed)?;
                let path = dir.join(SHEET_CSV);
                let file = std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(true)
                    .open(&path)
                    .map_err(failed)?;
                (file, Some(path))
            }
            None => (tempfile::tempfile().map_err(failed)?, None),
        };
        let written = book.write_csv(&name, &mut file).map_err(|e| match e {
            crate::excel::SheetError::Book(e) => std::io::Error::other(e),
            crate::excel::SheetError::Write(e) => failed(e),
        })?;
        if !written {
            if let Some(dir) = &dir {
                std::fs::remove_dir_all(dir).map_err(failed)?;
            }
            continue;
        }
        let csv_bytes = file.seek(std::io::SeekFrom::End(0))?;
        file.rewind()?;
        let exports = (csv_bytes <= crate::derive::EXPORT_LIMIT_BYTES).then(|| crate::derive::export_budget(csv_bytes));
        let derive_into = dir.map(|d| (d, exports));
        let mut checks = Checks::new(None, derive_into);
        let profile = tabular::profile_reader_observed(
            std::io::BufReader::with_capacity(256 * 1024, file),
            &tabular::DialectOptions::default(),
            Some(&mut checks),
            true,
        )?;
        let derived = checks.derived()?;
        let personal = checks.scanner.map(personal::Scanner::finish).unwrap_or_default();
        let table = TableInfo {
            profile,
            personal,
            schema: None,
            normalised: None,
            head: checks.head,
            derived,
            points: (checks.points.points > 0).then(|| checks.points.finish()),
            charts: Vec::new(),
            named_coordinates: false,
        };
        sheets.push(SheetTable { name, csv: path, bytes: csv_bytes, table });
    }
    Ok(ResourceProfile { bytes, sha256, table: None, sheets, geo: None, records: None })
}

fn read_unpacked(index: usize, job: &Job, purpose: Purpose) -> std::io::Result<ResourceProfile> {
    let full = job.full.as_path();
    let build = purpose.spool().is_some();
    if is_workbook(job.resource) {
        return read_workbook(index, full, purpose);
    }
    if !is_table(job.resource) {
        let previewed = is_geojson(job.resource) || is_json(job.resource);
        if previewed && std::fs::metadata(full)?.len() <= PREVIEW_LIMIT_BYTES {
            return read_previewed(full, job.resource, purpose);
        }
        let (bytes, sha256) = measure(full, purpose)?;
        return Ok(ResourceProfile { bytes, sha256, table: None, sheets: Vec::new(), geo: None, records: None });
    }
    let derive_into = match purpose.spool() {
        Some(s) => {
            let len = std::fs::metadata(full)?.len();
            let exports = (len <= crate::derive::EXPORT_LIMIT_BYTES).then(|| crate::derive::export_budget(len));
            Some((crate::derive::spool_dir(s, index, None), exports))
        }
        None => None,
    };
    let table = read_table(std::fs::File::open(full)?, job, derive_into, build)?;
    Ok(ResourceProfile {
        bytes: table.profile.bytes,
        sha256: table.profile.sha256.clone(),
        table: Some(table),
        sheets: Vec::new(),
        geo: None,
        records: None,
    })
}

/// Reads a CSV or TSV resource from `reader` in one pass: its profile, the
/// personal data scan, the schema check, the declared charts, the map's
/// points, and (when `derive_into` is given) the derived files.
fn read_table<R: Read>(
    reader: R,
    job: &Job,
    derive_into: Option<(std::path::PathBuf, Option<u64>)>,
    hash: bool,
) -> std::io::Result<TableInfo> {
    let mut checks = Checks::new(job.schema.as_ref().map(|(_, s)| s), derive_into);
    checks.chart_specs = charts_of(job.dataset, job.resource);
    checks.named = job.dataset.coordinates.as_ref();
    let profile = tabular::profile_reader_observed(reader, &dialect_options(job.resource), Some(&mut checks), hash)?;
    let charts: Vec<crate::charts::ChartData> =
        std::mem::take(&mut checks.charts).into_iter().map(crate::charts::Aggregator::finish).collect();
    let mut derived = checks.derived()?;
    let personal = checks.scanner.map(personal::Scanner::finish).unwrap_or_default();
    let normalised = match derived.as_mut().and_then(|d| d.normalised.take()) {
        Some((file, bytes, sha256)) => Some(Normalised { bytes: Some(bytes), sha256: Some(sha256), file: Some(file) }),
        None => checks.needs_copy.then(Normalised::default),
    };
    let schema = match (checks.validator, &job.schema) {
        (Some(v), Some((name, _))) => Some((name.clone(), v.finish())),
        _ => None,
    };
    Ok(TableInfo {
        profile,
        personal,
        schema,
        normalised,
        points: (checks.points.points > 0).then(|| checks.points.finish()),
        head: checks.head,
        derived,
        charts,
        named_coordinates: checks.named_found,
    })
}

/// The profile stage on one CSV table held in memory, read as the
/// `resource`-th resource of `ds` (with its dialect settings, charts and
/// coordinate columns) and checked against `schema`: the table's findings
/// and the diagnostics `check` and `build` print for it. The files a build
/// derives are written under `spool` when given. For the fuzz targets
/// ([`crate::fuzzing`]): the same code as a real resource, minus opening
/// the file.
#[doc(hidden)]
pub fn read_table_bytes(
    bytes: &[u8],
    ds: &Dataset,
    resource: usize,
    schema: Option<(String, Schema)>,
    spool: Option<&Path>,
    lang: Lang,
) -> std::io::Result<(TableInfo, Diagnostics)> {
    let r = &ds.resources[resource];
    let path = r.local_path().unwrap_or("data.csv");
    let job = Job { path, full: PathBuf::from(path), resource: r, dataset: ds, schema, schema_text: None };
    let exports = Some(crate::derive::export_budget(bytes.len() as u64));
    let derive_into = spool.map(|s| (crate::derive::spool_dir(s, resource, None), exports));
    let table = read_table(bytes, &job, derive_into, spool.is_some())?;
    let mut diags = Diagnostics::default();
    chart_diagnostics(ds, &table, lang, &mut diags);
    table_diagnostics(path, &table, ds, lang, &mut diags);
    Ok((table, diags))
}

/// Reads one resource, or takes what a previous build learnt of the same
/// bytes from the cache (building with a cache only).
fn read_cached(index: usize, job: &Job, purpose: Purpose, lang: Lang) -> std::io::Result<ResourceProfile> {
    let Purpose::Build { spool, cache: Some(cache), .. } = purpose else { return read(index, job, purpose) };
    let full = job.full.as_path();
    let before = crate::cache::Stamp::of(full)?;
    let description = job.description(lang);
    if let Some(sha256) = cache.content_hash(job.path, full, &before)?
        && let crate::cache::Lookup::Hit(p) = cache.lookup(&cache.key(&sha256, &description))
    {
        cache.note(job.path, before, &sha256);
        return Ok(*p);
    }
    let p = read_unpacked(index, job, purpose)?;
    // A file that changed while it was read is not remembered.
    if let (Some(sha256), Ok(after)) = (&p.sha256, crate::cache::Stamp::of(full))
        && after == before
    {
        cache.note(job.path, before, sha256);
        // The derived files move into the cache: the profile that points
        // there (a copy, made now, so packed too) is the build's.
        if let Some(cached) = cache.store(&cache.key(sha256, &description), &p, spool, index) {
            return Ok(cached);
        }
    }
    Ok(packed(p))
}

/// Profiles every local resource of the site. Fails only when a derived
/// file cannot be written (see [`crate::derive::WriteFailed`]): a data file
/// that cannot be read is a diagnostic.
pub fn profile(site: &Site, purpose: Purpose) -> Result<(Profiles, Diagnostics), crate::derive::WriteFailed> {
    let lang = site.lang();
    let mut diags = Diagnostics::default();
    let mut jobs: Vec<Job> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for ds in &site.datasets {
        for r in &ds.resources {
            let Some(path) = r.local_path() else { continue };
            if !seen.insert(path) {
                continue;
            }
            let (schema, schema_text) = match is_table(r).then(|| load_schema(site, ds, r, &mut diags)).flatten() {
                Some((name, schema, text)) => (Some((name, schema)), Some(text)),
                None => (None, None),
            };
            jobs.push(Job { path, full: site.disk_path(path), resource: r, dataset: ds, schema, schema_text });
        }
    }
    let progress = match purpose {
        Purpose::Build { progress, .. } => progress,
        Purpose::Check => None,
    };
    let done = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<(usize, std::io::Result<ResourceProfile>)> = jobs
        .par_iter()
        .enumerate()
        .map(|(i, job)| {
            let result = read_cached(i, job, purpose, lang);
            if let Some(progress) = progress {
                progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1, jobs.len());
            }
            (i, result)
        })
        .collect();
    let mut profiles = Profiles::default();
    for (i, result) in results {
        let job = &jobs[i];
        match result {
            Ok(p) => {
                geo_diagnostics(job.path, &p, lang, &mut diags);
                if let Some(t) = &p.table {
                    chart_diagnostics(job.dataset, t, lang, &mut diags);
                }
                if let Some(t) = &p.table {
                    table_diagnostics(job.path, t, job.dataset, lang, &mut diags);
                }
                for sheet in &p.sheets {
                    let mut local = Diagnostics::default();
                    table_diagnostics(job.path, &sheet.table, job.dataset, lang, &mut local);
                    for mut d in local {
                        d.message = tr!(lang, "feuille « {} » : {}", "sheet “{}”: {}", sheet.name, d.message);
                        diags.push(d);
                    }
                }
                profiles.resources.insert(job.path.to_string(), p);
            }
            Err(e) => {
                let e = match e.downcast::<crate::derive::WriteFailed>() {
                    Ok(failed) => return Err(failed),
                    Err(e) => e,
                };
                let e = match e.downcast::<crate::excel::BookError>() {
                    Ok(book) => {
                        let (message, hint) = book.describe(lang);
                        diags.push(Diagnostic::error(book.code(), message).file(job.path).hint(hint));
                        continue;
                    }
                    Err(e) => e,
                };
                diags.push(
                    Diagnostic::error(
                        "unreadable-file",
                        tr!(lang, "impossible de lire le fichier : {e}", "cannot read the file: {e}"),
                    )
                    .file(job.path)
                    .hint(tr!(
                        lang,
                        "vérifiez que le fichier existe et que vous avez le droit de le lire",
                        "check that the file exists and that you may read it"
                    )),
                )
            }
        }
    }
    named_column_diagnostics(site, &profiles, &mut diags);
    Ok((profiles, diags))
}

/// The column names of every table of `ds` (its tables and its workbooks'
/// sheets), in resource order.
fn column_names<'p>(ds: &Dataset, profiles: &'p Profiles) -> Vec<&'p str> {
    let mut names = Vec::new();
    for p in ds.resources.iter().filter_map(|r| profiles.get(r.local_path()?)) {
        for t in p.table.iter().chain(p.sheets.iter().map(|s| &s.table)) {
            names.extend(t.profile.columns.iter().map(|c| c.name.as_str()));
        }
    }
    names
}

/// "Did you mean …?" with the column name nearest `name`, else what to do.
fn nearest_column_hint(name: &str, names: &[&str], lang: Lang) -> String {
    match crate::util::nearest(name, names.iter().copied()) {
        Some(n) => tr!(lang, "vouliez-vous dire « {n} » ?", "did you mean “{n}”?"),
        None => tr!(
            lang,
            "recopiez le nom exact de la colonne depuis la première ligne du fichier",
            "copy the exact column name from the first line of the file"
        ),
    }
}

/// Columns a sidecar names that none of its tables has: coordinate columns
/// (no map would be drawn) and the columns `personal_data: {reviewed: […]}`
/// lists (the review would be silently ignored). Errors, with the nearest
/// column name.
fn named_column_diagnostics(site: &Site, profiles: &Profiles, diags: &mut Diagnostics) {
    let lang = site.lang();
    for ds in &site.datasets {
        let names = column_names(ds, profiles);
        if names.is_empty() {
            continue;
        }
        let mut unknown = |code: &'static str, message: String, column: &crate::model::Located<String>| {
            let hint = nearest_column_hint(column.value.trim(), &names, lang);
            diags.push(Diagnostic::error(code, message).file(&ds.sidecar).span(column.span).hint(hint));
        };
        for reviewed in &ds.personal_data_columns {
            let column = reviewed.value.trim();
            if !names.iter().any(|n| n.trim() == column) {
                let message = tr!(
                    lang,
                    "« personal_data » : aucun tableau de ce jeu de données n'a de colonne « {column} »",
                    "“personal_data”: no table of this dataset has a column “{column}”"
                );
                unknown("unknown-column", message, reviewed);
            }
        }
        let Some(named) = &ds.coordinates else { continue };
        let tables: Vec<&TableInfo> =
            ds.resources.iter().filter_map(|r| profiles.get(r.local_path()?)?.table.as_ref()).collect();
        if tables.is_empty() || tables.iter().any(|t| t.named_coordinates) {
            continue;
        }
        let located = match named {
            crate::model::CoordinateColumns::Pair { lat, lon } => vec![lat, lon],
            crate::model::CoordinateColumns::Point(p) => vec![p],
        };
        for column in located.into_iter().filter(|c| !names.contains(&c.value.as_str())) {
            let what = column.value.as_str();
            let message = tr!(
                lang,
                "« coordinates » : aucun tableau de ce jeu de données n'a de colonne « {what} » : pas de carte",
                "“coordinates”: no table of this dataset has a column “{what}”: no map"
            );
            unknown("coordinates-not-found", message, column);
        }
    }
}

/// A declared chart whose columns are not in its table (an error, at the
/// sidecar's line), or with groups left out (a warning).
fn chart_diagnostics(ds: &Dataset, t: &TableInfo, lang: crate::lang::Lang, diags: &mut Diagnostics) {
    for data in &t.charts {
        let spec = &ds.charts[data.index];
        match &data.result {
            Err(crate::charts::ChartProblem::UnknownColumn { key, name, nearest }) => {
                let span = if *key == 'x' { spec.x.span } else { spec.y.as_ref().map(|y| y.span).unwrap_or(spec.x.span) };
                let hint = match nearest {
                    Some(n) => tr!(lang, "vouliez-vous dire « {n} » ?", "did you mean “{n}”?"),
                    None => tr!(lang, "indiquez le nom exact d'une colonne du fichier", "give the exact name of a column of the file"),
                };
                diags.push(
                    Diagnostic::error(
                        "chart-unknown-column",
                        tr!(lang, "graphique : la colonne « {name} » ({key}) n'existe pas dans le fichier", "chart: column “{name}” ({key}) is not in the file"),
                    )
                    .file(&ds.sidecar)
                    .span(span)
                    .hint(hint),
                );
            }
            Ok((_, true)) => diags.push(
                Diagnostic::warning(
                    "chart-too-many-groups",
                    tr!(
                        lang,
                        "graphique : plus de {} valeurs différentes dans la colonne « {} », les suivantes sont ignorées",
                        "chart: more than {} different values in column “{}”, the next ones are left out",
                        crate::charts::MAX_GROUPS,
                        spec.x.value
                    ),
                )
                .file(&ds.sidecar)
                .span(spec.x.span)
                .hint(tr!(
                    lang,
                    "choisissez pour « x » une colonne de catégories ou de dates",
                    "choose a column of categories or dates for “x”"
                )),
            ),
            Ok(_) => {}
        }
    }
}

/// A GeoJSON file that cannot be drawn, or with invalid geometries: a
/// warning (the file is still published as is).
fn geo_diagnostics(path: &str, p: &ResourceProfile, lang: crate::lang::Lang, diags: &mut Diagnostics) {
    match &p.geo {
        Some(Err(e)) => diags.push(
            Diagnostic::warning(
                "invalid-geojson",
                tr!(lang, "ce fichier n'est pas du GeoJSON lisible : {e}", "this file is not readable GeoJSON: {e}"),
            )
            .file(path)
            .hint(tr!(
                lang,
                "ouvrez-le dans un outil SIG (QGIS) et exportez-le à nouveau en GeoJSON ; il est publié sans carte",
                "open it in a GIS tool (QGIS) and export it again as GeoJSON; it is published without a map"
            )),
        ),
        Some(Ok(layer)) if layer.invalid_count > 0 => {
            let hint = tr!(
                lang,
                "corrigez cet objet dans un outil SIG (QGIS : Vérifier la validité) puis exportez à nouveau ; la carte montre les autres objets",
                "fix this feature in a GIS tool (QGIS: Check validity) and export again; the map shows the other features"
            );
            for f in &layer.invalid {
                let mut d = Diagnostic::warning(
                    "invalid-geometry",
                    tr!(
                        lang,
                        "objet n° {} : géométrie invalide, non dessinée : {}",
                        "feature no. {}: invalid geometry, not drawn: {}",
                        f.number,
                        f.problem.describe(lang)
                    ),
                )
                .file(path)
                .at(f.line, 1)
                .hint(hint.clone());
                // A GeoJSON line may be the whole file: show where, not what.
                d.hide_source = true;
                diags.push(d);
            }
            let more = layer.invalid_count - layer.invalid.len();
            if more > 0 {
                diags.push(
                    Diagnostic::warning(
                        "invalid-geometry",
                        tr!(
                            lang,
                            "… et {more} autre(s) objet(s) à la géométrie invalide, non dessinés ({} en tout)",
                            "… and {more} more feature(s) with an invalid geometry, not drawn ({} in all)",
                            layer.invalid_count
                        ),
                    )
                    .file(path)
                    .hint(tr!(
                        lang,
                        "seuls les {} premiers sont détaillés : corrigez-les, puis relancez la vérification",
                        "only the first {} are listed: fix them, then check again",
                        layer.invalid.len()
                    )),
                );
            }
        }
        _ => {}
    }
}

/// The schema a table is declared to follow: a built-in schema's name (or
/// its official URL), or a `schema.json` path relative to the sidecar.
fn load_schema(site: &Site, ds: &Dataset, r: &Resource, diags: &mut Diagnostics) -> Option<(String, Schema, String)> {
    let lang = site.lang();
    let declared = r.schema.as_ref().or(ds.schema.as_ref())?;
    let name = declared.value.as_str();
    let builtin = crate::tableschema::builtin(name)
        .or_else(|| crate::tableschema::BUILTINS.iter().find(|b| b.canonical_url == name).map(|b| b.schema_json));
    let text = match builtin {
        Some(text) => text.to_string(),
        None if name.ends_with(".json") && !name.contains("://") => {
            let sidecar_dir = Path::new(&ds.sidecar).parent().unwrap_or(Path::new(""));
            let dir = crate::util::slash_path(sidecar_dir);
            match crate::load::paths::resolve(&site.root, &site.disk, &dir, name) {
                Ok(rel) => std::fs::read_to_string(site.disk_path(&format!("{dir}/{rel}"))).ok()?,
                Err(_) => {
                    diags.push(
                        Diagnostic::error("schema-not-found", tr!(lang, "le schéma « {name} » est introuvable", "the schema “{name}” does not exist"))
                            .file(&ds.sidecar)
                            .span(declared.span)
                            .hint(tr!(lang, "placez le fichier schema.json dans le dossier du jeu de données, ou nommez un schéma connu", "put the schema.json file in the dataset's folder, or name a known schema")),
                    );
                    return None;
                }
            }
        }
        None => {
            let known: Vec<&str> = crate::tableschema::BUILTINS.iter().map(|b| b.name).collect();
            let pinned = name.split_once('@').and_then(|(base, v)| Some((crate::tableschema::builtin_info(base)?, v)));
            let hint = match crate::util::nearest(name, known.iter().copied()) {
                _ if let Some((b, v)) = pinned => tr!(
                    lang,
                    "kiosque intègre la version {} de « {} », pas la version {v} : écrivez « {} » ou « {}@{} », ou placez le schema.json de la version {v} dans le dossier du jeu de données et donnez son chemin",
                    "kiosque has version {} of “{}” built in, not version {v}: write “{}” or “{}@{}”, or put the schema.json of version {v} in the dataset's folder and give its path",
                    b.version,
                    b.name,
                    b.name,
                    b.name,
                    b.version
                ),
                Some(n) => tr!(lang, "vouliez-vous dire « {n} » ?", "did you mean “{n}”?"),
                None => tr!(
                    lang,
                    "schémas intégrés : {} ; ou le chemin d'un schema.json",
                    "built-in schemas: {}; or the path of a schema.json",
                    known.join(", ")
                ),
            };
            diags.push(
                Diagnostic::error("unknown-schema", tr!(lang, "schéma « {name} » inconnu", "unknown schema “{name}”"))
                    .file(&ds.sidecar)
                    .span(declared.span)
                    .hint(hint),
            );
            return None;
        }
    };
    match Schema::parse(&text) {
        Ok(schema) => Some((name.to_string(), schema, text)),
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    "schema-invalid",
                    tr!(
                        lang,
                        "le schéma « {name} » n'est pas un Table Schema valide : {e}",
                        "the schema “{name}” is not a valid Table Schema: {e}"
                    ),
                )
                .file(&ds.sidecar)
                .span(declared.span)
                .hint(tr!(
                    lang,
                    "vérifiez le fichier avec https://schema.data.gouv.fr ou utilisez un schéma intégré",
                    "check the file, or use a built-in schema"
                )),
            );
            None
        }
    }
}

/// A kind of structural problem, in words.
fn issue_kind_name(kind: tabular::IssueKind, lang: Lang) -> &'static str {
    use tabular::IssueKind::*;
    match kind {
        RaggedRow => lang.pick("lignes au mauvais nombre de cellules", "rows with the wrong number of cells"),
        BlankRow => lang.pick("lignes vides", "blank rows"),
        InvalidBytes => lang.pick("octets invalides", "invalid bytes"),
        EmptyHeader => lang.pick("colonnes sans nom", "unnamed columns"),
        DuplicateHeader => lang.pick("noms de colonnes en double", "duplicate column names"),
        UnterminatedQuote => lang.pick("guillemets non refermés", "unclosed quotes"),
        RecordTooLong => lang.pick("lignes trop longues", "lines too long"),
        LongHeader => lang.pick("noms de colonnes trop longs", "column names too long"),
        _ => lang.pick("problèmes de structure", "structural problems"),
    }
}

/// Diagnostics of a table: structure, personal data, schema.
fn table_diagnostics(path: &str, t: &TableInfo, ds: &Dataset, lang: Lang, diags: &mut Diagnostics) {
    use tabular::Issue;
    if let Some(budget) = t.derived.as_ref().and_then(|d| d.exports_refused) {
        diags.push(
            Diagnostic::warning(
                "export-too-large",
                tr!(
                    lang,
                    "pas d'export JSON ni « CSV pour Excel » pour ce tableau : l'export JSON dépasserait {} Mio, bien plus que le fichier lui-même",
                    "no JSON or “CSV for Excel” export for this table: the JSON export would be over {} MiB, far more than the file itself",
                    budget.div_ceil(1 << 20)
                ),
            )
            .file(path)
            .hint(tr!(
                lang,
                "l'export JSON répète les noms de colonnes à chaque ligne : raccourcissez les noms très longs ; le fichier lui-même est publié",
                "the JSON export repeats the column names in every row: shorten very long names; the file itself is published"
            )),
        );
    }
    let counts = &t.profile.issue_counts;
    let mut shown: BTreeMap<tabular::IssueKind, u64> = BTreeMap::new();
    for issue in &t.profile.issues {
        *shown.entry(issue.kind()).or_default() += 1;
        let (severity_error, code, message, hint) = match issue {
            Issue::EmptyFile => (
                true,
                "csv-empty",
                tr!(lang, "le fichier est vide", "the file is empty"),
                tr!(
                    lang,
                    "exportez à nouveau les données, ou retirez ce fichier",
                    "export the data again, or remove this file"
                ),
            ),
            Issue::NotText => (
                true,
                "csv-not-text",
                tr!(
                    lang,
                    "ce fichier n'est pas du texte : ce n'est pas un vrai CSV",
                    "this file is not text: it is not a real CSV"
                ),
                tr!(
                    lang,
                    "un classeur Excel renommé en .csv ? Enregistrez-le « CSV (séparateur : point-virgule) » depuis le tableur",
                    "an Excel workbook renamed .csv? Save it as “CSV” from the spreadsheet"
                ),
            ),
            Issue::UnknownEncoding { label } => (
                true,
                "csv-unknown-encoding",
                tr!(lang, "encodage « {label} » inconnu", "unknown encoding “{label}”"),
                tr!(
                    lang,
                    "indiquez « encoding: utf-8 » ou « encoding: windows-1252 »",
                    "write “encoding: utf-8” or “encoding: windows-1252”"
                ),
            ),
            Issue::EncodingSwitched { line, encoding } => (
                false,
                "csv-encoding-guess",
                tr!(
                    lang,
                    "le début du fichier semblait en UTF-8, mais la ligne {line} est en {encoding}",
                    "the start of the file looked like UTF-8, but line {line} is {encoding}"
                ),
                tr!(
                    lang,
                    "indiquez l'encodage dans la fiche (« encoding: windows-1252 ») ou enregistrez le fichier en UTF-8",
                    "state the encoding in the sidecar (“encoding: windows-1252”) or save the file as UTF-8"
                ),
            ),
            Issue::InvalidBytes { byte, .. } => (
                false,
                "csv-invalid-bytes",
                tr!(
                    lang,
                    "octet 0x{byte:02X} invalide pour l'encodage {}",
                    "byte 0x{byte:02X} is invalid for the {} encoding",
                    t.profile.dialect.encoding
                ),
                tr!(
                    lang,
                    "le fichier mélange deux encodages : enregistrez-le à nouveau en UTF-8",
                    "the file mixes two encodings: save it again as UTF-8"
                ),
            ),
            Issue::MixedLineEndings { .. } => (
                false,
                "csv-mixed-line-endings",
                tr!(
                    lang,
                    "fins de ligne mélangées (Windows et Unix) à partir d'ici",
                    "mixed line endings (Windows and Unix) from here"
                ),
                tr!(
                    lang,
                    "enregistrez le fichier à nouveau depuis un seul logiciel",
                    "save the file again from a single program"
                ),
            ),
            Issue::BlankRow { .. } => (
                false,
                "csv-blank-row",
                tr!(lang, "ligne vide", "blank row"),
                tr!(lang, "supprimez les lignes vides du tableau", "remove blank rows from the table"),
            ),
            Issue::EmptyHeader { column } => (
                false,
                "csv-empty-header",
                tr!(lang, "la colonne {column} n'a pas de nom", "column {column} has no name"),
                tr!(
                    lang,
                    "donnez un nom à chaque colonne sur la première ligne",
                    "name every column on the first line"
                ),
            ),
            Issue::DuplicateHeader { column, name, first } => (
                false,
                "csv-duplicate-header",
                tr!(
                    lang,
                    "la colonne {column} s'appelle « {name} », comme la colonne {first}",
                    "column {column} is named “{name}”, like column {first}"
                ),
                tr!(lang, "donnez des noms différents aux colonnes", "give the columns different names"),
            ),
            Issue::RaggedRow { expected, found, .. } => (
                false,
                "csv-ragged-row",
                tr!(lang, "{found} cellules au lieu de {expected}", "{found} cells instead of {expected}"),
                tr!(
                    lang,
                    "un séparateur en trop ou manquant dans cette ligne ? Mettez entre guillemets les cellules qui contiennent le séparateur",
                    "a separator too many or missing on this line? Quote cells that contain the separator"
                ),
            ),
            Issue::RecordTooLong { .. } => (
                true,
                "csv-line-too-long",
                tr!(
                    lang,
                    "ligne trop longue : plus de {} octets ({}), kiosque ne lit pas une ligne aussi longue",
                    "line too long: more than {} bytes ({}); kiosque does not read a line that long",
                    lang.format_plain_number(&crate::limits::MAX_RECORD_BYTES.to_string()),
                    lang.pick("16 Mio", "16 MiB")
                ),
                tr!(
                    lang,
                    "une cellule contient sans doute tout un texte ou un fichier collé, ou le fichier n'a pas de fin de ligne (ou un guillemet jamais refermé) : raccourcissez cette cellule ou exportez à nouveau le tableau depuis le tableur",
                    "a cell probably holds a whole pasted text or file, or the file has no line breaks (or a quote never closed): shorten that cell or export the table again from the spreadsheet"
                ),
            ),
            Issue::TooManyColumns { found, kept } => (
                false,
                "csv-too-many-columns",
                tr!(
                    lang,
                    "{} colonnes : seules les {} premières sont décrites et montrées dans l'aperçu (le fichier et ses exports gardent toutes les colonnes)",
                    "{} columns: only the first {} are described and shown in the preview (the file and its exports keep every column)",
                    lang.format_plain_number(&found.to_string()),
                    lang.format_plain_number(&kept.to_string())
                ),
                tr!(
                    lang,
                    "un tableau aussi large est souvent à l'envers (une colonne par date ou par commune) : mettez ces valeurs en lignes, ou découpez le tableau en plusieurs fichiers",
                    "a table that wide is often the wrong way round (one column per date or per town): put those values in rows, or split the table into several files"
                ),
            ),
            Issue::LongHeader { column } => (
                false,
                "csv-long-column-name",
                tr!(
                    lang,
                    "le nom de la colonne {column} fait plus de {} caractères : il est coupé dans la description et l'aperçu",
                    "the name of column {column} is longer than {} characters: it is cut in the description and the preview",
                    crate::limits::MAX_COLUMN_NAME_CHARS
                ),
                tr!(
                    lang,
                    "la première ligne doit donner les noms des colonnes : ce fichier a-t-il une ligne d'en-tête, et des fins de ligne ? Donnez des noms courts",
                    "the first line must give the column names: does this file have a header line, and line breaks? Give short names"
                ),
            ),
            Issue::UnterminatedQuote { .. } => (
                false,
                "csv-unterminated-quote",
                tr!(lang, "guillemet ouvert jamais refermé", "quote opened and never closed"),
                tr!(
                    lang,
                    "refermez le guillemet, ou doublez les guillemets à l'intérieur d'une cellule (\"\")",
                    "close the quote, or double quotes inside a cell (\"\")"
                ),
            ),
        };
        let mut d = if severity_error { Diagnostic::error(code, message) } else { Diagnostic::warning(code, message) };
        d = d.file(path).hint(hint);
        let header_line = t.profile.dialect.header_row + 1;
        match issue {
            Issue::EmptyHeader { column } | Issue::DuplicateHeader { column, .. } | Issue::LongHeader { column } => {
                d = d.at(header_line, *column)
            }
            Issue::TooManyColumns { kept, .. } => d = d.at(header_line, kept + 1),
            _ => {
                if let Some(line) = issue.line() {
                    d = d.at(line as usize, 1);
                }
            }
        }
        // Data lines may hold personal data: show where, never what.
        d.hide_source = true;
        diags.push(d);
    }
    for (kind, total) in counts {
        let listed = shown.get(kind).copied().unwrap_or(0);
        if *total > listed {
            let mut d = Diagnostic::warning(
                "csv-more-issues",
                tr!(
                    lang,
                    "… et {} autre(s) problème(s) de ce genre dans ce fichier : {}",
                    "… and {} more problem(s) of this kind in this file: {}",
                    total - listed,
                    issue_kind_name(*kind, lang)
                ),
            )
            .file(path)
            .hint(tr!(
                lang,
                "seuls les {listed} premiers sont détaillés : corrigez-les, puis relancez la vérification",
                "only the first {listed} are listed: fix them, then check again"
            ));
            d.hide_source = true;
            diags.push(d);
        }
    }
    for f in &t.personal {
        // Person columns are reviewed when each of them is.
        let reviewed = f.column.split(", ").all(|c| ds.personal_data_reviewed(c));
        let what = match (f.kind, lang) {
            (personal::Kind::Email, Lang::Fr) => "des adresses électroniques",
            (personal::Kind::Email, Lang::En) => "e-mail addresses",
            (personal::Kind::Phone, Lang::Fr) => "des numéros de téléphone",
            (personal::Kind::Phone, Lang::En) => "phone numbers",
            (personal::Kind::Nir, Lang::Fr) => "des numéros de sécurité sociale",
            (personal::Kind::Nir, Lang::En) => "social security numbers",
            (personal::Kind::Iban, Lang::Fr) => "des IBAN",
            (personal::Kind::Iban, Lang::En) => "IBANs",
            (personal::Kind::PersonColumns, Lang::Fr) => "des colonnes qui nomment des personnes",
            (personal::Kind::PersonColumns, Lang::En) => "columns naming people",
        };
        let message = if f.kind == personal::Kind::PersonColumns {
            tr!(lang, "données personnelles probables : {what} ({})", "likely personal data: {what} ({})", f.column)
        } else {
            tr!(
                lang,
                "données personnelles probables : {what} dans la colonne « {} » ({} cellule(s), par exemple {})",
                "likely personal data: {what} in column “{}” ({} cell(s), e.g. {})",
                f.column,
                f.count,
                f.example
            )
        };
        let hint = if reviewed {
            tr!(
                lang,
                "la fiche indique que ces données ont été vérifiées (« personal_data ») : publication maintenue",
                "the sidecar says this data was reviewed (“personal_data”): published anyway"
            )
        } else {
            tr!(
                lang,
                "retirez ou anonymisez ces données ; si leur publication est licite (ex. standard téléphonique d'une mairie), indiquez-le dans la fiche pour cette colonne (« personal_data: {{reviewed: [{}]}} ») ou pour tout le jeu de données (« personal_data: reviewed »)",
                "remove or anonymise this data; if publishing it is lawful (e.g. a town hall's switchboard number), say so in the sidecar for this column (“personal_data: {{reviewed: [{}]}}”) or for the whole dataset (“personal_data: reviewed”)",
                f.column
            )
        };
        let mut d = if reviewed {
            Diagnostic::warning("personal-data", message)
        } else {
            Diagnostic::error("personal-data", message)
        };
        d = d.file(path).at(f.line as usize, f.column_index + 1).hint(hint);
        d.hide_source = true;
        diags.push(d);
    }
    if let Some((name, report)) = &t.schema {
        for g in report.summary.groups() {
            let field = g.field_name.as_deref().unwrap_or("-");
            let lines: Vec<String> = g.examples.iter().filter_map(|e| e.line).map(|l| l.to_string()).collect();
            let value =
                g.examples.iter().find_map(|e| e.value.as_deref()).map(|v| v.chars().take(40).collect::<String>());
            let mut message = tr!(
                lang,
                "schéma « {name} » : {} ({}) dans la colonne « {field} », {} fois",
                "schema “{name}”: {} ({}) in column “{field}”, {} time(s)",
                g.kind.as_str(),
                g.note,
                g.count
            );
            if let Some(v) = value.filter(|_| t.personal.is_empty()) {
                message.push_str(&tr!(lang, " — valeur « {v} »", " — value “{v}”"));
            }
            let mut d = Diagnostic::error("schema-violation", message).file(path).hint(tr!(
                lang,
                "corrigez ces cellules (lignes {}) ou vérifiez que le schéma déclaré est le bon",
                "fix these cells (lines {}) or check that the declared schema is the right one",
                lines.join(", ")
            ));
            if let Some(first) = g.examples.iter().find_map(|e| e.line) {
                d = d.at(first as usize, g.field_number.unwrap_or(1));
            }
            d.hide_source = true;
            diags.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_like_sha256sum() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, "abc").unwrap();
        let (bytes, sha) = hash_file(&p).unwrap();
        assert_eq!(bytes, 3);
        assert_eq!(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
