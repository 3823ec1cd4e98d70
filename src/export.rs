//! Stage `export`: machine-readable files, in memory — each local resource
//! (copied byte for byte at write time), `datasets/<slug>/dataset.json` and
//! `catalog.json`. The dataset object built here is also what templates
//! receive, so the page and the JSON never disagree.

use rayon::prelude::*;
use serde_json::{Value, json};

use crate::dcat;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Dataset, ResourceSource, Site};
use crate::output::Output;
use crate::profile::Profiles;
use crate::quality::Quality;
use crate::tr;
use crate::util::url_path;
use crate::vocab;

/// The contract's tabular fields of a resource: `rows`, `columns`
/// (`name`, `type`, `nulls`, `distinct`, `min`, `max`, and `top` values of
/// low-cardinality columns), and the detected dialect.
/// A table's dialect as `dataset.json` reports it.
pub fn dialect_json(d: &crate::tabular::Dialect) -> Value {
    json!({
        "encoding": d.encoding,
        "bom": d.bom,
        "delimiter": (d.delimiter as char).to_string(),
        "quote": (d.quote as char).to_string(),
        "decimal": (d.decimal as char).to_string(),
        "header_row": d.header_row + 1,
        "line_ending": format!("{:?}", d.line_ending).to_lowercase(),
    })
}

fn table_fields(o: &mut Value, t: &crate::profile::TableInfo) {
    let p = &t.profile;
    let columns: Vec<Value> = p
        .columns
        .iter()
        .map(|c| {
            json!({
                "name": c.name,
                "type": column_type(c.kind),
                "nulls": c.nulls,
                "distinct": c.distinct,
                "distinct_exact": c.distinct_exact,
                "min": c.min,
                "max": c.max,
                "top": c.top.iter().map(|(v, n)| json!({"value": v, "count": n})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let map = o.as_object_mut().expect("resource objects are JSON objects");
    map.insert("rows".into(), json!(p.rows));
    map.insert("columns".into(), json!(columns));
    map.insert("dialect".into(), dialect_json(&p.dialect));
    if let Some((name, report)) = &t.schema {
        map.insert("schema_check".into(), json!({"schema": name, "valid": report.valid, "errors": report.error_count}));
    }
}

/// The bounding box `[west, south, east, north]` (WGS 84) of a table's
/// latitude and longitude columns, from their profiled minimum and maximum.
pub fn table_bbox(t: &crate::profile::TableInfo) -> Option<[f64; 4]> {
    use crate::tabular::ColumnType;
    let numeric = |c: &&crate::tabular::ColumnProfile| matches!(c.kind, ColumnType::Number | ColumnType::Integer);
    let cols = &t.profile.columns;
    let lat = cols.iter().filter(numeric).find(|c| crate::geo::is_latitude(&c.name))?;
    let lon = cols.iter().filter(numeric).find(|c| crate::geo::is_longitude(&c.name))?;
    let num = |v: &Option<String>| v.as_deref()?.parse::<f64>().ok();
    let (south, north) = (num(&lat.min)?, num(&lat.max)?);
    let (west, east) = (num(&lon.min)?, num(&lon.max)?);
    let valid = (-90.0..=90.0).contains(&south)
        && (-90.0..=90.0).contains(&north)
        && (-180.0..=180.0).contains(&west)
        && (-180.0..=180.0).contains(&east);
    valid.then_some([west, south, east, north])
}

/// The union of the bounding boxes of a dataset's tables (their coordinate
/// columns) and GeoJSON layers (every shape drawn).
fn dataset_bbox(ds: &Dataset, profiles: &Profiles) -> Option<[f64; 4]> {
    ds.resources
        .iter()
        .filter_map(|r| {
            let profile = profiles.get(r.local_path()?)?;
            match (&profile.table, &profile.geo) {
                (Some(table), _) => table_bbox(table),
                (None, Some(Ok(layer))) => layer.bbox(),
                _ => None,
            }
        })
        .reduce(|a, b| [a[0].min(b[0]), a[1].min(b[1]), a[2].max(b[2]), a[3].max(b[3])])
}

/// The null tokens the profiler recognises, as Table Schema `missingValues`.
const MISSING_VALUES: [&str; 6] = ["", "NA", "N/A", "#N/A", "null", "-"];

/// A Table Schema inferred from a table's profile, kept to what a validator
/// reads back without surprise: integers, numbers (with the file's decimal
/// mark) and text. Dates, booleans and date-times are published as text:
/// their spelling varies inside a column (`02/03/2026`, `2026-03-02`).
pub fn inferred_schema(t: &crate::profile::TableInfo) -> Value {
    use crate::tabular::ColumnType;
    let decimal = t.profile.dialect.decimal as char;
    let fields: Vec<Value> = t
        .profile
        .columns
        .iter()
        .map(|c| match c.kind {
            ColumnType::Integer => json!({"name": c.name, "type": "integer"}),
            ColumnType::Number if decimal == ',' => {
                json!({"name": c.name, "type": "number", "decimalChar": ",", "groupChar": " "})
            }
            ColumnType::Number => json!({"name": c.name, "type": "number"}),
            _ => json!({"name": c.name, "type": "string"}),
        })
        .collect();
    json!({"fields": fields, "missingValues": MISSING_VALUES})
}

/// Column types as Table Schema names them.
pub fn column_type(kind: crate::tabular::ColumnType) -> &'static str {
    use crate::tabular::ColumnType::*;
    match kind {
        Integer => "integer",
        Number => "number",
        Boolean => "boolean",
        Date => "date",
        DateTime => "datetime",
        String => "string",
        Empty => "any",
    }
}

/// `base_url` with exactly one trailing slash, if set.
pub fn base_url(site: &Site) -> Option<String> {
    site.config.base_url.as_ref().map(|u| format!("{}/", u.value.trim_end_matches('/')))
}

/// An URL for a path relative to the output root: absolute when the site
/// has a `base_url`, else the relative path.
pub fn public_url(site: &Site, path: &str) -> String {
    match base_url(site) {
        Some(base) => format!("{base}{}", url_path(path)),
        None => url_path(path),
    }
}

/// The output path of a dataset's local resource.
pub fn resource_output_path(ds: &Dataset, name: &str) -> String {
    format!("datasets/{}/{}", ds.slug, name)
}

/// A table a dataset page previews: a CSV or TSV resource, or a sheet of a
/// workbook (by the name of its CSV copy).
pub struct TableRef<'a> {
    /// Output file name, relative to the dataset folder.
    pub name: String,
    pub title: String,
    pub table: &'a crate::profile::TableInfo,
    /// The names of its exports for re-users, JSON records and a CSV for
    /// French Excel (`budget.csv` → `budget.json`, `budget.excel.csv`), when
    /// it has them.
    pub exports: Option<(String, String)>,
    /// The name of its CSV in UTF-8 with commas: itself, or its normalised
    /// copy.
    pub csv: String,
}

/// Every table of a dataset, in the order of its resources.
pub fn tables<'a>(site: &Site, ds: &'a Dataset, profiles: &'a Profiles) -> Vec<TableRef<'a>> {
    let copies = derived_copies(site, ds, profiles);
    let mut names = Names::new(ds);
    for copy in &copies {
        names.taken.insert(copy.name.clone());
    }
    let mut out = Vec::new();
    for r in &ds.resources {
        let ResourceSource::Local { path, name } = &r.source else { continue };
        let mine = || copies.iter().filter(|c| std::ptr::eq(c.resource, r));
        if let Some(table) = profiles.get(path).and_then(|p| p.table.as_ref()) {
            let normalised = mine().find(|c| matches!(c.content, DerivedContent::Normalised(_)));
            let csv = normalised.map_or_else(|| name.clone(), |c| c.name.clone());
            out.push(TableRef { name: name.clone(), title: r.title().to_string(), table, exports: None, csv });
        }
        for copy in mine().filter(|c| matches!(c.content, DerivedContent::Sheet(_))) {
            let (name, title) = (copy.name.clone(), copy.title.clone());
            out.push(TableRef { csv: name.clone(), name, title, table: copy.table, exports: None });
        }
    }
    for t in &mut out {
        if t.table.derived.as_ref().is_some_and(|d| d.exports.is_some()) {
            let stem = stem(&t.name);
            t.exports = Some((names.claim(stem, ".json"), names.claim(stem, ".excel.csv")));
        }
    }
    out
}

/// A file name without its last extension.
fn stem(name: &str) -> &str {
    name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name)
}

/// The names kiosque gives the files it makes beside a dataset's own
/// (normalised copies, sheets, exports): never the name of one of the
/// dataset's files, a reserved name, or the name of another file it makes.
/// A name already taken gets a number: `budget.json` beside a publisher's
/// own `budget.json` is `budget-2.json`.
struct Names {
    taken: std::collections::BTreeSet<String>,
}

impl Names {
    fn new(ds: &Dataset) -> Names {
        let mut taken: std::collections::BTreeSet<String> =
            crate::validate::RESERVED_FILE_NAMES.iter().map(|n| n.to_string()).collect();
        for r in &ds.resources {
            if let ResourceSource::Local { name, .. } = &r.source {
                taken.insert(name.clone());
            }
        }
        Names { taken }
    }

    /// `{stem}{suffix}`, or `{stem}-{n}{suffix}` with the first number that
    /// makes a name not taken; taken from now on.
    fn claim(&mut self, stem: &str, suffix: &str) -> String {
        let mut name = format!("{stem}{suffix}");
        let mut n = 2;
        while !self.taken.insert(name.clone()) {
            name = format!("{stem}-{n}{suffix}");
            n += 1;
        }
        name
    }
}

/// Whether an integer column holds codes or years rather than quantities,
/// so that pages show its values as written (`2025`, not `2 025`): its
/// name says so (`annee`, `code_insee`, `siret`, `id`…), its values are
/// all years, or they are long (10 digits and more).
pub fn is_identifier_like(c: &crate::tabular::ColumnProfile) -> bool {
    if c.kind != crate::tabular::ColumnType::Integer {
        return false;
    }
    let name = crate::util::slugify(&c.name);
    let words: Vec<&str> = name.split('-').collect();
    let hint = [
        "annee",
        "an",
        "year",
        "exercice",
        "millesime",
        "code",
        "id",
        "siret",
        "siren",
        "insee",
        "num",
        "numero",
        "cp",
        "postal",
        "telephone",
        "tel",
        "uai",
        "finess",
        "rna",
        "ref",
        "reference",
    ];
    if words.iter().any(|w| hint.contains(w)) || name.starts_with("id") || name.ends_with("id") {
        return true;
    }
    let range = |v: &Option<String>| v.as_deref().and_then(|s| s.parse::<i64>().ok());
    match (range(&c.min), range(&c.max)) {
        (Some(lo), Some(hi)) => {
            (1900..=2100).contains(&lo) && (1900..=2100).contains(&hi) || hi.abs().max(lo.abs()) >= 1_000_000_000
        }
        _ => false,
    }
}

/// The folder of a table's preview chunks and manifest.
pub fn preview_dir(ds: &Dataset, name: &str) -> String {
    format!("datasets/{}/preview/{}", ds.slug, name)
}

/// The explorer's manifest of a table (see `assets/explorer.js`).
fn preview_manifest(t: &crate::profile::TableInfo, preview: &crate::derive::Preview) -> Value {
    let p = &t.profile;
    // Filters by value for categories only: a few values, each repeated
    // (at most 30, and at most a third of the rows); at most 5 per table,
    // the columns with fewest values first.
    let mut categories: Vec<(usize, usize)> = p
        .columns
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            let n = c.values.len() as u64;
            (2..=30).contains(&n) && n * 3 <= p.rows && !matches!(c.kind, crate::tabular::ColumnType::Number)
        })
        .map(|(i, c)| (c.values.len(), i))
        .collect();
    categories.sort();
    categories.truncate(5);
    let columns: Vec<Value> = p
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut o = json!({"name": c.name, "type": column_type(c.kind)});
            if is_identifier_like(c) {
                o["plain"] = json!(true);
            }
            if categories.iter().any(|&(_, j)| j == i) {
                o["values"] = json!(c.values);
            }
            o
        })
        .collect();
    json!({
        "version": 1,
        "rows": p.rows,
        "chunk_rows": preview.chunk_rows,
        "chunks": preview.chunks,
        "decimal": (p.dialect.decimal as char).to_string(),
        "columns": columns,
    })
}

/// What a derived copy is made of.
pub enum DerivedContent<'a> {
    /// The table rewritten as UTF-8 comma-separated CSV, written into the
    /// spool while building (`None` for `check`, which writes nothing).
    Normalised(Option<&'a std::path::Path>),
    /// A spreadsheet's sheet converted to CSV, written into the spool while
    /// building (`None` for `check`).
    Sheet(Option<&'a std::path::Path>),
}

/// A CSV file kiosque derives from a resource and publishes beside it: the
/// normalised copy of a table that is not UTF-8 with commas, or a sheet of
/// a spreadsheet.
pub struct DerivedCopy<'a> {
    pub resource: &'a crate::model::Resource,
    /// The copy's profile.
    pub table: &'a crate::profile::TableInfo,
    /// Output name, relative to the dataset folder.
    pub name: String,
    pub title: String,
    pub description: &'static str,
    /// Size and SHA-256; `None` when not measured (see [`crate::profile::Purpose`]).
    pub bytes: Option<u64>,
    pub sha256: Option<String>,
    /// The schema the copy is declared to follow (a table's own `schema:`;
    /// none for a sheet).
    pub schema: Option<&'a crate::model::Located<String>>,
    /// The schema its Data Package resource carries, when it is declared
    /// rather than inferred.
    pub package_schema: Option<&'a str>,
    /// Whether its column profile is published (sheets: the workbook has
    /// none of its own).
    pub with_columns: bool,
    pub content: DerivedContent<'a>,
}

/// Every copy kiosque publishes beside a dataset's files: normalised tables
/// first (`budget.csv` → `budget.utf8.csv`), then spreadsheet sheets
/// (`budget.xlsx` → `budget.<sheet>.csv`), in the order of the resources,
/// each under a name no other file of the dataset has (see [`Names`]).
pub fn derived_copies<'a>(site: &Site, ds: &'a Dataset, profiles: &'a Profiles) -> Vec<DerivedCopy<'a>> {
    let lang = site.lang();
    let mut names = Names::new(ds);
    let mut out = Vec::new();
    for r in &ds.resources {
        let ResourceSource::Local { path, name } = &r.source else { continue };
        let Some(table) = profiles.get(path).and_then(|p| p.table.as_ref()) else { continue };
        let Some(crate::profile::Normalised { bytes, sha256, file }) = &table.normalised else { continue };
        let (bytes, sha256) = (*bytes, sha256.clone());
        out.push(DerivedCopy {
            resource: r,
            table,
            name: names.claim(stem(name), ".utf8.csv"),
            title: tr!(lang, "{} (CSV UTF-8, séparateur virgule)", "{} (CSV UTF-8, comma-separated)", r.title()),
            description: lang.pick(
                "Copie normalisée publiée par kiosque : mêmes données, en UTF-8 avec des virgules comme séparateur.",
                "Normalised copy published by kiosque: the same data, in UTF-8 with commas as separator.",
            ),
            bytes,
            sha256,
            schema: r.schema.as_ref(),
            package_schema: r.schema.as_ref().or(ds.schema.as_ref()).map(|s| s.value.as_str()),
            with_columns: false,
            content: DerivedContent::Normalised(file.as_deref()),
        });
    }
    for r in &ds.resources {
        let ResourceSource::Local { path, name } = &r.source else { continue };
        let Some(p) = profiles.get(path) else { continue };
        for sheet in &p.sheets {
            let slug = crate::util::slugify(&sheet.name);
            let slug = if slug.is_empty() { "feuille".to_string() } else { slug };
            out.push(DerivedCopy {
                resource: r,
                table: &sheet.table,
                name: names.claim(stem(name), &format!(".{slug}.csv")),
                title: tr!(lang, "{} – feuille « {} » (CSV)", "{} – sheet “{}” (CSV)", r.title(), sheet.name),
                description: lang.pick(
                    "Feuille du classeur publiée par kiosque en CSV (UTF-8, séparateur virgule).",
                    "Sheet of the workbook published by kiosque as CSV (UTF-8, comma-separated).",
                ),
                bytes: Some(sheet.bytes),
                sha256: sheet.table.profile.sha256.clone(),
                schema: None,
                package_schema: None,
                with_columns: true,
                content: DerivedContent::Sheet(sheet.csv.as_deref()),
            });
        }
    }
    out
}

/// The licence id, canonical when known.
pub fn license_id(site: &Site, ds: &Dataset) -> Option<String> {
    let l = site.license_of(ds)?;
    Some(vocab::license(&l.value).map(|k| k.id.to_string()).unwrap_or_else(|| l.value.clone()))
}

/// The dataset object of the contract (`dataset.json`, and each item of
/// `catalog.json`'s `datasets`).
pub fn dataset_object(site: &Site, ds: &Dataset, profiles: &Profiles, quality: &Quality) -> Value {
    let resources: Vec<Value> = ds
        .resources
        .iter()
        .map(|r| {
            let format = r.format();
            let (path, url, profile) = match &r.source {
                ResourceSource::Local { path, name } => {
                    let out = resource_output_path(ds, name);
                    (Some(out.clone()), public_url(site, &out), profiles.get(path))
                }
                ResourceSource::Remote { url } => (None, url.clone(), None),
            };
            let mut o = json!({
                "title": r.title(),
                "description": r.description,
                "path": path,
                "url": url,
                "format": r.format_label(),
                "media_type": format.map(|f| f.media_type),
                "bytes": profile.map(|p| p.bytes),
                "sha256": profile.and_then(|p| p.sha256.clone()),
                "schema": r.schema.as_ref().map(|s| s.value.clone()),
            });
            if let Some(t) = profile.and_then(|p| p.table.as_ref()) {
                table_fields(&mut o, t);
            }
            o
        })
        .collect();
    let mut resources = resources;
    for copy in derived_copies(site, ds, profiles) {
        let out = resource_output_path(ds, &copy.name);
        let source = copy.resource.local_path().map(|_| match &copy.resource.source {
            ResourceSource::Local { name, .. } => resource_output_path(ds, name),
            ResourceSource::Remote { url } => url.clone(),
        });
        let mut o = json!({
            "title": copy.title,
            "description": copy.description,
            "path": out,
            "url": public_url(site, &out),
            "format": "CSV",
            "media_type": "text/csv",
            "bytes": copy.bytes,
            "sha256": copy.sha256,
            "schema": copy.schema.map(|s| s.value.clone()),
            "derived_from": source,
        });
        if copy.with_columns {
            table_fields(&mut o, copy.table);
        }
        resources.push(o);
    }
    let contact = ds
        .contact
        .as_ref()
        .or(site.config.contact.as_ref())
        .map(|c| json!({ "name": c.name, "email": c.email.as_ref().map(|e| e.value.clone()) }));
    let text = |v: &Option<crate::model::Located<String>>| v.as_ref().map(|l| l.value.clone());
    json!({
        "slug": ds.slug,
        "title": ds.title(),
        "description": ds.description(),
        "keywords": ds.keywords,
        "themes": ds.themes.iter().map(|t| vocab::theme(&t.value).map(|k| k.code.to_string()).unwrap_or_else(|| t.value.clone())).collect::<Vec<_>>(),
        "license": license_id(site, ds),
        "publisher": ds.publisher.as_ref().or(site.config.publisher.as_ref()),
        "contact": contact,
        "frequency": text(&ds.frequency),
        "created": text(&ds.created),
        "modified": ds.modified(),
        "temporal": ds.temporal.as_ref().map(|t| json!({"start": text(&t.start), "end": text(&t.end)})),
        "spatial": ds.spatial.as_ref().map(|s| json!({"label": s.label, "insee": text(&s.insee)})),
        "schema": text(&ds.schema),
        "url": public_url(site, &format!("datasets/{}/", ds.slug)),
        "resources": resources,
        "quality": {
            "score": quality.score,
            "criteria": quality.criteria.iter().map(|c| json!({"id": c.id, "passed": c.passed})).collect::<Vec<_>>(),
            "late": quality.late,
        },
    })
}

/// The `site` object of `catalog.json`.
pub fn site_object(site: &Site) -> Value {
    let c = &site.config;
    json!({
        "title": c.title(),
        "description": c.description,
        "base_url": base_url(site),
        "language": c.language.code(),
        "publisher": c.publisher,
        "contact": c.contact.as_ref().map(|c| json!({"name": c.name, "email": c.email.as_ref().map(|e| e.value.clone())})),
        "license": c.license.as_ref().map(|l| vocab::license(&l.value).map(|k| k.id.to_string()).unwrap_or_else(|| l.value.clone())),
    })
}

fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("JSON values serialise");
    bytes.push(b'\n');
    bytes
}

fn dcat_license(site: &Site, id: &str) -> dcat::License {
    match vocab::license(id) {
        Some(k) => dcat::License {
            id: k.id.into(),
            url: Some(k.url.into()),
            title: Some(k.name(site.lang()).into()),
            national_title: Some(k.datagouv.1.into()),
        },
        None => dcat::License { id: id.into(), url: None, title: None, national_title: None },
    }
}

fn dcat_contact(c: &crate::model::Contact) -> dcat::Contact {
    dcat::Contact { name: c.name.clone(), email: c.email.as_ref().map(|e| e.value.clone()) }
}

/// The canonical URL of a declared schema: a built-in schema's official
/// URL, or the value itself when it is already a URL.
pub fn schema_url(declared: &str) -> Option<String> {
    if let Some(url) = crate::tableschema::canonical_url(declared) {
        return Some(url.to_string());
    }
    (declared.starts_with("https://") || declared.starts_with("http://")).then(|| declared.to_string())
}

/// The Table Schema of a declared built-in schema, as JSON.
fn builtin_schema_json(declared: &str) -> Option<Value> {
    serde_json::from_str(crate::tableschema::builtin(declared)?).ok()
}

/// kiosque's model as the input of the DCAT, schema.org, Data Package,
/// `catalog.csv` and feed exports. `None` without `base_url`: they need
/// absolute URLs.
pub fn catalog_input(site: &Site, profiles: &Profiles) -> Option<dcat::CatalogInput> {
    let base = base_url(site)?;
    let c = &site.config;
    // In parallel: a description's Markdown turned to text and the tables'
    // schemas, for thousands of datasets, were a serial step of every build.
    let datasets = site
        .datasets
        .par_iter()
        .map(|ds| {
            let landing = public_url(site, &format!("datasets/{}/", ds.slug));
            let declared_schema = ds.schema.as_ref().map(|s| s.value.as_str());
            let mut distributions: Vec<dcat::DistributionInput> = ds
                .resources
                .iter()
                .map(|r| {
                    let (download, access, path, profile) = match &r.source {
                        ResourceSource::Local { path, name } => (
                            public_url(site, &resource_output_path(ds, name)),
                            landing.clone(),
                            Some(name.clone()),
                            profiles.get(path),
                        ),
                        ResourceSource::Remote { url } => (url.clone(), url.clone(), None, None),
                    };
                    let schema = r.schema.as_ref().map(|s| s.value.as_str()).or(declared_schema);
                    let table = profile.and_then(|p| p.table.as_ref());
                    let tabular = r.format().is_some_and(|f| f.tabular);
                    dcat::DistributionInput {
                        title: r.title().to_string(),
                        description: r.description.clone(),
                        download_url: download,
                        access_url: access,
                        path,
                        format: Some(r.format_label()).filter(|f| !f.is_empty()),
                        media_type: r.format().map(|f| f.media_type.to_string()),
                        bytes: profile.map(|p| p.bytes),
                        sha256: profile.and_then(|p| p.sha256.clone()),
                        license: None,
                        // A dataset's schema applies to each of its tables.
                        conforms_to: schema.filter(|_| tabular).and_then(schema_url),
                        encoding: table
                            .map(|t| t.profile.dialect.encoding.to_lowercase())
                            .or_else(|| r.encoding.as_ref().map(|e| e.value.clone())),
                        dialect: table
                            .map(|t| (t.profile.dialect.delimiter as char).to_string())
                            .or_else(|| r.delimiter.as_ref().map(|d| d.value.clone()))
                            .filter(|d| d != ",")
                            .map(|d| dcat::Dialect { delimiter: Some(d), quote_char: None, header: None }),
                        table_schema: schema
                            .filter(|_| tabular)
                            .and_then(builtin_schema_json)
                            .or_else(|| table.map(inferred_schema)),
                    }
                })
                .collect();
            for copy in derived_copies(site, ds, profiles) {
                distributions.push(dcat::DistributionInput {
                    title: copy.title.clone(),
                    description: None,
                    download_url: public_url(site, &resource_output_path(ds, &copy.name)),
                    access_url: landing.clone(),
                    path: Some(copy.name.clone()),
                    format: Some("CSV".into()),
                    media_type: Some("text/csv".into()),
                    bytes: copy.bytes,
                    sha256: copy.sha256.clone(),
                    license: None,
                    conforms_to: copy.schema.and_then(|s| schema_url(&s.value)),
                    encoding: Some("utf-8".into()),
                    dialect: None,
                    table_schema: copy
                        .package_schema
                        .and_then(builtin_schema_json)
                        .or_else(|| Some(inferred_schema(copy.table))),
                });
            }
            dcat::DatasetInput {
                slug: ds.slug.clone(),
                title: ds.title().to_string(),
                description: crate::markdown::to_text(ds.description()),
                description_markdown: ds.description().trim().to_string(),
                keywords: ds.keywords.clone(),
                themes: ds.themes.iter().filter_map(|t| vocab::theme(&t.value)).map(|t| t.code.to_string()).collect(),
                publisher: ds.publisher.clone(),
                publisher_siret: None,
                contact: ds.contact.as_ref().map(dcat_contact),
                license: ds.license.as_ref().map(|l| dcat_license(site, &l.value)),
                frequency: ds.frequency.as_ref().and_then(|f| vocab::frequency(&f.value)).map(|f| f.eu.to_string()),
                created: ds.created.as_ref().map(|d| d.value.clone()),
                modified: ds.modified().map(str::to_string),
                temporal: ds
                    .temporal
                    .as_ref()
                    .map(|t| (t.start.as_ref().map(|d| d.value.clone()), t.end.as_ref().map(|d| d.value.clone()))),
                spatial: {
                    let bbox = dataset_bbox(ds, profiles);
                    match &ds.spatial {
                        Some(s) => Some(dcat::Spatial {
                            label: s.label.clone(),
                            insee: s.insee.as_ref().map(|i| i.value.clone()),
                            bbox,
                        }),
                        None => bbox.map(|b| dcat::Spatial { label: None, insee: None, bbox: Some(b) }),
                    }
                },
                conforms_to: declared_schema.and_then(schema_url),
                landing_page: landing,
                distributions,
            }
        })
        .collect();
    Some(dcat::CatalogInput {
        base_url: base,
        catalog_page: Some(public_url(site, "datasets/")),
        title: c.title().to_string(),
        description: crate::markdown::to_text(c.description.as_deref().unwrap_or("")),
        language: c.language.code().to_string(),
        publisher: c.publisher.clone(),
        publisher_siret: c.siret.as_ref().map(|s| s.value.clone()),
        contact: c.contact.as_ref().map(dcat_contact),
        license: c.license.as_ref().map(|l| dcat_license(site, &l.value)),
        modified: site.datasets.iter().filter_map(|d| d.modified()).max().map(str::to_string),
        spatial: None,
        datasets,
    })
}

/// Every page of the site for `sitemap.xml`.
fn sitemap_urls(site: &Site, taxonomy: &crate::taxonomy::Taxonomy) -> Vec<dcat::SitemapUrl> {
    let url = |path: String| dcat::SitemapUrl { loc: public_url(site, &path), lastmod: None };
    let mut urls = vec![url(String::new()), url("datasets/".into())];
    let pages = |folder: String, total: usize| {
        (2..=crate::taxonomy::page_count(total)).map(move |n| format!("{folder}/{}", crate::taxonomy::page_file(n)))
    };
    urls.extend(pages("datasets".into(), site.datasets.len()).map(url));
    for (kind, groups) in [("themes", &taxonomy.themes), ("keywords", &taxonomy.keywords)] {
        if !groups.is_empty() {
            urls.push(url(format!("{kind}/")));
        }
        for g in groups {
            urls.push(url(format!("{kind}/{}/", g.slug)));
            urls.extend(pages(format!("{kind}/{}", g.slug), g.datasets.len()).map(url));
        }
    }
    for ds in &site.datasets {
        urls.push(dcat::SitemapUrl {
            loc: public_url(site, &format!("datasets/{}/", ds.slug)),
            lastmod: ds.modified().map(str::to_string),
        });
    }
    for page in &site.pages {
        urls.push(dcat::SitemapUrl { loc: public_url(site, &format!("{}/", page.slug)), lastmod: None });
    }
    urls
}

/// A dataset's files: its resources, the copies kiosque derives from them
/// (normalised tables, sheets, previews, JSON and Excel exports) and its
/// `dataset.json` (`fresh`: its object). The copies and the files it
/// generates are left out when they are reused from the previous build
/// (`fresh` is `None`).
fn export_dataset(
    site: &Site,
    ds: &Dataset,
    fresh: Option<&Value>,
    profiles: &Profiles,
    out: &Output,
    previous: Option<&std::path::Path>,
) {
    let reused = fresh.is_none();
    // A derived file of a reused dataset is linked from the previous output
    // when it is there as the cache has it (that folder is removed once the
    // new one is in place, so nothing outlives the build but the new
    // output); else copied from the cache.
    let place = |dest: String, source: &std::path::Path| {
        if reused && out.contains(&dest) {
            return; // Taken with the dataset's files (`Reuse::link_into`).
        }
        let old = previous.map(|p| p.join(&dest));
        let same = |old: &std::path::Path| {
            let (Ok(a), Ok(b)) = (std::fs::symlink_metadata(old), std::fs::metadata(source)) else { return false };
            a.is_file() && a.len() == b.len()
        };
        match old {
            Some(old) if same(&old) => out.reuse(dest, &old),
            _ => out.spooled(dest, source.to_path_buf()),
        }
    };
    for r in &ds.resources {
        if let ResourceSource::Local { path, name } = &r.source
            && !reused
        {
            out.copy(resource_output_path(ds, name), site.disk_path(path));
        }
    }
    for copy in derived_copies(site, ds, profiles) {
        let dest = resource_output_path(ds, &copy.name);
        match copy.content {
            DerivedContent::Sheet(Some(file)) => place(dest, file),
            DerivedContent::Sheet(None) => {}
            DerivedContent::Normalised(Some(file)) => place(dest, file),
            DerivedContent::Normalised(None) => {}
        }
    }
    for t in tables(site, ds, profiles) {
        let Some(derived) = &t.table.derived else { continue };
        if let Some(preview) = &derived.preview {
            let dir = preview_dir(ds, &t.name);
            for i in 0..preview.chunks {
                let chunk = crate::derive::chunk_name(i);
                place(format!("{dir}/{chunk}"), &preview.dir.join(&chunk));
            }
            if !reused {
                out.add(format!("{dir}/manifest.json"), to_json(&preview_manifest(t.table, preview)));
            }
        }
        if let (Some(x), Some((json_name, excel_name))) = (&derived.exports, &t.exports) {
            for (name, (file, _)) in [(json_name, &x.json), (excel_name, &x.excel)] {
                place(resource_output_path(ds, name), file);
            }
        }
    }
    if let Some(object) = fresh {
        out.add(dataset_json_path(ds), to_json(object));
    }
}

/// Where a dataset's `dataset.json` is published.
fn dataset_json_path(ds: &Dataset) -> String {
    format!("datasets/{}/dataset.json", ds.slug)
}

/// Each dataset's files, `catalog.json` and the catalogue search's index;
/// returns each dataset's search facts, in the order of `site.datasets`.
/// Datasets are exported a batch at a time, in parallel; each dataset's
/// object goes to its `dataset.json`, into `catalog.json` (written a batch
/// at a time) and into the search index's facts. Memory holds one batch of
/// objects, whatever the number of datasets.
fn export_datasets(inputs: &crate::pipeline::Inputs, out: &Output) -> Vec<crate::search::Facts> {
    let crate::pipeline::Inputs { site, profiles, reuse, .. } = *inputs;
    const BATCH: usize = 256;
    let mut facts: Vec<crate::search::Facts> = Vec::with_capacity(site.datasets.len());
    let (mut list, head) = crate::util::PrettyList::start("site", &site_object(site), "datasets");
    let batches = (0..site.datasets.len()).step_by(BATCH).map(|start| {
        let end = (start + BATCH).min(site.datasets.len());
        let done: Vec<(crate::search::Facts, String)> = (start..end)
            .into_par_iter()
            .map(|i| {
                let ds = &site.datasets[i];
                // A reused dataset's item is its `dataset.json`, its facts
                // those kept with it.
                if let Some(json) = reuse.read(i, &dataset_json_path(ds))
                    && let Some(unit) = reuse.get(i)
                {
                    export_dataset(site, ds, None, profiles, out, reuse.previous_output());
                    return (unit.facts.clone(), crate::util::PrettyList::item_text_of_pretty(&json));
                }
                let object = inputs.object(i);
                let previous = reuse.get(i).and(reuse.previous_output());
                export_dataset(site, ds, reuse.get(i).is_none().then_some(&object), profiles, out, previous);
                (crate::search::Facts::of(&object), crate::util::PrettyList::item_text(&object))
            })
            .collect();
        let mut part = String::new();
        for (f, text) in done {
            list.push(&text, &mut part);
            facts.push(f);
        }
        part.into_bytes()
    });
    let tail = crate::util::PrettyList::closing(site.datasets.len());
    let parts = std::iter::once(head.into_bytes()).chain(batches).chain(std::iter::once(tail.as_bytes().to_vec()));
    out.add_parts("catalog.json", parts);
    facts
}

/// Adds resources, `dataset.json` files, `catalog.json`, the catalogue
/// search's index and, when the site has a `base_url`, the DCAT-AP
/// catalogue (Turtle, RDF/XML, JSON-LD), `catalog.csv`, Data Package
/// descriptors, the Atom feed, `sitemap.xml` and `robots.txt`. Returns the
/// findings and each dataset's search facts ([`crate::search::Facts`]).
pub fn export(inputs: &crate::pipeline::Inputs, out: &Output) -> (Diagnostics, Vec<crate::search::Facts>) {
    let crate::pipeline::Inputs { site, catalog, taxonomy, reuse, fragments, .. } = *inputs;
    let mut diags = Diagnostics::default();
    let facts = export_datasets(inputs, out);
    // After the datasets' export, not beside it: for 10,000 datasets, the
    // DCAT graph and the batches of dataset objects at once took a few
    // hundred megabytes more. Its files are written in parallel, and the
    // search index (small) is made meanwhile.
    let fresh = |i: usize| reuse.get(i).is_none();
    let (dcat, ()) = rayon::join(
        || {
            catalog.map(|input| {
                dcat::emit_files(input, &sitemap_urls(site, taxonomy), &fresh, fragments, &|path, write| {
                    out.add_written(path, write)
                })
            })
        },
        || {
            for (path, bytes) in crate::search::files(site, taxonomy, &facts) {
                out.add(path, bytes);
            }
        },
    );
    if let Some(Err(e)) = dcat {
        let lang = site.lang();
        diags.push(
            Diagnostic::error(
                "metadata-export",
                tr!(lang, "catalogue DCAT impossible à produire : {e}", "cannot produce the DCAT catalogue: {e}"),
            )
            .file(crate::load::site_config::FILE)
            .hint(tr!(
                lang,
                "vérifiez « base_url » et les adresses des ressources",
                "check “base_url” and the resources' addresses"
            )),
        );
    }
    (diags, facts)
}
