//! Entry points of the fuzz targets (`fuzz/`, run with `cargo fuzz`), and of
//! the test that replays their seeds and past crashes on stable
//! (`tests/fuzz_regressions.rs`). Each takes arbitrary bytes, drives the
//! real code path a site's files go through (nothing here re-implements
//! it), and asserts a few cheap invariants on the result. A panic is a bug.
//!
//! Not a public API: hidden from the documentation, may change at any time.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::diag::{Diagnostics, Sources};
use crate::lang::Lang;
use crate::load::sidecar::{self, SidecarInput};
use crate::model::{Dataset, DatasetForm, Located, Page, Site, SiteConfig};
use crate::yaml::Span;
use crate::{load, markdown, profile, tableschema, validate, yaml};

/// The sidecar a fuzzed sidecar is read as, in the fixture site.
const SIDECAR: &str = "datasets/fuzz/dataset.yaml";
/// The dataset folder of the fixture site.
const DIR: &str = "datasets/fuzz";
/// Where the fuzzed page stands in the fixture site.
const PAGE: &str = "pages/a-propos.md";
/// The day the `validate` stage takes as today, so runs are reproducible.
const TODAY: jiff::civil::Date = jiff::civil::date(2026, 6, 15);

/// The fixture site (`fuzz/site` in the repository): a `site.yaml` and a
/// dataset folder with a few files, so resource paths resolve, or fail to,
/// against real files.
fn site_root() -> &'static Path {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/site"))
}

/// The fixture site's `site.yaml`, shaped once.
fn site_config() -> &'static SiteConfig {
    static CONFIG: OnceLock<SiteConfig> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let text = std::fs::read_to_string(site_root().join(load::site_config::FILE)).expect("fuzz/site/site.yaml");
        let node = yaml::parse(&text).expect("fuzz/site/site.yaml is valid YAML");
        let mut diags = Diagnostics::default();
        let config = load::site_config::shape(&node, Lang::Fr, &mut diags);
        assert!(diags.is_empty(), "fuzz/site/site.yaml: {}", diags.to_json());
        config
    })
}

/// The files of the fixture dataset folder, as the loader lists them.
fn dataset_files() -> Vec<String> {
    vec!["budget.csv".into(), "schema.json".into(), "sub/communes.csv".into()]
}

/// The language messages are worded in: both are exercised, chosen by the
/// input so that a crash replays the same way.
fn lang_of(data: &[u8]) -> Lang {
    if data.len().is_multiple_of(2) { Lang::Fr } else { Lang::En }
}

/// The fixture site's names are all UTF-8: none is published under
/// another name than its own.
static NO_RENAMED_FILES: std::sync::LazyLock<crate::model::DiskPaths> = std::sync::LazyLock::new(Default::default);

/// The dataset of a sidecar of the fixture site's `datasets/fuzz/`.
fn shape(node: &yaml::Node, lang: Lang, diags: &mut Diagnostics) -> Dataset {
    let input = SidecarInput {
        root: site_root(),
        file: SIDECAR,
        dir: DIR,
        form: DatasetForm::Folder,
        default_slug: "fuzz".into(),
        default_files: dataset_files(),
        disk: &NO_RENAMED_FILES,
    };
    sidecar::shape(input, node, lang, diags)
}

/// A one-dataset site around `ds` (or none), with `pages`.
fn site_with(datasets: Vec<Dataset>, pages: Vec<Page>, sources: Sources, lang: Lang) -> Site {
    let mut config = site_config().clone();
    config.language = lang;
    Site {
        root: site_root().to_path_buf(),
        config,
        datasets,
        pages,
        static_files: Vec::new(),
        sources,
        disk: Default::default(),
        unreadable: Default::default(),
    }
}

/// Every way diagnostics are printed (human with the source line
/// underlined, JSON, GitHub annotations), and what holds for all of them:
/// a position is 1-based and, in a file kiosque kept the text of, on one of
/// its lines (or just past the last one: an error at the end of the file).
fn print_and_check(diags: &Diagnostics, sources: &Sources, lang: Lang) {
    for d in diags.iter() {
        if let Some(line) = d.line {
            assert!(line >= 1, "{}: line {line}", d.code);
            if let Some(text) = d.file.as_deref().and_then(|f| sources.get(f)) {
                let lines = crate::diag::lines(text).count();
                assert!(line <= lines + 1, "{}: line {line} of a {lines}-line file", d.code);
            }
        }
        if let Some(column) = d.column {
            assert!(column >= 1, "{}: column {column}", d.code);
            assert!(d.line.is_some(), "{}: a column without a line", d.code);
        }
        assert!(!d.message.is_empty(), "{}: empty message", d.code);
    }
    let on_disk = |f: &str| site_root().join(f);
    let human = diags.to_human(&on_disk, sources, lang, false);
    assert!(human.ends_with('\n'));
    if lang == Lang::En {
        // Colours too, for half the inputs (rendering is not cheap).
        let _ = diags.to_human(&on_disk, sources, lang, true);
    }
    let json: serde_json::Value = serde_json::from_str(&diags.to_json()).expect("diagnostics JSON parses");
    assert_eq!(json["diagnostics"].as_array().map(Vec::len), Some(diags.diagnostics.len()));
    let _ = diags.to_github(Path::new("site"));
}

/// A dataset sidecar (`datasets/<slug>/dataset.yaml`): read as text (UTF-8,
/// BOM), parsed as YAML into located nodes, shaped into a dataset whose
/// resource paths resolve against the fixture site, checked by the
/// `validate` stage, and its diagnostics printed.
pub fn sidecar(data: &[u8]) {
    let lang = lang_of(data);
    let mut diags = Diagnostics::default();
    let mut sources = Sources::default();
    let Some(text) = load::text::decode(data, SIDECAR, lang, &mut diags) else {
        assert_eq!(diags.diagnostics.len(), 1);
        assert_eq!(diags.diagnostics[0].code, "not-utf8");
        return print_and_check(&diags, &sources, lang);
    };
    sources.insert(SIDECAR, text.as_str());
    let mut datasets = Vec::new();
    match yaml::parse(&text) {
        Ok(node) => {
            let ds = shape(&node, lang, &mut diags);
            for r in &ds.resources {
                if let Some(path) = r.local_path() {
                    // A resolved path is inside the dataset's folder and names a file.
                    assert!(path.starts_with("datasets/fuzz/") && !path.contains(".."), "{path}");
                    assert!(site_root().join(path).is_file(), "{path}");
                }
            }
            datasets.push(ds);
        }
        Err(e) => {
            if let Some(line) = e.line {
                assert!(line >= 1);
            }
            load::report_yaml_error(SIDECAR, &e, 0, lang, &mut diags);
        }
    }
    let site = site_with(datasets, Vec::new(), sources, lang);
    diags.extend(validate::validate(&site, TODAY));
    print_and_check(&diags, &site.sources, lang);
}

/// Options a fuzzed table may start with, on a first line of its own:
/// `#kiosque encoding=windows-1252 delimiter=; decimal=,` (what a sidecar
/// can set for a resource). Returns them and the table without that line.
fn table_options(data: &[u8]) -> (Vec<(String, String)>, &[u8]) {
    const DIRECTIVE: &[u8] = b"#kiosque ";
    let Some(rest) = data.strip_prefix(DIRECTIVE) else { return (Vec::new(), data) };
    let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    let line = String::from_utf8_lossy(&rest[..end]);
    let options = line
        .split(' ')
        .filter_map(|word| word.split_once('='))
        .map(|(k, v)| (k.to_string(), v.trim_end_matches('\r').to_string()))
        .collect();
    (options, rest.get(end + 1..).unwrap_or_default())
}

/// The dataset a fuzzed table belongs to: one CSV resource, charts and
/// coordinate columns declared as a sidecar would (they apply when the
/// table has such columns), and the table's dialect settings.
fn table_dataset(options: &[(String, String)]) -> Dataset {
    let mut ds = table_dataset_base().clone();
    let at = Span { line: 1, column: 1, len: None };
    for (key, value) in options {
        use crate::model::CoordinateColumns::{Pair, Point};
        let value = Located::new(value.clone(), at);
        let r = &mut ds.resources[0];
        match key.as_str() {
            "encoding" => r.encoding = Some(value),
            "delimiter" => r.delimiter = Some(value),
            "decimal" => r.decimal = Some(value),
            "lat" | "lon" => {
                let (lat, lon) = match ds.coordinates.take() {
                    Some(Pair { lat, lon }) => (lat, lon),
                    _ => (Located::new(String::new(), at), Located::new(String::new(), at)),
                };
                let (lat, lon) = if key == "lat" { (value, lon) } else { (lat, value) };
                ds.coordinates = Some(Pair { lat, lon });
            }
            "point" => ds.coordinates = Some(Point(value)),
            _ => {}
        }
    }
    ds
}

/// [`table_dataset`] before the options, shaped once from its sidecar.
fn table_dataset_base() -> &'static Dataset {
    static DATASET: OnceLock<Dataset> = OnceLock::new();
    DATASET.get_or_init(|| {
        let yaml = "title: Budget\n\
        description: Le budget primitif de la commune, par chapitre.\n\
        license: etalab-2.0\n\
        resources:\n  - budget.csv\n\
        charts:\n  - {type: bar, x: commune, y: montant, aggregation: sum}\n  - {type: line, x: date}\n\
        \x20 - {type: pie, x: chapitre, y: montant, aggregation: mean}\n\
        personal_data:\n  reviewed: [telephone]\n";
        let node = yaml::parse(yaml).expect("valid sidecar");
        let mut diags = Diagnostics::default();
        let ds = shape(&node, Lang::Fr, &mut diags);
        assert!(diags.is_empty(), "{}", diags.to_json());
        ds
    })
}

/// Runs the profile stage on one table as a build does (deriving its files
/// into a fresh spool folder) and checks what holds of any table.
fn check_table(table: &[u8], ds: &Dataset, schema: Option<(String, tableschema::Schema)>, lang: Lang) {
    let spool = tempfile::tempdir().expect("temporary folder");
    let with_schema = schema.is_some();
    let (info, diags) =
        profile::read_table_bytes(table, ds, 0, schema, Some(spool.path()), lang).expect("reading memory cannot fail");
    let p = &info.profile;
    assert_eq!(p.bytes, table.len() as u64);
    assert!(p.sha256.as_ref().is_some_and(|h| h.len() == 64));
    assert_eq!(info.head.len() as u64, p.rows.min(profile::HEAD_ROWS as u64));
    for column in &p.columns {
        assert!(column.nulls <= p.rows, "{}: {} nulls in {} rows", column.name, column.nulls, p.rows);
        if column.distinct_exact {
            assert!(column.distinct <= p.rows, "{}: {} distinct in {} rows", column.name, column.distinct, p.rows);
        }
        let top: u64 = column.top.iter().map(|(_, n)| n).sum();
        assert!(top <= p.rows, "{}: top values count {top} in {} rows", column.name, p.rows);
        assert!(column.values.len() <= crate::tabular::FEW_VALUES);
        assert_eq!(column.min.is_some(), column.max.is_some());
    }
    for issue in &p.issues {
        if let Some(line) = issue.line() {
            assert!(line >= 1, "{issue:?}");
        }
    }
    let total: u64 = p.issue_counts.values().sum();
    assert!(p.issues.len() as u64 <= total);
    if let Some((_, report)) = &info.schema {
        assert!(with_schema);
        assert_eq!(report.row_count, p.rows);
        assert_eq!(report.error_count, report.summary.total());
        assert_eq!(report.valid, report.error_count == 0);
        assert!(report.errors.len() as u64 <= report.error_count);
        for e in &report.errors {
            if let Some(row) = e.row_number {
                assert!(row >= 2, "{e:?}");
            }
        }
    }
    if let Some(points) = &info.points {
        assert!(points.points > 0);
    }
    // The derived files are what the explorer and re-users read: JSON that
    // parses, rows cut to the header's width.
    if let Some(derived) = &info.derived {
        if let Some(preview) = &derived.preview {
            for i in 0..preview.chunks {
                let chunk = std::fs::read(preview.dir.join(crate::derive::chunk_name(i))).expect("preview chunk");
                let rows: Vec<Vec<Option<String>>> = serde_json::from_slice(&chunk).expect("preview chunk is JSON");
                assert!(rows.iter().all(|r| r.len() == p.columns.len().max(1) || r.len() == p.columns.len()));
            }
        }
        if let Some(exports) = &derived.exports {
            let json = std::fs::read(&exports.json.0).expect("records.json");
            let records: Vec<serde_json::Map<String, serde_json::Value>> =
                serde_json::from_slice(&json).expect("records.json is JSON");
            assert_eq!(records.len() as u64, p.rows);
        }
    }
    // Line numbers count the decoded text's lines: check them when the
    // bytes are that text.
    let mut sources = Sources::default();
    if let Ok(text) = std::str::from_utf8(table)
        && p.dialect.encoding == "UTF-8"
    {
        sources.insert("datasets/fuzz/budget.csv", text);
    }
    print_and_check(&diags, &sources, lang);
}

/// A CSV data file, as the profile stage reads it: encoding detection,
/// dialect sniffing (delimiter, quote, decimal mark, title lines above the
/// header), streaming parse, column statistics, personal data scan, the
/// declared charts and map points, the derived files of a build (normalised
/// copy, preview chunks, JSON and Excel exports), then the diagnostics.
/// A first line `#kiosque key=value…` sets the sidecar's `encoding`,
/// `delimiter` and `decimal` (and `lat`, `lon` or `point` columns).
pub fn csv(data: &[u8]) {
    let (options, table) = table_options(data);
    let ds = table_dataset(&options);
    check_table(table, &ds, None, lang_of(data));
}

/// A Markdown page (`pages/<slug>.md`): read as text, its front matter
/// parsed and shaped, the `validate` stage's page checks, then the body
/// rendered to HTML (raw HTML shown as text, unsafe links dropped), its
/// links located and its plain text and excerpt taken. The HTML never holds
/// a script, an event handler attribute or a `javascript:`-like link.
pub fn markdown(data: &[u8]) {
    let lang = lang_of(data);
    let mut diags = Diagnostics::default();
    let mut sources = Sources::default();
    let Some(text) = load::text::decode(data, PAGE, lang, &mut diags) else {
        return print_and_check(&diags, &sources, lang);
    };
    let page = load::page::load(PAGE, "a-propos".into(), &text, lang, &mut diags);
    sources.insert(PAGE, text.as_str());
    let pages: Vec<Page> = page.into_iter().collect();
    let site = site_with(Vec::new(), pages, sources, lang);
    diags.extend(validate::validate(&site, TODAY));
    print_and_check(&diags, &site.sources, lang);
    let body = site.pages.first().map(|p| p.body.as_str()).unwrap_or(&text);
    if let Some(page) = site.pages.first() {
        assert!(page.body_line >= 1 && page.body_line <= crate::diag::lines(&text).count() + 1);
    }
    let html = markdown::to_html(body);
    check_html(&html);
    let body_lines = crate::diag::lines(body).count();
    for link in markdown::links(body) {
        assert!(link.line <= body_lines, "link on line {} of a {body_lines}-line body", link.line);
        assert!(link.column >= 1);
    }
    let text = markdown::to_text(body);
    assert!(!text.contains("  ") && text.trim() == text);
    let excerpt = markdown::excerpt(body, 120);
    assert!(excerpt.chars().count() <= 121, "{excerpt}");
    // A dataset description goes through the same renderer.
    check_html(&markdown::to_html(&text));
}

/// What the HTML of some Markdown must never hold: every `<` opens a tag
/// pulldown-cmark wrote (raw HTML is escaped), with no script-like element,
/// no `on…` event attribute and no link to a dangerous scheme.
fn check_html(html: &str) {
    let lower = html.to_ascii_lowercase();
    for banned in ["<script", "<iframe", "<object", "<embed", "<style", "<svg", "<math", "<form", "<base", "<meta"] {
        assert!(!lower.contains(banned), "{banned} in {html}");
    }
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after.find('>').unwrap_or_else(|| panic!("unclosed tag in {html}"));
        check_tag(&after[..close], html);
        rest = &after[close + 1..];
    }
}

/// Checks the attributes of one tag (`a href="…" title="…"`).
fn check_tag(tag: &str, html: &str) {
    let tag = tag.trim_start_matches('/').trim_end_matches('/');
    let mut parts = tag.splitn(2, [' ', '\n']);
    let name = parts.next().unwrap_or_default();
    assert!(!name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric()), "odd tag name {name:?} in {html}");
    let mut attrs = parts.next().unwrap_or_default().trim();
    while !attrs.is_empty() {
        let eq = attrs.find('=');
        let space = attrs.find(' ');
        let (attr, value, rest) = match (eq, space) {
            (Some(eq), space) if space.is_none_or(|s| eq < s) => {
                let value_and_rest = &attrs[eq + 1..];
                let value_and_rest = value_and_rest
                    .strip_prefix('"')
                    .unwrap_or_else(|| panic!("unquoted attribute value in <{tag}> of {html}"));
                let end = value_and_rest.find('"').unwrap_or_else(|| panic!("unclosed attribute in <{tag}>"));
                (&attrs[..eq], &value_and_rest[..end], &value_and_rest[end + 1..])
            }
            (_, Some(space)) => (&attrs[..space], "", &attrs[space..]),
            _ => (attrs, "", ""),
        };
        let attr = attr.to_ascii_lowercase();
        assert!(!attr.starts_with("on"), "event attribute {attr} in <{tag}> of {html}");
        assert!(attr.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'), "odd attribute {attr:?} in {html}");
        if matches!(attr.as_str(), "href" | "src") {
            let scheme = browser_scheme(&unescape(value));
            assert!(
                scheme.as_deref().is_none_or(|s| matches!(s, "http" | "https" | "mailto" | "tel")),
                "{attr}={value:?} has the scheme {scheme:?} in {html}"
            );
        }
        attrs = rest.trim_start();
    }
}

/// A Table Schema and a table checked against it. The input is the schema
/// (a `schema.json` text, or the name of a built-in schema such as
/// `scdl-budget`), then a line `---`, then the CSV table. The schema is
/// parsed as the profile stage loads a declared schema; when it is valid
/// and a table follows, the table goes through the profile stage with the
/// validator fed by the same pass (see [`csv`] for what else is checked).
pub fn table_schema(data: &[u8]) {
    let (schema_part, table) = match data.windows(5).position(|w| w == b"\n---\n") {
        Some(at) => (&data[..at], Some(&data[at + 5..])),
        None => (data, None),
    };
    let Ok(schema_text) = std::str::from_utf8(schema_part) else { return };
    let name = schema_text.trim();
    let text = tableschema::builtin(name).unwrap_or(schema_text);
    let schema = match tableschema::Schema::parse(text) {
        Ok(schema) => schema,
        Err(e) => {
            assert!(e.line.is_none_or(|l| l >= 1) && e.column.is_none_or(|c| c >= 1), "{e:?}");
            assert!(!e.to_string().is_empty());
            return;
        }
    };
    // What kiosque exports of a schema serialises.
    let json = serde_json::to_string(&schema).expect("a schema serialises");
    assert!(json.starts_with('{'));
    for f in &schema.fields {
        assert!(schema.field(&f.name).is_some());
    }
    let Some(table) = table else { return };
    let (options, table) = table_options(table);
    let mut ds = table_dataset(&options);
    ds.schema = Some(Located::new(name.chars().take(100).collect(), Span { line: 1, column: 1, len: None }));
    check_table(table, &ds, Some(("schema.json".into(), schema)), lang_of(data));
}

/// An attribute value as the browser reads it: the character references
/// the HTML writer makes decoded, in one pass.
fn unescape(value: &str) -> String {
    const REFERENCES: [(&str, char); 7] = [
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&#39;", '\''),
        ("&#x27;", '\''),
        ("&#x22;", '"'),
    ];
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match REFERENCES.iter().find(|(name, _)| rest.starts_with(name)) {
            Some((name, c)) => {
                out.push(*c);
                rest = &rest[name.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The scheme a browser finds in a URL, lowercased (WHATWG URL parsing:
/// leading and trailing controls and spaces trimmed, tabs and line breaks
/// removed, then a letter and letters, digits, `+`, `-` or `.` before a
/// colon); `None` for a relative URL.
fn browser_scheme(url: &str) -> Option<String> {
    let url: String =
        url.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let scheme = &url[..url.find(':')?];
    let mut chars = scheme.chars();
    let valid = chars.next()?.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// A workbook, of the kind its first byte chooses (`xlsx`, `ods`, `xls`,
/// `xlsb`: by the byte's value modulo 4), the rest being the file: read as
/// a build reads one ([`profile::read_workbook`]): checked before calamine
/// opens it, each sheet written as CSV into a spool folder and profiled.
/// A workbook kiosque refuses says why ([`crate::excel::BookError`]); one
/// it reads gives sheets whose CSV files have the sizes the profile says,
/// within the workbook's budget.
pub fn workbook(data: &[u8]) {
    let Some((&kind, file)) = data.split_first() else { return };
    let ext = ["xlsx", "ods", "xls", "xlsb"][usize::from(kind % 4)];
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let path = tmp.path().join(format!("fuzz.{ext}"));
    std::fs::write(&path, file).expect("the workbook written");
    let spool = tmp.path().join("spool");
    let purpose = profile::Purpose::Build { spool: &spool, cache: None, progress: None };
    match profile::read_workbook(0, &path, purpose) {
        Ok(p) => {
            let budget = crate::excel::preflight(&path).map(crate::excel::csv_budget).expect("read, so checked");
            let mut written = 0;
            for sheet in &p.sheets {
                let csv = sheet.csv.as_ref().expect("a build writes each sheet");
                assert_eq!(std::fs::metadata(csv).expect("the sheet's CSV").len(), sheet.bytes);
                assert!(sheet.table.profile.rows <= 1 << 20, "{} rows", sheet.table.profile.rows);
                written += sheet.bytes;
            }
            assert!(written <= budget, "{written} bytes of CSV for a budget of {budget}");
        }
        Err(e) => {
            if let Some(book) = e.get_ref().and_then(|i| i.downcast_ref::<crate::excel::BookError>()) {
                for lang in [Lang::Fr, Lang::En] {
                    let (message, hint) = book.describe(lang);
                    assert!(!message.is_empty() && !hint.is_empty());
                }
            }
        }
    }
}

/// A GeoJSON file, read for its map ([`crate::geo::read_geojson`]), then
/// drawn ([`crate::svg::map`]): the layer counts agree (features, invalid
/// ones listed and counted, table rows), at most about 4,000 point shapes
/// whatever the number of points, and the map is one SVG element.
pub fn geojson(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(layer) = crate::geo::read_geojson(text) else { return };
    assert!(layer.invalid.len() <= layer.invalid_count && layer.invalid_count <= layer.features.max(1));
    assert!(layer.rows.len() <= layer.features.max(1) && layer.rows.len() <= 50);
    assert!(layer.rows.iter().all(|r| r.len() == layer.columns.len()));
    let points = layer.shapes.iter().filter(|s| matches!(s, crate::geo::Shape::Point { .. })).count();
    assert!(points <= 4_000, "{points} point shapes");
    for f in &layer.invalid {
        assert!(f.number >= 1 && f.number <= layer.features && f.line >= 1);
        assert!(f.line <= crate::diag::lines(text).count().max(1));
    }
    let lang = lang_of(data);
    let svg = crate::svg::map(&crate::svg::Frame::new("fuzz-map", "Carte", lang), &layer.shapes);
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"), "{}", &svg[..svg.len().min(200)]);
    assert_eq!(svg.matches("<svg").count(), 1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_as_a_browser_reads_them() {
        assert_eq!(browser_scheme(" \u{1}JavaScript:alert(1)").as_deref(), Some("javascript"));
        assert_eq!(browser_scheme("java\tscript:x").as_deref(), Some("javascript"));
        assert_eq!(browser_scheme("java%09script:x"), None);
        assert_eq!(browser_scheme("http\u{1}s://x"), None);
        assert_eq!(browser_scheme("../a:b"), None);
        assert_eq!(browser_scheme("#top"), None);
        assert_eq!(unescape("a&amp;quot;b&#x27;&x"), "a&quot;b'&x");
        check_html("<p><a href=\"a%3Ab\" title=\"x &gt; y\">x</a><img src=\"\" alt=\"\" /></p>\n");
    }
}
