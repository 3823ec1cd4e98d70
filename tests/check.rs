//! `kiosque check` on small fixture sites under `tests/fixtures/`: each bad
//! input is found with the right code, file, line and column, in the site's
//! language, with exit code 1 (0 when there are only warnings), and nothing
//! is written. Also `kiosque build` on a bad site: exit 1 and the previous
//! output left as it was.
//!
//! Every fixture under `tests/fixtures/bad/` holds one problem (plus the
//! consequences it cannot avoid); fixtures that need files created (big
//! files, links, FIFOs, output folders) are copied into a temporary folder.

mod common;

use common::{Diag, Report, Run};
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A secret string stored in the file outside the dataset folder of the
/// `resource-path-outside` fixture: it must never show up anywhere.
const CANARY: &str = "KIOSQUE-CANARY-7f3a";

/// Every folder under `tests/fixtures/bad/`, so none is left untested.
const BAD_FIXTURES: &[&str] = &[
    "accessibility-unknown",
    "alias-bomb",
    "color-low-contrast",
    "date-french-format",
    "date-impossible",
    "duplicate-slug",
    "frequency-french-word",
    "frequency-unknown",
    "license-name",
    "logo-missing",
    "menu-unknown-page",
    "missing-description",
    "missing-license",
    "missing-title",
    "not-utf8",
    "page-missing-front-matter",
    "page-missing-title",
    "page-yaml-syntax",
    "resource-not-found",
    "resource-path-absolute",
    "resource-path-control",
    "resource-path-encoded",
    "resource-path-outside",
    "resource-path-url",
    "resource-url-scheme",
    "temporal-order",
    "theme-name-path",
    "unknown-key-en",
    "unknown-key-fr",
    "unknown-license",
    "unknown-theme",
    "wrong-type",
    "yaml-bad-indent",
    "yaml-unclosed-bracket",
    "yaml-unclosed-bracket-mid",
];

const SIDECAR: &str = "datasets/budget/dataset.yaml";

// ---------------------------------------------------------------- helpers

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lang {
    Fr,
    En,
}

impl Diag {
    /// Asserts the file, line and column (`None` column: not checked).
    fn assert_at(&self, file: &str, line: usize, column: Option<usize>) {
        assert_eq!(self.file.as_deref(), Some(file), "file of {self:#?}");
        assert_eq!(self.line, Some(line), "line of {self:#?}");
        if let Some(column) = column {
            assert_eq!(self.column, Some(column), "column of {self:#?}");
        }
    }

    fn hint(&self) -> &str {
        self.hint.as_deref().unwrap_or_else(|| panic!("no hint in {self:#?}"))
    }

    /// Asserts the message and hint speak `lang`: French texts quote with
    /// « », English ones with “ ”.
    fn assert_lang(&self, lang: Lang) {
        let text = format!("{} {}", self.message, self.hint.as_deref().unwrap_or(""));
        let (want, other) = match lang {
            Lang::Fr => ('«', '“'),
            Lang::En => ('“', '«'),
        };
        assert!(text.contains(want) && !text.contains(other), "expected {lang:?} in {self:#?}");
    }
}

/// Runs `kiosque ARGS` in `cwd`, killing it (and failing) after [`TIMEOUT`].
fn kiosque(cwd: &Path, args: &[&OsStr]) -> Run {
    common::run_kiosque(Some(cwd), args)
}

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn bad(name: &str) -> PathBuf {
    manifest_dir().join("tests/fixtures/bad").join(name)
}

fn good(name: &str) -> PathBuf {
    manifest_dir().join("tests/fixtures/good").join(name)
}

/// Every entry under `dir`: regular files with their bytes, folders, links
/// and other special files (never opened: a FIFO would block) by kind.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read folder") {
            let path = entry.expect("folder entry").path();
            let rel = path.strip_prefix(dir).expect("inside").to_path_buf();
            let ft = std::fs::symlink_metadata(&path).expect("metadata").file_type();
            if ft.is_dir() {
                out.insert(rel, b"<dir>".to_vec());
                stack.push(path);
            } else if ft.is_file() {
                out.insert(rel, std::fs::read(&path).expect("read file"));
            } else if ft.is_symlink() {
                let target = std::fs::read_link(&path).expect("read link");
                out.insert(rel, format!("<link {}>", target.display()).into_bytes());
            } else {
                out.insert(rel, b"<special>".to_vec());
            }
        }
    }
    out
}

/// Copies a fixture folder (regular files and folders only).
fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("create folder");
    for entry in std::fs::read_dir(src).expect("read folder") {
        let entry = entry.expect("folder entry");
        let to = dst.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), &to).expect("copy file");
        }
    }
}

/// A fresh temporary folder holding a copy of `fixture` as `site/`.
fn temp_site(fixture: &Path) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let site = tmp.path().join("site");
    copy_dir(fixture, &site);
    (tmp, site)
}

/// The result of `kiosque check SITE --format json`, parsed.
struct Checked {
    code: i32,
    report: Report,
    stderr: String,
    stdout: String,
}

impl Checked {
    fn all(&self, code: &str) -> Vec<&Diag> {
        self.report.diagnostics.iter().filter(|d| d.code == code).collect()
    }

    /// The single diagnostic with this code.
    fn one(&self, code: &str) -> &Diag {
        let found = self.all(code);
        assert_eq!(found.len(), 1, "expected one “{code}” in {:#?}", self.report.diagnostics);
        found[0]
    }

    /// The sorted codes of all errors.
    fn error_codes(&self) -> Vec<&str> {
        let mut codes: Vec<&str> =
            self.report.diagnostics.iter().filter(|d| d.severity == "error").map(|d| d.code.as_str()).collect();
        codes.sort_unstable();
        codes
    }

    fn assert_exit(&self, code: i32) {
        assert_eq!(self.code, code, "exit code; diagnostics: {:#?}", self.report.diagnostics);
    }
}

/// Runs `kiosque check SITE --format json` and checks what every run must
/// satisfy: the site folder is unchanged (no `public/`), stdout is the
/// contract's JSON object, the counts match, and the exit code is 1 exactly
/// when there are errors.
fn check_json(site: &Path) -> Checked {
    let before = tree(site);
    let run =
        kiosque(manifest_dir(), &[OsStr::new("check"), site.as_os_str(), OsStr::new("--format"), OsStr::new("json")]);
    assert!(!site.join("public").exists(), "check created {}", site.join("public").display());
    assert!(tree(site) == before, "check changed files in {}", site.display());
    let value: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}\nstderr:\n{}", run.stdout, run.stderr));
    for d in value["diagnostics"].as_array().expect("diagnostics is a list") {
        for key in ["severity", "code", "message", "file", "line", "column", "hint"] {
            assert!(d.get(key).is_some(), "diagnostic without “{key}”: {d}");
        }
    }
    let report: Report = serde_json::from_value(value).expect("JSON report of the contract");
    let errors = report.diagnostics.iter().filter(|d| d.severity == "error").count();
    let warnings = report.diagnostics.iter().filter(|d| d.severity == "warning").count();
    assert_eq!((report.errors, report.warnings), (errors, warnings), "counts of {report:#?}");
    for d in &report.diagnostics {
        assert!(d.severity == "error" || d.severity == "warning", "severity of {d:#?}");
        if let Some(file) = &d.file {
            assert!(!file.contains('\\') && !Path::new(file).is_absolute(), "file not relative with / in {d:#?}");
        }
        assert_ne!(d.line, Some(0), "lines are 1-based: {d:#?}");
        assert_ne!(d.column, Some(0), "columns are 1-based: {d:#?}");
    }
    let expected = if errors > 0 { 1 } else { 0 };
    assert_eq!(run.code, expected, "exit code with {errors} error(s): {:#?}", report.diagnostics);
    Checked { code: run.code, report, stderr: run.stderr, stdout: run.stdout }
}

fn build(site: &Path, out: Option<&Path>) -> Run {
    let mut args = vec![OsStr::new("build"), site.as_os_str()];
    if let Some(out) = out {
        args.extend([OsStr::new("-o"), out.as_os_str()]);
    }
    kiosque(manifest_dir(), &args)
}

// ---------------------------------------------------------------- fixtures

#[test]
fn every_bad_fixture_is_listed() {
    let mut found: Vec<String> = std::fs::read_dir(manifest_dir().join("tests/fixtures/bad"))
        .expect("tests/fixtures/bad")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    found.sort();
    assert_eq!(found, BAD_FIXTURES, "update BAD_FIXTURES (and add a test) when adding a fixture");
}

// ------------------------------------------------------------- good site

#[test]
fn good_site_checks_without_any_finding() {
    let c = check_json(&good("minimal"));
    c.assert_exit(0);
    assert!(c.report.diagnostics.is_empty(), "{:#?}", c.report.diagnostics);
    // The human format says so, in the site's language.
    let run = kiosque(manifest_dir(), &[OsStr::new("check"), good("minimal").as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("Aucun problème trouvé."), "{}", run.stderr);
}

#[test]
fn good_site_builds() {
    let (tmp, site) = temp_site(&good("minimal"));
    let out = tmp.path().join("out");
    let run = build(&site, Some(&out));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(out.join("index.html").is_file());
    assert!(out.join("catalog.json").is_file());
    for (src, dst) in [
        ("datasets/budget/budget.csv", "datasets/budget/budget.csv"),
        ("datasets/arbres.csv", "datasets/arbres/arbres.csv"),
    ] {
        assert_eq!(std::fs::read(out.join(dst)).ok(), std::fs::read(site.join(src)).ok(), "{dst}");
    }
    assert!(!site.join("public").exists(), "-o was given: nothing goes to SITE/public");
}

// --------------------------------------------------------- required fields

#[test]
fn missing_title() {
    let c = check_json(&bad("missing-title"));
    assert_eq!(c.error_codes(), ["missing-field"]);
    let d = c.one("missing-field");
    d.assert_at(SIDECAR, 1, Some(1));
    assert!(d.message.contains("“title”"), "{d:#?}");
    d.assert_lang(Lang::En);
}

#[test]
fn missing_description() {
    let c = check_json(&bad("missing-description"));
    assert_eq!(c.error_codes(), ["missing-field"]);
    let d = c.one("missing-field");
    d.assert_at(SIDECAR, 1, Some(1));
    assert!(d.message.contains("« description »"), "{d:#?}");
    d.assert_lang(Lang::Fr);
}

#[test]
fn missing_license_in_sidecar_and_site() {
    // (tests/fixtures/good/minimal has a dataset without `license` and a
    // default licence in site.yaml: no finding there.)
    let c = check_json(&bad("missing-license"));
    assert_eq!(c.error_codes(), ["missing-license"]);
    let d = c.one("missing-license");
    d.assert_at(SIDECAR, 1, Some(1));
    assert!(d.hint().contains("etalab-2.0"), "{d:#?}");
    d.assert_lang(Lang::En);
}

// ------------------------------------------------ appearance (site.yaml)

#[test]
fn logo_not_in_static() {
    let c = check_json(&bad("logo-missing"));
    assert_eq!(c.error_codes(), ["missing-logo"]);
    let d = c.one("missing-logo");
    d.assert_at("site.yaml", 6, Some(7));
    assert!(d.hint().contains("“static/”"), "{d:#?}");
    d.assert_lang(Lang::En);
}

#[test]
fn menu_names_a_missing_page() {
    let c = check_json(&bad("menu-unknown-page"));
    assert_eq!(c.error_codes(), ["unknown-menu-page"]);
    let d = c.one("unknown-menu-page");
    d.assert_at("site.yaml", 8, Some(5));
    assert!(d.hint().contains("« a-propos »"), "{d:#?}");
    d.assert_lang(Lang::Fr);
}

#[test]
fn a_light_colour_is_a_warning_with_a_darker_suggestion() {
    let c = check_json(&bad("color-low-contrast"));
    c.assert_exit(0);
    let d = c.one("low-contrast");
    assert_eq!(d.severity, "warning");
    d.assert_at("site.yaml", 7, Some(12));
    assert!(d.message.contains("2,1:1") && d.message.contains("4,5:1"), "{d:#?}");
    // The suggested colour passes.
    let hex = d.hint().split('«').nth(1).and_then(|s| s.split('»').next()).unwrap().trim();
    let rgb = kiosque::color::Rgb::parse(hex).unwrap_or_else(|| panic!("{hex}"));
    assert!(rgb.contrast(kiosque::color::WHITE) >= 4.5, "{hex}");
    d.assert_lang(Lang::Fr);
}

#[test]
fn unknown_accessibility_status() {
    let c = check_json(&bad("accessibility-unknown"));
    assert_eq!(c.error_codes(), ["bad-value"]);
    let d = c.one("bad-value");
    d.assert_at("site.yaml", 6, Some(16));
    assert!(d.hint().contains("“partial”"), "{d:#?}");
    d.assert_lang(Lang::En);
}

// ---------------------------------------------------------- vocabularies

#[test]
fn unknown_license_id_suggests_etalab() {
    let c = check_json(&bad("unknown-license"));
    assert_eq!(c.error_codes(), ["unknown-license"]);
    let d = c.one("unknown-license");
    d.assert_at(SIDECAR, 3, Some(10));
    assert!(d.message.contains("etalab2"), "{d:#?}");
    assert!(d.hint().starts_with("did you mean “etalab-2.0”"), "{d:#?}");
    d.assert_lang(Lang::En);
}

#[test]
fn license_written_as_a_name_suggests_etalab() {
    let c = check_json(&bad("license-name"));
    assert_eq!(c.error_codes(), ["unknown-license"]);
    let d = c.one("unknown-license");
    d.assert_at(SIDECAR, 3, Some(10));
    assert!(d.message.contains("« Licence Ouverte »"), "{d:#?}");
    assert!(d.hint().starts_with("vouliez-vous dire « etalab-2.0 »"), "{d:#?}");
    d.assert_lang(Lang::Fr);
}

#[test]
fn unknown_theme_suggests_econ() {
    let c = check_json(&bad("unknown-theme"));
    assert_eq!(c.error_codes(), ["unknown-theme"]);
    let d = c.one("unknown-theme");
    d.assert_at(SIDECAR, 3, Some(10));
    assert!(d.message.contains("ECONOMY"), "{d:#?}");
    assert!(d.hint().contains("“ECON”"), "{d:#?}");
    d.assert_lang(Lang::En);
}

#[test]
fn french_frequency_word_suggests_monthly() {
    let c = check_json(&bad("frequency-french-word"));
    assert_eq!(c.error_codes(), ["unknown-frequency"]);
    let d = c.one("unknown-frequency");
    d.assert_at(SIDECAR, 3, Some(12));
    assert!(d.message.contains("« mensuel »"), "{d:#?}");
    assert!(d.hint().contains("« monthly »"), "{d:#?}");
    d.assert_lang(Lang::Fr);
}

#[test]
fn unknown_frequency() {
    let c = check_json(&bad("frequency-unknown"));
    assert_eq!(c.error_codes(), ["unknown-frequency"]);
    let d = c.one("unknown-frequency");
    d.assert_at(SIDECAR, 3, Some(12));
    assert!(d.message.contains("“sometimes”"), "{d:#?}");
    // No close match: the hint lists the known values.
    assert!(d.hint().contains("monthly") && d.hint().contains("irregular"), "{d:#?}");
    d.assert_lang(Lang::En);
}

// ------------------------------------------------------------------ dates

#[test]
fn french_date_format_hint_shows_iso_date() {
    let c = check_json(&bad("date-french-format"));
    assert_eq!(c.error_codes(), ["invalid-date"]);
    let d = c.one("invalid-date");
    d.assert_at(SIDECAR, 3, Some(11));
    assert!(d.message.contains("« modified »") && d.message.contains("31/03/2026"), "{d:#?}");
    assert!(d.hint().contains("« 2026-03-31 »"), "{d:#?}");
    d.assert_lang(Lang::Fr);
}

#[test]
fn impossible_date() {
    let c = check_json(&bad("date-impossible"));
    assert_eq!(c.error_codes(), ["invalid-date"]);
    let d = c.one("invalid-date");
    d.assert_at(SIDECAR, 3, Some(10));
    assert!(d.message.contains("“created”") && d.message.contains("2026-02-30"), "{d:#?}");
    assert!(d.hint().contains("YYYY-MM-DD"), "{d:#?}");
    d.assert_lang(Lang::En);
}

#[test]
fn temporal_start_after_end() {
    let c = check_json(&bad("temporal-order"));
    assert_eq!(c.error_codes(), ["temporal-order"]);
    let d = c.one("temporal-order");
    assert_eq!(d.file.as_deref(), Some(SIDECAR));
    // Either bound may carry the finding: `start` is at 4:10, `end` at 5:8.
    assert!(matches!((d.line, d.column), (Some(4), Some(10)) | (Some(5), Some(8))), "{d:#?}");
    assert!(d.message.contains("2026-12-31") && d.message.contains("2026-01-01"), "{d:#?}");
    d.assert_lang(Lang::Fr);
}

// -------------------------------------------------------------- resources

#[test]
fn resource_not_found_suggests_the_existing_file() {
    let c = check_json(&bad("resource-not-found"));
    assert_eq!(c.error_codes(), ["resource-not-found"]);
    let d = c.one("resource-not-found");
    d.assert_at(SIDECAR, 4, Some(11));
    assert!(d.message.contains("“budjet.csv”"), "{d:#?}");
    assert!(d.hint().contains("“budget.csv”"), "{d:#?}");
    d.assert_lang(Lang::En);
}

#[test]
fn absolute_resource_paths() {
    let c = check_json(&bad("resource-path-absolute"));
    assert_eq!(c.error_codes(), ["resource-path-absolute"; 5]);
    let found = c.all("resource-path-absolute");
    // Unix, Windows, network (UNC, and its form with slashes) and a Windows
    // drive without a folder.
    let paths = ["/etc/passwd", r"C:\data\x.csv", r"\\server\share\x.csv", "//server/x.csv", "C:x.csv"];
    assert_eq!(found.len(), paths.len());
    for (d, (line, path)) in found.iter().zip((4..).zip(paths)) {
        d.assert_at(SIDECAR, line, Some(11));
        assert!(d.message.contains(&format!("« {path} »")), "{d:#?}");
        assert!(d.hint().contains("« datasets/budget »"), "{d:#?}");
        d.assert_lang(Lang::Fr);
    }
}

/// `%2e%2e` is not `..`: paths are file names, not URLs. Nothing is
/// decoded, so nothing climbs out; the hint says why the file is not found.
#[test]
fn percent_encoded_resource_paths_are_not_decoded() {
    let c = check_json(&bad("resource-path-encoded"));
    assert_eq!(c.error_codes(), ["resource-not-found"; 3]);
    let paths = ["%2e%2e/%2e%2e/secret.csv", "%2e%2e%2f%2e%2e%2fsecret.csv", "..%2f..%2fsecret.csv"];
    for (d, (line, path)) in c.all("resource-not-found").iter().zip((4..).zip(paths)) {
        d.assert_at(SIDECAR, line, Some(11));
        assert!(d.message.contains(&format!("“{path}”")), "{d:#?}");
        assert!(d.hint().contains("“%xx”") && d.hint().contains("does not decode"), "{d:#?}");
        d.assert_lang(Lang::En);
    }
    assert!(!c.stdout.contains(CANARY) && !c.stderr.contains(CANARY));
}

/// An address written as a `path` (`file:`, `https:`, `javascript:`) is
/// refused as such; for a web address the hint says to use `url`.
#[test]
fn addresses_as_resource_paths() {
    let c = check_json(&bad("resource-path-url"));
    assert_eq!(c.error_codes(), ["resource-path-url"; 4]);
    let found = c.all("resource-path-url");
    let paths =
        ["file:///etc/passwd", "file:../../secret.csv", "https://example.org/budget.csv", "javascript:alert(1)"];
    for (d, (line, path)) in found.iter().zip((4..).zip(paths)) {
        d.assert_at(SIDECAR, line, Some(11));
        assert!(d.message.contains(&format!("« {path} » est une adresse")), "{d:#?}");
        d.assert_lang(Lang::Fr);
    }
    assert!(found[2].hint().contains("« url: https://example.org/budget.csv »"), "{:#?}", found[2]);
    assert!(found[0].hint().contains("« datasets/budget »"), "{:#?}", found[0]);
    assert!(!c.stdout.contains(CANARY) && !c.stderr.contains(CANARY));
}

/// A NUL byte (which would cut the path short for the system) or another
/// invisible character in a path is refused, shown escaped.
#[test]
fn control_characters_in_resource_paths() {
    let c = check_json(&bad("resource-path-control"));
    assert_eq!(c.error_codes(), ["resource-path-invalid"; 2]);
    let found = c.all("resource-path-invalid");
    for (d, (line, shown)) in found.iter().zip([(4, r"budget.csv\0../../secret.csv"), (5, r"budget\u{1b}.csv")]) {
        d.assert_at(SIDECAR, line, Some(11));
        assert!(d.message.contains(&format!("“{shown}”")), "{d:#?}");
        assert!(!d.message.contains(['\0', '\u{1b}']), "{d:#?}");
        d.assert_lang(Lang::En);
    }
    assert!(!c.stdout.contains(CANARY) && !c.stderr.contains(CANARY));
}

/// A `url` is a web address: `file:`, `javascript:` (in any case), `data:`
/// and scheme-relative addresses are refused, so no page links to them.
#[test]
fn resource_urls_other_than_web_addresses() {
    let c = check_json(&bad("resource-url-scheme"));
    assert_eq!(c.error_codes(), ["bad-url"; 5]);
    let urls =
        ["file:///etc/passwd", "javascript:alert(1)", "JavaScript:alert(1)", "data:text/csv,a", "//example.org/x.csv"];
    for (d, (line, url)) in c.all("bad-url").iter().zip((5..).zip(urls)) {
        d.assert_at(SIDECAR, line, Some(10));
        assert!(d.message.contains(&format!("“{url}”")), "{d:#?}");
        assert!(d.hint().contains("https://"), "{d:#?}");
        d.assert_lang(Lang::En);
    }
}

/// `theme:` names a folder of `themes/`: a path there would take templates
/// and assets (published as they are) from anywhere.
#[test]
fn theme_name_that_is_a_path() {
    let site = bad("theme-name-path");
    let c = check_json(&site);
    assert_eq!(c.error_codes(), ["invalid-theme-name"]);
    let d = c.one("invalid-theme-name");
    d.assert_at("site.yaml", 6, Some(8));
    assert!(d.message.contains("“../outside”"), "{d:#?}");
    d.assert_lang(Lang::En);
    let (tmp, site) = temp_site(&site);
    let out = tmp.path().join("out");
    let run = build(&site, Some(&out));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!out.exists() && !run.stderr.contains(CANARY));
}

#[test]
fn resource_paths_outside_the_dataset() {
    let site = bad("resource-path-outside");
    let c = check_json(&site);
    assert_eq!(c.error_codes(), ["resource-path-outside"; 3]);
    let found = c.all("resource-path-outside");
    let paths = ["../../secret.csv", r"..\..\secret.csv", "./sub/../../secret.csv"];
    for (d, (line, path)) in found.iter().zip((4..).zip(paths)) {
        d.assert_at(SIDECAR, line, Some(11));
        assert!(d.message.contains(&format!("“{path}”")), "{d:#?}");
        d.assert_lang(Lang::En);
    }
    // Nothing of the file outside shows anywhere.
    assert!(!c.stdout.contains(CANARY) && !c.stderr.contains(CANARY));
    let human = kiosque(manifest_dir(), &[OsStr::new("check"), site.as_os_str()]);
    assert_eq!(human.code, 1);
    assert!(!human.stdout.contains(CANARY) && !human.stderr.contains(CANARY), "{}", human.stderr);
}

/// The file outside the dataset is replaced by a FIFO: opening it for
/// reading would block until the timeout, so finishing proves it is never
/// opened, by `check` or by `build`, whichever way a path tries to reach it.
#[cfg(unix)]
#[test]
fn file_outside_the_dataset_is_never_opened() {
    for (fixture, code, count) in [
        ("resource-path-outside", "resource-path-outside", 3),
        ("resource-path-encoded", "resource-not-found", 3),
        ("resource-path-url", "resource-path-url", 4),
        ("resource-path-control", "resource-path-invalid", 2),
    ] {
        let (tmp, site) = temp_site(&bad(fixture));
        std::fs::remove_file(site.join("secret.csv")).expect("remove secret.csv");
        let status = Command::new("mkfifo").arg(site.join("secret.csv")).status().expect("run mkfifo");
        assert!(status.success(), "mkfifo failed");
        let c = check_json(&site);
        assert_eq!(c.all(code).len(), count, "{fixture}: {:#?}", c.report.diagnostics);
        let out = tmp.path().join("out");
        let run = build(&site, Some(&out));
        assert_eq!(run.code, 1, "{fixture}: {}", run.stderr);
        assert!(!out.exists(), "{fixture}: build with errors wrote {}", out.display());
    }
}

/// A link in a dataset folder to a file outside is neither followed when
/// listing the folder (a warning, and the file is not published) nor
/// accepted as a declared resource.
#[cfg(unix)]
#[test]
fn link_to_a_file_outside_is_not_published() {
    let (tmp, site) = temp_site(&good("minimal"));
    std::fs::write(site.join("secret.csv"), format!("name\n{CANARY}\n")).expect("write secret");
    std::os::unix::fs::symlink("../../secret.csv", site.join("datasets/budget/leak.csv")).expect("symlink");

    let c = check_json(&site);
    c.assert_exit(0);
    let d = c.one("symlink-ignored");
    assert_eq!(d.file.as_deref(), Some("datasets/budget/leak.csv"), "{d:#?}");
    assert_eq!(d.severity, "warning");
    assert!(d.message.contains("lien symbolique"), "{d:#?}");
    let out = tmp.path().join("out");
    let run = build(&site, Some(&out));
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (path, bytes) in tree(&out) {
        assert!(!String::from_utf8_lossy(&bytes).contains(CANARY), "{} holds the secret", path.display());
    }

    // Declared explicitly, the link is refused.
    let sidecar = site.join(SIDECAR);
    let mut text = std::fs::read_to_string(&sidecar).expect("read sidecar");
    text.push_str("resources:\n  - budget.csv\n  - leak.csv\n");
    std::fs::write(&sidecar, &text).expect("write sidecar");
    let line = text.lines().count();
    let c = check_json(&site);
    let d = c.one("resource-path-outside");
    d.assert_at(SIDECAR, line, Some(5));
    assert!(!c.stdout.contains(CANARY));
}

// ------------------------------------------------------------------ slugs

#[test]
fn duplicate_slug_is_reported_on_both_sidecars() {
    let c = check_json(&bad("duplicate-slug"));
    assert_eq!(c.error_codes(), ["duplicate-slug", "duplicate-slug"]);
    let found = c.all("duplicate-slug");
    let one_file = found.iter().find(|d| d.file.as_deref() == Some("datasets/budget.yaml")).expect("on budget.yaml");
    let folder = found.iter().find(|d| d.file.as_deref() == Some(SIDECAR)).expect("on budget/dataset.yaml");
    assert!(one_file.message.contains(SIDECAR), "{one_file:#?}");
    assert!(folder.message.contains("datasets/budget.yaml"), "{folder:#?}");
    for d in [one_file, folder] {
        assert_eq!(d.line, Some(1), "{d:#?}");
        assert!(d.message.contains("« budget »"), "{d:#?}");
        d.assert_lang(Lang::Fr);
    }
}

// ----------------------------------------------------------- unknown keys

#[test]
fn unknown_keys_in_english() {
    let c = check_json(&bad("unknown-key-en"));
    // The misspelt keys leave `title` and `description` missing; `licence`
    // is an accepted spelling of `license`, so neither a warning nor a
    // missing licence.
    assert_eq!(c.error_codes(), ["missing-field", "missing-field"]);
    let keys = c.all("unknown-key");
    assert_eq!(keys.len(), 2, "{:#?}", c.report.diagnostics);
    for (d, (line, key, near)) in keys.iter().zip([(1, "titel", "title"), (2, "descripton", "description")]) {
        assert_eq!(d.severity, "warning");
        d.assert_at(SIDECAR, line, Some(1));
        assert!(d.message.contains(&format!("“{key}”")), "{d:#?}");
        assert_eq!(d.hint(), format!("did you mean “{near}”?"));
        d.assert_lang(Lang::En);
    }
}

#[test]
fn unknown_key_in_french_is_only_a_warning() {
    let c = check_json(&bad("unknown-key-fr"));
    c.assert_exit(0);
    assert_eq!((c.report.errors, c.report.warnings), (0, 1), "{:#?}", c.report.diagnostics);
    let d = c.one("unknown-key");
    assert_eq!(d.severity, "warning");
    d.assert_at(SIDECAR, 3, Some(1));
    assert!(d.message.contains("« titel »"), "{d:#?}");
    assert_eq!(d.hint(), "vouliez-vous dire « title » ?");
}

// ------------------------------------------------------------ YAML syntax

#[test]
fn yaml_bad_indentation() {
    let c = check_json(&bad("yaml-bad-indent"));
    assert_eq!(c.error_codes(), ["yaml-syntax"]);
    let d = c.one("yaml-syntax");
    d.assert_at(SIDECAR, 3, Some(11));
    assert!(d.message.starts_with("YAML syntax error"), "{d:#?}");
    d.assert_lang(Lang::En);
}

#[test]
fn yaml_unclosed_bracket() {
    let c = check_json(&bad("yaml-unclosed-bracket"));
    assert_eq!(c.error_codes(), ["yaml-syntax"]);
    let d = c.one("yaml-syntax");
    d.assert_at(SIDECAR, 3, Some(11));
    assert!(d.message.starts_with("erreur de syntaxe YAML"), "{d:#?}");
    d.assert_lang(Lang::Fr);
}

#[test]
#[ignore = "limitation of the YAML parser: an unclosed `[` followed by another key is reported on the next key's line (4:10), not on the `[` (3:11)"]
fn yaml_unclosed_bracket_before_another_key() {
    let c = check_json(&bad("yaml-unclosed-bracket-mid"));
    assert_eq!(c.error_codes(), ["yaml-syntax"]);
    c.one("yaml-syntax").assert_at(SIDECAR, 3, Some(11));
}

/// The position is in `line`/`column`; the parser's own “at line L,
/// column C” is not repeated in the message.
#[test]
fn yaml_syntax_message_has_no_position_text() {
    let c = check_json(&bad("yaml-bad-indent"));
    let d = c.one("yaml-syntax");
    assert!(!d.message.contains("at line"), "{d:#?}");
}

#[test]
fn not_utf8_sidecar() {
    let c = check_json(&bad("not-utf8"));
    assert_eq!(c.error_codes(), ["not-utf8"]);
    let d = c.one("not-utf8");
    // `description: caf` is 16 characters: the byte 0xE9 is column 17.
    d.assert_at(SIDECAR, 2, Some(17));
    assert!(d.message.contains("0xE9"), "{d:#?}");
    assert!(d.hint().contains("UTF-8"), "{d:#?}");
    d.assert_lang(Lang::Fr);
}

#[test]
fn alias_bomb_is_refused_quickly() {
    let site = bad("alias-bomb");
    assert!(std::fs::metadata(site.join(SIDECAR)).expect("sidecar").len() < 1024, "keep the fixture small");
    let start = Instant::now();
    let c = check_json(&site);
    assert!(start.elapsed() < Duration::from_secs(15), "took {:?}", start.elapsed());
    assert_eq!(c.error_codes(), ["yaml-too-complex"]);
    let d = c.one("yaml-too-complex");
    assert_eq!(d.file.as_deref(), Some(SIDECAR));
    assert!(d.line.is_some_and(|l| (1..=11).contains(&l)), "{d:#?}");
    assert!(d.message.starts_with("YAML too complex"), "{d:#?}");
    assert!(d.hint().contains("aliases"), "{d:#?}");
}

#[test]
fn sidecar_larger_than_one_mebibyte() {
    let (_tmp, site) = temp_site(&good("minimal"));
    let mut text = std::fs::read_to_string(site.join(SIDECAR)).expect("read sidecar");
    text.push_str("# ");
    text.push_str(&"x".repeat(1 << 20));
    text.push('\n');
    std::fs::write(site.join(SIDECAR), &text).expect("write sidecar");
    let c = check_json(&site);
    assert_eq!(c.error_codes(), ["file-too-large"]);
    let d = c.one("file-too-large");
    assert_eq!(d.file.as_deref(), Some(SIDECAR), "{d:#?}");
    assert!(d.message.contains(&text.len().to_string()) && d.message.contains("octets"), "{d:#?}");
}

// ------------------------------------------------------------------ types

#[test]
fn wrong_types() {
    let c = check_json(&bad("wrong-type"));
    let found = c.all("wrong-type");
    assert_eq!(found.len(), 2, "{:#?}", c.report.diagnostics);
    found[0].assert_at(SIDECAR, 1, Some(8));
    assert!(found[0].message.contains("“title”") && found[0].message.contains("list"), "{:#?}", found[0]);
    found[1].assert_at(SIDECAR, 3, Some(11));
    assert!(found[1].message.contains("“keywords”") && found[1].message.contains("mapping"), "{:#?}", found[1]);
    for d in found {
        d.assert_lang(Lang::En);
    }
}

// ------------------------------------------------------------------ pages

#[test]
fn page_without_front_matter() {
    let c = check_json(&bad("page-missing-front-matter"));
    assert_eq!(c.error_codes(), ["page-missing-front-matter"]);
    let d = c.one("page-missing-front-matter");
    d.assert_at("pages/about.md", 1, Some(1));
    d.assert_lang(Lang::En);
}

#[test]
fn page_without_title() {
    let c = check_json(&bad("page-missing-title"));
    assert_eq!(c.error_codes(), ["missing-field"]);
    let d = c.one("missing-field");
    assert_eq!(d.file.as_deref(), Some("pages/a-propos.md"));
    assert!(d.line.is_some_and(|l| l <= 3), "in the front matter: {d:#?}");
    assert!(d.message.contains("« title »"), "{d:#?}");
    d.assert_lang(Lang::Fr);
}

#[test]
fn page_front_matter_syntax_error_is_located_in_the_file() {
    let c = check_json(&bad("page-yaml-syntax"));
    let d = c.one("yaml-syntax");
    // Line 3 of the file (line 2 of the front matter).
    d.assert_at("pages/about.md", 3, Some(8));
    d.assert_lang(Lang::En);
}

#[test]
fn page_front_matter_syntax_error_is_the_only_error() {
    let c = check_json(&bad("page-yaml-syntax"));
    assert_eq!(c.error_codes(), ["yaml-syntax"]);
}

/// The parser counts lines from the top of the front matter; no such
/// (wrong) line number may leak into the message.
#[test]
fn page_front_matter_syntax_error_message_agrees_with_its_line() {
    let c = check_json(&bad("page-yaml-syntax"));
    let d = c.one("yaml-syntax");
    assert!(!d.message.contains("line 2"), "{d:#?}");
}

// ---------------------------------------------------------------- formats

#[test]
fn github_format() {
    let run = kiosque(
        &manifest_dir().join("tests/fixtures/bad"),
        &[OsStr::new("check"), OsStr::new("unknown-license"), OsStr::new("--format"), OsStr::new("github")],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    let expected = "::error file=unknown-license/datasets/budget/dataset.yaml,line=3,col=10,title=unknown-license::unknown licence “etalab2”%0Adid you mean “etalab-2.0”";
    assert!(lines[0].starts_with(expected), "{}", lines[0]);
}

#[test]
fn human_format() {
    let site = bad("unknown-license");
    let run =
        kiosque(manifest_dir(), &[OsStr::new("check"), site.as_os_str(), OsStr::new("--format"), OsStr::new("human")]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "", "human output goes to stderr");
    let err = &run.stderr;
    assert!(err.contains("error[unknown-license]: unknown licence “etalab2”"), "{err}");
    assert!(err.contains("datasets/budget/dataset.yaml:3:10"), "{err}");
    assert!(err.contains("help: did you mean “etalab-2.0”"), "{err}");
    assert!(err.trim_end().ends_with("1 error, 0 warnings"), "{err}");
    // The source line, then `^` under exactly `etalab2`.
    let lines: Vec<&str> = err.lines().collect();
    let i = lines.iter().position(|l| l.ends_with("| license: etalab2")).unwrap_or_else(|| panic!("{err}"));
    let under = lines.get(i + 1).copied().unwrap_or_default();
    let col = lines[i].find("etalab2").expect("value");
    assert_eq!(under.find('^'), Some(col), "{err}");
    assert_eq!(under.matches('^').count(), "etalab2".len(), "{err}");
    assert!(!site.join("public").exists());
}

#[test]
fn missing_site_folder_is_a_usage_error() {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let run = kiosque(manifest_dir(), &[OsStr::new("check"), tmp.path().join("nope").as_os_str()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

// ------------------------------------------------------------------ build

#[test]
fn build_with_errors_leaves_the_previous_output_as_it_was() {
    let (tmp, site) = temp_site(&good("minimal"));
    let out = tmp.path().join("out");
    let run = build(&site, Some(&out));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let before = tree(&out);
    assert!(before.contains_key(Path::new("index.html")));
    let listing = |dir: &Path| -> Vec<_> {
        let mut v: Vec<_> = std::fs::read_dir(dir).expect("read").map(|e| e.expect("entry").file_name()).collect();
        v.sort();
        v
    };
    let siblings = listing(tmp.path());

    let bad_site = bad("unknown-license");
    let bad_before = tree(&bad_site);
    let run = build(&bad_site, Some(&out));
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("unknown-license"), "{}", run.stderr);
    assert!(tree(&out) == before, "the previous output changed");
    assert_eq!(listing(tmp.path()), siblings, "no temporary folder left beside the output");
    assert!(tree(&bad_site) == bad_before && !bad_site.join("public").exists());
}

#[test]
fn build_with_errors_writes_no_default_output() {
    let (_tmp, site) = temp_site(&bad("unknown-license"));
    let run = build(&site, None);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("Nothing was written"), "{}", run.stderr);
    assert!(!site.join("public").exists());
}

// ------------------------------------------------- errors that follow from errors

/// A syntax error in site.yaml is the only error: its settings are unknown,
/// not missing (no “title is required”, no “no licence” on every dataset).
#[test]
fn a_broken_site_yaml_does_not_cascade() {
    let (_tmp, site) = temp_site(&good("minimal"));
    let text = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    std::fs::write(site.join("site.yaml"), format!("{text}publisher: [Mairie\n")).unwrap();
    let c = check_json(&site);
    assert_eq!(c.error_codes(), ["yaml-syntax"], "{:#?}", c.report.diagnostics);
    assert_eq!(c.report.diagnostics.len(), 1, "{:#?}", c.report.diagnostics);
}

/// A featured dataset whose sidecar has a syntax error exists: only the
/// syntax error is reported, while a featured name that matches no folder
/// still is.
#[test]
fn a_broken_sidecar_is_not_a_missing_featured_dataset() {
    let (_tmp, site) = temp_site(&good("minimal"));
    let text = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    std::fs::write(site.join("site.yaml"), format!("{text}featured: [budget, inexistant]\n")).unwrap();
    std::fs::write(site.join("datasets/budget/dataset.yaml"), "title: [Budget\ndescription: D.\n").unwrap();
    let c = check_json(&site);
    assert_eq!(c.error_codes(), ["unknown-featured", "yaml-syntax"], "{:#?}", c.report.diagnostics);
    assert!(c.one("unknown-featured").message.contains("inexistant"));
}
