//! Data files that referents can trust: `kiosque check` and `kiosque build`
//! on tiny sites generated in temporary folders, one data file each.
//!
//! - dialects and encodings as `dataset.json` reports them (`dialect`,
//!   `rows`, `columns`), and sidecar overrides;
//! - structural checks of CSV files, each pointing at the right FILE line
//!   (not the record number), in the site's language;
//! - the personal data guard: an error without `personal_data: reviewed`, a
//!   warning with it, and the values never printed in full, in any format;
//! - Table Schema validation: grouped violations, unknown, local and missing
//!   schemas;
//! - column profiles and the quality score.
//!
//! Fixtures are written byte by byte from the test code (encodings other
//! than UTF-8 included), so nothing depends on an editor's settings.

mod common;

use common::{Diag, Report, Run};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Where the data file of [`table_site`] sits, relative to the site.
const DIR: &str = "datasets/d";

// ---------------------------------------------------------------- helpers

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lang {
    Fr,
    En,
}

impl Lang {
    fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }
}

impl Diag {
    /// Asserts the severity, the file and the line (`None`: no line).
    fn assert_at(&self, severity: &str, file: &str, line: Option<usize>) {
        assert_eq!(self.severity, severity, "severity of {self:#?}");
        assert_eq!(self.file.as_deref(), Some(file), "file of {self:#?}");
        assert_eq!(self.line, line, "line of {self:#?}");
    }

    /// Asserts the message and hint speak `lang`: they contain the words
    /// expected in that language and not those of the other one, and quote
    /// the way that language does (« » in French, “ ” in English).
    fn assert_lang(&self, lang: Lang, fr: &str, en: &str) {
        let text = format!("{} {}", self.message, self.hint.as_deref().unwrap_or(""));
        let (want, other, foreign_quote) = match lang {
            Lang::Fr => (fr, en, '“'),
            Lang::En => (en, fr, '«'),
        };
        assert!(
            text.contains(want) && !text.contains(other) && !text.contains(foreign_quote),
            "expected {lang:?} (“{want}”) in {self:#?}"
        );
    }
}

impl Report {
    /// The diagnostics with this code.
    fn with_code(&self, code: &str) -> Vec<&Diag> {
        self.diagnostics.iter().filter(|d| d.code == code).collect()
    }

    /// The only diagnostic with this code.
    fn one(&self, code: &str) -> &Diag {
        let found = self.with_code(code);
        assert_eq!(found.len(), 1, "expected one {code} in {self:#?}");
        found[0]
    }

    /// The diagnostics about this file.
    fn about(&self, file: &str) -> Vec<&Diag> {
        self.diagnostics.iter().filter(|d| d.file.as_deref() == Some(file)).collect()
    }
}

/// Runs `kiosque ARGS`, killing it (and failing) after [`TIMEOUT`].
fn kiosque(args: &[&OsStr]) -> Run {
    common::run_kiosque(None, args)
}

/// A site in a temporary folder.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    /// A site with its `site.yaml` and no dataset.
    fn new(lang: Lang) -> Site {
        let site = Site { dir: tempfile::tempdir().expect("temporary folder") };
        site.write(
            "site.yaml",
            format!(
                "title: Données de Trifouilly\nbase_url: https://data.example.org/\nsiret: \"21995010000018\"\n\
                 license: etalab-2.0\nlanguage: {}\n",
                lang.code()
            ),
        );
        site
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file of the site, creating its folders.
    fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folders");
        std::fs::write(path, bytes).expect("write file");
    }

    /// Writes `datasets/<slug>/dataset.yaml`: title, description, modified
    /// (lines 1 to 3), then `extra` from line 4 on.
    fn sidecar(&self, slug: &str, extra: &str) {
        self.write(
            &format!("datasets/{slug}/dataset.yaml"),
            format!("title: Jeu {slug}\ndescription: Un jeu de test.\nmodified: 2026-06-01\n{extra}"),
        );
    }

    /// `kiosque check SITE --format FORMAT`.
    fn check_as(&self, format: &str) -> Run {
        kiosque(&["check".as_ref(), self.root().as_os_str(), "--format".as_ref(), format.as_ref()])
    }

    /// `kiosque check SITE --format json`, parsed.
    fn check(&self) -> (Run, Report) {
        let run = self.check_as("json");
        let report: Report = serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("JSON report expected ({e}):\n{}\n{}", run.stdout, run.stderr));
        assert_eq!(report.errors, report.diagnostics.iter().filter(|d| d.severity == "error").count());
        assert_eq!(report.warnings, report.diagnostics.iter().filter(|d| d.severity == "warning").count());
        (run, report)
    }

    /// `kiosque build SITE -o TMP/public`.
    fn build(&self) -> (Run, tempfile::TempDir) {
        let out = tempfile::tempdir().expect("temporary folder");
        let public = out.path().join("public");
        let run = kiosque(&["build".as_ref(), self.root().as_os_str(), "-o".as_ref(), public.as_os_str()]);
        (run, out)
    }

    /// Builds the site (which must succeed) and reads a `dataset.json`.
    fn dataset_json(&self, slug: &str) -> Value {
        let (run, out) = self.build();
        assert_eq!(run.code, 0, "build failed:\n{}", run.output());
        let path: PathBuf = out.path().join("public/datasets").join(slug).join("dataset.json");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        serde_json::from_str(&text).expect("dataset.json is JSON")
    }
}

/// A site with one dataset, `datasets/d`, holding one data file `name`.
fn table_site(lang: Lang, name: &str, bytes: impl AsRef<[u8]>, extra: &str) -> Site {
    let site = Site::new(lang);
    site.sidecar("d", extra);
    site.write(&format!("{DIR}/{name}"), bytes);
    site
}

/// The first resource of a `dataset.json`.
fn resource(ds: &Value) -> &Value {
    &ds["resources"][0]
}

/// The column named `name` of a resource.
fn column<'a>(r: &'a Value, name: &str) -> &'a Value {
    r["columns"]
        .as_array()
        .expect("columns")
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no column {name} in {r:#}"))
}

/// A JSON scalar as text (`"1234.5"` and `1234.5` both give `1234.5`).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `(value, count)` of a column's top values.
fn top(c: &Value) -> Vec<(String, u64)> {
    c["top"].as_array().expect("top").iter().map(|t| (text(&t["value"]), t["count"].as_u64().expect("count"))).collect()
}

/// Builds a one-file site and returns its resource from `dataset.json`.
fn dialect_of(lang: Lang, name: &str, bytes: impl AsRef<[u8]>, extra: &str) -> Value {
    let ds = table_site(lang, name, bytes, extra).dataset_json("d");
    resource(&ds).clone()
}

// ------------------------------------------------- dialects and encodings

#[test]
fn utf8_with_commas() {
    let r = dialect_of(Lang::En, "x.csv", "nom,valeur\nécole,1.5\nmairie,2\n", "");
    let d = &r["dialect"];
    assert_eq!(d["encoding"], "UTF-8");
    assert_eq!(d["bom"], false);
    assert_eq!(d["delimiter"], ",");
    assert_eq!(d["decimal"], ".");
    assert_eq!(d["header_row"], 1);
    assert_eq!(d["line_ending"], "lf");
    assert_eq!(r["rows"], 2);
    assert_eq!(r["columns"].as_array().unwrap().len(), 2);
    assert_eq!(column(&r, "valeur")["type"], "number");
    assert!(top(column(&r, "nom")).iter().any(|(v, _)| v == "école"), "{r:#}");
}

#[test]
fn utf8_bom_with_semicolons() {
    let r = dialect_of(Lang::Fr, "x.csv", "\u{feff}nom;valeur\r\nété;1,5\r\nhiver;2\r\n", "");
    let d = &r["dialect"];
    assert_eq!(d["encoding"], "UTF-8");
    assert_eq!(d["bom"], true);
    assert_eq!(d["delimiter"], ";");
    assert_eq!(d["decimal"], ",");
    assert_eq!(d["line_ending"], "crlf");
    assert_eq!(r["rows"], 2);
    // The BOM is not part of the first column's name.
    assert_eq!(r["columns"][0]["name"], "nom");
    assert!(top(column(&r, "nom")).iter().any(|(v, _)| v == "été"), "{r:#}");
}

#[test]
fn windows_1252_with_decimal_commas() {
    let bytes: &[u8] = b"Commune;Montant\r\nC\xf4te-d'Or;1 234,5\r\nSa\xf4ne;12,25\r\nY;-3\r\n";
    let r = dialect_of(Lang::Fr, "x.csv", bytes, "");
    let d = &r["dialect"];
    assert_eq!(d["encoding"], "windows-1252");
    assert_eq!(d["bom"], false);
    assert_eq!(d["delimiter"], ";");
    assert_eq!(d["decimal"], ",");
    assert_eq!(d["line_ending"], "crlf");
    assert_eq!(r["rows"], 3);
    let montant = column(&r, "Montant");
    assert_eq!(montant["type"], "number");
    // Plain numbers: `.` as decimal mark, no thousands separator.
    assert_eq!(text(&montant["min"]), "-3");
    assert_eq!(text(&montant["max"]), "1234.5");
    // Text decoded from windows-1252.
    let commune = column(&r, "Commune");
    assert_eq!(text(&commune["min"]), "Côte-d'Or");
    assert!(top(commune).iter().any(|(v, _)| v == "Saône"), "{commune:#}");
}

#[test]
fn utf16le_with_bom() {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "nom\tvaleur\r\nété\t1\r\nhiver\t2\r\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let r = dialect_of(Lang::En, "x.csv", bytes, "");
    let d = &r["dialect"];
    assert_eq!(d["encoding"], "UTF-16LE");
    assert_eq!(d["bom"], true);
    assert_eq!(d["delimiter"], "\t");
    assert_eq!(r["rows"], 2);
    assert_eq!(r["columns"][0]["name"], "nom");
    assert_eq!(column(&r, "valeur")["type"], "integer");
    assert!(top(column(&r, "nom")).iter().any(|(v, _)| v == "été"), "{r:#}");
}

#[test]
fn tab_separated_tsv() {
    let r = dialect_of(Lang::En, "x.tsv", "nom\tvaleur\tcommentaire\nA\t1\tun, deux\nB\t2\ttrois; quatre\n", "");
    assert_eq!(r["format"], "TSV");
    assert_eq!(r["dialect"]["delimiter"], "\t");
    assert_eq!(r["rows"], 2);
    assert_eq!(r["columns"].as_array().unwrap().len(), 3);
    assert_eq!(column(&r, "valeur")["type"], "integer");
}

#[test]
fn title_line_above_the_header() {
    let r = dialect_of(Lang::Fr, "x.csv", "Budget 2025 de la commune\nchapitre;montant\n011;1 234,5\n012;12\n", "");
    let d = &r["dialect"];
    assert_eq!(d["header_row"], 2);
    assert_eq!(d["delimiter"], ";");
    assert_eq!(d["decimal"], ",");
    assert_eq!(r["rows"], 2);
    let names: Vec<&Value> = r["columns"].as_array().unwrap().iter().map(|c| &c["name"]).collect();
    assert_eq!(names, ["chapitre", "montant"]);
    // `011` is a code, not a number.
    assert_eq!(column(&r, "chapitre")["type"], "string");
    assert_eq!(text(&column(&r, "montant")["max"]), "1234.5");
}

#[test]
fn sidecar_dialect_wins_over_detection() {
    // Delimiter: detected `,` (three commas beat one semicolon), stated `;`.
    let bytes = "a,b,c;d\n1,2,3;4\n6,7,8;9\n";
    let detected = dialect_of(Lang::Fr, "x.csv", bytes, "");
    assert_eq!(detected["dialect"]["delimiter"], ",");
    assert_eq!(detected["columns"].as_array().unwrap().len(), 3);
    let stated = dialect_of(Lang::Fr, "x.csv", bytes, "resources:\n  - path: x.csv\n    delimiter: \";\"\n");
    assert_eq!(stated["dialect"]["delimiter"], ";");
    let names: Vec<&Value> = stated["columns"].as_array().unwrap().iter().map(|c| &c["name"]).collect();
    assert_eq!(names, ["a,b,c", "d"]);

    // Encoding and decimal mark: detected UTF-8 and `,`; stated
    // windows-1252 and `.`.
    let bytes = "nom;montant\nCôte;1,5\nSaône;2,5\n";
    let detected = dialect_of(Lang::Fr, "x.csv", bytes, "");
    assert_eq!(detected["dialect"]["encoding"], "UTF-8");
    assert_eq!(detected["dialect"]["decimal"], ",");
    assert_eq!(column(&detected, "montant")["type"], "number");
    let stated = dialect_of(
        Lang::Fr,
        "x.csv",
        bytes,
        "resources:\n  - path: x.csv\n    title: Montants\n    encoding: windows-1252\n    decimal: \".\"\n",
    );
    let d = &stated["dialect"];
    assert_eq!(d["encoding"], "windows-1252");
    assert_eq!(d["decimal"], ".");
    assert_eq!(d["delimiter"], ";");
    // `1,5` is no number with `.` as decimal mark; UTF-8 read as
    // windows-1252 gives `Ã´`.
    assert_eq!(column(&stated, "montant")["type"], "string");
    assert!(top(column(&stated, "nom")).iter().any(|(v, _)| v == "C\u{c3}\u{b4}te"), "{stated:#}");
}

// ------------------------------------------------------- structural checks

/// Checks a one-file site; returns the exit code and the report.
fn check_table(lang: Lang, name: &str, bytes: impl AsRef<[u8]>) -> (i32, Report) {
    let (run, report) = table_site(lang, name, bytes, "").check();
    (run.code, report)
}

#[test]
fn ragged_row_points_at_the_file_line_after_a_multiline_field() {
    // Record 3 starts on file line 5: the quoted field of record 2 spans
    // lines 3 and 4.
    let (code, report) = check_table(Lang::En, "x.csv", "a,b\n1,2\n\"x\ny\",3\n4,5,6\n7,8\n");
    assert_eq!(code, 0, "{report:#?}");
    let d = report.one("csv-ragged-row");
    d.assert_at("warning", "datasets/d/x.csv", Some(5));
    d.assert_lang(Lang::En, "3 cellules au lieu de 2", "3 cells instead of 2");
    assert_eq!(report.diagnostics.len(), 1, "{report:#?}");
}

#[test]
fn ragged_row_below_a_title_line() {
    let (code, report) = check_table(Lang::Fr, "x.csv", "Budget 2025\nchapitre;montant\n011;1;x\n012;2\n");
    assert_eq!(code, 0, "{report:#?}");
    let d = report.one("csv-ragged-row");
    d.assert_at("warning", "datasets/d/x.csv", Some(3));
    d.assert_lang(Lang::Fr, "3 cellules au lieu de 2", "3 cells instead of 2");
}

#[test]
fn ragged_rows_in_utf16() {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "nom\tvaleur\r\nété\t1\r\nhiver\t2\t3\r\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let (code, report) = check_table(Lang::Fr, "x.csv", bytes);
    assert_eq!(code, 0, "{report:#?}");
    report.one("csv-ragged-row").assert_at("warning", "datasets/d/x.csv", Some(3));
}

#[test]
fn empty_and_duplicate_header_names() {
    let (code, report) = check_table(Lang::Fr, "x.csv", "a,,b,a\n1,2,3,4\n");
    assert_eq!(code, 0, "{report:#?}");
    let empty = report.one("csv-empty-header");
    assert_eq!(empty.severity, "warning");
    assert_eq!(empty.file.as_deref(), Some("datasets/d/x.csv"));
    empty.assert_lang(Lang::Fr, "la colonne 2 n'a pas de nom", "column 2 has no name");
    let dup = report.one("csv-duplicate-header");
    assert_eq!(dup.severity, "warning");
    assert_eq!(dup.file.as_deref(), Some("datasets/d/x.csv"));
    dup.assert_lang(
        Lang::Fr,
        "la colonne 4 s'appelle « a », comme la colonne 1",
        "column 4 is named “a”, like column 1",
    );

    let (_, report) = check_table(Lang::En, "x.csv", "a,,b,a\n1,2,3,4\n");
    report.one("csv-empty-header").assert_lang(Lang::En, "n'a pas de nom", "column 2 has no name");
    report.one("csv-duplicate-header").assert_lang(Lang::En, "s'appelle", "column 4 is named “a”, like column 1");
}

#[test]
fn header_name_issues_point_at_the_header_line() {
    let (_, report) = check_table(Lang::En, "x.csv", "a,,b,a\n1,2,3,4\n");
    let empty = report.one("csv-empty-header");
    empty.assert_at("warning", "datasets/d/x.csv", Some(1));
    assert_eq!(empty.column, Some(2), "{empty:#?}");
    let dup = report.one("csv-duplicate-header");
    dup.assert_at("warning", "datasets/d/x.csv", Some(1));
    assert_eq!(dup.column, Some(4), "{dup:#?}");
    // Below a title line, the header is on line 2.
    let (_, report) = check_table(Lang::En, "x.csv", "Budget 2025\nchapitre;;chapitre\n011;1;x\n");
    report.one("csv-empty-header").assert_at("warning", "datasets/d/x.csv", Some(2));
    report.one("csv-duplicate-header").assert_at("warning", "datasets/d/x.csv", Some(2));
}

#[test]
fn blank_rows() {
    let site = table_site(Lang::En, "x.csv", "a,b\n1,2\n\n3,4\n,\n5,6\n", "");
    let (run, report) = site.check();
    assert_eq!(run.code, 0, "{report:#?}");
    let blanks = report.with_code("csv-blank-row");
    let lines: Vec<Option<usize>> = blanks.iter().map(|d| d.line).collect();
    assert_eq!(lines, [Some(3), Some(5)], "{report:#?}");
    for d in blanks {
        d.assert_at("warning", "datasets/d/x.csv", d.line);
        d.assert_lang(Lang::En, "ligne vide", "blank row");
    }
    // Blank rows are not rows.
    assert_eq!(resource(&site.dataset_json("d"))["rows"], 3);

    let (_, report) = check_table(Lang::Fr, "x.csv", "a;b\n1;2\n\n3;4\n");
    let d = report.one("csv-blank-row");
    d.assert_at("warning", "datasets/d/x.csv", Some(3));
    d.assert_lang(Lang::Fr, "ligne vide", "blank row");
}

#[test]
fn empty_file_is_an_error() {
    let (code, report) = check_table(Lang::Fr, "x.csv", b"");
    assert_eq!(code, 1, "{report:#?}");
    let d = report.one("csv-empty");
    d.assert_at("error", "datasets/d/x.csv", None);
    d.assert_lang(Lang::Fr, "le fichier est vide", "the file is empty");

    let (code, report) = check_table(Lang::En, "x.csv", b"");
    assert_eq!(code, 1, "{report:#?}");
    report.one("csv-empty").assert_lang(Lang::En, "le fichier est vide", "the file is empty");
}

#[test]
fn binary_junk_named_csv_is_an_error() {
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\0\x01\0\0\x05\0\x01\r\n-\xb4\0\0\0\0IEND\xaeB`\x82";
    let (code, report) = check_table(Lang::En, "x.csv", png);
    assert_eq!(code, 1, "{report:#?}");
    let d = report.one("csv-not-text");
    d.assert_at("error", "datasets/d/x.csv", None);
    d.assert_lang(Lang::En, "n'est pas du texte", "this file is not text");
    // Nothing else is reported about junk: it was not parsed.
    assert_eq!(report.about("datasets/d/x.csv").len(), 1, "{report:#?}");

    let (code, report) = check_table(Lang::Fr, "x.csv", png);
    assert_eq!(code, 1, "{report:#?}");
    report.one("csv-not-text").assert_lang(Lang::Fr, "n'est pas du texte", "this file is not text");
}

#[test]
fn mixed_line_endings() {
    let (code, report) = check_table(Lang::Fr, "x.csv", "a;b\r\n1;2\r\n3;4\n5;6\r\n");
    assert_eq!(code, 0, "{report:#?}");
    let d = report.one("csv-mixed-line-endings");
    d.assert_at("warning", "datasets/d/x.csv", Some(3));
    d.assert_lang(Lang::Fr, "fins de ligne mélangées", "mixed line endings");

    // Line breaks inside quoted fields do not count.
    let (_, report) = check_table(Lang::En, "x.csv", "a,b\r\n\"x\ny\",1\r\n2,3\r\n");
    assert!(report.with_code("csv-mixed-line-endings").is_empty(), "{report:#?}");
}

/// A data file of more than the sniffed sample (64 KiB): `header`, then
/// `rows` ASCII rows, then `last`. Returns the bytes and the file line of
/// `last`.
fn long_file(header: &[u8], rows: usize, last: &[u8]) -> (Vec<u8>, usize) {
    let mut bytes = header.to_vec();
    let mut lines = header.iter().filter(|&&b| b == b'\n').count();
    for i in 0..rows {
        bytes.extend_from_slice(format!("A{i};Paris\n").as_bytes());
        lines += 1;
    }
    bytes.extend_from_slice(last);
    (bytes, lines + 1)
}

#[test]
fn invalid_byte_after_ascii_switches_to_windows_1252() {
    // The sample is ASCII, so the file looks like UTF-8 until the stray
    // windows-1252 `é`.
    let (bytes, line) = long_file(b"nom;ville\n", 8000, b"B;Cr\xe9teil\n");
    assert!(bytes.len() > 64 * 1024);
    let (code, report) = check_table(Lang::En, "x.csv", &bytes);
    assert_eq!(code, 0, "{report:#?}");
    let d = report.one("csv-encoding-guess");
    d.assert_at("warning", "datasets/d/x.csv", Some(line));
    d.assert_lang(Lang::En, "indiquez l'encodage", &format!("line {line} is windows-1252"));
}

#[test]
fn invalid_byte_in_utf8_text_is_reported() {
    // Real UTF-8 (`ç`) first, then a stray windows-1252 `é` past the sample.
    let (bytes, line) = long_file(b"nom;ville\nA;Besan\xc3\xa7on\n", 8000, b"B;Cr\xe9teil\n");
    let (code, report) = check_table(Lang::Fr, "x.csv", &bytes);
    assert_eq!(code, 0, "{report:#?}");
    let d = report.one("csv-invalid-bytes");
    d.assert_at("warning", "datasets/d/x.csv", Some(line));
    d.assert_lang(Lang::Fr, "octet 0xE9 invalide", "byte 0xE9 is invalid");
}

#[test]
fn invalid_byte_in_a_small_utf8_file_is_reported() {
    let site = table_site(Lang::Fr, "x.csv", b"nom;ville\nA;Besan\xc3\xa7on\nB;Cr\xe9teil\nC;Paris\n", "");
    let (_, report) = site.check();
    let found: Vec<&Diag> = report
        .about("datasets/d/x.csv")
        .into_iter()
        .filter(|d| d.code == "csv-invalid-bytes" || d.code == "csv-encoding-guess")
        .collect();
    assert_eq!(found.len(), 1, "{report:#?}");
    found[0].assert_at("warning", "datasets/d/x.csv", Some(3));
    let r = resource(&site.dataset_json("d")).clone();
    assert!(top(column(&r, "ville")).iter().any(|(v, _)| v == "Besançon"), "{r:#}");
}

#[test]
fn unterminated_quote() {
    let (code, report) = check_table(Lang::En, "x.csv", "a,b\n1,2\n3,\"oops\n5,6\n");
    assert_eq!(code, 0, "{report:#?}");
    let d = report.one("csv-unterminated-quote");
    d.assert_at("warning", "datasets/d/x.csv", Some(3));
    d.assert_lang(Lang::En, "guillemet ouvert", "quote opened and never closed");

    let (_, report) = check_table(Lang::Fr, "x.csv", "a;b\n1;2\n\"3;4\n");
    let d = report.one("csv-unterminated-quote");
    d.assert_at("warning", "datasets/d/x.csv", Some(3));
    d.assert_lang(Lang::Fr, "guillemet ouvert jamais refermé", "quote opened");
}

#[test]
fn a_thousand_ragged_rows_give_a_bounded_report() {
    let mut bytes = String::from("a,b\n");
    for i in 0..1000 {
        bytes.push_str(&format!("{i},2,3\n"));
    }
    let (code, report) = check_table(Lang::Fr, "x.csv", bytes);
    assert_eq!(code, 0, "{report:#?}");
    let about = report.about("datasets/d/x.csv");
    assert!(about.len() <= 25, "{} diagnostics for one file", about.len());
    let ragged = report.with_code("csv-ragged-row");
    assert!(!ragged.is_empty() && ragged.len() < 25);
    // The first ones, in file order, at their lines (the header is line 1).
    for (i, d) in ragged.iter().enumerate() {
        d.assert_at("warning", "datasets/d/x.csv", Some(i + 2));
    }
    let more = report.one("csv-more-issues");
    assert_eq!(more.severity, "warning");
    assert_eq!(more.file.as_deref(), Some("datasets/d/x.csv"));
    let rest = 1000 - ragged.len();
    assert!(more.message.contains(&rest.to_string()), "{more:#?}");
    assert!(more.message.contains("autre(s) problème(s)"), "{more:#?}");
}

#[test]
fn more_issues_summary_is_worded_for_people() {
    let mut bytes = String::from("a,b\n");
    for i in 0..100 {
        bytes.push_str(&format!("{i},2,3\n"));
    }
    // No identifier from the source code (`RaggedRow`) in a sentence.
    let camel = regex::Regex::new(r"\b[A-Z][a-z]+[A-Z][A-Za-z]*\b").unwrap();
    for lang in [Lang::Fr, Lang::En] {
        let (_, report) = check_table(lang, "x.csv", &bytes);
        let more = report.one("csv-more-issues");
        assert!(!camel.is_match(&more.message), "{lang:?}: {more:#?}");
    }
}

// ------------------------------------------------------------ personal data

/// One kind of personal data.
struct Personal<'a> {
    lang: Lang,
    csv: String,
    /// Values that must never be printed.
    raw: &'a [&'a str],
    /// What must be printed instead (masked example), if any.
    masked: Option<&'a str>,
    /// Words of the message, in French and in English.
    fr: &'a str,
    en: &'a str,
    line: usize,
    column: usize,
}

/// Without `personal_data: reviewed`: an error, exit 1; with it: a
/// warning, exit 0, and the build goes on. In every output format, the raw
/// values never show, the masked example does.
fn assert_personal(p: Personal) {
    for reviewed in [false, true] {
        let extra = if reviewed { "personal_data: reviewed\n" } else { "" };
        let site = table_site(p.lang, "x.csv", &p.csv, extra);
        let (run, report) = site.check();
        assert_eq!(run.code, if reviewed { 0 } else { 1 }, "{report:#?}");
        let d = report.one("personal-data");
        d.assert_at(if reviewed { "warning" } else { "error" }, "datasets/d/x.csv", Some(p.line));
        assert_eq!(d.column, Some(p.column), "{d:#?}");
        d.assert_lang(p.lang, p.fr, p.en);
        if reviewed {
            d.assert_lang(p.lang, "publication maintenue", "published anyway");
        } else {
            d.assert_lang(p.lang, "(« personal_data: reviewed »)", "(“personal_data: reviewed”)");
        }
        let mut runs = vec![("json", run)];
        for format in ["human", "github"] {
            runs.push((format, site.check_as(format)));
        }
        if reviewed {
            let (build, _out) = site.build();
            assert_eq!(build.code, 0, "{}", build.output());
            runs.push(("build", build));
        }
        for (format, run) in runs {
            let output = run.output();
            for raw in p.raw {
                assert!(!output.contains(raw), "{format}: “{raw}” printed in full:\n{output}");
            }
            if let Some(masked) = p.masked {
                assert!(output.contains(masked), "{format}: no “{masked}” in:\n{output}");
            }
        }
    }
}

#[test]
fn email_addresses_are_personal_data() {
    assert_personal(Personal {
        lang: Lang::Fr,
        csv: "id,service,contact\n1,état civil,\n2,voirie,jeanne.dupont@exemple.fr\n3,écoles,paul.martin@mairie.fr\n"
            .into(),
        raw: &["jeanne.dupont@exemple.fr", "jeanne.dupont", "paul.martin@mairie.fr", "paul.martin"],
        masked: Some("j***@***.fr"),
        fr: "des adresses électroniques dans la colonne « contact » (2 cellule(s)",
        en: "e-mail addresses",
        line: 3,
        column: 3,
    });
}

#[test]
fn phone_numbers_are_personal_data() {
    assert_personal(Personal {
        lang: Lang::En,
        csv: "id;tel\n1;06 12 34 56 78\n2;+33 1 23 45 67 89\n".into(),
        raw: &["06 12 34 56 78", "0612345678", "+33 1 23 45 67 89", "+33123456789"],
        masked: Some("06******78"),
        fr: "numéros de téléphone",
        en: "phone numbers in column “tel” (2 cell(s)",
        line: 2,
        column: 2,
    });
}

#[test]
fn social_security_numbers_are_personal_data() {
    // key = 97 − (13-digit number mod 97)
    let body = 1_850_775_123_456u64;
    let nir = format!("{body}{:02}", 97 - body % 97);
    assert_eq!(nir.len(), 15);
    let masked = format!("{}{}{}", &nir[..2], "*".repeat(11), &nir[13..]);
    assert_personal(Personal {
        lang: Lang::Fr,
        csv: format!("id;commune;numero\n1;Cergy;\n2;Pontoise;{nir}\n"),
        raw: &[&nir, &nir[..13]],
        masked: Some(&masked),
        fr: "des numéros de sécurité sociale dans la colonne « numero » (1 cellule(s)",
        en: "social security numbers",
        line: 3,
        column: 3,
    });
}

#[test]
fn ibans_are_personal_data() {
    let iban = "FR7630006000011234567890189";
    let masked = format!("FR{}89", "*".repeat(iban.len() - 4));
    assert_personal(Personal {
        lang: Lang::En,
        csv: format!("beneficiaire,compte\nAssociation,{iban}\n"),
        raw: &[iban, "30006000011234567890", "FR76 3000"],
        masked: Some(&masked),
        fr: "des IBAN",
        en: "IBANs in column “compte” (1 cell(s)",
        line: 2,
        column: 2,
    });
}

#[test]
fn person_columns_are_personal_data() {
    assert_personal(Personal {
        lang: Lang::Fr,
        csv: "commune,prenom,nom\nCergy,Jeanne,Dupontel\nPontoise,Paul,Martinez\n".into(),
        raw: &["Dupontel", "Martinez"],
        masked: None,
        fr: "des colonnes qui nomment des personnes (prenom, nom)",
        en: "columns naming people",
        line: 1,
        column: 2,
    });
}

#[test]
fn ordinary_public_data_is_not_personal() {
    let site = Site::new(Lang::Fr);
    // First names given at birth.
    site.sidecar("prenoms", "");
    site.write("datasets/prenoms/prenoms.csv", "annee,prenom,sexe,nombre\n2025,Louise,F,12\n2025,Gabriel,M,15\n");
    // Facilities: a name, a public address, a SIRET.
    site.sidecar("equipements", "");
    site.write(
        "datasets/equipements/equipements.csv",
        "nom;adresse;siret;commune;capacite\nGymnase des Lilas;2 rue des Lilas;21990123400017;Cergy;300\n\
         Mairie;1 place de la Mairie;21995010000018;Cergy;50\n",
    );
    // An IBAN with a wrong checksum.
    site.sidecar("comptes", "");
    site.write("datasets/comptes/comptes.csv", "id;compte\n1;FR7630006000011234567890188\n");
    // 15 digits that are no NIR (wrong key; impossible month).
    let body = 1_850_775_123_456u64;
    let wrong_key = format!("{body}{:02}", (97 - body % 97) % 97 + 1);
    site.sidecar("codes", "");
    site.write("datasets/codes/codes.csv", format!("id;code\n1;{wrong_key}\n2;123456789012345\n"));
    let (run, report) = site.check();
    assert_eq!(run.code, 0, "{report:#?}");
    assert!(report.with_code("personal-data").is_empty(), "{report:#?}");
}

#[test]
fn personal_data_never_shows_in_source_excerpts() {
    let site = table_site(Lang::Fr, "x.csv", "id,contact\n1,jeanne.dupont@exemple.fr,extra\n", "");
    for format in ["json", "human", "github"] {
        let run = site.check_as(format);
        assert_eq!(run.code, 1);
        assert!(!run.output().contains("jeanne.dupont"), "{format}:\n{}", run.output());
    }
}

// ------------------------------------------------------------ Table Schema

const PRENOMS_HEADER: &str = "COMMUNE_NOM,COLL_INSEE,ENFANT_SEXE,ENFANT_PRENOM,NOMBRE_OCCURRENCES,ANNEE\n";

fn prenoms_valid() -> String {
    format!("{PRENOMS_HEADER}Cergy,95127,F,Louise,12,2025\nCergy,95127,M,Gabriel,9,2025\nCergy,95127,F,Jade,7,2024\n")
}

#[test]
fn valid_file_passes_its_builtin_schema() {
    let site = table_site(Lang::Fr, "prenoms.csv", prenoms_valid(), "schema: scdl-prenoms\n");
    let (run, report) = site.check();
    assert_eq!(run.code, 0, "{report:#?}");
    assert!(report.diagnostics.is_empty(), "{report:#?}");
    let ds = site.dataset_json("d");
    let check = &resource(&ds)["schema_check"];
    assert_eq!(check["schema"], "scdl-prenoms");
    assert_eq!(check["valid"], true);
    assert_eq!(check["errors"], 0);
    let criteria = ds["quality"]["criteria"].as_array().unwrap();
    let schema = criteria.iter().find(|c| c["id"] == "schema").expect("schema criterion");
    assert_eq!(schema["passed"], true);
}

#[test]
fn schema_violations_are_grouped() {
    // Line 3 is blank: the bad cells start on file line 4, record 2.
    let mut csv = format!("{PRENOMS_HEADER}Cergy,95127,F,Louise,12,2025\n\n");
    for i in 0..500 {
        csv.push_str(&format!("Cergy,95127,M,Gabriel,douze{i},2025\n"));
    }
    let site = table_site(Lang::Fr, "prenoms.csv", csv, "schema: scdl-prenoms\n");
    let (run, report) = site.check();
    assert_eq!(run.code, 1, "{report:#?}");
    let file = "datasets/d/prenoms.csv";
    let violations = report.with_code("schema-violation");
    assert!((1..=5).contains(&violations.len()), "{report:#?}");
    assert!(report.about(file).len() <= 10, "{report:#?}");
    let d = violations.iter().find(|d| d.message.contains("NOMBRE_OCCURRENCES")).expect("the bad column");
    d.assert_at("error", file, Some(4));
    assert_eq!(d.column, Some(5), "{d:#?}");
    assert!(d.message.contains("500"), "{d:#?}");
    d.assert_lang(Lang::Fr, "schéma « scdl-prenoms »", "schema “scdl-prenoms”");
    assert!(d.message.contains("fois"), "{d:#?}");
    assert!(d.hint.as_deref().unwrap_or("").contains("4, 5"), "{d:#?}");

    // The same in English.
    let csv = format!("{PRENOMS_HEADER}Cergy,95127,X,Louise,12,2025\n");
    let site = table_site(Lang::En, "prenoms.csv", csv, "schema: scdl-prenoms\n");
    let (run, report) = site.check();
    assert_eq!(run.code, 1, "{report:#?}");
    let d = report.one("schema-violation");
    d.assert_at("error", file, Some(2));
    assert_eq!(d.column, Some(3), "{d:#?}");
    d.assert_lang(Lang::En, "schéma", "schema “scdl-prenoms”");
    assert!(d.message.contains("ENFANT_SEXE") && d.message.contains("1 time"), "{d:#?}");
}

#[test]
fn unknown_schema_name_suggests_the_nearest() {
    let site = table_site(Lang::En, "prenoms.csv", prenoms_valid(), "schema: scdl-prenom\n");
    let (run, report) = site.check();
    assert_eq!(run.code, 1, "{report:#?}");
    let d = report.one("unknown-schema");
    d.assert_at("error", "datasets/d/dataset.yaml", Some(4));
    d.assert_lang(Lang::En, "inconnu", "unknown schema “scdl-prenom”");
    assert!(d.hint.as_deref().unwrap_or("").contains("scdl-prenoms"), "{d:#?}");

    let site = table_site(Lang::Fr, "prenoms.csv", prenoms_valid(), "schema: scdl-prenom\n");
    let (_, report) = site.check();
    let d = report.one("unknown-schema");
    d.assert_lang(Lang::Fr, "schéma « scdl-prenom » inconnu", "unknown schema");
    assert!(d.hint.as_deref().unwrap_or("").contains("« scdl-prenoms »"), "{d:#?}");
}

#[test]
fn local_schema_file_is_used() {
    let schema = r#"{"fields": [
        {"name": "code", "type": "string", "constraints": {"required": true}},
        {"name": "places", "type": "integer", "constraints": {"maximum": 100}}
    ]}"#;
    let site = table_site(Lang::Fr, "salles.csv", "code,places\nA,10\nB,250\nC,300\n", "schema: schemas/mine.json\n");
    site.write(&format!("{DIR}/schemas/mine.json"), schema);
    let (run, report) = site.check();
    assert_eq!(run.code, 1, "{report:#?}");
    let d = report.one("schema-violation");
    d.assert_at("error", "datasets/d/salles.csv", Some(3));
    assert_eq!(d.column, Some(2), "{d:#?}");
    assert!(d.message.contains("schemas/mine.json") && d.message.contains("places"), "{d:#?}");
    assert!(d.message.contains('2'), "{d:#?}");

    site.write(&format!("{DIR}/salles.csv"), "code,places\nA,10\nB,25\n");
    let (run, report) = site.check();
    assert_eq!(run.code, 0, "{report:#?}");
    let ds = site.dataset_json("d");
    let csv = ds["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"] == "datasets/d/salles.csv")
        .expect("the CSV resource");
    assert_eq!(csv["schema_check"]["schema"], "schemas/mine.json");
    assert_eq!(csv["schema_check"]["valid"], true);
}

#[test]
fn missing_local_schema_file() {
    let site = table_site(Lang::Fr, "salles.csv", "code,places\nA,10\n", "schema: schemas/absent.json\n");
    let (run, report) = site.check();
    assert_eq!(run.code, 1, "{report:#?}");
    let d = report.one("schema-not-found");
    d.assert_at("error", "datasets/d/dataset.yaml", Some(4));
    d.assert_lang(Lang::Fr, "le schéma « schemas/absent.json » est introuvable", "does not exist");

    let site = table_site(Lang::En, "salles.csv", "code,places\nA,10\n", "schema: schemas/absent.json\n");
    let (_, report) = site.check();
    report.one("schema-not-found").assert_lang(
        Lang::En,
        "introuvable",
        "the schema “schemas/absent.json” does not exist",
    );
}

// ---------------------------------------------------------- column profile

#[test]
fn column_profiles() {
    let csv = "id;montant;actif;date_fr;date_iso;horodatage;libelle\n\
               1;1 234,5;oui;01/03/2025;2025-03-01;2025-03-01T08:30:00;Piscine\n\
               2;12,25;non;15/12/2024;2024-12-15;2025-03-02 09:00;Gymnase\n\
               3;;oui;;2025-01-01;2025-02-28T07:00:00;Piscine\n\
               4;NA;oui;31/01/2025;-;;Piscine\n";
    let site = table_site(Lang::Fr, "x.csv", csv, "");
    let (run, report) = site.check();
    assert_eq!(run.code, 0, "{report:#?}");
    assert!(report.diagnostics.is_empty(), "{report:#?}");
    let ds = site.dataset_json("d");
    let r = resource(&ds);
    assert_eq!(r["rows"], 4);
    assert_eq!(r["dialect"]["decimal"], ",");
    let expect = |name: &str, kind: &str, nulls: u64, distinct: u64, min: &str, max: &str| {
        let c = column(r, name);
        assert_eq!(c["type"], kind, "{c:#}");
        assert_eq!(c["nulls"], nulls, "{c:#}");
        assert_eq!(c["distinct"], distinct, "{c:#}");
        assert_eq!(text(&c["min"]), min, "{c:#}");
        assert_eq!(text(&c["max"]), max, "{c:#}");
        c
    };
    expect("id", "integer", 0, 4, "1", "4");
    let montant = expect("montant", "number", 2, 2, "12.25", "1234.5");
    assert_eq!(top(montant), [("1 234,5".to_string(), 1), ("12,25".to_string(), 1)]);
    let actif = expect("actif", "boolean", 0, 2, "false", "true");
    assert_eq!(top(actif), [("oui".to_string(), 3), ("non".to_string(), 1)]);
    expect("date_fr", "date", 1, 3, "2024-12-15", "2025-03-01");
    expect("date_iso", "date", 1, 3, "2024-12-15", "2025-03-01");
    expect("horodatage", "datetime", 1, 3, "2025-02-28T07:00:00", "2025-03-02T09:00:00");
    let libelle = expect("libelle", "string", 0, 2, "Gymnase", "Piscine");
    assert_eq!(top(libelle), [("Piscine".to_string(), 3), ("Gymnase".to_string(), 1)]);
}

// ------------------------------------------------------------------ quality

#[test]
fn quality_score() {
    let long = "Les prénoms donnés aux enfants nés dans la commune, par année et par sexe, \
                tels que déclarés à l'état civil de la mairie.";
    assert!(long.chars().count() >= 100);
    let sidecar = |description: &str| {
        format!(
            "title: Prénoms des nouveau-nés\ndescription: {description}\nmodified: 2026-06-01\nfrequency: annual\n\
             temporal: {{start: 2024-01-01, end: 2025-12-31}}\nspatial: {{label: Cergy, insee: \"95127\"}}\n\
             schema: scdl-prenoms\nresources:\n  - path: prenoms.csv\n    title: Prénoms 2024-2025\n"
        )
    };
    let site = Site::new(Lang::Fr);
    site.write("datasets/prenoms/dataset.yaml", sidecar(long));
    site.write("datasets/prenoms/prenoms.csv", prenoms_valid());
    let ds = site.dataset_json("prenoms");
    let failed = |ds: &Value| -> Vec<String> {
        ds["quality"]["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["passed"] != true)
            .map(|c| text(&c["id"]))
            .collect()
    };
    assert_eq!(failed(&ds), Vec::<String>::new(), "{:#}", ds["quality"]);
    assert_eq!(ds["quality"]["score"], 100);

    site.write("datasets/prenoms/dataset.yaml", sidecar("Les prénoms des nouveau-nés."));
    let ds = site.dataset_json("prenoms");
    assert_eq!(failed(&ds), ["description"], "{:#}", ds["quality"]);
    let criteria = ds["quality"]["criteria"].as_array().unwrap().len() as u64;
    let expected = ((criteria - 1) * 100 + criteria / 2) / criteria;
    assert_eq!(ds["quality"]["score"], expected);
    assert!(expected < 100);
}

#[test]
fn personal_data_can_be_reviewed_column_by_column() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir_all(site.join("datasets/d")).unwrap();
    std::fs::write(
        site.join("site.yaml"),
        "title: T\nbase_url: https://data.example.org/\nsiret: \"21995010000018\"\nlicense: etalab-2.0\nlanguage: fr\n",
    )
    .unwrap();
    std::fs::write(
        site.join("datasets/d/dataset.yaml"),
        "title: Équipements\ndescription: d\nmodified: 2026-11-01\npersonal_data:\n  reviewed: [tel]\n",
    )
    .unwrap();
    std::fs::write(
        site.join("datasets/d/data.csv"),
        "nom,tel,contact\nMairie,02 61 91 00 00,accueil.mairie@exemple.fr\n",
    )
    .unwrap();
    let run = kiosque(&[OsStr::new("check"), site.as_os_str(), OsStr::new("--format"), OsStr::new("json")]);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    let found: Vec<(&str, &str)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "personal-data")
        .map(|d| (d["severity"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    assert_eq!(found.len(), 2, "{v:#}");
    assert!(found.iter().any(|(s, m)| *s == "warning" && m.contains("« tel »")), "{found:?}");
    assert!(found.iter().any(|(s, m)| *s == "error" && m.contains("« contact »")), "{found:?}");
    assert_eq!(run.code, 1, "the unreviewed e-mail column still blocks");
    assert!(!run.output().contains("accueil.mairie@exemple.fr"));
}
