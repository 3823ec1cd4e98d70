//! `kiosque add`: on every data file of the example site (its sidecars
//! removed), the sidecar written is accepted by `kiosque check` once its
//! placeholders are filled; an existing sidecar is never overwritten.

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// What a referent does after `kiosque add`: write the description and
/// licence, and confirm the personal data review when asked.
fn fill_placeholders(sidecar: &Path) {
    let text = std::fs::read_to_string(sidecar).unwrap();
    let filled: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with("# description:") {
                "description: Des données de la commune.".to_string()
            } else if l.starts_with("# license:") {
                "license: etalab-2.0".to_string()
            } else if l == "# personal_data: reviewed" {
                "personal_data: reviewed".to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(sidecar, filled.join("\n") + "\n").unwrap();
}

fn add(file: &Path) -> common::Run {
    common::run_kiosque(None, &[OsStr::new("add"), file.as_os_str()])
}

#[test]
fn sidecars_for_every_file_of_the_example_site() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    common::copy_site(&Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site"), site);
    let mut data_files: Vec<PathBuf> = Vec::new();
    for entry in walkdir::WalkDir::new(site.join("datasets")).sort_by_file_name() {
        let path = entry.unwrap().into_path();
        if path.extension().is_some_and(|e| e == "yaml") {
            std::fs::remove_file(&path).unwrap();
        } else if path.is_file() {
            data_files.push(path);
        }
    }
    let mut written = Vec::new();
    for file in &data_files {
        let run = add(file);
        match run.code {
            0 => written.push(PathBuf::from(run.stderr.trim())),
            // A second file of the same folder: its sidecar is already written.
            2 => assert!(run.stderr.contains("existe déjà"), "{}", run.stderr),
            code => panic!("kiosque add {}: exit {code}: {}", file.display(), run.stderr),
        }
    }
    assert_eq!(written.len(), 13, "one sidecar per dataset: {written:?}");

    // Placeholders are comments: until filled, check says what is missing.
    let unfilled = common::run_kiosque(None, &[OsStr::new("check"), site.as_os_str()]);
    assert_eq!(unfilled.code, 1, "{}", unfilled.stderr);

    for sidecar in &written {
        fill_placeholders(sidecar);
    }
    let check = common::run_kiosque(None, &[OsStr::new("check"), site.as_os_str()]);
    assert_eq!(check.code, 0, "check after filling the sidecars:\n{}", check.stderr);

    // The detected dialect of the Windows-1252, semicolon file was written.
    let parkings = std::fs::read_to_string(site.join("datasets/frequentation-parkings/dataset.yaml")).unwrap();
    assert!(parkings.contains("encoding: windows-1252\ndelimiter: ;\ndecimal: \",\"\n"), "{parkings}");
    assert!(parkings.contains("title: Occupation parkings mars 2026"));
    assert!(parkings.contains("#   - Places totales: integer"));
}

#[test]
fn an_existing_sidecar_is_never_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("datasets/d");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(tmp.path().join("site.yaml"), "title: S\nlanguage: en\n").unwrap();
    std::fs::write(dir.join("t.csv"), "a\n1\n").unwrap();
    std::fs::write(dir.join("dataset.yaml"), "title: Mine\n").unwrap();
    let run = add(&dir.join("t.csv"));
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("already exists"), "English site: {}", run.stderr);
    assert_eq!(std::fs::read_to_string(dir.join("dataset.yaml")).unwrap(), "title: Mine\n");
}
