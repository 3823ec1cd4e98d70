//! Integration tests of `kiosque build`: the output folder the contract
//! lists, links, determinism, escaping, theme overrides, the atomic swap,
//! and `kiosque new`.

mod common;

use common::{check_links, snapshot};

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sha2::{Digest, Sha256};

/// 2026-11-23T00:00:00Z: freshness depends on the date, tests do not.
const TODAY: &str = "1795392000";

fn kiosque(args: &[&str]) -> Output {
    kiosque_on(TODAY, args)
}

fn kiosque_on(source_date_epoch: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kiosque"))
        .args(args)
        .env("SOURCE_DATE_EPOCH", source_date_epoch)
        .env("NO_COLOR", "1")
        .output()
        .expect("kiosque runs")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Copies a fixture site into a fresh temporary folder.
fn copy_site(src: &Path) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    common::copy_site(src, tmp.path());
    tmp
}

fn build(site: &Path, out: &Path) -> Output {
    let o = kiosque(&["build", site.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success(), "build failed: {}", String::from_utf8_lossy(&o.stderr));
    o
}

#[test]
fn builds_every_contract_file_with_correct_checksums() {
    let site = fixture("rich");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&site, &out);
    for f in [
        "index.html",
        "404.html",
        "catalog.json",
        "datasets/index.html",
        "datasets/arbres/index.html",
        "datasets/arbres/dataset.json",
        "datasets/arbres/arbres 2025 #1.csv",
        "datasets/arbres/notes.txt",
        "datasets/liens/index.html",
        "datasets/liens/readme.txt",
        "datasets/seul/index.html",
        "datasets/seul/seul.csv",
        "a-propos/index.html",
        "img/logo.svg",
        "assets/kiosque.css",
    ] {
        assert!(out.join(f).is_file(), "missing {f}");
    }
    let catalog: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("catalog.json")).unwrap()).unwrap();
    let datasets = catalog["datasets"].as_array().unwrap();
    let slugs: Vec<&str> = datasets.iter().map(|d| d["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["arbres", "liens", "seul"]);
    assert_eq!(catalog["site"]["base_url"], "https://data.example.org/portail/");
    for d in datasets {
        for key in [
            "slug",
            "title",
            "description",
            "keywords",
            "themes",
            "license",
            "publisher",
            "modified",
            "frequency",
            "url",
            "resources",
        ] {
            assert!(d.get(key).is_some(), "dataset {} lacks {key}", d["slug"]);
        }
        // dataset.json carries the same object.
        let own: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(out.join(format!("datasets/{}/dataset.json", d["slug"].as_str().unwrap())))
                .unwrap(),
        )
        .unwrap();
        assert_eq!(&own, d);
        for r in d["resources"].as_array().unwrap() {
            for key in ["title", "path", "url", "format", "media_type", "bytes", "sha256"] {
                assert!(r.get(key).is_some(), "resource lacks {key}");
            }
            let Some(path) = r["path"].as_str() else {
                assert_eq!(r["url"], "https://example.org/data/export.csv");
                assert!(r["bytes"].is_null() && r["sha256"].is_null());
                continue;
            };
            let bytes = std::fs::read(out.join(path)).unwrap();
            assert_eq!(r["bytes"].as_u64().unwrap(), bytes.len() as u64, "{path}");
            let sha = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect::<String>();
            assert_eq!(r["sha256"].as_str().unwrap(), sha, "{path}");
        }
    }
    let arbres = &datasets[0];
    assert_eq!(arbres["license"], "etalab-2.0", "site default licence applies");
    assert_eq!(arbres["url"], "https://data.example.org/portail/datasets/arbres/");
    assert_eq!(
        arbres["resources"][0]["url"],
        "https://data.example.org/portail/datasets/arbres/arbres%202025%20%231.csv"
    );
    assert_eq!(datasets[1]["license"], "CC-BY-4.0");
    // Published files are byte-identical to their sources.
    assert_eq!(
        std::fs::read(out.join("datasets/seul/seul.csv")).unwrap(),
        std::fs::read(site.join("datasets/seul.csv")).unwrap()
    );
}

#[test]
fn every_internal_link_resolves() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&fixture("rich"), &out);
    let n = check_links(&out, "/portail/");
    assert!(n > 30, "only {n} links checked");
}

#[test]
fn user_strings_are_escaped_and_scripts_never_reach_pages() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&fixture("rich"), &out);
    let js_attr = regex::Regex::new(r#"(?i)(href|src|action)\s*=\s*["']?\s*(javascript|data|vbscript):"#).unwrap();
    let handler = regex::Regex::new(r"(?i)<[a-z][^>]*\son[a-z]+\s*=").unwrap();
    let ld =
        regex::Regex::new(r#"(?s)<script type="application/(?:ld\+)?json"(?: id="[a-z-]+")?>(.*?)</script>"#).unwrap();
    let theme_script = regex::Regex::new(r#"<script src="(?:\.\./)*assets/[a-z/]+\.js" defer></script>"#).unwrap();
    for (rel, bytes) in snapshot(&out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        // The only scripts are JSON data blocks (schema.org JSON-LD, the
        // search's strings), whose JSON escapes `<`, and the theme's own
        // scripts, loaded from the site itself.
        for cap in ld.captures_iter(&html) {
            assert!(!cap[1].contains('<'), "{rel}: raw < in a JSON block");
            let _: serde_json::Value = serde_json::from_str(&cap[1]).unwrap_or_else(|e| panic!("{rel}: JSON: {e}"));
        }
        let without_ld = ld.replace_all(&html, "");
        let without_ld = theme_script.replace_all(&without_ld, "");
        let lower = without_ld.to_lowercase();
        assert!(!lower.contains("<script"), "{rel} contains a script tag");
        assert!(!js_attr.is_match(&html), "{rel} contains a javascript: link");
        assert!(!handler.is_match(&html), "{rel} contains an event handler");
        assert!(!html.contains("<b>remarquables"), "{rel}: title not escaped");
    }
    let page = std::fs::read_to_string(out.join("datasets/arbres/index.html")).unwrap();
    assert!(page.contains("Arbres &lt;b&gt;remarquables&lt;/b&gt; &amp; &quot;têtards&quot;"), "{page}");
    assert!(page.contains(r#"&lt;script&gt;alert("xss")&lt;/script&gt;"#), "{page}");
    assert!(page.contains(r##"<a href="#">un lien piégé</a>"##), "{page}");
    assert!(page.contains(r#"<a href="https://example.org/">un vrai lien</a>"#));
}

#[test]
fn two_builds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build(&fixture("rich"), &a);
    build(&fixture("rich"), &b);
    assert_same_tree(&a, &b);
}

#[test]
fn a_site_file_overrides_the_default_theme_path_by_path() {
    let site = copy_site(&fixture("rich"));
    let theme = site.path().join("themes/default");
    std::fs::create_dir_all(theme.join("templates/partials")).unwrap();
    std::fs::create_dir_all(theme.join("assets")).unwrap();
    std::fs::create_dir_all(theme.join("i18n")).unwrap();
    std::fs::write(
        theme.join("templates/partials/dataset_card.html"),
        r#"<li class="custom-card"><a href="{{ root }}{{ d.href }}">{{ d.title }}</a></li>"#,
    )
    .unwrap();
    std::fs::write(theme.join("assets/kiosque.css"), "body { color: rebeccapurple; }\n").unwrap();
    std::fs::write(theme.join("assets/extra.js"), "// extra\n").unwrap();
    std::fs::write(theme.join("i18n/fr.yaml"), "nav_catalogue: Toutes les données\n").unwrap();
    let out = site.path().join("public");
    build(site.path(), &out);
    let catalogue = std::fs::read_to_string(out.join("datasets/index.html")).unwrap();
    assert!(catalogue.contains(r#"<li class="custom-card">"#), "partial override not used");
    assert!(catalogue.contains("Toutes les données"), "string override not used");
    assert!(catalogue.contains("Aller au contenu"), "other strings kept from the default theme");
    assert!(catalogue.contains(r#"<a class="site-title""#), "base.html still from the default theme");
    assert_eq!(std::fs::read_to_string(out.join("assets/kiosque.css")).unwrap(), "body { color: rebeccapurple; }\n");
    assert!(out.join("assets/extra.js").is_file());
}

#[test]
fn a_broken_template_is_reported_with_its_file_and_line() {
    let site = copy_site(&fixture("rich"));
    let dir = site.path().join("themes/default/templates");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("page.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title | nosuchfilter }}\n{% endblock %}\n",
    )
    .unwrap();
    let o = kiosque(&["check", site.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let d = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "template-error")
        .expect("template error reported");
    assert_eq!(d["file"], "themes/default/templates/page.html");
    assert_eq!(d["line"], 3);
}

#[test]
fn a_failing_build_leaves_the_previous_output_intact() {
    let site = copy_site(&fixture("rich"));
    let out = site.path().join("public");
    build(site.path(), &out);
    let before = snapshot(&out);
    // Break a sidecar: the next build must fail and change nothing.
    std::fs::write(site.path().join("datasets/seul.yaml"), "title: [unclosed\n").unwrap();
    let o = kiosque(&["build", site.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(snapshot(&out), before);
    let leftovers = common::build_leftovers(site.path());
    assert!(leftovers.is_empty(), "temporary folders left: {leftovers:?}");
    // A fixed site builds again, replacing the output.
    std::fs::write(site.path().join("datasets/seul.yaml"), "title: Nouveau titre\ndescription: d\n").unwrap();
    build(site.path(), &out);
    assert!(std::fs::read_to_string(out.join("datasets/seul/index.html")).unwrap().contains("Nouveau titre"));
}

#[test]
fn refuses_an_output_folder_it_did_not_create() {
    let site = copy_site(&fixture("rich"));
    let foreign = site.path().join("documents");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("important.odt"), "keep me").unwrap();
    let o = kiosque(&["build", site.path().to_str().unwrap(), "-o", foreign.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(foreign.join("important.odt")).unwrap(), "keep me");
    let o = kiosque(&["build", site.path().to_str().unwrap(), "-o", site.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let o =
        kiosque(&["build", site.path().to_str().unwrap(), "-o", site.path().join("datasets/out").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!site.path().join("datasets/out").exists());
}

#[test]
fn new_writes_a_site_that_builds_as_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("ma-commune");
    let o = kiosque(&["new", site.to_str().unwrap()]);
    assert!(o.status.success());
    let check = kiosque(&["check", site.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(v["errors"], 0, "{v}");
    // Only the example values a referent must replace, each located.
    let warnings: Vec<(&str, &str, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["file"].as_str().unwrap(), d["line"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        warnings,
        [("placeholder", "site.yaml", 5), ("placeholder", "site.yaml", 8), ("placeholder", "site.yaml", 11)],
        "{v}"
    );
    let out = site.join("public");
    build(&site, &out);
    let catalog: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("catalog.json")).unwrap()).unwrap();
    assert_eq!(catalog["datasets"].as_array().unwrap().len(), 2);
    assert!(out.join("a-propos/index.html").is_file());
    check_links(&out, "/");
    // `new` refuses a folder that is not empty.
    let again = kiosque(&["new", site.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn modified_defaults_to_the_last_git_commit_date() {
    let site = copy_site(&fixture("rich"));
    let root = site.path();
    std::fs::write(root.join("datasets/seul.yaml"), "title: Fichier seul\ndescription: d\n").unwrap();
    let git = |args: &[&str]| {
        let ok = Command::new("git")
            .args(args)
            .current_dir(root)
            .env("GIT_AUTHOR_DATE", "2024-02-03T10:00:00+01:00")
            .env("GIT_COMMITTER_DATE", "2024-02-03T10:00:00+01:00")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.org")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.org")
            .output()
            .unwrap()
            .status
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["commit", "-qm", "init"]);
    let out = root.join("public");
    build(root, &out);
    let ds: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("datasets/seul/dataset.json")).unwrap()).unwrap();
    assert_eq!(ds["modified"], "2024-02-03");
}

#[test]
fn english_sites_speak_english() {
    let site = copy_site(&fixture("rich"));
    let yaml = std::fs::read_to_string(site.path().join("site.yaml")).unwrap().replace("language: fr", "language: en");
    std::fs::write(site.path().join("site.yaml"), yaml).unwrap();
    let out = site.path().join("public");
    build(site.path(), &out);
    let page = std::fs::read_to_string(out.join("datasets/arbres/index.html")).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(page.contains("Skip to content"));
    assert!(page.contains("June 30, 2026"));
}

#[test]
fn late_datasets_are_flagged_and_scored() {
    let site = fixture("rich");
    // 2028-01-01: the annual "arbres" (modified 2026-06-30) is late.
    let o = kiosque_on("1830297600", &["check", site.to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "lateness is a warning");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let late: Vec<&serde_json::Value> =
        v["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "dataset-late").collect();
    assert_eq!(late.len(), 1, "{v}");
    assert_eq!(late[0]["file"], "datasets/arbres/dataset.yaml");
    assert_eq!(late[0]["line"], 13);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = kiosque_on("1830297600", &["build", site.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(o.status.success());
    let ds: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("datasets/arbres/dataset.json")).unwrap()).unwrap();
    assert_eq!(ds["quality"]["late"]["days"], 550);
    let criteria: Vec<(&str, bool)> = ds["quality"]["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap(), c["passed"].as_bool().unwrap()))
        .collect();
    assert!(criteria.contains(&("license", true)));
    assert!(criteria.contains(&("temporal_coverage", true)));
    assert!(criteria.contains(&("spatial_coverage", true)));
    assert!(criteria.contains(&("up_to_date", false)));
    assert!(criteria.contains(&("schema", false)));
    let passed = criteria.iter().filter(|c| c.1).count() as u64;
    assert_eq!(ds["quality"]["score"], (passed * 100 + 4) / 9);
    let page = std::fs::read_to_string(out.join("datasets/arbres/index.html")).unwrap();
    assert!(page.contains("badge-late"));
    let catalogue = std::fs::read_to_string(out.join("datasets/index.html")).unwrap();
    assert_eq!(catalogue.matches("badge-late").count(), 1);
    // On the pinned date nothing is late.
    let o = kiosque(&["check", site.to_str().unwrap(), "--format", "json"]);
    assert!(!String::from_utf8_lossy(&o.stdout).contains("dataset-late"));
}

#[test]
fn the_example_site_builds_cleanly_and_covers_what_a_commune_publishes() {
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
    let check = kiosque(&["check", site.to_str().unwrap(), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(v["errors"], 0, "{v:#}");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&site, &out);
    let catalog: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("catalog.json")).unwrap()).unwrap();
    let datasets = catalog["datasets"].as_array().unwrap();
    assert!(datasets.len() >= 12, "{} datasets", datasets.len());
    let mut themes: Vec<&str> =
        datasets.iter().flat_map(|d| d["themes"].as_array().unwrap()).map(|t| t.as_str().unwrap()).collect();
    themes.sort();
    themes.dedup();
    assert!(themes.len() >= 6, "{themes:?}");
    let formats: Vec<&str> = datasets
        .iter()
        .flat_map(|d| d["resources"].as_array().unwrap())
        .map(|r| r["format"].as_str().unwrap())
        .collect();
    for f in ["CSV", "XLSX", "GeoJSON", "PDF"] {
        assert!(formats.contains(&f), "no {f} resource: {formats:?}");
    }
    assert!(datasets.iter().any(|d| d["resources"].as_array().unwrap().len() > 1), "no dataset with several resources");
    // Some CSVs are Windows-1252, as Excel exports them.
    let cp1252 = walkdir::WalkDir::new(site.join("datasets"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "csv"))
        .filter(|e| std::str::from_utf8(&std::fs::read(e.path()).unwrap()).is_err())
        .count();
    assert!(cp1252 >= 1, "no Windows-1252 CSV");
    for page in ["a-propos", "reutiliser", "mentions-legales"] {
        assert!(out.join(page).join("index.html").is_file(), "missing page {page}");
    }
    check_links(&out, "/");
}

#[test]
fn broken_links_in_pages_are_reported_where_they_are_written() {
    let site = copy_site(&fixture("rich"));
    std::fs::write(
        site.path().join("pages/guide.md"),
        "---\ntitle: Guide\n---\n\nVoir [le catalogue](../datasets/index.html), [les arbres](../datasets/arbres/)\net [une faute](../catalogue.json) ou [ailleurs](https://example.org/x).\n",
    )
    .unwrap();
    let o = kiosque(&["check", site.path().to_str().unwrap(), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let broken: Vec<&serde_json::Value> =
        v["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "broken-link").collect();
    assert_eq!(broken.len(), 1, "{v:#}");
    assert_eq!(broken[0]["file"], "pages/guide.md");
    assert_eq!((broken[0]["line"].as_u64(), broken[0]["column"].as_u64()), (Some(6), Some(4)));
    assert!(broken[0]["message"].as_str().unwrap().contains("../catalogue.json"));
}

#[test]
fn output_does_not_depend_on_threads_time_zone_or_locale() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |out: &Path, envs: &[(&str, &str)]| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kiosque"));
        cmd.args(["build", fixture("rich").to_str().unwrap(), "-o", out.to_str().unwrap()])
            .env("SOURCE_DATE_EPOCH", TODAY)
            .env_remove("LANG")
            .env_remove("LANGUAGE")
            .env_remove("LC_ALL")
            .env_remove("TZ");
        let o = cmd.envs(envs.iter().copied()).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    // Each setting takes a different value in each run; the whole output
    // folders are compared.
    let runs: [&[(&str, &str)]; 3] = [
        &[("RAYON_NUM_THREADS", "1"), ("TZ", "UTC"), ("LANG", "C"), ("LC_ALL", "C")],
        &[("RAYON_NUM_THREADS", "2"), ("TZ", "Pacific/Kiritimati"), ("LANG", "fr_FR.UTF-8"), ("LC_ALL", "fr_FR.UTF-8")],
        &[("RAYON_NUM_THREADS", "7"), ("TZ", "America/St_Johns"), ("LANG", "en_US.UTF-8"), ("LANGUAGE", "de")],
    ];
    let outs: Vec<PathBuf> = (0..runs.len()).map(|i| tmp.path().join(format!("out-{i}"))).collect();
    for (out, envs) in outs.iter().zip(runs) {
        run(out, envs);
    }
    for out in &outs[1..] {
        assert_same_tree(&outs[0], out);
    }
}

#[test]
fn check_harvest_previews_what_the_national_portal_reads() {
    let o = kiosque(&["check", fixture("rich").to_str().unwrap(), "--harvest", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let harvest = v["harvest"].as_array().expect("harvest array");
    assert_eq!(harvest.len(), 3);
    let arbres = harvest.iter().find(|d| d["identifier"] == "arbres").unwrap();
    assert_eq!(arbres["kept"], true);
    // udata's values, as tests/judges/udata.sh checks against udata itself.
    assert_eq!(arbres["frequency"], "annual");
    assert_eq!(arbres["license"], "lov2");
    let dropped: Vec<&str> = arbres["dropped"].as_array().unwrap().iter().map(|d| d.as_str().unwrap()).collect();
    assert_eq!(dropped.len(), 2, "{dropped:?}");
    assert!(dropped[0].contains("balises HTML"), "{dropped:?}");
    assert!(dropped[1].contains("couverture géographique ignorée"), "{dropped:?}");
    let liens = harvest.iter().find(|d| d["identifier"] == "liens").unwrap();
    assert_eq!(liens["resources"].as_array().unwrap().len(), 2);
    // Human output on stdout.
    let o = kiosque(&["check", fixture("rich").to_str().unwrap(), "--harvest"]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(text.starts_with("Aperçu de ce que le portail national"), "{text}");
}

#[test]
fn tables_not_in_utf8_with_commas_get_a_normalised_copy() {
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&site, &out);
    let ds: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("datasets/frequentation-parkings/dataset.json")).unwrap(),
    )
    .unwrap();
    let resources = ds["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 2, "the Windows-1252 table and its copy");
    let copy = &resources[1];
    assert_eq!(copy["path"], "datasets/frequentation-parkings/occupation-parkings-mars-2026.utf8.csv");
    assert_eq!(copy["derived_from"], "datasets/frequentation-parkings/occupation-parkings-mars-2026.csv");
    let bytes = std::fs::read(out.join(copy["path"].as_str().unwrap())).unwrap();
    assert_eq!(copy["bytes"].as_u64().unwrap(), bytes.len() as u64);
    let sha = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect::<String>();
    assert_eq!(copy["sha256"], sha.as_str());
    let text = String::from_utf8(bytes).expect("the copy is UTF-8");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.headers().unwrap().get(5), Some("Taux d'occupation (%)"));
    assert_eq!(reader.records().count() as u64, resources[0]["rows"].as_u64().unwrap());
    assert!(text.contains("Parking Cœur de bourg – place du Marché"), "decoded from Windows-1252");
    // The original is published as it is, and a UTF-8 comma file gets no copy.
    assert_eq!(
        std::fs::read(out.join("datasets/frequentation-parkings/occupation-parkings-mars-2026.csv")).unwrap(),
        std::fs::read(site.join("datasets/frequentation-parkings/occupation-parkings-mars-2026.csv")).unwrap()
    );
    let budget: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("datasets/budget/dataset.json")).unwrap()).unwrap();
    assert!(budget["resources"].as_array().unwrap().iter().all(|r| r.get("derived_from").is_none()));
}

#[test]
fn each_spreadsheet_sheet_is_published_as_a_profiled_csv() {
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&site, &out);
    let ds: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("datasets/elections-municipales-2026/dataset.json")).unwrap(),
    )
    .unwrap();
    let resources = ds["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 3, "the workbook and its two sheets");
    for sheet in &resources[1..] {
        assert_eq!(sheet["format"], "CSV");
        assert_eq!(sheet["derived_from"], "datasets/elections-municipales-2026/resultats-municipales-2026.xlsx");
        let bytes = std::fs::read(out.join(sheet["path"].as_str().unwrap())).unwrap();
        let sha = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(sheet["sha256"], sha.as_str());
        assert_eq!(sheet["bytes"].as_u64().unwrap(), bytes.len() as u64);
        assert_eq!(sheet["rows"], 5, "five polling stations");
        let inscrits = sheet["columns"].as_array().unwrap().iter().find(|c| c["name"] == "Inscrits").unwrap();
        assert_eq!(inscrits["type"], "integer");
    }
    let page = std::fs::read_to_string(out.join("datasets/elections-municipales-2026/index.html")).unwrap();
    assert!(page.contains("feuille « 1er tour"), "sheet listed on the page");
    assert!(page.contains("class=\"columns\""), "sheet columns summarised");
}

/// What a build reports with `--verbose`: data files reused from the cache
/// and read, whether the output was left as it was, and datasets whose
/// files were taken from the previous build.
#[derive(Debug, PartialEq, Eq)]
struct Counts {
    files_reused: usize,
    files_read: usize,
    unchanged: bool,
    datasets_reused: usize,
}

/// Builds `site` into `out` with `--verbose`; returns what it reports, and
/// checks that the page's broken link is reported every time.
fn build_counting(site: &Path, out: &Path) -> Counts {
    let o = kiosque(&["build", site.to_str().unwrap(), "-o", out.to_str().unwrap(), "--verbose"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "build failed: {stderr}");
    assert!(stderr.contains("nulle-part.html"), "the broken link is reported on every build: {stderr}");
    let unchanged = stderr.contains("Rien n'a changé depuis la construction précédente");
    if cfg!(target_os = "linux") {
        let memory = stderr.lines().find(|l| l.starts_with("mémoire maximale à la fin de chaque étape :"));
        assert!(memory.is_some_and(|l| l.contains("Mo") || l.contains("Go")), "peak memory per stage: {stderr}");
    }
    let numbers = |start: &str| -> Vec<usize> {
        let line = stderr.lines().find(|l| l.starts_with(start)).unwrap_or_else(|| panic!("{start}: {stderr}"));
        line.split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse().ok()).collect()
    };
    let files = numbers("fichiers de données");
    let datasets = numbers("jeux de données :");
    assert_eq!(datasets[0] + datasets[1], 13, "every dataset is reused or made: {stderr}");
    Counts { files_reused: files[0], files_read: files[1], unchanged, datasets_reused: datasets[0] }
}

/// The list pages of a built site (the catalogue's, the themes' and the
/// keywords' but their indexes), with their inode numbers (0 off Unix).
fn list_pages(out: &Path) -> Vec<(std::path::PathBuf, u64)> {
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(out).sort_by_file_name() {
        let path = entry.unwrap().into_path();
        let rel = path.strip_prefix(out).unwrap().to_string_lossy().replace('\\', "/");
        let depth = rel.matches('/').count();
        let listing = (rel.starts_with("themes/") || rel.starts_with("keywords/")) && depth == 2
            || rel.starts_with("datasets/") && depth == 1 && rel.ends_with(".html");
        if listing && rel.ends_with(".html") {
            #[cfg(unix)]
            let inode = std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(&path).unwrap());
            #[cfg(not(unix))]
            let inode = 0;
            pages.push((path, inode));
        }
    }
    assert!(pages.len() > 5, "list pages found: {pages:?}");
    pages
}

/// `Counts` in a line.
fn counts(files_reused: usize, files_read: usize, unchanged: bool, datasets_reused: usize) -> Counts {
    Counts { files_reused, files_read, unchanged, datasets_reused }
}

/// The two folders hold the same files with the same bytes.
fn assert_same_tree(a: &Path, b: &Path) {
    let (sa, sb) = (snapshot(a), snapshot(b));
    assert_eq!(sa.keys().collect::<Vec<_>>(), sb.keys().collect::<Vec<_>>());
    for (k, v) in &sa {
        assert!(v == &sb[k], "{k} differs between {} and {}", a.display(), b.display());
    }
}

#[test]
fn incremental_builds_reuse_unchanged_files_and_match_clean_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    common::copy_site(&Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site"), &site);
    // A warning of the render stages, which an unchanged rebuild replays.
    let page = site.join("pages/a-propos.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\n[Ancien lien](../nulle-part.html)\n")).unwrap();
    let out = tmp.path().join("out");
    let first = build_counting(&site, &out);
    assert_eq!((first.files_reused, first.datasets_reused), (0, 0), "nothing is cached before the first build");
    let files = first.files_read;
    assert!(files > 10);
    assert!(tmp.path().join(".kiosque-cache/out").is_dir(), "the cache lives beside the output");
    assert!(tmp.path().join(".kiosque-cache/out/sidecars.bin").is_file(), "the parsed sidecars are kept");

    // No change: every file comes from the cache, the output is left as it
    // was, not even rewritten.
    let first = snapshot(&out);
    let marker = std::fs::metadata(out.join(".kiosque-output")).unwrap().modified().unwrap();
    assert_eq!(build_counting(&site, &out), counts(files, 0, true, 13));
    assert!(first == snapshot(&out), "a no-op rebuild changed the output");
    assert_eq!(std::fs::metadata(out.join(".kiosque-output")).unwrap().modified().unwrap(), marker);

    // A template override changes the pages, though no data changed: no
    // dataset's files are reused.
    let template = site.join("themes/default/templates/404.html");
    std::fs::create_dir_all(template.parent().unwrap()).unwrap();
    let default =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/404.html"))
            .unwrap();
    std::fs::write(&template, default.replacen("{% block", "{# surcharge #}{% block", 1)).unwrap();
    assert_eq!(build_counting(&site, &out), counts(files, 0, false, 0));

    // A sidecar edited, a table grown by one row, another only touched (a
    // fresh clone has new modification times): one file is read again, the
    // files of the two datasets that changed are made again.
    let sidecar = site.join("datasets/deliberations/dataset.yaml");
    let text = std::fs::read_to_string(&sidecar).unwrap();
    std::fs::write(
        &sidecar,
        text.replace("title: Délibérations du conseil municipal", "title: Délibérations du conseil"),
    )
    .unwrap();
    let table = site.join("datasets/budget/budget-primitif-2026.csv");
    let mut csv = std::fs::read_to_string(&table).unwrap();
    let last = csv.lines().last().unwrap().to_string();
    csv.push_str(&last);
    csv.push('\n');
    std::fs::write(&table, csv).unwrap();
    let touched = site.join("datasets/marches-publics/marches-publics-2024-2026.csv");
    std::fs::write(&touched, std::fs::read(&touched).unwrap()).unwrap();
    assert_eq!(build_counting(&site, &out), counts(files - 1, 1, false, 11));
    let clean = tmp.path().join("clean");
    assert_eq!(build_counting(&site, &clean), counts(0, files, false, 0));
    assert_same_tree(&out, &clean);

    // Keywords shared with other datasets, in a one-file dataset's sidecar:
    // the keyword pages change, the other datasets' files do not.
    // The list pages that do not show that dataset are taken from the
    // previous build (hard-linked: the same file), the others made again.
    let sidecar = site.join("datasets/menus-restauration-scolaire.yaml");
    let lists = list_pages(&out);
    let text = std::fs::read_to_string(&sidecar).unwrap();
    std::fs::write(&sidecar, text.replace("keywords: [cantine,", "keywords: [budget, finances, cantine,")).unwrap();
    assert_eq!(build_counting(&site, &out).datasets_reused, 12);
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let inode = |path: &Path| std::fs::metadata(path).unwrap().ino();
        let shows = |path: &Path| std::fs::read_to_string(path).unwrap().contains("menus-restauration-scolaire/");
        let (mut kept, mut made) = (0, 0);
        for (path, before) in &lists {
            if path.is_file() && !shows(path) {
                assert_eq!(inode(path), *before, "{} was made again", path.display());
                kept += 1;
            } else if path.is_file() {
                assert_ne!(inode(path), *before, "{} was not made again", path.display());
                made += 1;
            }
        }
        assert!(kept > 5 && made > 2, "{kept} list pages kept, {made} made again");
    }
    // The DCAT fragments of the datasets as they are now, no others.
    let fragments = std::fs::read_dir(tmp.path().join(".kiosque-cache/out/dcat")).unwrap().count();
    assert_eq!(fragments, 13, "one DCAT fragment per dataset");
    std::fs::remove_dir_all(&clean).unwrap();
    assert_eq!(build_counting(&site, &clean).datasets_reused, 0);
    assert_same_tree(&out, &clean);

    // What every page shows (the site's title): nothing is reused.
    let config = site.join("site.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replacen("title: Données ouvertes de", "title: Les données ouvertes de", 1)).unwrap();
    assert_eq!(build_counting(&site, &out).datasets_reused, 0);
    std::fs::remove_dir_all(&clean).unwrap();
    build_counting(&site, &clean);
    assert_same_tree(&out, &clean);

    // A dataset's file changed in the output is made again, not reused.
    let page = out.join("datasets/budget/index.html");
    std::fs::write(&page, "tampered").unwrap();
    std::fs::write(&sidecar, std::fs::read_to_string(&sidecar).unwrap().replace("[budget, finances, ", "[")).unwrap();
    assert_eq!(build_counting(&site, &out).datasets_reused, 11);
    std::fs::remove_dir_all(&clean).unwrap();
    build_counting(&site, &clean);
    assert_same_tree(&out, &clean);

    // A damaged cache entry is read again, never trusted; a deleted cache
    // is a clean build, and so is a build whose previous output is gone.
    for entry in std::fs::read_dir(tmp.path().join(".kiosque-cache/out/entries")).unwrap() {
        std::fs::write(entry.unwrap().path().join("profile.json"), b"{").unwrap();
    }
    std::fs::remove_dir_all(&out).unwrap();
    assert_eq!(build_counting(&site, &out), counts(0, files, false, 0));
    assert_same_tree(&out, &clean);
    std::fs::remove_dir_all(tmp.path().join(".kiosque-cache")).unwrap();
    assert_eq!(build_counting(&site, &out), counts(0, files, false, 0));
    assert_same_tree(&out, &clean);
}

/// A payload for field `tag`: tags that would run script, close the
/// elements text sits in (`</title>`, `</script>` of a JSON-LD block), or
/// break out of an attribute.
fn payload(tag: &str) -> String {
    format!(
        "{tag} <script>alert('{tag}')</script></script></title></textarea><img src=x onerror=alert('{tag}')><svg onload=alert('{tag}')><iframe src=\"https://evil.example/\"></iframe>\"'&"
    )
}

/// Markdown for field `tag` with every way of writing script we know of:
/// raw HTML blocks and inline tags, event handlers, iframes, SVG, links
/// and images to `javascript:`, `vbscript:` and `data:` URLs, in mixed
/// case, with entities, blanks and control characters inside.
fn markdown_payload(tag: &str) -> String {
    format!(
        "Texte {tag} <script>alert('{tag}')</script> et <b onmouseover=\"alert(1)\">gras</b>.\n\n\
         <img src=x onerror=\"alert('{tag}')\">\n\n\
         <iframe src=\"https://evil.example/\"></iframe>\n\n\
         <svg><script>alert('{tag}')</script><a xlink:href=\"javascript:alert(1)\">x</a></svg>\n\n\
         <a href=\"javascript:alert(1)\">lien brut</a> <object data=\"x.swf\"></object> <embed src=\"x.swf\">\n\n\
         [a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](jav&#x61;script:alert(1)) [d](&#106;avascript:alert(1)) \
         [e](data:text/html;base64,PHNjcmlwdD4=) [f](vbscript:msgbox(1)) [g](java\tscript:alert(1)) [h](<javascript:alert(1)>) \
         [i](  JAVASCRIPT:alert(1)) [j](javascript&colon;alert(1))\n\n\
         ![k](javascript:alert(1)) ![l](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)\n\n\
         [m][ref]\n\n[ref]: javascript:alert(1)\n\n\
         <javascript:alert(1)> <vbscript:msgbox(1)>\n\n\
         [vrai lien](https://example.org/)\n"
    )
}

fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// Decodes the character references a browser decodes in an attribute.
fn decode_entities(s: &str) -> String {
    let re = regex::Regex::new(r"(?i)&#(x[0-9a-f]+|[0-9]+);?|&(colon|tab|newline|amp|quot|apos|lt|gt);").unwrap();
    re.replace_all(s, |c: &regex::Captures| {
        if let Some(n) = c.get(1) {
            let n = n.as_str();
            let code = match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => n.parse().ok(),
            };
            return code.and_then(char::from_u32).map(String::from).unwrap_or_default();
        }
        match c[2].to_ascii_lowercase().as_str() {
            "colon" => ":",
            "tab" => "\t",
            "newline" => "\n",
            "amp" => "&",
            "quot" => "\"",
            "apos" => "'",
            "lt" => "<",
            _ => ">",
        }
        .to_string()
    })
    .into_owned()
}

/// Checks one HTML page: the only scripts are JSON blocks with no `<`
/// (so no `</script>` can close them) that parse, and the theme's own
/// scripts; no tag carries an event handler; no URL attribute holds a
/// `javascript:`, `vbscript:` or `data:` URL, however written (text
/// attributes such as a meta description may quote one, as text); no
/// iframe, object, embed or base tag.
fn assert_safe_html(rel: &str, html: &str) {
    let json_block =
        regex::Regex::new(r#"(?s)<script type="application/(?:ld\+)?json"(?: id="[a-z-]+")?>(.*?)</script>"#).unwrap();
    let theme_script = regex::Regex::new(r#"<script src="(?:\.\./)*assets/[a-z/]+\.js" defer></script>"#).unwrap();
    let tag = regex::Regex::new(r"(?s)<[a-zA-Z][^>]*>").unwrap();
    let attr = regex::Regex::new(r#"(?s)\s([^\s=/>"']+)\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))"#).unwrap();
    for cap in json_block.captures_iter(html) {
        assert!(!cap[1].contains('<'), "{rel}: raw < in a JSON block");
        let _: serde_json::Value = serde_json::from_str(&cap[1]).unwrap_or_else(|e| panic!("{rel}: JSON: {e}"));
    }
    let rest = json_block.replace_all(html, "");
    let rest = theme_script.replace_all(&rest, "");
    let lower = rest.to_lowercase();
    for bad in ["<script", "<iframe", "<object", "<embed", "<base"] {
        assert!(!lower.contains(bad), "{rel} contains {bad}");
    }
    for t in tag.find_iter(&rest) {
        for a in attr.captures_iter(t.as_str()) {
            let name = a[1].to_ascii_lowercase();
            assert!(!name.starts_with("on"), "{rel}: event handler in {}", t.as_str());
            let value = a.get(3).or(a.get(4)).or(a.get(5)).map(|m| m.as_str()).unwrap_or_default();
            let value: String =
                decode_entities(value).chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
            let value = value.to_ascii_lowercase();
            let url_attribute = matches!(
                name.as_str(),
                "href" | "src" | "action" | "formaction" | "xlink:href" | "srcset" | "poster" | "cite" | "background"
            ) || name.starts_with("data-");
            for scheme in ["javascript:", "vbscript:", "data:"] {
                assert!(!(url_attribute && value.contains(scheme)), "{rel}: {scheme} in {}", t.as_str());
            }
        }
    }
}

/// Every text of site.yaml, a sidecar, a page's front matter, file and
/// column names, cell values and Markdown holds script: none of it runs
/// on any page, and every published format stays well-formed.
#[test]
fn every_user_string_is_escaped_on_every_page_and_in_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let p = |tag: &str| yaml_str(&payload(tag));
    let md = |tag: &str| yaml_str(&markdown_payload(tag));
    let logo = "logo\"'><img src=x onerror=alert(1)>.svg";
    let file = "<b>données<b>\"'& 1.csv";
    let site_yaml = format!(
        "title: {}\ndescription: {}\nbase_url: https://data.example.org/portail/\nlanguage: fr\npublisher: {}\n\
         contact:\n  name: {}\n  email: \"x\\\"><script>alert('mail')</script>@example.org\"\nlicense: etalab-2.0\n\
         footer: {}\nlogo: {}\nfeatured: [xss]\naccessibility: partial\n\
         map_tiles:\n  url: \"https://tiles.example/{{z}}/{{x}}/{{y}}.png?k=\\\"><script>alert('tiles')</script>\"\n  attribution: {}\n\
         menu:\n  - xss\n  - title: {}\n    url: \"https://example.org/\\\" onmouseover=\\\"alert('menu')\\\"><script>alert('menu')</script>\"\n",
        p("site-title"),
        md("site-description"),
        p("site-publisher"),
        p("contact-name"),
        md("footer"),
        yaml_str(logo),
        p("tiles-attribution"),
        p("menu-title"),
    );
    let sidecar = format!(
        "title: {}\ndescription: {}\nkeywords: [{}, \"<i>mot</i>\"]\nthemes: [ENVI]\npublisher: {}\n\
         contact:\n  name: {}\n  email: opendata@example.org\nfrequency: annual\nmodified: 2026-06-30\n\
         temporal: {{start: 2020-01-01, end: 2025-12-31}}\nspatial: {{label: {}, insee: \"99999\"}}\n\
         coordinates: {{lat: lat, lon: lon}}\n\
         resources:\n  - path: {}\n    title: {}\n    description: {}\n\
         \x20 - path: points.geojson\n    title: {}\n\
         \x20 - path: valeurs.json\n\
         \x20 - url: \"https://example.org/x.csv\\\" onclick=\\\"alert('res')\\\"><script>alert('res')</script>\"\n    title: {}\n    format: {}\n\
         charts:\n  - title: {}\n    type: bar\n    resource: {}\n    x: {}\n    y: valeur\n",
        p("ds-title"),
        md("ds-description"),
        p("keyword"),
        p("ds-publisher"),
        p("ds-contact"),
        p("spatial"),
        yaml_str(file),
        p("res-title"),
        p("res-description"),
        p("geo-title"),
        p("remote-title"),
        p("remote-format"),
        p("chart-title"),
        yaml_str(file),
        yaml_str(&payload("column")),
    );
    let column = payload("column").replace('"', "\"\"");
    let mut csv = format!("\"{column}\",valeur,lat,lon\n");
    for i in 0..12 {
        csv.push_str(&format!("\"{}\",{i},48.8{i},2.3{i}\n", payload(&format!("cell{i}")).replace('"', "\"\"")));
    }
    let geojson = serde_json::json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"nom": payload("geo-property"), "<script>k</script>": payload("geo-key")},
         "geometry": {"type": "Point", "coordinates": [2.3, 48.8]}}]});
    let json_values = serde_json::json!([{"nom": payload("json-value"), "<img src=x onerror=alert(1)>": 1}]);
    let page = format!(
        "---\ntitle: {}\ndescription: {}\n---\n{}",
        p("page-title"),
        p("page-description"),
        markdown_payload("page-body")
    );
    for (path, body) in [
        ("site.yaml", site_yaml),
        ("datasets/xss/dataset.yaml", sidecar),
        (&format!("datasets/xss/{file}"), csv),
        ("datasets/xss/points.geojson", geojson.to_string()),
        ("datasets/xss/valeurs.json", json_values.to_string()),
        ("pages/xss.md", page),
        (&format!("static/{logo}"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_string()),
    ] {
        let path = site.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
    let out = tmp.path().join("public");
    build(&site, &out);

    let files = snapshot(&out);
    for page in [
        "index.html",
        "404.html",
        "datasets/index.html",
        "datasets/xss/index.html",
        "themes/index.html",
        "themes/envi/index.html",
        "keywords/index.html",
        "xss/index.html",
    ] {
        assert!(files.contains_key(page), "no {page}: {:?}", files.keys().collect::<Vec<_>>());
    }
    assert!(
        files.keys().any(|k| k.starts_with("keywords/") && k.ends_with("/index.html") && k != "keywords/index.html")
    );
    let mut pages = 0;
    for (rel, bytes) in &files {
        let Ok(text) = std::str::from_utf8(bytes) else { continue };
        if rel.ends_with(".html") {
            assert_safe_html(rel, text);
            pages += 1;
        } else if rel.ends_with(".svg") || rel.ends_with(".xml") || rel.ends_with(".rdf") {
            let doc = roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{rel}: {e}"));
            for node in doc.descendants().filter(|n| n.is_element()) {
                assert_ne!(node.tag_name().name(), "script", "{rel}");
                // Feed readers render `type="html"` texts as HTML.
                assert!(!matches!(node.attribute("type"), Some("html" | "xhtml")), "{rel}: HTML text");
                for a in node.attributes() {
                    assert!(!a.name().to_ascii_lowercase().starts_with("on"), "{rel}: handler {}", a.name());
                    assert!(!a.value().to_ascii_lowercase().contains("javascript:"), "{rel}: {}", a.value());
                }
            }
        } else if rel.ends_with(".json") || rel.ends_with(".jsonld") || rel.ends_with(".geojson") {
            let _: serde_json::Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{rel}: {e}"));
        } else if rel.ends_with(".ttl") {
            for quad in oxrdfio::RdfParser::from_format(oxrdfio::RdfFormat::Turtle).for_slice(bytes) {
                quad.unwrap_or_else(|e| panic!("{rel}: {e}"));
            }
        } else if rel == "catalog.csv" {
            let mut reader = csv::Reader::from_reader(bytes.as_slice());
            let width = reader.headers().unwrap().len();
            for record in reader.records() {
                assert_eq!(record.unwrap().len(), width, "{rel}");
            }
        }
    }
    assert!(pages >= 10, "{pages} pages");
    // The payloads are there, as text: shown, not run, not lost.
    let ds = String::from_utf8(files["datasets/xss/index.html"].clone()).unwrap();
    for tag in [
        "ds-title",
        "res-title",
        "res-description",
        "chart-title",
        "column",
        "spatial",
        "ds-publisher",
        "ds-contact",
        "geo-title",
        "geo-property",
        "json-value",
        "cell0",
        "remote-title",
        "keyword",
    ] {
        assert!(ds.contains(&format!("{tag} &lt;script&gt;alert(")), "{tag} is not shown escaped on the dataset page");
    }
    let home = String::from_utf8(files["index.html"].clone()).unwrap();
    for tag in ["site-title", "site-description", "footer", "menu-title"] {
        assert!(home.contains(&format!("{tag} &lt;script&gt;alert(")), "{tag} is not shown escaped on the home page");
    }
    let page = String::from_utf8(files["xss/index.html"].clone()).unwrap();
    for tag in ["page-title", "page-body"] {
        assert!(page.contains(&format!("{tag} &lt;script&gt;alert(")), "{tag} is not shown escaped on its page");
    }
    assert!(ds.contains("tiles-attribution &lt;script&gt;"), "the map's attribution");
    check_links(&out, "/portail/");
    // The JSON-LD holds the title whole, `</script>` and all.
    let ld = regex::Regex::new(r#"(?s)<script type="application/ld\+json">(.*?)</script>"#).unwrap();
    let jsonld: serde_json::Value = serde_json::from_str(&ld.captures(&ds).unwrap()[1]).unwrap();
    assert_eq!(jsonld["name"], payload("ds-title"), "{jsonld:#}");
}

/// Every page names its icon, a file of the site (the site's logo, else
/// the theme's), so that browsers do not ask for a missing `/favicon.ico`.
#[test]
fn every_page_declares_an_icon_that_exists() {
    let tmp = tempfile::tempdir().unwrap();
    for (site, icon) in
        [(fixture("rich"), None), (Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site"), Some("logo.svg"))]
    {
        let out = tmp.path().join(site.file_name().unwrap());
        build(&site, &out);
        let mut pages = 0;
        for entry in walkdir::WalkDir::new(&out).into_iter().flatten() {
            if entry.path().extension().is_none_or(|e| e != "html") {
                continue;
            }
            pages += 1;
            let html = std::fs::read_to_string(entry.path()).unwrap();
            let href = html
                .split("<link rel=\"icon\" href=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_else(|| panic!("no icon in {}", entry.path().display()));
            let expected = icon.unwrap_or("assets/icon.svg");
            assert!(href.ends_with(expected), "{} → {href}", entry.path().display());
            // 404.html links from the site's root path (it is served at any depth).
            let target =
                if href.starts_with('/') { out.join(expected) } else { entry.path().parent().unwrap().join(href) };
            assert!(target.is_file(), "{} → {href}", entry.path().display());
        }
        assert!(pages > 5, "{pages} pages");
    }
}

/// The home page shows each dataset once: the latest updated leave out the
/// featured ones, and a dataset featured twice is shown once.
#[test]
fn the_home_page_shows_each_dataset_once() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    common::copy_site(&Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site"), &site);
    let config = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    // budget is also among the latest updated; named twice here.
    let config = config.replace("featured: [budget,", "featured: [budget, budget,");
    std::fs::write(site.join("site.yaml"), config).unwrap();
    let out = tmp.path().join("out");
    build(&site, &out);
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    let cards: Vec<&str> = home
        .split("<li class=\"dataset-card\">")
        .skip(1)
        .filter_map(|card| card.split("href=\"").nth(1)?.split('"').next())
        .collect();
    assert!(cards.len() >= 6, "{cards:?}");
    let mut distinct = cards.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), cards.len(), "a dataset shown twice: {cards:?}");
    assert_eq!(cards[0], "datasets/budget/index.html");
}
