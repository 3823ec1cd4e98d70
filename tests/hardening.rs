//! What a site folder can hold that it should not, and where a build may
//! not write: file names that are not UTF-8 or full of characters URLs and
//! HTML treat specially, symbolic links out of the site, dangerous output
//! folders, two builds at once, and a listing order that must not change
//! the output.

mod common;

use common::{Diag, Report, Run, check_json, check_links, run_kiosque, snapshot};

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// A secret string kept outside the site: it must never show up in an
/// output or a message.
const CANARY: &str = "KIOSQUE-CANARY-7f3a";

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh temporary folder holding a copy of the minimal good site as
/// `site/`.
fn minimal_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    common::copy_site(&manifest_dir().join("tests/fixtures/good/minimal"), &site);
    (tmp, site)
}

fn build(site: &Path, out: &Path) -> Run {
    run_kiosque(None, &[OsStr::new("build"), site.as_os_str(), OsStr::new("-o"), out.as_os_str()])
}

fn with_code<'a>(report: &'a Report, code: &str) -> Vec<&'a Diag> {
    report.diagnostics.iter().filter(|d| d.code == code).collect()
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

// ------------------------------------------------- names that are not UTF-8

#[cfg(unix)]
fn raw_name(bytes: &[u8]) -> &OsStr {
    use std::os::unix::ffi::OsStrExt;
    OsStr::from_bytes(bytes)
}

/// Names in Windows-1252, as archives made on Windows hold them: every kind
/// of file is read and published under its name decoded from Windows-1252,
/// with a warning; hrefs and catalogue URLs are percent-encoded UTF-8.
#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_are_published_under_their_decoded_names() {
    let (tmp, site) = minimal_site();
    let data = b"annee,montant\n2024,1\n";
    // A data file of a dataset folder.
    std::fs::write(site.join("datasets/budget").join(raw_name(b"caf\xe9.csv")), data).unwrap();
    // A dataset folder, whose sidecar names its file by the decoded name.
    let region = site.join("datasets").join(raw_name(b"r\xe9gion"));
    std::fs::create_dir(&region).unwrap();
    std::fs::write(
        region.join("dataset.yaml"),
        "title: Région\ndescription: d\nresources:\n  - path: été.csv\n    title: Été\n",
    )
    .unwrap();
    std::fs::write(region.join(raw_name(b"\xe9t\xe9.csv")), "a,b\n1,2\n3\n").unwrap();
    // A one-file dataset.
    std::fs::write(site.join("datasets").join(raw_name(b"f\xeate.yaml")), "title: Fête\ndescription: d\n").unwrap();
    std::fs::write(site.join("datasets").join(raw_name(b"f\xeate.csv")), data).unwrap();
    // A page, and a static file used as the logo.
    std::fs::write(site.join("pages").join(raw_name(b"\xe9t\xe9.md")), "---\ntitle: L'été\n---\nBonjour.\n").unwrap();
    std::fs::create_dir(site.join("static")).unwrap();
    std::fs::write(site.join("static").join(raw_name(b"logo \xe9.svg")), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        .unwrap();
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    std::fs::write(site.join("site.yaml"), format!("{yaml}logo: logo é.svg\n")).unwrap();

    let (code, report) = check_json(&site);
    assert_eq!(code, 0, "{report:#?}");
    let mut warned: Vec<&str> =
        with_code(&report, "file-name-not-utf8").iter().map(|d| d.file.as_deref().unwrap()).collect();
    warned.sort();
    assert_eq!(
        warned,
        [
            "datasets/budget/café.csv",
            "datasets/fête.csv",
            "datasets/fête.yaml",
            "datasets/région",
            "datasets/région/été.csv",
            "pages/été.md",
            "static/logo é.svg"
        ],
        "{report:#?}"
    );
    let cafe = with_code(&report, "file-name-not-utf8").into_iter().find(|d| d.file.as_deref() == Some(warned[0]));
    let cafe = cafe.unwrap();
    assert_eq!(cafe.severity, "warning");
    assert!(cafe.message.contains(r"« caf\xE9.csv »") && cafe.message.contains("« café.csv »"), "{cafe:#?}");
    assert!(cafe.hint.as_deref().unwrap().contains("renommez-le « café.csv »"), "{cafe:#?}");
    // The table of the renamed folder is read: its ragged row is found.
    let ragged = with_code(&report, "csv-ragged-row");
    assert_eq!(ragged.len(), 1, "{report:#?}");
    assert_eq!(ragged[0].file.as_deref(), Some("datasets/région/été.csv"));
    assert!(!report.diagnostics.iter().any(|d| d.code == "unreadable-file"), "{report:#?}");

    let out = tmp.path().join("out");
    let run = build(&site, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (published, source) in [
        ("datasets/budget/café.csv", site.join("datasets/budget").join(raw_name(b"caf\xe9.csv"))),
        ("datasets/region/été.csv", region.join(raw_name(b"\xe9t\xe9.csv"))),
        ("datasets/fete/fête.csv", site.join("datasets").join(raw_name(b"f\xeate.csv"))),
        ("logo é.svg", site.join("static").join(raw_name(b"logo \xe9.svg"))),
    ] {
        assert_eq!(std::fs::read(out.join(published)).ok(), std::fs::read(&source).ok(), "{published}");
    }
    assert!(out.join("ete/index.html").is_file());
    let budget = json(&out.join("datasets/budget/dataset.json"));
    let urls: Vec<&str> = budget["resources"].as_array().unwrap().iter().filter_map(|r| r["url"].as_str()).collect();
    assert!(urls.contains(&"https://data.saint-exemple.fr/datasets/budget/caf%C3%A9.csv"), "{urls:?}");
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains(r#"src="logo%20%C3%A9.svg""#), "the logo's src");
    assert!(check_links(&out, "/") > 20);
    let names: Vec<String> = snapshot(&out).into_keys().collect();
    assert!(!names.iter().any(|n| n.contains('\u{FFFD}')), "{names:?}");

    // The decoded name of a file is the name of another beside it: an
    // error names both.
    std::fs::write(site.join("datasets/budget/café.csv"), data).unwrap();
    let (code, report) = check_json(&site);
    assert_eq!(code, 1);
    let found = with_code(&report, "file-name-collision");
    assert_eq!(found.len(), 1, "{report:#?}");
    let d = found[0];
    assert_eq!((d.severity.as_str(), d.file.as_deref()), ("error", Some("datasets/budget/café.csv")));
    assert!(d.message.contains(r"« datasets/budget/caf\xE9.csv »"), "{d:#?}");
    assert!(d.message.contains("« datasets/budget/café.csv »"), "{d:#?}");
}

// ------------------------------------------------------------ odd names

/// File names with the characters URLs, HTML and shells treat specially.
const ODD_NAMES: &[&str] = &[
    "a b.csv",
    "été à.csv",
    "n#1.csv",
    "q?.csv",
    "100%.csv",
    "a&b.csv",
    "l'eau.csv",
    "say \"hi\".csv",
    "<x>.csv",
    "-tiret.csv",
    "a+b=c;d.csv",
];

/// Every odd name is published as it is, every link to it resolves, every
/// URL to it is percent-encoded, and no name breaks out of an attribute.
#[test]
fn odd_file_names_are_published_linked_and_escaped() {
    let (tmp, site) = minimal_site();
    let dir = site.join("datasets/odd");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("dataset.yaml"), "title: Noms bizarres\ndescription: d\n").unwrap();
    for (i, name) in ODD_NAMES.iter().enumerate() {
        std::fs::write(dir.join(name), format!("colonne,valeur\nligne,{i}\n")).unwrap();
    }
    let out = tmp.path().join("out");
    let run = build(&site, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);

    for name in ODD_NAMES {
        assert_eq!(
            std::fs::read(out.join("datasets/odd").join(name)).ok(),
            std::fs::read(dir.join(name)).ok(),
            "{name}"
        );
    }
    assert!(check_links(&out, "/") > 50);

    // dataset.json: each resource's URL is its name, percent-encoded.
    let ds = json(&out.join("datasets/odd/dataset.json"));
    let prefix = "https://data.saint-exemple.fr/datasets/odd/";
    let mut published = Vec::new();
    for r in ds["resources"].as_array().unwrap() {
        let url = r["url"].as_str().unwrap();
        let encoded = url.strip_prefix(prefix).unwrap_or_else(|| panic!("{url}"));
        published.push(common::percent_decode(encoded));
    }
    for name in ODD_NAMES {
        assert!(published.iter().any(|p| p == name), "{name} not in {published:?}");
    }

    // Every URL into the dataset's folder, in every file the site
    // publishes (DCAT in Turtle, RDF/XML and JSON-LD, catalog.csv, the
    // feed, JSON), is percent-encoded: nothing but safe characters.
    let url = regex::Regex::new(r#"https://data\.saint-exemple\.fr/datasets/odd/([^"<>\s]*)"#).unwrap();
    let safe = regex::Regex::new(r"^(?:[A-Za-z0-9\-._~!$()*,:@/]|%[0-9A-F]{2})*(?:#[A-Za-z0-9\-._~]*)?$").unwrap();
    let mut urls = 0;
    for (rel, bytes) in snapshot(&out) {
        let Ok(text) = String::from_utf8(bytes) else { continue };
        for cap in url.captures_iter(&text) {
            assert!(safe.is_match(&cap[1]), "{rel}: URL not encoded: {}", &cap[0]);
            urls += 1;
        }
        // No name breaks out of an attribute or opens a tag.
        if rel.ends_with(".html") {
            assert!(!text.contains("<x>"), "{rel}: raw <x>");
            assert!(!text.contains("\"hi\""), "{rel}: raw quotes from a file name");
        }
    }
    assert!(urls >= ODD_NAMES.len() * 3, "only {urls} URLs");
    let page = std::fs::read_to_string(out.join("datasets/odd/index.html")).unwrap();
    assert!(page.contains("&lt;x&gt;.csv"), "the name is shown, escaped");
}

// ------------------------------------------------------- symbolic links

/// A folder beside the site, full of files holding [`CANARY`]: a dataset,
/// a page, a static file and folder, a theme, a site.yaml.
#[cfg(unix)]
fn outside(tmp: &Path) -> PathBuf {
    let o = tmp.join("outside");
    for dir in ["dataset", "static/img", "pages", "theme/templates", "theme/assets", "data"] {
        std::fs::create_dir_all(o.join(dir)).unwrap();
    }
    std::fs::write(o.join("dataset/dataset.yaml"), format!("title: {CANARY}\ndescription: {CANARY}\n")).unwrap();
    std::fs::write(o.join("dataset/secret.csv"), format!("name\n{CANARY}\n")).unwrap();
    std::fs::write(o.join("data/leak.csv"), format!("name\n{CANARY}\n")).unwrap();
    std::fs::write(o.join("page.md"), format!("---\ntitle: {CANARY}\n---\n{CANARY}\n")).unwrap();
    std::fs::write(o.join("pages/secret.md"), format!("---\ntitle: {CANARY}\n---\n{CANARY}\n")).unwrap();
    std::fs::write(o.join("secret.txt"), CANARY).unwrap();
    std::fs::write(o.join("static/img/secret.svg"), format!("<svg><!-- {CANARY} --></svg>")).unwrap();
    std::fs::write(o.join("theme/templates/base.html"), format!("{CANARY} {{% block content %}}{{% endblock %}}"))
        .unwrap();
    std::fs::write(o.join("theme/assets/kiosque.css"), format!("/* {CANARY} */")).unwrap();
    std::fs::write(o.join("site.yaml"), format!("title: {CANARY}\nbase_url: https://x.example/\n")).unwrap();
    o
}

#[cfg(unix)]
fn link(target: &Path, at: &Path) {
    std::os::unix::fs::symlink(target, at).unwrap_or_else(|e| panic!("{}: {e}", at.display()));
}

/// Nothing of the outside shows in what a run printed or in `out`.
#[cfg(unix)]
fn assert_no_canary(run: &Run, out: Option<&Path>) {
    assert!(!run.output().contains(CANARY), "{}", run.output());
    for (rel, bytes) in out.map(snapshot).unwrap_or_default() {
        assert!(!String::from_utf8_lossy(&bytes).contains(CANARY), "{rel} holds the outside's content");
    }
}

fn check_run(site: &Path) -> (Run, Report) {
    let run = run_kiosque(None, &[OsStr::new("check"), site.as_os_str(), OsStr::new("--format"), OsStr::new("json")]);
    let report = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout));
    (run, report)
}

/// The files a warning or error with `code` is about, sorted.
#[cfg(unix)]
fn files_of(report: &Report, code: &str) -> Vec<String> {
    let mut files: Vec<String> = with_code(report, code).iter().filter_map(|d| d.file.clone()).collect();
    files.sort();
    files
}

/// Links inside the site's folders to files and folders outside: each is
/// left out with a warning naming it, and the build publishes nothing of
/// what they point at.
#[cfg(unix)]
#[test]
fn links_to_the_outside_are_left_out_with_a_warning() {
    let (tmp, site) = minimal_site();
    let o = outside(tmp.path());
    link(&o.join("dataset"), &site.join("datasets/linked"));
    link(&o.join("page.md"), &site.join("pages/linked.md"));
    std::fs::create_dir_all(site.join("static")).unwrap();
    link(&o.join("secret.txt"), &site.join("static/secret.txt"));
    link(&o.join("static/img"), &site.join("static/img"));
    link(&o.join("data"), &site.join("datasets/budget/sub"));
    std::fs::create_dir_all(site.join("themes")).unwrap();
    link(&o.join("theme"), &site.join("themes/default"));

    let (run, report) = check_run(&site);
    assert_eq!(run.code, 0, "{report:#?}");
    assert_eq!(
        files_of(&report, "symlink-ignored"),
        [
            "datasets/budget/sub",
            "datasets/linked",
            "pages/linked.md",
            "static/img",
            "static/secret.txt",
            "themes/default"
        ],
        "{report:#?}"
    );
    for d in with_code(&report, "symlink-ignored") {
        assert_eq!(d.severity, "warning");
        assert!(d.hint.as_deref().unwrap().contains("ne suit pas les liens"), "{d:#?}");
    }
    assert_no_canary(&run, None);
    let out = tmp.path().join("out");
    let run = build(&site, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_no_canary(&run, Some(&out));
    assert!(!out.join("datasets/linked").exists() && !out.join("linked").exists());
    assert!(!out.join("secret.txt").exists() && !out.join("img").exists());

    // Named in the sidecar, a file behind the linked folder is refused.
    let sidecar = site.join("datasets/budget/dataset.yaml");
    let text = std::fs::read_to_string(&sidecar).unwrap();
    std::fs::write(&sidecar, format!("{text}resources:\n  - budget.csv\n  - sub/leak.csv\n")).unwrap();
    let (run, report) = check_run(&site);
    assert_eq!(run.code, 1);
    let d = with_code(&report, "resource-path-outside");
    assert_eq!(d.len(), 1, "{report:#?}");
    assert_eq!(
        (d[0].file.as_deref(), d[0].line),
        (Some("datasets/budget/dataset.yaml"), Some(text.lines().count() + 3))
    );
    assert_no_canary(&run, None);
}

/// `static`, `pages`, `datasets` and `themes` themselves as links: none is
/// followed.
#[cfg(unix)]
#[test]
fn linked_site_folders_are_not_followed() {
    let (tmp, site) = minimal_site();
    let o = outside(tmp.path());
    std::fs::remove_dir_all(site.join("pages")).unwrap();
    std::fs::remove_dir_all(site.join("datasets")).unwrap();
    link(&o.join("static"), &site.join("static"));
    link(&o.join("pages"), &site.join("pages"));
    std::fs::create_dir(o.join("datasets")).unwrap();
    link(&o.join("dataset"), &o.join("datasets/secret"));
    std::fs::rename(o.join("dataset"), o.join("datasets/secret-copy")).unwrap();
    link(&o.join("datasets"), &site.join("datasets"));
    std::fs::create_dir(o.join("themes")).unwrap();
    std::fs::rename(o.join("theme"), o.join("themes/default")).unwrap();
    link(&o.join("themes"), &site.join("themes"));

    let (run, report) = check_run(&site);
    assert_eq!(run.code, 0, "{report:#?}");
    assert_eq!(files_of(&report, "symlink-ignored"), ["datasets", "pages", "static", "themes"], "{report:#?}");
    assert!(with_code(&report, "no-datasets").is_empty(), "a link, not a missing folder: {report:#?}");
    let out = tmp.path().join("out");
    let run = build(&site, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_no_canary(&run, Some(&out));
    assert!(!out.join("img").exists() && !out.join("datasets/secret-copy").exists());
}

/// The files kiosque must read, as links: `site.yaml` and a sidecar are
/// errors (never read), a logo that is a link is missing, with a hint that
/// says why.
#[cfg(unix)]
#[test]
fn linked_site_yaml_sidecar_and_logo_are_refused() {
    let (tmp, site) = minimal_site();
    let o = outside(tmp.path());
    std::fs::remove_file(site.join("datasets/budget/dataset.yaml")).unwrap();
    link(&o.join("dataset/dataset.yaml"), &site.join("datasets/budget/dataset.yaml"));
    std::fs::create_dir_all(site.join("static")).unwrap();
    link(&o.join("static/img/secret.svg"), &site.join("static/logo.svg"));
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    std::fs::write(site.join("site.yaml"), format!("{yaml}logo: logo.svg\n")).unwrap();

    let (run, report) = check_run(&site);
    assert_eq!(run.code, 1);
    assert_eq!(files_of(&report, "symlink-refused"), ["datasets/budget/dataset.yaml"], "{report:#?}");
    assert_eq!(files_of(&report, "symlink-ignored"), ["static/logo.svg"], "{report:#?}");
    let logo = with_code(&report, "missing-logo");
    assert_eq!(logo.len(), 1, "{report:#?}");
    assert!(logo[0].hint.as_deref().unwrap().contains("« static/logo.svg » est un lien symbolique"), "{:#?}", logo[0]);
    let refused = with_code(&report, "symlink-refused")[0];
    assert_eq!(refused.severity, "error");
    assert!(refused.message.contains("lien symbolique"), "{refused:#?}");
    assert_no_canary(&run, None);
    let out = tmp.path().join("out");
    let run = build(&site, &out);
    assert_eq!(run.code, 1);
    assert_no_canary(&run, None);
    assert!(!out.exists());

    // site.yaml itself.
    std::fs::remove_file(site.join("site.yaml")).unwrap();
    link(&o.join("site.yaml"), &site.join("site.yaml"));
    let (run, report) = check_run(&site);
    assert_eq!(run.code, 1);
    let refused = files_of(&report, "symlink-refused");
    assert!(refused.contains(&"site.yaml".to_string()), "{report:#?}");
    assert!(with_code(&report, "missing-field").iter().all(|d| d.file.as_deref() != Some("site.yaml")), "{report:#?}");
    assert_no_canary(&run, None);
}

// --------------------------------------------------------- output folders

/// A site inside a home folder inside a temporary folder; builds run with
/// HOME set to that home folder.
struct Home {
    tmp: tempfile::TempDir,
    home: PathBuf,
    site: PathBuf,
}

impl Home {
    fn new() -> Home {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("home");
        let site = home.join("work/site");
        common::copy_site(&manifest_dir().join("tests/fixtures/good/minimal"), &site);
        std::fs::write(home.join("notes.txt"), "mine").unwrap();
        Home { tmp, home, site }
    }

    fn build(&self, out: &Path) -> Run {
        common::run_kiosque_env(
            None,
            &[OsStr::new("build"), self.site.as_os_str(), OsStr::new("-o"), out.as_os_str()],
            &[("HOME", self.home.as_os_str())],
        )
    }

    /// Builds into `out`, which must be refused with `message` (exit 2),
    /// nothing written, moved or removed anywhere in the temporary folder.
    fn assert_refused(&self, out: &Path, message: &str) {
        let before = common::tree(self.tmp.path());
        let run = self.build(out);
        assert_eq!(run.code, 2, "-o {}: {}", out.display(), run.output());
        assert!(run.stderr.contains(message), "-o {}: {}", out.display(), run.stderr);
        assert!(run.stderr.contains(&out.display().to_string()), "the folder is named: {}", run.stderr);
        assert!(common::tree(self.tmp.path()) == before, "-o {} changed files", out.display());
    }
}

/// Output folders whose replacement would destroy what is not kiosque's:
/// refused before anything is read or written, with a message that says
/// why and what to do.
#[test]
fn output_folders_that_would_replace_too_much_are_refused() {
    let h = Home::new();
    let too_broad = "the root of the disk, your home folder or a folder that holds it";
    let has_site = "is the site folder or contains it";
    let sources = "is inside the site's sources";
    h.assert_refused(Path::new("/"), too_broad);
    h.assert_refused(&h.home, too_broad);
    h.assert_refused(&h.home.join("work/.."), too_broad);
    h.assert_refused(h.tmp.path(), too_broad);
    h.assert_refused(&h.site, has_site);
    h.assert_refused(&h.home.join("work"), has_site);
    h.assert_refused(&h.site.join("."), has_site);
    // Inside the sources, the output would be read back as data next time.
    h.assert_refused(&h.site.join("datasets"), sources);
    h.assert_refused(&h.site.join("datasets/out"), sources);
    h.assert_refused(&h.site.join("datasets/budget/out"), sources);
    h.assert_refused(&h.site.join("pages/out"), sources);
    h.assert_refused(&h.site.join("static/out"), sources);
    // `..` after a folder that does not exist does not hide where it goes.
    h.assert_refused(&h.site.join("missing/../datasets/out"), sources);
    h.assert_refused(&h.site.join("site.yaml"), "is not a folder");
    // A folder of someone else's files.
    h.assert_refused(&h.home.join("work"), has_site);
    std::fs::create_dir(h.home.join("docs")).unwrap();
    std::fs::write(h.home.join("docs/thesis.odt"), "precious").unwrap();
    h.assert_refused(&h.home.join("docs"), "was not made by kiosque");

    // The default, and a folder beside the site, are fine.
    let run = h.build(&h.home.join("work/public"));
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// An output folder that is a link: the output goes where it points, under
/// the same checks as any folder, and the link stays a link.
#[cfg(unix)]
#[test]
fn an_output_folder_that_is_a_link_is_built_where_it_points() {
    let h = Home::new();
    let deploy = h.tmp.path().join("deploy");
    std::fs::create_dir(&deploy).unwrap();
    let out = h.home.join("work/public");
    link(&deploy, &out);
    for _ in 0..2 {
        let run = h.build(&out);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(std::fs::symlink_metadata(&out).unwrap().file_type().is_symlink(), "still a link");
        assert!(deploy.join("index.html").is_file() && deploy.join(".kiosque-output").is_file());
    }
    // A link to a folder that must not be replaced is refused like it.
    let to_parent = h.home.join("work/up");
    link(&h.home, &to_parent);
    h.assert_refused(&to_parent, "the root of the disk, your home folder or a folder that holds it");
    let into_sources = h.home.join("work/into-sources");
    std::fs::create_dir(h.site.join("datasets/budget/out")).unwrap();
    link(&h.site.join("datasets/budget/out"), &into_sources);
    h.assert_refused(&into_sources, "is inside the site's sources");
}

// ------------------------------------------------------------ build lock

/// Starts `kiosque build SITE -o OUT`, its stderr sent line by line.
fn spawn_build(site: &Path, out: &Path) -> (std::process::Child, std::sync::mpsc::Receiver<String>) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kiosque"))
        .args([OsStr::new("build"), site.as_os_str(), OsStr::new("-o"), out.as_os_str()])
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", common::TODAY)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    (child, rx)
}

/// Waits for `child` (at most [`common::TIMEOUT`]); its exit code.
fn wait(child: &mut std::process::Child) -> i32 {
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code().expect("not killed");
        }
        if start.elapsed() > common::TIMEOUT {
            let _ = child.kill();
            panic!("the build did not finish");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// A build that finds another building into the same folder says so and
/// waits for it; two builds at once both finish, one after the other, and
/// leave one whole output.
#[test]
fn builds_into_the_same_folder_take_turns() {
    let (tmp, site) = minimal_site();
    let reference = tmp.path().join("reference");
    assert_eq!(build(&site, &reference).code, 0);
    let expected = snapshot(&reference);
    let parent = tmp.path().join("deploy");
    std::fs::create_dir(&parent).unwrap();
    let out = parent.join("public");

    // The lock a build takes (see `write::lock`): held here, the build
    // waits, with a message, and writes nothing until it is released.
    let held = std::fs::File::open(&parent).unwrap();
    held.lock().unwrap();
    let (mut child, lines) = spawn_build(&site, &out);
    let waiting = lines.recv_timeout(common::TIMEOUT).expect("a message while waiting");
    assert!(waiting.contains("another build is writing “public”, waiting for it to finish"), "{waiting}");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(child.try_wait().unwrap().is_none(), "the build did not wait");
    assert!(!out.exists(), "written while another build held the lock");
    held.unlock().unwrap();
    assert_eq!(wait(&mut child), 0);
    assert!(snapshot(&out) == expected, "a whole output");

    // Two builds at once.
    let (mut a, _) = spawn_build(&site, &out);
    let (mut b, _) = spawn_build(&site, &out);
    assert_eq!((wait(&mut a), wait(&mut b)), (0, 0));
    assert!(snapshot(&out) == expected, "a whole output");
    assert!(common::build_leftovers(&parent).is_empty(), "{:?}", common::build_leftovers(&parent));
}

// ------------------------------------------------------------ determinism

/// Copies the folder `src` into `dest`, creating its folders, then its
/// files, in name order or in reverse: on tmpfs, a folder is listed in
/// the reverse of the order its entries were created.
fn copy_in_order(src: &Path, dest: &Path, reverse: bool) {
    let mut entries: Vec<walkdir::DirEntry> =
        walkdir::WalkDir::new(src).min_depth(1).sort_by_file_name().into_iter().map(Result::unwrap).collect();
    if reverse {
        entries.reverse();
    }
    std::fs::create_dir_all(dest).unwrap();
    for e in entries.iter().filter(|e| e.file_type().is_dir()) {
        std::fs::create_dir_all(dest.join(e.path().strip_prefix(src).unwrap())).unwrap();
    }
    for e in entries.iter().filter(|e| e.file_type().is_file()) {
        std::fs::copy(e.path(), dest.join(e.path().strip_prefix(src).unwrap())).unwrap();
    }
}

/// The names of a folder's entries, in the order the system lists them.
fn listing(dir: &Path) -> Vec<std::ffi::OsString> {
    std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name()).collect()
}

fn assert_same_tree(a: &Path, b: &Path) {
    let (sa, sb) = (snapshot(a), snapshot(b));
    assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
    for (k, v) in &sa {
        assert!(v == &sb[k], "{k} differs between {} and {}", a.display(), b.display());
    }
}

/// The example site, with more of what is listed from disk: a dataset
/// whose files are not listed in its sidecar (their order is the listing's),
/// static files in folders, theme overrides, more pages, a folder without
/// a sidecar and files editors leave behind.
fn richer_site(dest: &Path) {
    common::copy_site(&manifest_dir().join("example-site"), dest);
    let multi = dest.join("datasets/plusieurs-fichiers");
    std::fs::create_dir_all(&multi).unwrap();
    std::fs::write(multi.join("dataset.yaml"), "title: Plusieurs fichiers\ndescription: d\nlicense: etalab-2.0\n")
        .unwrap();
    for name in ["zeta.csv", "alpha.csv", "Mu.csv", "beta 2.csv", "beta 10.csv", "notes.txt", "carte.geojson"] {
        let body = if name.ends_with(".geojson") {
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"n":"a"},"geometry":{"type":"Point","coordinates":[2.3,48.8]}}]}"#.to_string()
        } else {
            format!("nom,valeur\n{name},1\nautre,2\n")
        };
        std::fs::write(multi.join(name), body).unwrap();
    }
    std::fs::create_dir_all(multi.join("sous-dossier")).unwrap();
    std::fs::write(multi.join("sous-dossier/detail.csv"), "a,b\n1,2\n").unwrap();
    std::fs::write(multi.join("~$brouillon.xlsx"), "lock").unwrap();
    std::fs::write(multi.join(".cache"), "hidden").unwrap();
    std::fs::create_dir_all(dest.join("datasets/sans-fiche")).unwrap();
    std::fs::write(dest.join("datasets/sans-fiche/x.csv"), "a\n1\n").unwrap();
    for (path, body) in [
        ("static/img/b.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        ("static/img/a.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        ("static/docs/guide.txt", "guide"),
        ("static/robots-extra.txt", "x"),
        ("themes/default/assets/extra.css", "body{}"),
        ("themes/default/assets/img/fond.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        ("themes/default/i18n/fr.yaml", "nav_catalogue: Toutes les données\n"),
        ("pages/zz-derniere.md", "---\ntitle: Dernière\n---\nTexte.\n"),
        ("pages/aa-premiere.md", "---\ntitle: Première\n---\nTexte.\n"),
        ("pages/notes.txt", "not a page"),
    ] {
        std::fs::create_dir_all(dest.join(path).parent().unwrap()).unwrap();
        std::fs::write(dest.join(path), body).unwrap();
    }
}

/// Two copies of a site made in opposite orders (listed in opposite
/// orders on tmpfs, which /dev/shm is where it exists) build to the same
/// bytes.
#[test]
fn output_does_not_depend_on_the_order_folders_are_listed() {
    let shm = Path::new("/dev/shm");
    let tmp = if shm.is_dir() { tempfile::tempdir_in(shm) } else { tempfile::tempdir() };
    let tmp = tmp.or_else(|_| tempfile::tempdir()).unwrap();
    let source = tmp.path().join("source");
    richer_site(&source);
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    copy_in_order(&source, &a, false);
    copy_in_order(&source, &b, true);
    let on_tmpfs = tmp.path().starts_with(shm);
    for dir in ["datasets", "datasets/plusieurs-fichiers", "static/img", "pages"] {
        let (la, lb) = (listing(&a.join(dir)), listing(&b.join(dir)));
        if on_tmpfs {
            assert_ne!(la, lb, "{dir} is listed in the same order in both copies: the test tests nothing");
        }
    }
    let (out_a, out_b) = (tmp.path().join("out-a"), tmp.path().join("out-b"));
    for (site, out) in [(&a, &out_a), (&b, &out_b)] {
        let run = build(site, out);
        assert_eq!(run.code, 0, "{}", run.stderr);
    }
    assert_same_tree(&out_a, &out_b);
    let ds = json(&out_a.join("datasets/plusieurs-fichiers/dataset.json"));
    let paths: Vec<&str> = ds["resources"].as_array().unwrap().iter().filter_map(|r| r["path"].as_str()).collect();
    assert!(paths.len() >= 8, "{paths:?}");
    // The messages too.
    let (check_a, check_b) = (check_run(&a).1, check_run(&b).1);
    let text = |r: &Report| format!("{:?}", r.diagnostics);
    assert_eq!(text(&check_a), text(&check_b));
}

/// A data file hard-linked from outside the site (`ln`, `cp -al`) is the
/// same file under another name: it is published, with a warning naming
/// it, and a build leaves no hard link behind in the site.
#[cfg(unix)]
#[test]
fn hard_linked_data_files_are_named() {
    let (tmp, site) = minimal_site();
    let o = outside(tmp.path());
    std::fs::hard_link(o.join("data/leak.csv"), site.join("datasets/budget/lien.csv")).unwrap();
    let (run, report) = check_run(&site);
    assert_eq!(run.code, 0, "{report:#?}");
    assert_eq!(files_of(&report, "hard-link"), ["datasets/budget/lien.csv"]);
    let d = with_code(&report, "hard-link")[0];
    assert_eq!(d.severity, "warning");
    assert!(d.message.contains("2 noms sur le disque"), "{d:#?}");
    // Without the link, and after a build (which copies data files, never links them): none.
    std::fs::remove_file(site.join("datasets/budget/lien.csv")).unwrap();
    let out = tmp.path().join("out");
    assert_eq!(build(&site, &out).code, 0);
    assert_eq!(build(&site, &out).code, 0);
    let (_, report) = check_run(&site);
    assert!(files_of(&report, "hard-link").is_empty(), "{report:#?}");
}

// ------------------------------------------------------------- the cache

/// Every regular file under `dir`, by (device, inode).
#[cfg(unix)]
fn inodes(dir: &Path) -> std::collections::BTreeMap<(u64, u64), PathBuf> {
    use std::os::unix::fs::MetadataExt;
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let m = e.metadata().unwrap();
            ((m.dev(), m.ino()), e.path().to_path_buf())
        })
        .collect()
}

/// The output never shares a file with the build cache (issue 23, item 7):
/// a published file edited in place (as a host's sync tool or a curious
/// user may) does not change the cache, so the edit does not come back
/// after the output is deleted; clean and incremental builds leave every
/// output file with one name.
#[cfg(unix)]
#[test]
fn editing_the_output_never_reaches_the_cache() {
    use std::io::Write as _;
    use std::os::unix::fs::MetadataExt;
    let (tmp, site) = minimal_site();
    let out = tmp.path().join("out");
    let cache = tmp.path().join(".kiosque-cache");
    let export = out.join("datasets/budget/budget.json");
    let assert_unshared = || {
        let cached = inodes(&cache);
        assert!(cached.len() > 3, "the cache keeps the derived files: {cached:#?}");
        for (id, path) in inodes(&out) {
            assert_eq!(std::fs::metadata(&path).unwrap().nlink(), 1, "{} has other names", path.display());
            assert!(!cached.contains_key(&id), "{} is a file of the cache ({})", path.display(), cached[&id].display());
        }
    };
    assert_eq!(build(&site, &out).code, 0);
    let original = std::fs::read(&export).unwrap();
    assert_unshared();
    // Incremental builds: a page changed (every dataset made again from
    // the cache), then one dataset (the other taken from the previous output).
    std::fs::write(site.join("pages/a-propos.md"), "---\ntitle: À propos\n---\nAutre texte.\n").unwrap();
    assert_eq!(build(&site, &out).code, 0);
    assert_unshared();
    let sidecar = site.join("datasets/arbres.yaml");
    let text = std::fs::read_to_string(&sidecar).unwrap();
    std::fs::write(&sidecar, text.replace("Arbres d'alignement", "Arbres des rues")).unwrap();
    assert_eq!(build(&site, &out).code, 0);
    assert_unshared();
    // Poison the published export in place, then delete the output.
    let mut f = std::fs::OpenOptions::new().write(true).open(&export).unwrap();
    f.write_all(b"POISON").unwrap();
    drop(f);
    std::fs::remove_dir_all(&out).unwrap();
    assert_eq!(build(&site, &out).code, 0);
    assert_eq!(std::fs::read(&export).unwrap(), original, "the export is made again as it was");
}

/// A data file replaced by one of the same size and modification time (what
/// `cp -p`, `rsync -a` and unzip give) is read again (issue 23, item 8):
/// the published copy, its SHA-256 in `dataset.json` and its exports are
/// the new file's, whether it was rewritten in place or replaced by another
/// file.
#[cfg(unix)]
#[test]
fn a_data_file_replaced_with_the_same_size_and_time_is_read_again() {
    let (tmp, site) = minimal_site();
    let out = tmp.path().join("out");
    let csv = site.join("datasets/budget/budget.csv");
    // Modified long ago, so that no build could take it for a file being edited.
    let then = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
    let set_time = |path: &Path| std::fs::File::options().write(true).open(path).unwrap().set_modified(then).unwrap();
    set_time(&csv);
    assert_eq!(build(&site, &out).code, 0);
    let published = |out: &Path| {
        let ds = json(&out.join("datasets/budget/dataset.json"));
        let sha = ds["resources"][0]["sha256"].as_str().unwrap().to_string();
        let data = std::fs::read_to_string(out.join("datasets/budget/budget.csv")).unwrap();
        let export = std::fs::read_to_string(out.join("datasets/budget/budget.json")).unwrap();
        (sha, data, export)
    };
    let sha256 = |text: &str| {
        use sha2::Digest as _;
        sha2::Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    let original = std::fs::read_to_string(&csv).unwrap();
    // In place, as `cp -p` does: same inode, same size, same time.
    let edited = original.replace("1200", "1300");
    assert_eq!(edited.len(), original.len());
    std::fs::write(&csv, &edited).unwrap();
    set_time(&csv);
    assert_eq!(build(&site, &out).code, 0);
    let (sha, data, export) = published(&out);
    assert_eq!((sha, data.as_str()), (sha256(&edited), edited.as_str()));
    assert!(export.contains("1300") && !export.contains("1200"), "{export}");
    // Replaced by another file, as `rsync -a` and unzip do.
    let replaced = original.replace("1200", "1400");
    let staged = site.join("datasets/budget/.budget.csv.tmp");
    std::fs::write(&staged, &replaced).unwrap();
    set_time(&staged);
    std::fs::rename(&staged, &csv).unwrap();
    assert_eq!(build(&site, &out).code, 0);
    let (sha, data, export) = published(&out);
    assert_eq!((sha, data.as_str()), (sha256(&replaced), replaced.as_str()));
    assert!(export.contains("1400") && !export.contains("1200"), "{export}");
}

/// Files kiosque makes beside a dataset's own never take their names
/// (issue 23, item 13): a publisher's own `budget.json` is published as it
/// is, the JSON export of `budget.csv` gets another name, and two tables of
/// one stem (`budget.csv`, `budget.tsv`) get an export each; the page links
/// each table to its own.
#[test]
fn generated_files_never_take_a_publishers_file_name() {
    let (tmp, site) = minimal_site();
    let dir = site.join("datasets/budget");
    std::fs::write(dir.join("budget.json"), "{\"mine\": 1}\n").unwrap();
    std::fs::write(dir.join("budget.tsv"), "annee\tmontant\n2030\t5\n").unwrap();
    let out = tmp.path().join("out");
    let run = build(&site, &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let published = out.join("datasets/budget");
    let mut names: Vec<String> = std::fs::read_dir(&published)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n != "preview")
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "budget-2.excel.csv",
            "budget-2.json",
            "budget-3.json",
            "budget.csv",
            "budget.excel.csv",
            "budget.json",
            "budget.tsv",
            "budget.utf8.csv",
            "datapackage.json",
            "dataset.json",
            "index.html",
        ]
    );
    let read = |name: &str| std::fs::read_to_string(published.join(name)).unwrap();
    assert_eq!(read("budget.json"), "{\"mine\": 1}\n", "the publisher's file, as it is");
    assert!(read("budget-2.json").contains("1200") && !read("budget-2.json").contains("2030"));
    assert!(read("budget-3.json").contains("2030") && !read("budget-3.json").contains("1200"));
    assert!(read("budget.excel.csv").contains("1200") && read("budget-2.excel.csv").contains("2030"));
    // Each table's section of the page links to its own exports.
    let page = read("index.html");
    let at = |needle: &str| page.find(needle).unwrap_or_else(|| panic!("{needle} not on the page"));
    assert!(at("href=\"budget-2.json\"") < at("href=\"budget-3.json\""));
    assert!(at("href=\"budget.excel.csv\"") < at("href=\"budget-2.excel.csv\""));
}
