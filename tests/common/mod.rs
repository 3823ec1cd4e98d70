//! What the integration tests share: running the `kiosque` binary with a
//! pinned date, no colours and a time limit, and capturing its output.

#![allow(dead_code)]

use std::ffi::OsStr;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long one run may take before it counts as a hang.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// 2026-11-23T00:00:00Z: freshness depends on the date, tests do not.
pub const TODAY: &str = "1795392000";

/// The JSON report of the contract (`check --format json`).
#[derive(Debug, serde::Deserialize)]
pub struct Report {
    pub diagnostics: Vec<Diag>,
    pub errors: usize,
    pub warnings: usize,
}

/// One diagnostic of [`Report`].
#[derive(Clone, Debug, serde::Deserialize)]
pub struct Diag {
    pub severity: String,
    pub code: String,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub hint: Option<String>,
}

/// What one run of the binary gave.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Everything it printed.
    pub fn output(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }
}

fn drain(mut pipe: impl Read + Send + 'static) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        String::from_utf8_lossy(&buf).into_owned()
    })
}

/// Runs `kiosque ARGS` (in `cwd` when given) with "today" pinned to
/// [`TODAY`], killing it (and failing) after [`TIMEOUT`].
pub fn run_kiosque(cwd: Option<&Path>, args: &[&OsStr]) -> Run {
    run_kiosque_with(cwd, args, &[], TIMEOUT)
}

/// [`run_kiosque`] with another time limit, for the few runs that read
/// very large inputs.
pub fn run_kiosque_within(cwd: Option<&Path>, args: &[&OsStr], timeout: Duration) -> Run {
    run_kiosque_with(cwd, args, &[], timeout)
}

/// [`run_kiosque`] with more environment variables.
pub fn run_kiosque_env(cwd: Option<&Path>, args: &[&OsStr], envs: &[(&str, &OsStr)]) -> Run {
    run_kiosque_with(cwd, args, envs, TIMEOUT)
}

/// [`run_kiosque`] with more environment variables and a time limit.
pub fn run_kiosque_with(cwd: Option<&Path>, args: &[&OsStr], envs: &[(&str, &OsStr)], timeout: Duration) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kiosque"));
    if let Some(cwd) = cwd {
        cmd.current_dir(cwd);
    }
    let mut child = cmd
        .args(args)
        .envs(envs.iter().copied())
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", TODAY)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start kiosque");
    let stdout = drain(child.stdout.take().expect("stdout"));
    let stderr = drain(child.stderr.take().expect("stderr"));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for kiosque") {
            break status;
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            panic!("kiosque {args:?} did not finish within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    Run {
        code: status.code().expect("kiosque was killed by a signal"),
        stdout: stdout.join().expect("stdout reader"),
        stderr: stderr.join().expect("stderr reader"),
    }
}

/// Builds `site` into `out` (exit 0 required).
pub fn build_into(site: &Path, out: &Path) {
    let run = run_kiosque(None, &[OsStr::new("build"), site.as_os_str(), OsStr::new("-o"), out.as_os_str()]);
    assert_eq!(run.code, 0, "build of {} failed:\n{}", site.display(), run.stderr);
}

/// Copies a site folder (without its `public/` output) into `dest`.
#[allow(dead_code)]
pub fn copy_site(src: &Path, dest: &Path) {
    for entry in walkdir::WalkDir::new(src).sort_by_file_name() {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(src).unwrap();
        if rel.starts_with("public") {
            continue;
        }
        let target = dest.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// What builds left beside their output in `dir` (temporary and old
/// output folders, lock files), but for the incremental build cache,
/// which is meant to stay.
pub fn build_leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("kiosque-") && n != ".kiosque-cache")
        .collect()
}

/// `kiosque check SITE --format json`: the exit code and the report.
#[allow(dead_code)]
pub fn check_json(site: &Path) -> (i32, Report) {
    let run = run_kiosque(None, &[OsStr::new("check"), site.as_os_str(), OsStr::new("--format"), OsStr::new("json")]);
    let report = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    (run.code, report)
}

/// Every file of a folder with its bytes, by relative path (`/`-separated).
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Undoes the HTML escapes of an attribute value.
pub fn html_unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

/// Decodes `%xx` codes of a URL path.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

/// Checks that every `href` and `src` of every HTML page of `out` that
/// points inside the site (and every `data-manifest` and `data-geojson`,
/// which the pages' scripts fetch) names a file that exists. Returns how
/// many links were checked. `root_404` is the site's root path, which
/// 404.html links start with.
pub fn check_links(out: &Path, root_404: &str) -> usize {
    // Attributes of tags only: `&lt;a href="…"&gt;` in a text is text.
    let tag = regex::Regex::new(r"<[a-zA-Z][^>]*>").unwrap();
    let attr = regex::Regex::new(r#"\s(?:href|src|data-manifest|data-geojson)="([^"]*)""#).unwrap();
    let mut checked = 0;
    for (rel, bytes) in snapshot(out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let dir = Path::new(&rel).parent().unwrap_or(Path::new("")).to_path_buf();
        for cap in tag.find_iter(&html).flat_map(|t| attr.captures_iter(t.as_str())) {
            let raw = html_unescape(&cap[1]);
            if raw.starts_with("http://")
                || raw.starts_with("https://")
                || raw.starts_with("mailto:")
                || raw.starts_with('#')
            {
                continue;
            }
            assert!(!raw.is_empty(), "{rel}: empty link");
            let path = raw.split(['#', '?']).next().unwrap();
            let target = if rel == "404.html" {
                let stripped = path
                    .strip_prefix(root_404)
                    .unwrap_or_else(|| panic!("404.html link {path} is not under {root_404}"));
                out.join(percent_decode(stripped))
            } else {
                assert!(!path.starts_with('/'), "{rel}: link {path} is not relative");
                out.join(&dir).join(percent_decode(path))
            };
            let target = if path.ends_with('/') || path.is_empty() { target.join("index.html") } else { target };
            assert!(target.is_file(), "{rel}: broken link {raw} → {}", target.display());
            checked += 1;
        }
    }
    checked
}

/// Every entry under `dir`: regular files with their bytes, folders, links
/// (with their targets) and other special files (never opened: a FIFO
/// would block) by kind.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1).sort_by_file_name() {
        let entry = entry.expect("folder entry");
        let rel = entry.path().strip_prefix(dir).expect("inside").to_path_buf();
        let ft = entry.file_type();
        let content = if ft.is_dir() {
            b"<dir>".to_vec()
        } else if ft.is_file() {
            std::fs::read(entry.path()).expect("read file")
        } else if ft.is_symlink() {
            format!("<link {}>", std::fs::read_link(entry.path()).expect("read link").display()).into_bytes()
        } else {
            b"<special>".to_vec()
        };
        out.insert(rel, content);
    }
    out
}

/// The parts of an XLSX workbook but its sheet (`xl/worksheets/sheet1.xml`,
/// a sheet named `Feuil1`) and shared strings: for tests that write
/// workbooks with the `zip` crate.
pub const XLSX_PARTS: [(&str, &str); 4] = [
    (
        "[Content_Types].xml",
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
    ),
    (
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    ),
    (
        "xl/workbook.xml",
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    ),
    (
        "xl/_rels/workbook.xml.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
    ),
];

/// A complete `site.yaml` of a French site (real-shaped SIRET, licence,
/// publisher), for tests that build their site file by file.
pub const FRENCH_SITE_YAML: &str = "title: Essai\nbase_url: https://data.example.org/\nsiret: \"21995010000018\"\nlicense: etalab-2.0\npublisher: Mairie\n";
