//! Hardening against bad input (issue 8): files far larger, longer, wider
//! or deeper than any real one, generated in temporary folders. None may
//! crash kiosque, hang it or blow its memory; each gets a located message
//! in French (the sites here are French) with a hint, or is handled, and a
//! build either succeeds or fails leaving the previous output as it was.
//!
//! Each limit of `src/limits.rs` is tried at the limit (fine) and just
//! over it (the message). The large files are written once per test, kept
//! as small as the case allows, so that the whole file runs in well under a
//! minute in a debug build.

mod common;

use std::ffi::OsStr;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use common::{Diag, Report, Run};
use kiosque::limits;

// ---------------------------------------------------------------- helpers

/// A French site with one dataset, `datasets/d`, holding `files`.
fn site_with(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("site.yaml"), common::FRENCH_SITE_YAML).unwrap();
    let dir = root.join("datasets/d");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("dataset.yaml"), "title: D\ndescription: Des données.\nmodified: 2026-11-01\n").unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    tmp
}

fn build(site: &Path, out: &Path) -> Run {
    common::run_kiosque(None, &[OsStr::new("build"), site.as_os_str(), OsStr::new("-o"), out.as_os_str()])
}

fn with_code<'a>(report: &'a Report, code: &str) -> Vec<&'a Diag> {
    report.diagnostics.iter().filter(|d| d.code == code).collect()
}

fn one<'a>(report: &'a Report, code: &str) -> &'a Diag {
    let found = with_code(report, code);
    assert_eq!(found.len(), 1, "expected one {code} in {report:#?}");
    found[0]
}

/// Asserts a diagnostic is about `file` at `line`, in French, with a hint.
fn assert_located(d: &Diag, severity: &str, file: &str, line: Option<usize>) {
    assert_eq!(d.severity, severity, "{d:#?}");
    assert_eq!(d.file.as_deref(), Some(file), "{d:#?}");
    assert_eq!(d.line, line, "{d:#?}");
    let hint = d.hint.as_deref().unwrap_or_default();
    assert!(!hint.is_empty(), "a hint: {d:#?}");
    let text = format!("{} {hint}", d.message);
    assert!(text.contains(['é', 'è', 'à', '«']), "French: {d:#?}");
    assert!(!text.contains('“'), "no English quotes: {d:#?}");
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

const CSV: &str = "datasets/d/x.csv";
const TEN_MB: usize = 10 * 1024 * 1024;

// ---------------------------------------------------------------- long lines

#[test]
fn a_cell_of_ten_megabytes_is_published_whole_and_previewed_cut() {
    let mut csv = b"nom;texte\nun;".to_vec();
    csv.extend(std::iter::repeat_n(b'x', TEN_MB));
    csv.extend_from_slice(b"\ndeux;court\n");
    let site = site_with(&[("x.csv", &csv)]);
    let out = site.path().join("public");
    let start = Instant::now();
    let run = build(site.path(), &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(start.elapsed() < Duration::from_secs(20), "took {:?}", start.elapsed());
    // The file and its normalised copy keep the cell whole.
    assert_eq!(std::fs::read(out.join(CSV)).unwrap(), csv);
    let copy = std::fs::read(out.join("datasets/d/x.utf8.csv")).unwrap();
    assert_eq!(copy.len(), csv.len(), "same bytes, commas for semicolons");
    // The preview cuts it.
    let chunk = json(&out.join("datasets/d/preview/x.csv/chunk-00000.json"));
    assert_eq!(chunk[0][1].as_str().unwrap().chars().count(), limits::PREVIEW_CELL_CHARS);
    assert_eq!(chunk[1][1], "court");
    let page = std::fs::metadata(out.join("datasets/d/index.html")).unwrap().len();
    assert!(page < 200_000, "the page holds no 10 MB cell: {page} bytes");
    let dataset = json(&out.join("datasets/d/dataset.json"));
    let max = dataset["resources"][0]["columns"][1]["max"].as_str().unwrap();
    assert!(max.chars().count() <= 200, "profile texts are cut");
}

#[test]
fn a_line_of_ten_megabytes_without_delimiter_or_newline() {
    let csv = vec![b'x'; TEN_MB];
    let site = site_with(&[("x.csv", &csv)]);
    let (code, report) = common::check_json(site.path());
    assert_eq!(code, 0, "{report:#?}");
    // It can only be read as a header of one column, named by 10 MB.
    let d = one(&report, "csv-long-column-name");
    assert_located(d, "warning", CSV, Some(1));
    assert!(d.message.contains(&limits::MAX_COLUMN_NAME_CHARS.to_string()), "{d:#?}");
    assert!(d.hint.as_deref().unwrap().contains("en-tête"), "{d:#?}");

    let out = site.path().join("public");
    let start = Instant::now();
    let run = build(site.path(), &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(start.elapsed() < Duration::from_secs(20), "took {:?}", start.elapsed());
    let dataset = json(&out.join("datasets/d/dataset.json"));
    let name = dataset["resources"][0]["columns"][0]["name"].as_str().unwrap();
    assert_eq!(name.chars().count(), limits::MAX_COLUMN_NAME_CHARS);
    // Only the data files themselves are that big, not pages or metadata.
    for file in ["datasets/d/index.html", "datasets/d/dataset.json", "catalog.json", "search-index.json"] {
        let len = std::fs::metadata(out.join(file)).unwrap().len();
        assert!(len < 1_000_000, "{file}: {len} bytes");
    }
}

#[test]
fn a_line_at_the_length_limit_is_read_and_one_byte_more_is_an_error() {
    let line = |len: usize| {
        let mut csv = b"texte\n".to_vec();
        csv.extend(std::iter::repeat_n(b'y', len));
        csv.extend_from_slice(b"\n");
        csv
    };
    let site = site_with(&[("x.csv", &line(limits::MAX_RECORD_BYTES))]);
    let (code, report) = common::check_json(site.path());
    assert_eq!(code, 0, "{report:#?}");
    assert!(with_code(&report, "csv-line-too-long").is_empty(), "{report:#?}");

    // A good build, then a line one byte too long: the build fails, the
    // output stays as it was.
    std::fs::write(site.path().join(CSV), "texte\ncourt\n").unwrap();
    let out = site.path().join("public");
    common::build_into(site.path(), &out);
    let before = common::snapshot(&out);
    std::fs::write(site.path().join(CSV), line(limits::MAX_RECORD_BYTES + 1)).unwrap();
    let start = Instant::now();
    let run = build(site.path(), &out);
    assert!(start.elapsed() < Duration::from_secs(20), "took {:?}", start.elapsed());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("csv-line-too-long") && run.stderr.contains("x.csv:2"), "{}", run.stderr);
    assert!(run.stderr.contains("16 Mio"), "{}", run.stderr);
    assert!(common::snapshot(&out) == before, "the previous output is intact");
}

#[test]
fn a_quote_never_closed_over_many_megabytes_is_cut_and_located() {
    // A quote opened on line 2 swallows the rest of a 20 MB file.
    let mut csv = b"a,b\n1,\"".to_vec();
    for i in 0..(20 << 20) / 16 {
        csv.extend_from_slice(format!("{i:>14},\n").as_bytes());
    }
    let site = site_with(&[("x.csv", &csv)]);
    let (code, report) = common::check_json(site.path());
    assert_eq!(code, 1, "{report:#?}");
    assert_located(one(&report, "csv-line-too-long"), "error", CSV, Some(2));
    assert_located(one(&report, "csv-unterminated-quote"), "warning", CSV, Some(2));
}

// ---------------------------------------------------------------- columns

/// A table of `columns` columns and two rows.
fn wide_csv(columns: usize) -> Vec<u8> {
    let mut csv = String::new();
    for row in 0..3 {
        let cells: Vec<String> =
            (0..columns).map(|c| if row == 0 { format!("c{c}") } else { format!("{}", c * row) }).collect();
        csv.push_str(&cells.join(","));
        csv.push('\n');
    }
    csv.into_bytes()
}

#[test]
fn columns_at_the_limit_are_all_described_and_one_more_is_left_out_with_a_warning() {
    let site = site_with(&[("x.csv", &wide_csv(limits::MAX_COLUMNS))]);
    let out = site.path().join("public");
    let run = build(site.path(), &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("csv-too-many-columns"), "{}", run.stderr);
    let columns =
        |out: &Path| json(&out.join("datasets/d/dataset.json"))["resources"][0]["columns"].as_array().unwrap().len();
    assert_eq!(columns(&out), limits::MAX_COLUMNS);

    std::fs::write(site.path().join(CSV), wide_csv(limits::MAX_COLUMNS + 1)).unwrap();
    let (code, report) = common::check_json(site.path());
    assert_eq!(code, 0, "{report:#?}");
    let d = one(&report, "csv-too-many-columns");
    assert_located(d, "warning", CSV, Some(1));
    assert_eq!(d.column, Some(limits::MAX_COLUMNS + 1), "{d:#?}");
    assert!(d.message.contains("1\u{202f}001 colonnes") && d.message.contains("1\u{202f}000 premières"), "{d:#?}");
    let run = build(site.path(), &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(columns(&out), limits::MAX_COLUMNS);
    // The preview shows the described columns; the exports keep them all.
    let chunk = json(&out.join("datasets/d/preview/x.csv/chunk-00000.json"));
    assert_eq!(chunk[0].as_array().unwrap().len(), limits::MAX_COLUMNS);
    let records = json(&out.join("datasets/d/x.json"));
    assert_eq!(records[0].as_object().unwrap().len(), limits::MAX_COLUMNS + 1);
}

#[test]
fn a_hundred_thousand_columns_stay_small_and_quick() {
    let site = site_with(&[("x.csv", &wide_csv(100_000))]);
    let out = site.path().join("public");
    let start = Instant::now();
    let run = build(site.path(), &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(start.elapsed() < Duration::from_secs(20), "took {:?}", start.elapsed());
    assert!(run.stderr.contains("csv-too-many-columns"), "{}", run.stderr);
    for file in ["datasets/d/index.html", "datasets/d/dataset.json", "catalog.json"] {
        let len = std::fs::metadata(out.join(file)).unwrap().len();
        assert!(len < 2_000_000, "{file}: {len} bytes");
    }
}

// ---------------------------------------------------------------- workbooks

/// A minimal XLSX workbook of one sheet whose `<sheetData>` rows are
/// written by `rows` (cells with inline strings or numbers).
fn xlsx(path: &Path, rows: impl FnOnce(&mut dyn Write)) {
    use zip::write::SimpleFileOptions;
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let options =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).compression_level(Some(1));
    for (name, text) in common::XLSX_PARTS {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    }
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#).unwrap();
    {
        let mut sheet = std::io::BufWriter::with_capacity(1 << 16, &mut zip);
        rows(&mut sheet);
        sheet.flush().unwrap();
    }
    zip.write_all(b"</sheetData></worksheet>").unwrap();
    zip.finish().unwrap().flush().unwrap();
}

/// Excel's last row.
const EXCEL_ROWS: u32 = 1_048_576;

#[test]
fn a_workbook_of_a_million_rows_is_read_whole_in_bounded_memory() {
    let site = site_with(&[]);
    xlsx(&site.path().join("datasets/d/grand.xlsx"), |w| {
        writeln!(w, r#"<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><t>contact</t></is></c></row>"#).unwrap();
        for r in 2..EXCEL_ROWS {
            write!(w, r#"<row r="{r}"><c r="A{r}"><v>{}</v></c><c r="B{r}"><v>{}.5</v></c></row>"#, r - 1, r % 1000)
                .unwrap();
        }
        // The last row holds an e-mail address: the personal data check
        // finds it, at its line, only if every row was read.
        let r = EXCEL_ROWS;
        write!(w, r#"<row r="{r}"><c r="A{r}"><v>{}</v></c><c r="B{r}" t="inlineStr"><is><t>jean.dupont@example.org</t></is></c></row>"#, r - 1).unwrap();
    });
    // Reading a million rows through a spreadsheet parser compiled without
    // optimisations (debug test builds) takes about 15 s of CPU; the machine
    // may be shared, hence a longer limit than the usual hang detector.
    let start = Instant::now();
    let run = common::run_kiosque_within(
        None,
        &[OsStr::new("check"), site.path().as_os_str(), OsStr::new("--format"), OsStr::new("json")],
        Duration::from_secs(120),
    );
    eprintln!("check of {EXCEL_ROWS} rows: {:?}", start.elapsed());
    let report: Report = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stderr));
    assert_eq!(run.code, 1, "{report:#?}");
    let d = one(&report, "personal-data");
    assert_eq!(d.file.as_deref(), Some("datasets/d/grand.xlsx"), "{d:#?}");
    assert_eq!(d.line, Some(EXCEL_ROWS as usize), "{d:#?}");
    assert!(d.message.starts_with("feuille « Feuil1 »"), "{d:#?}");
    assert_eq!(report.errors, 1, "{report:#?}");
}

#[test]
fn a_workbook_with_two_cells_far_apart_is_not_a_grid_of_billions() {
    // `A1` and `XFD1048576`: read as a range, 17 billion cells.
    let site = site_with(&[]);
    xlsx(&site.path().join("datasets/d/creux.xlsx"), |w| {
        write!(w, r#"<row r="1"><c r="A1" t="inlineStr"><is><t>nom</t></is></c></row>"#).unwrap();
        write!(w, r#"<row r="{EXCEL_ROWS}"><c r="XFD{EXCEL_ROWS}" t="inlineStr"><is><t>loin</t></is></c></row>"#)
            .unwrap();
    });
    let out = site.path().join("public");
    let start = Instant::now();
    let run = build(site.path(), &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(start.elapsed() < Duration::from_secs(25), "took {:?}", start.elapsed());
    // Blank rows between the two, the far cell in a ragged last row.
    assert!(run.stderr.contains("csv-blank-row") && run.stderr.contains("csv-ragged-row"), "{}", run.stderr);
    let sheet = std::fs::read(out.join("datasets/d/creux.feuil1.csv")).unwrap();
    assert!(sheet.starts_with(b"nom\n"), "{:?}", &sheet[..20]);
    assert!(sheet.ends_with(b",loin\n"));
}

#[test]
fn a_cell_beyond_the_last_column_is_a_damaged_workbook() {
    let site = site_with(&[]);
    xlsx(&site.path().join("datasets/d/abime.xlsx"), |w| {
        write!(w, r#"<row r="1"><c r="A1"><v>1</v></c><c r="ZZZZZ1"><v>2</v></c></row>"#).unwrap();
    });
    let (code, report) = common::check_json(site.path());
    assert_eq!(code, 1, "{report:#?}");
    let d = one(&report, "unreadable-file");
    assert_located(d, "error", "datasets/d/abime.xlsx", None);
}

/// An XLSX workbook with `xl/sharedStrings.xml` holding `strings` (the
/// whole part, written by `strings`) and one sheet written by `rows`.
fn xlsx_with_strings(path: &Path, rows: impl FnOnce(&mut dyn Write), strings: impl FnOnce(&mut dyn Write)) {
    let plain = path.with_extension("plain.xlsx");
    xlsx(&plain, rows);
    // The same parts, and the shared strings.
    let mut source = zip::ZipArchive::new(std::fs::File::open(&plain).unwrap()).unwrap();
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(std::fs::File::create(path).unwrap()));
    for i in 0..source.len() {
        zip.raw_copy_file(source.by_index(i).unwrap()).unwrap();
    }
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .large_file(true);
    zip.start_file("xl/sharedStrings.xml", options).unwrap();
    {
        let mut part = std::io::BufWriter::with_capacity(1 << 16, &mut zip);
        strings(&mut part);
        part.flush().unwrap();
    }
    zip.finish().unwrap().flush().unwrap();
    std::fs::remove_file(plain).unwrap();
}

#[test]
fn cells_out_of_row_order_are_sorted_not_read_as_a_grid() {
    // The last row first, then the first: read whole, a grid of 17
    // billion cells (calamine asked for 512 GB).
    let site = site_with(&[]);
    xlsx(&site.path().join("datasets/d/desordre.xlsx"), |w| {
        write!(w, r#"<row r="{EXCEL_ROWS}"><c r="XFD{EXCEL_ROWS}" t="inlineStr"><is><t>loin</t></is></c></row>"#)
            .unwrap();
        write!(w, r#"<row r="2"><c r="B2"><v>7</v></c><c r="A2"><v>6</v></c></row>"#).unwrap();
        write!(w, r#"<row r="1"><c r="A1" t="inlineStr"><is><t>nom</t></is></c><c r="B1" t="inlineStr"><is><t>n</t></is></c></row>"#).unwrap();
    });
    let out = site.path().join("public");
    let run = build(site.path(), &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sheet = std::fs::read(out.join("datasets/d/desordre.feuil1.csv")).unwrap();
    assert!(sheet.starts_with(b"nom,n\n6,7\n"), "{:?}", String::from_utf8_lossy(&sheet[..20]));
    assert!(sheet.ends_with(b",loin\n"));
    assert_eq!(sheet.iter().filter(|&&b| b == b'\n').count(), EXCEL_ROWS as usize);
}

#[test]
fn a_forged_shared_string_count_is_a_damaged_workbook() {
    // calamine reserves room for the count it is told: 4 billion strings.
    let site = site_with(&[]);
    xlsx_with_strings(
        &site.path().join("datasets/d/compte.xlsx"),
        |w| write!(w, r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#).unwrap(),
        |w| {
            write!(w, r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="4000000000"><si><t>a</t></si></sst>"#).unwrap()
        },
    );
    let (code, report) = common::check_json(site.path());
    assert_eq!(code, 1, "{report:#?}");
    let d = one(&report, "unreadable-file");
    assert_located(d, "error", "datasets/d/compte.xlsx", None);
    assert!(d.message.contains("annonce 4000000000 textes partagés"), "{d:#?}");
}

#[test]
fn shared_strings_past_the_limit_are_refused_before_reading() {
    let site = site_with(&[]);
    let big = limits::MAX_WORKBOOK_PART_BYTES as usize + 1;
    xlsx_with_strings(
        &site.path().join("datasets/d/long.xlsx"),
        |w| write!(w, r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#).unwrap(),
        |w| {
            let head = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>"#;
            let tail = "</t></si></sst>";
            w.write_all(head.as_bytes()).unwrap();
            let chunk = vec![b'a'; 1 << 16];
            let mut left = big - head.len() - tail.len();
            while left > 0 {
                let n = left.min(chunk.len());
                w.write_all(&chunk[..n]).unwrap();
                left -= n;
            }
            w.write_all(tail.as_bytes()).unwrap();
        },
    );
    let (code, report) = common::check_json(site.path());
    assert_eq!(code, 1, "{report:#?}");
    let d = one(&report, "workbook-too-large");
    assert_located(d, "error", "datasets/d/long.xlsx", None);
    assert!(d.message.contains("« xl/sharedStrings.xml » fait 65 Mio"), "{d:#?}");
}

#[test]
fn a_workbook_is_not_written_as_gigabytes_of_csv() {
    // One text of 1 MiB shared by 3,000 cells: an 18 KB file, 3 GB of CSV.
    let site = site_with(&[]);
    let path = site.path().join("datasets/d/repete.xlsx");
    xlsx_with_strings(
        &path,
        |w| {
            write!(w, r#"<row r="1"><c r="A1" t="inlineStr"><is><t>texte</t></is></c></row>"#).unwrap();
            for r in 2..3002 {
                write!(w, r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>"#).unwrap();
            }
        },
        |w| {
            write!(w, r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>"#).unwrap();
            w.write_all(&vec![b'b'; 1 << 20]).unwrap();
            write!(w, "</t></si></sst>").unwrap();
        },
    );
    assert!(std::fs::metadata(&path).unwrap().len() < 64 * 1024);
    let out = site.path().join("public");
    let run = build(site.path(), &out);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("workbook-too-large") && run.stderr.contains("Mio de CSV"), "{}", run.stderr);
    assert!(!out.exists(), "nothing published");
    let spool: u64 = walkdir::WalkDir::new(site.path())
        .into_iter()
        .filter_map(|e| e.ok()?.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    assert!(spool < 64 << 20, "{spool} bytes left on disk");
}

#[test]
fn long_column_names_do_not_make_a_json_export_of_gigabytes() {
    // JSON records repeat every name in every row: 1.6 MB of names and
    // 500 rows would be an 800 MB export.
    let names: Vec<String> = (0..100).map(|i| format!("c{i:03}{}", "x".repeat(16_000))).collect();
    let mut csv = names.join(",") + "\n";
    for r in 0..500 {
        csv.push_str(&vec![r.to_string(); 100].join(","));
        csv.push('\n');
    }
    let site = site_with(&[("larges.csv", csv.as_bytes())]);
    let out = site.path().join("public");
    let run = build(site.path(), &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr.matches("avertissement[export-too-large]").count(), 1, "{}", run.stderr);
    let dir = out.join("datasets/d");
    assert!(
        dir.join("larges.csv").is_file() && !dir.join("larges.json").exists() && !dir.join("larges.excel.csv").exists()
    );
    let page = std::fs::read_to_string(dir.join("index.html")).unwrap();
    assert!(!page.contains("larges.json") && !page.contains("larges.excel.csv"));
    let total: u64 =
        walkdir::WalkDir::new(&out).into_iter().filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum();
    assert!(total < 4 * csv.len() as u64, "{total} bytes published for {} of data", csv.len());
}

#[test]
fn an_output_far_larger_than_its_data_is_named() {
    // A 70 MiB file in static/ (sparse: nothing written) for a few bytes of data.
    let site = site_with(&[("x.csv", b"a\n1\n")]);
    std::fs::create_dir_all(site.path().join("static")).unwrap();
    let big = std::fs::File::create(site.path().join("static/video.mp4")).unwrap();
    big.set_len(70 << 20).unwrap();
    let (code, report) = common::check_json(site.path());
    assert_eq!(code, 0, "a warning: {report:#?}");
    let d = one(&report, "output-too-large");
    assert_eq!(d.severity, "warning");
    assert!(d.message.contains("les plus gros fichiers sont video.mp4 (73,4\u{a0}Mo), "), "{d:#?}");
    assert!(d.hint.as_deref().unwrap_or_default().contains("GitHub Pages"), "{d:#?}");
    // Within the budget: no warning.
    big.set_len(16 << 20).unwrap();
    let (_, report) = common::check_json(site.path());
    assert!(with_code(&report, "output-too-large").is_empty(), "{report:#?}");
}

/// An ODS workbook whose sheet `T` has the rows `rows` (XML).
fn ods(path: &Path, rows: &str) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").unwrap();
    zip.start_file("META-INF/manifest.xml", stored).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    zip.start_file("content.xml", stored).unwrap();
    write!(zip, r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="T">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#).unwrap();
    zip.finish().unwrap();
}

#[test]
fn ods_repeats_are_counted_before_the_sheet_is_read_whole() {
    // 800 bytes asking for 49 million cells: 3.9 GB in calamine.
    let site = site_with(&[]);
    let cell = r#"<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>"#;
    let repeated = r#"<table:table-cell office:value-type="string" table:number-columns-repeated="16384"><text:p>x</text:p></table:table-cell>"#;
    ods(
        &site.path().join("datasets/d/repete.ods"),
        &format!(r#"<table:table-row table:number-rows-repeated="3000">{repeated}</table:table-row>"#),
    );
    // As spreadsheet programs write them: values, then empty cells and rows
    // repeated to the end of the sheet.
    let empty_end = r#"<table:table-cell table:number-columns-repeated="1020"/>"#;
    ods(
        &site.path().join("datasets/d/ordinaire.ods"),
        &format!(
            r#"<table:table-row>{cell}{cell}{empty_end}</table:table-row><table:table-row>{cell}{cell}{empty_end}</table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#
        ),
    );
    let (code, report) = common::check_json(site.path());
    assert_eq!(code, 1, "{report:#?}");
    let d = one(&report, "workbook-too-large");
    assert_located(d, "error", "datasets/d/repete.ods", None);
    assert!(d.message.contains("49152000"), "{d:#?}");
    assert_eq!(report.errors, 1, "the ordinary workbook is read: {report:#?}");
}

// ---------------------------------------------------------------- GeoJSON

#[test]
fn invalid_geometries_are_named_by_feature_and_line_and_the_valid_ones_drawn() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let features = [
        r#"{"type":"Feature","properties":{"nom":"Mairie"},"geometry":{"type":"Point","coordinates":[2.35,48.85]}}"#.to_string(),
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Point"}}"#.to_string(),
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":"2.35,48.85"}}"#.to_string(),
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[2.35,48.85]}}"#.to_string(),
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1e308,48.85]}}"#.to_string(),
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[2.35,500]}}"#.to_string(),
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[2,48],[2.1,48],[2.1,48.1],[2.2,48]]]}}"#.to_string(),
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Cercle","coordinates":[2.35,48.85]}}"#.to_string(),
        r#"{"type":"Feature","properties":{"nom":"sans lieu"},"geometry":null}"#.to_string(),
        format!(r#"{{"type":"Feature","properties":{{}},"geometry":{{"type":"Point","coordinates":{deep}}}}}"#),
        r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1e999,48.85]}}"#.to_string(),
        r#"{"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[[[[2,48],[2.1,48],[2.1,48.1],[2,48]]],[[[2,48]]]]}}"#.to_string(),
    ];
    let geojson = format!("{{\"type\":\"FeatureCollection\",\"features\":[\n{}\n]}}\n", features.join(",\n"));
    let site = site_with(&[("lieux.geojson", geojson.as_bytes())]);
    let out = site.path().join("public");
    let start = Instant::now();
    let run = build(site.path(), &out);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(start.elapsed() < Duration::from_secs(15), "took {:?}", start.elapsed());

    let (_, report) = common::check_json(site.path());
    let found = with_code(&report, "invalid-geometry");
    let file = "datasets/d/lieux.geojson";
    // Feature N is on line N + 1; the null geometry (9) is allowed.
    let expected = [
        (2, "pas de « coordinates »"),
        (3, "[longitude, latitude]"),
        (4, "« Polygon »"),
        (5, "hors limites [1e308, 48.85]"),
        (6, "hors limites [2.35, 500]"),
        (7, "n'est pas fermé"),
        (8, "« Cercle » inconnu"),
        (10, "plus de 128 niveaux"),
        (11, "nombre démesuré"),
        (12, "au moins 4"),
    ];
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for (d, (n, words)) in found.iter().zip(expected) {
        assert_located(d, "warning", file, Some(n + 1));
        assert!(d.message.starts_with(&format!("objet n° {n} : ")), "{d:#?}");
        assert!(d.message.contains(words), "{words}: {d:#?}");
    }
    // The map draws the valid point, and nothing of the half-valid
    // MultiPolygon.
    let page = std::fs::read_to_string(out.join("datasets/d/index.html")).unwrap();
    let map = page.find("Carte de").map(|i| &page[i..]).expect("a map");
    let map = &map[..map.find("</svg>").unwrap()];
    assert!(map.contains("<circle") && map.contains("1 point (1 objet), 0 ligne et 0 polygone"), "{map}");
}

#[test]
fn more_invalid_geometries_than_listed_are_counted() {
    let bad = r#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[0,100]}}"#;
    let geojson = format!("{{\"type\":\"FeatureCollection\",\"features\":[{}]}}", vec![bad; 25].join(","));
    let site = site_with(&[("x.geojson", geojson.as_bytes())]);
    let (code, report) = common::check_json(site.path());
    assert_eq!(code, 0, "{report:#?}");
    let found = with_code(&report, "invalid-geometry");
    assert_eq!(found.len(), 11, "ten listed, then a count: {found:#?}");
    let more: Vec<_> = found.iter().filter(|d| d.message.contains("autre(s)")).collect();
    assert_eq!(more.len(), 1, "{found:#?}");
    assert!(more[0].message.contains("15 autre(s)") && more[0].message.contains("25 en tout"), "{:#?}", more[0]);
}

// ---------------------------------------------------------------- YAML

/// `check` of a site whose `file` is `text`: the only `yaml-too-deep`
/// error, found quickly.
fn too_deep(file: &str, text: &str) -> Diag {
    let site = site_with(&[("x.csv", b"a\n1\n")]);
    std::fs::create_dir_all(site.path().join(file).parent().unwrap()).unwrap();
    std::fs::write(site.path().join(file), text).unwrap();
    let start = Instant::now();
    let (code, report) = common::check_json(site.path());
    assert!(start.elapsed() < Duration::from_secs(10), "took {:?}", start.elapsed());
    assert_eq!(code, 1, "{report:#?}");
    let d = one(&report, "yaml-too-deep").clone();
    assert_located(&d, "error", file, d.line);
    assert!(d.line.is_some() && d.column.is_some(), "{d:#?}");
    assert!(d.message.contains(&format!("plus de {} niveaux", limits::MAX_YAML_DEPTH)), "{d:#?}");
    d
}

#[test]
fn deeply_nested_yaml_is_refused_quickly_with_its_place() {
    let sidecar = "datasets/d/dataset.yaml";
    let d = too_deep(sidecar, &format!("title: D\ndescription: x\nkeywords: {}\n", "[".repeat(100_000)));
    assert_eq!(d.line, Some(3), "{d:#?}");
    let d = too_deep(sidecar, &format!("title: D\nspatial: {}\n", "{a: ".repeat(100_000)));
    assert_eq!(d.line, Some(2), "{d:#?}");
    let block: String = (0..200).map(|i| format!("{}k{i}:\n", "  ".repeat(i))).collect();
    let d = too_deep(sidecar, &format!("title: D\n{block}"));
    // `k0` (line 2) holds the second level; the level past the limit
    // starts on the line below the key that opens it.
    assert_eq!(d.line, Some(2 + limits::MAX_YAML_DEPTH), "{d:#?}");
    too_deep("site.yaml", &format!("title: Essai\nlicense: etalab-2.0\nmenu: {}\n", "[".repeat(100_000)));
    let d = too_deep("pages/p.md", &format!("---\ntitle: P\norder: {}\n---\nTexte.\n", "[".repeat(100_000)));
    assert_eq!(d.line, Some(3), "counted from the top of the page: {d:#?}");
}

#[test]
fn yaml_nested_to_the_limit_is_read() {
    let site = site_with(&[("x.csv", b"a\n1\n")]);
    let sidecar = site.path().join("datasets/d/dataset.yaml");
    // The document's mapping is the first level.
    let nested = |levels: usize| {
        format!("title: D\ndescription: x\nextra: {}{}\n", "[".repeat(levels - 1), "]".repeat(levels - 1))
    };
    std::fs::write(&sidecar, nested(limits::MAX_YAML_DEPTH)).unwrap();
    let (_, report) = common::check_json(site.path());
    assert!(with_code(&report, "yaml-too-deep").is_empty(), "{report:#?}");
    assert!(!with_code(&report, "unknown-key").is_empty(), "read as far as its keys: {report:#?}");
    std::fs::write(&sidecar, nested(limits::MAX_YAML_DEPTH + 1)).unwrap();
    let (_, report) = common::check_json(site.path());
    assert_eq!(with_code(&report, "yaml-too-deep").len(), 1, "{report:#?}");
}

#[test]
fn a_sidecar_at_the_size_limit_is_read_and_one_byte_more_is_refused() {
    let site = site_with(&[("x.csv", b"a\n1\n")]);
    let sidecar = site.path().join("datasets/d/dataset.yaml");
    let head = "title: D\ndescription: x\n# ";
    let text = |len: usize| format!("{head}{}\n", "x".repeat(len - head.len() - 1));
    std::fs::write(&sidecar, text(limits::MAX_TEXT_FILE as usize)).unwrap();
    let (code, report) = common::check_json(site.path());
    assert_eq!(code, 0, "{report:#?}");
    std::fs::write(&sidecar, text(limits::MAX_TEXT_FILE as usize + 1)).unwrap();
    let (code, report) = common::check_json(site.path());
    assert_eq!(code, 1, "{report:#?}");
    assert_located(one(&report, "file-too-large"), "error", "datasets/d/dataset.yaml", None);
}

/// Pages at the size limit full of links (issue 23, item 9): three pages
/// of 35,000 links each, and one of 65,000 links that lead nowhere, are read in
/// one pass each (locating every link from the top of the page took
/// minutes); the broken links are all in the JSON report, located, and the
/// human output shows 20 of them and counts the rest.
#[test]
fn pages_full_of_links_are_read_in_one_pass() {
    let site = site_with(&[("x.csv", b"a\n1\n")]);
    let pages = site.path().join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    let links = |target: &str, n: usize| format!("---\ntitle: Liens\n---\n{}\n", format!("[x]({target}) ").repeat(n));
    for p in 0..3 {
        let text = links("../datasets/index.html", 35_000);
        assert!(text.len() <= limits::MAX_TEXT_FILE as usize);
        std::fs::write(pages.join(format!("p{p}.md")), text).unwrap();
    }
    let broken = 65_000;
    std::fs::write(pages.join("casse.md"), links("nulle-part", broken)).unwrap();
    let (code, report) = common::check_json(site.path());
    assert_eq!(code, 0, "{:#?}", report.diagnostics.iter().take(3).collect::<Vec<_>>());
    let found = with_code(&report, "broken-link");
    assert_eq!(found.len(), broken);
    assert!(found.iter().all(|d| d.file.as_deref() == Some("pages/casse.md") && d.line == Some(4)));
    assert_eq!((found[0].column, found[broken - 1].column), (Some(1), Some((broken - 1) * 16 + 1)));
    let run = common::run_kiosque(None, &[OsStr::new("check"), site.path().as_os_str()]);
    assert_eq!(
        run.output().matches("warning[broken-link]").count()
            + run.output().matches("avertissement[broken-link]").count(),
        20
    );
    assert!(run.output().contains("… et 64980 autre(s) « broken-link » dans pages/casse.md"), "{}", run.stderr);
}
