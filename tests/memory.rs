//! Peak memory of builds of the largest files kiosque accepts (issue 23):
//! a site whose files are each within the documented limits builds in
//! under 1 GB, one kind of file at a time and all of them together. The
//! peak is the build process's own (`wait4`'s resource usage), not the
//! test's.

#![cfg(target_os = "linux")]

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use kiosque::limits;

/// A kind of file, and what writes the largest one allowed into a site.
type Kind = (&'static str, fn(&Path));

/// What the build may take at its peak.
const BUDGET_KIB: i64 = 1024 * 1024;

/// Runs `kiosque build SITE -o OUT`; returns its exit code, what it printed
/// on stderr, and its peak resident memory in KiB.
// Reaped by `wait4`, which `Child::wait` cannot be told to use.
#[allow(clippy::zombie_processes)]
fn build_measured(site: &Path, out: &Path) -> (i32, String, i64) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kiosque"))
        .args(["build".as_ref(), site.as_os_str(), "-o".as_ref(), out.as_os_str(), "--quiet".as_ref()])
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", common::TODAY)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start kiosque");
    let mut stderr = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
        text
    });
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: a zeroed rusage is valid; wait4 on our own child, once.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4: {}", std::io::Error::last_os_error());
    let code = if libc::WIFEXITED(status) { libc::WEXITSTATUS(status) } else { -1 };
    (code, reader.join().unwrap(), usage.ru_maxrss)
}

/// A site folder with `site.yaml` and the files `add` writes.
fn site(add: impl FnOnce(&Path)) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    std::fs::create_dir_all(root.join("datasets")).unwrap();
    std::fs::write(root.join("site.yaml"), common::FRENCH_SITE_YAML).unwrap();
    add(&root);
    tmp
}

/// A dataset folder `datasets/<slug>/` with a sidecar.
fn dataset(root: &Path, slug: &str) -> std::path::PathBuf {
    let dir = root.join("datasets").join(slug);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("dataset.yaml"),
        format!("title: {slug}\ndescription: Des données.\nmodified: 2026-11-01\n"),
    )
    .unwrap();
    dir
}

/// Writes `len` bytes: `head`, then `item` repeated with `sep` between,
/// then `tail`.
fn repeated(path: &Path, len: u64, head: &str, item: &str, sep: &str, tail: &str) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    f.write_all(head.as_bytes()).unwrap();
    let body = len - head.len() as u64 - tail.len() as u64;
    let step = (item.len() + sep.len()) as u64;
    let n = body / step;
    for i in 0..n {
        if i > 0 {
            f.write_all(sep.as_bytes()).unwrap();
        }
        f.write_all(item.as_bytes()).unwrap();
    }
    f.write_all(tail.as_bytes()).unwrap();
    f.flush().unwrap();
}

/// The largest GeoJSON drawn: one MultiPoint of as many points as fit.
fn geojson(root: &Path) {
    let dir = dataset(root, "carte");
    let head = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"nom":"x"},"geometry":{"type":"MultiPoint","coordinates":["#;
    repeated(&dir.join("points.geojson"), limits::PREVIEW_LIMIT_BYTES, head, "[2.3,48.8]", ",", "]}}]}");
}

/// The largest JSON previewed: an array of small objects.
fn json(root: &Path) {
    let dir = dataset(root, "objets");
    repeated(&dir.join("objets.json"), limits::PREVIEW_LIMIT_BYTES, "[", r#"{"a":1,"b":"x"}"#, ",", "]");
}

/// A large CSV (read as a stream: no limit on its size).
fn csv(root: &Path) {
    let dir = dataset(root, "table");
    repeated(&dir.join("table.csv"), 64 << 20, "id,nom,montant\n", "12345,Rue des Lilas,1234.5", "\n", "\n");
}

/// A workbook whose shared strings are at the limit, and a sheet of a
/// million rows using them.
fn workbook(root: &Path) {
    let dir = dataset(root, "classeur");
    let path = dir.join("classeur.xlsx");
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(std::fs::File::create(&path).unwrap()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(true);
    for (name, text) in common::XLSX_PARTS {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    // Shared strings: as many short distinct strings as fit in the limit.
    zip.start_file("xl/sharedStrings.xml", options).unwrap();
    let head = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;
    let tail = "</sst>";
    let mut written = (head.len() + tail.len()) as u64;
    let mut strings = 0u64;
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, &mut zip);
        w.write_all(head.as_bytes()).unwrap();
        loop {
            let item = format!("<si><t>v{strings:08}</t></si>");
            if written + item.len() as u64 > limits::MAX_WORKBOOK_PART_BYTES {
                break;
            }
            w.write_all(item.as_bytes()).unwrap();
            written += item.len() as u64;
            strings += 1;
        }
        w.write_all(tail.as_bytes()).unwrap();
        w.flush().unwrap();
    }
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, &mut zip);
        w.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#).unwrap();
        w.write_all(br#"<row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c></row>"#).unwrap();
        for r in 2..=(1u64 << 20) {
            write!(w, r#"<row r="{r}"><c r="A{r}" t="s"><v>{}</v></c></row>"#, (r * 7919) % strings).unwrap();
        }
        w.write_all(b"</sheetData></worksheet>").unwrap();
        w.flush().unwrap();
    }
    zip.finish().unwrap().flush().unwrap();
}

/// A sidecar and a page at the size limit.
fn texts(root: &Path) {
    let dir = dataset(root, "texte");
    std::fs::write(dir.join("petit.csv"), "a,b\n1,2\n").unwrap();
    let filler = |len: u64, head: &str| {
        let words = "Une description longue, avec des [liens](https://exemple.fr) et du *texte*. ";
        let mut text = head.to_string();
        while ((text.len() + words.len()) as u64) < len {
            text.push_str(words);
        }
        text.push('\n');
        text
    };
    std::fs::write(
        dir.join("dataset.yaml"),
        filler(limits::MAX_TEXT_FILE, "title: Texte\nmodified: 2026-11-01\ndescription: "),
    )
    .unwrap();
    std::fs::create_dir_all(root.join("pages")).unwrap();
    std::fs::write(root.join("pages/long.md"), filler(limits::MAX_TEXT_FILE, "---\ntitle: Longue\n---\n")).unwrap();
}

fn assert_under_budget(name: &str, add: fn(&Path)) -> i64 {
    let tmp = site(add);
    let (code, stderr, kib) = build_measured(&tmp.path().join("site"), &tmp.path().join("out"));
    eprintln!("{name}: peak {} MiB", kib / 1024);
    assert_eq!(code, 0, "{name}: {stderr}");
    assert!(kib < BUDGET_KIB, "{name}: peak {} MiB", kib / 1024);
    kib
}

#[test]
fn the_largest_allowed_files_build_in_under_a_gigabyte() {
    let kinds: [Kind; 5] =
        [("geojson", geojson), ("json", json), ("csv", csv), ("workbook", workbook), ("texts", texts)];
    for (name, add) in kinds {
        assert_under_budget(name, add);
    }
    assert_under_budget("together", |root| {
        let all: [fn(&Path); 5] = [geojson, json, csv, workbook, texts];
        for add in all {
            add(root);
        }
    });
}
