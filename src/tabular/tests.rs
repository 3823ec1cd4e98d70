//! End-to-end tests of the public API.

use std::io::Cursor;
use std::path::PathBuf;

use super::*;

fn profile(bytes: &[u8]) -> Profile {
    profile_reader(Cursor::new(bytes), &DialectOptions::default()).unwrap()
}

fn read_all(bytes: &[u8], dialect: &Dialect) -> Vec<(u64, Vec<String>)> {
    records(Cursor::new(bytes), dialect).map(|r| r.map(|r| (r.line, r.fields)).unwrap()).collect()
}

fn cp1252(text: &str) -> Vec<u8> {
    encoding_rs::WINDOWS_1252.encode(text).0.into_owned()
}

fn column<'a>(profile: &'a Profile, name: &str) -> &'a ColumnProfile {
    profile.columns.iter().find(|c| c.name == name).unwrap()
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| v.to_string()).collect()
}

/// The csv-spectrum corpus: `KIOSQUE_CORPUS`, or `shared/corpus` beside the
/// repository, or `/work/shared/corpus`.
fn spectrum_dir() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        std::env::var_os("KIOSQUE_CORPUS").map(PathBuf::from),
        Some(manifest.join("../shared/corpus")),
        Some(PathBuf::from("/work/shared/corpus")),
    ];
    candidates
        .into_iter()
        .flatten()
        .map(|dir| dir.join("csv-spectrum"))
        .find(|dir| dir.is_dir())
        .expect("csv-spectrum corpus not found; set KIOSQUE_CORPUS")
}

#[test]
fn csv_spectrum() {
    let dir = spectrum_dir();
    let mut checked = 0;
    for entry in std::fs::read_dir(dir.join("csvs")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        let bytes = std::fs::read(&path).unwrap();
        let expected: Vec<serde_json::Map<String, serde_json::Value>> =
            serde_json::from_slice(&std::fs::read(dir.join("json").join(format!("{name}.json"))).unwrap()).unwrap();
        let dialect = sniff(&bytes, &DialectOptions::default());
        let mut rows = records(Cursor::new(&bytes), &dialect).map(|r| r.unwrap().fields);
        let header = rows.next().unwrap();
        let rows: Vec<Vec<String>> = rows.collect();
        assert_eq!(rows.len(), expected.len(), "{name}: row count");
        for (i, (row, object)) in rows.iter().zip(&expected).enumerate() {
            assert_eq!(row.len(), header.len(), "{name}: row {i} width");
            let mut keys: Vec<&String> = object.keys().collect();
            let mut names: Vec<&String> = header.iter().collect();
            keys.sort();
            names.sort();
            assert_eq!(keys, names, "{name}: header");
            for (key, cell) in header.iter().zip(row) {
                assert_eq!(object[key].as_str(), Some(cell.as_str()), "{name}: row {i} column {key}");
            }
        }
        if name.ends_with("_crlf") {
            assert_eq!(dialect.line_ending, LineEnding::CrLf, "{name}");
        }
        checked += 1;
    }
    assert!(checked >= 11, "only {checked} files");
}

#[test]
fn windows_1252_end_to_end() {
    let bytes = cp1252("commune;hauteur\r\nCôte-d'Or;élevée\r\nAïn;1,5\r\n");
    let p = profile(&bytes);
    assert_eq!(p.dialect.encoding, "windows-1252");
    assert_eq!(p.dialect.delimiter, b';');
    assert_eq!(p.dialect.line_ending, LineEnding::CrLf);
    assert!(p.issues.is_empty(), "{:?}", p.issues);
    assert_eq!(column(&p, "commune").min.as_deref(), Some("Aïn"));
    let rows = read_all(&bytes, &p.dialect);
    assert_eq!(rows[1], (2, strings(&["Côte-d'Or", "élevée"])));
}

#[test]
fn bom_and_utf16() {
    let p = profile(b"\xEF\xBB\xBFnom,valeur\n\xC3\xA9t\xC3\xA9,1\n");
    assert_eq!((p.dialect.encoding, p.dialect.bom), ("UTF-8", true));
    assert_eq!(p.columns[0].name, "nom");
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend("nom\tvaleur\r\nété\t1,5\r\nhiver\t2\r\n".encode_utf16().flat_map(u16::to_le_bytes));
    let p = profile(&bytes);
    assert_eq!((p.dialect.encoding, p.dialect.delimiter, p.dialect.decimal), ("UTF-16LE", b'\t', b','));
    assert_eq!(p.rows, 2);
    assert_eq!(column(&p, "valeur").kind, ColumnType::Number);
    assert_eq!(read_all(&bytes, &p.dialect)[1], (2, strings(&["été", "1,5"])));
}

#[test]
fn ragged_rows_point_at_file_lines() {
    let text = "a;b;c\n1;2;3\n\"multi\nline\";x\n4;5;6;7\n8;9;10;;\n\"x\ny\nz\";1;2;3\n";
    let p = profile(text.as_bytes());
    let ragged: Vec<_> = p.issues.iter().filter(|i| i.kind() == IssueKind::RaggedRow).cloned().collect();
    assert_eq!(
        ragged,
        vec![
            Issue::RaggedRow { line: 3, record: 2, expected: 3, found: 2 },
            Issue::RaggedRow { line: 5, record: 3, expected: 3, found: 4 },
            Issue::RaggedRow { line: 7, record: 5, expected: 3, found: 4 },
        ]
    );
    assert_eq!(p.rows, 5);
    // The missing cell of the short row is a null.
    assert_eq!(column(&p, "c").nulls, 1);
    let lines: Vec<u64> = read_all(text.as_bytes(), &p.dialect).iter().map(|r| r.0).collect();
    assert_eq!(lines, vec![1, 2, 3, 5, 6, 7]);
}

#[test]
fn many_ragged_rows_stay_small() {
    let mut text = String::from("a;b\n");
    for i in 0..100_000 {
        text.push_str(&format!("{i};x;y\n"));
    }
    let p = profile(text.as_bytes());
    assert_eq!(p.issue_counts[&IssueKind::RaggedRow], 100_000);
    assert_eq!(p.issues.len(), 20);
    assert_eq!(p.issues[19], Issue::RaggedRow { line: 21, record: 20, expected: 2, found: 3 });
}

#[test]
fn empty_files() {
    for bytes in [&b""[..], b"\xEF\xBB\xBF", b"\n\n"] {
        let p = profile(bytes);
        assert!(p.issues.contains(&Issue::EmptyFile), "{bytes:?}: {:?}", p.issues);
        assert_eq!((p.rows, p.columns.len()), (0, 0));
        assert_eq!(p.bytes, bytes.len() as u64);
    }
    // A header alone is not empty.
    let p = profile(b"a;b\n");
    assert!(p.issues.is_empty());
    assert_eq!(p.columns.iter().map(|c| c.kind).collect::<Vec<_>>(), vec![ColumnType::Empty; 2]);
}

#[test]
fn binary_junk_is_not_parsed_but_hashed() {
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06".to_vec();
    png.extend(std::iter::repeat_n(0xAB, 100_000));
    let p = profile(&png);
    assert_eq!(p.issues, vec![Issue::NotText]);
    assert_eq!(p.bytes, png.len() as u64);
    assert!(p.columns.is_empty());
}

#[test]
fn sha256_and_size() {
    let p = profile(b"abc");
    assert_eq!(p.sha256.as_deref(), Some("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    assert_eq!(p.bytes, 3);
    // Across the sample boundary too.
    let big = "x;y\n".repeat(50_000);
    let p = profile(big.as_bytes());
    use sha2::Digest;
    let expected: String = sha2::Sha256::digest(big.as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!((p.sha256.unwrap(), p.bytes, p.rows), (expected, big.len() as u64, 49_999));
}

#[test]
fn header_problems() {
    let p = profile(b"id;nom;;nom; id \n1;a;b;c;d\n");
    let header: Vec<_> = p.issues.iter().filter(|i| i.line().is_none()).cloned().collect();
    assert_eq!(
        header,
        vec![
            Issue::EmptyHeader { column: 3 },
            Issue::DuplicateHeader { column: 4, name: "nom".into(), first: 2 },
            Issue::DuplicateHeader { column: 5, name: " id ".into(), first: 1 },
        ]
    );
}

#[test]
fn blank_rows_are_reported_and_skipped() {
    let text = "a;b\r\n1;2\r\n\r\n;\r\n3;4\r\n ; \r\n";
    let p = profile(text.as_bytes());
    let blank: Vec<_> = p.issues.iter().filter(|i| i.kind() == IssueKind::BlankRow).cloned().collect();
    assert_eq!(blank, vec![Issue::BlankRow { line: 3 }, Issue::BlankRow { line: 4 }]);
    // ` ; ` has spaces: a row of nulls, not a blank row.
    assert_eq!(p.rows, 3);
    assert_eq!(read_all(text.as_bytes(), &p.dialect).len(), 4);
}

#[test]
fn mixed_line_endings() {
    let p = profile(b"a,b\r\n1,2\r\n\"x\ny\",3\r\n4,5\n6,7\r\n");
    assert_eq!(p.dialect.line_ending, LineEnding::Mixed);
    assert_eq!(p.issues, vec![Issue::MixedLineEndings { first_line_of_other_kind: 5 }]);
    // Old Mac files: lone CR counts as a line.
    let text = b"a;b\r1;2\r\"x\ry\";3\r4;5\r";
    let p = profile(text);
    assert_eq!(p.dialect.line_ending, LineEnding::Cr);
    assert!(p.issues.is_empty());
    let lines: Vec<u64> = read_all(text, &p.dialect).iter().map(|r| r.0).collect();
    assert_eq!(lines, vec![1, 2, 3, 5]);
}

#[test]
fn invalid_utf8_bytes() {
    let bytes = b"nom;ville\n\xC3\xA9t\xC3\xA9;Besan\xE7on\nb;ok\nc\xE9;\xFF\n";
    let opts = DialectOptions { encoding: Some("UTF-8".into()), ..Default::default() };
    let p = profile_reader(Cursor::new(bytes), &opts).unwrap();
    assert_eq!(p.dialect.encoding, "UTF-8");
    assert_eq!(
        p.issues,
        vec![
            Issue::InvalidBytes { line: 2, column: 10, byte: 0xE7 },
            Issue::InvalidBytes { line: 4, column: 2, byte: 0xE9 },
            Issue::InvalidBytes { line: 4, column: 4, byte: 0xFF },
        ]
    );
    let rows = read_all(bytes, &p.dialect);
    assert_eq!(rows[1].1, strings(&["été", "Besan\u{FFFD}on"]));
    // Unsaid: a valid UTF-8 start, then a stray byte past the sample.
    let mut text = b"nom;ville\n\xC3\xA9t\xC3\xA9;x\n".to_vec();
    while text.len() < 200_000 {
        text.extend_from_slice(b"a;b\n");
    }
    text.extend_from_slice(b"\xC3\xA9;Besan\xE7on\n");
    let p = profile(&text);
    assert_eq!(p.dialect.encoding, "UTF-8");
    let line = text.iter().filter(|&&b| b == b'\n').count() as u64;
    assert_eq!(p.issues, vec![Issue::InvalidBytes { line, column: 8, byte: 0xE7 }]);
}

#[test]
fn ascii_prefix_then_windows_1252() {
    let mut text = String::from("nom;valeur\n");
    while text.len() < 100_000 {
        text.push_str("Paris;1\n");
    }
    text.push_str("Besançon;2\nÉvry;3\n");
    let bytes = cp1252(&text);
    let line = text.lines().count() as u64 - 1;
    let p = profile(&bytes);
    assert_eq!(p.dialect.encoding, "windows-1252");
    assert_eq!(p.issues, vec![Issue::EncodingSwitched { line, encoding: "windows-1252".into() }]);
    assert_eq!(column(&p, "nom").max.as_deref(), Some("Évry"));
    let rows = read_all(&bytes, &p.dialect);
    assert_eq!(rows[rows.len() - 2], (line, strings(&["Besançon", "2"])));
    // A user who says UTF-8 gets invalid bytes instead.
    let opts = DialectOptions { encoding: Some("utf8".into()), ..Default::default() };
    let p = profile_reader(Cursor::new(&bytes), &opts).unwrap();
    assert_eq!(p.dialect.encoding, "UTF-8");
    assert_eq!(p.issue_counts[&IssueKind::InvalidBytes], 2);
}

#[test]
fn chunk_boundaries_do_not_matter() {
    // Put a 2-byte character, then a CRLF, across every offset around the
    // source's 256 KiB buffer boundary.
    for shift in 0..4 {
        let mut text = String::from("id;texte\r\n");
        let mut n = 0;
        while text.len() < 256 * 1024 - 40 + shift {
            n += 1;
            text.push_str(&format!("{n};x\r\n"));
        }
        for _ in 0..20 {
            n += 1;
            text.push_str(&format!("{n};é\r\n"));
        }
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let cases = [("UTF-8", text.clone().into_bytes()), ("windows-1252", cp1252(&text)), ("UTF-16LE", utf16)];
        for (name, bytes) in cases {
            // Said, so that the ASCII start of the file does not make it UTF-8.
            let opts = DialectOptions { encoding: Some(name.into()), ..Default::default() };
            let p = profile_reader(Cursor::new(&bytes), &opts).unwrap();
            assert!(p.issues.is_empty(), "{name} {shift}: {:?}", p.issues);
            assert_eq!(p.dialect.line_ending, LineEnding::CrLf);
            assert_eq!(p.rows, n);
            let rows = read_all(&bytes, &p.dialect);
            let last = rows.last().unwrap();
            assert_eq!(last, &(n + 1, vec![n.to_string(), "é".to_owned()]), "{name} {shift}");
        }
    }
}

#[test]
fn profile_of_a_small_file() {
    let text = "\
code;commune;population;surface;date;maj;actif;vide;note
01053;Bourg-en-Bresse;41 365;23,86;01/02/2024;2024-02-01T10:00:00Z;oui;;NA
01004;Ambérieu;14 081;24,6;2024-03-15;2024-03-15 08:30;non;;-
2A004;Ajaccio;;82,03;15/03/2023;2023-03-15;Oui;;x
01053;Bourg-en-Bresse;41 365;-1,5;01/02/2024;2024-02-01T11:00:00+01:00;non;;x
";
    let p = profile(text.as_bytes());
    assert_eq!((p.dialect.delimiter, p.dialect.decimal), (b';', b','));
    assert_eq!(p.rows, 4);
    assert!(p.issues.is_empty(), "{:?}", p.issues);
    let kinds: Vec<ColumnType> = p.columns.iter().map(|c| c.kind).collect();
    use ColumnType::*;
    assert_eq!(kinds, vec![String, String, Integer, Number, Date, DateTime, Boolean, Empty, String]);

    let code = column(&p, "code");
    assert_eq!((code.distinct, code.distinct_exact, code.nulls), (3, true, 0));
    assert_eq!((code.min.as_deref(), code.max.as_deref()), (Some("01004"), Some("2A004")));
    assert_eq!(code.top, vec![("01053".into(), 2), ("01004".into(), 1), ("2A004".into(), 1)]);

    let population = column(&p, "population");
    assert_eq!((population.nulls, population.distinct), (1, 2));
    assert_eq!((population.min.as_deref(), population.max.as_deref()), (Some("14081"), Some("41365")));

    let surface = column(&p, "surface");
    assert_eq!((surface.min.as_deref(), surface.max.as_deref()), (Some("-1.5"), Some("82.03")));
    assert_eq!(surface.top[0], ("-1,5".into(), 1));

    let date = column(&p, "date");
    assert_eq!((date.min.as_deref(), date.max.as_deref()), (Some("2023-03-15"), Some("2024-03-15")));
    assert_eq!(date.distinct, 3);

    let maj = column(&p, "maj");
    assert_eq!((maj.min.as_deref(), maj.max.as_deref()), (Some("2023-03-15T00:00:00"), Some("2024-03-15T08:30:00")));
    assert_eq!(maj.distinct, 4);

    let actif = column(&p, "actif");
    assert_eq!((actif.min.as_deref(), actif.max.as_deref(), actif.distinct), (Some("false"), Some("true"), 3));

    let vide = column(&p, "vide");
    assert_eq!((vide.nulls, vide.distinct, vide.min.as_ref(), vide.top.len()), (4, 0, None, 0));

    let note = column(&p, "note");
    assert_eq!((note.nulls, note.distinct, note.top.clone()), (2, 1, vec![("x".into(), 2)]));
}

#[test]
fn title_line_and_normalised_export() {
    let text = "Budget primitif 2025;;;\r\n;;;\r\nchapitre;libellé;montant;\r\n011;Charges, générales;1 234,5;\r\n012;\"Personnel\"\"s\";3\r\n;;;\r\n013;x;4;;extra\r\n";
    let bytes = cp1252(text);
    let p = profile(&bytes);
    assert_eq!((p.dialect.header_row, p.dialect.decimal), (2, b','));
    assert_eq!(
        p.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        vec!["chapitre", "libellé", "montant", ""]
    );
    assert_eq!(p.rows, 3);
    assert_eq!(column(&p, "montant").kind, ColumnType::Number);
    let mut out = Vec::new();
    let rows = write_normalised_csv(Cursor::new(&bytes), &p.dialect, &mut out).unwrap();
    assert_eq!(rows, 3);
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "chapitre,libellé,montant,\n011,\"Charges, générales\",\"1 234,5\",\n012,\"Personnel\"\"s\",3,\n013,x,4,,extra\n"
    );
    let issues: Vec<IssueKind> = p.issues.iter().map(Issue::kind).collect();
    assert_eq!(issues, vec![IssueKind::EmptyHeader, IssueKind::RaggedRow, IssueKind::BlankRow, IssueKind::RaggedRow]);
}

#[test]
fn huge_single_line() {
    let mut text = String::from("a;b\n");
    text.push_str(&"é".repeat(5_000_000));
    text.push_str(";1\n");
    let p = profile(text.as_bytes());
    assert_eq!(p.rows, 1);
    assert_eq!(p.columns[0].max.as_ref().unwrap().chars().count(), 200);
}

#[test]
fn unterminated_quote_and_unknown_encoding() {
    let opts = DialectOptions { encoding: Some("klingon".into()), ..Default::default() };
    let p = profile_reader(Cursor::new(b"a,b\n1,\"open\n2,3\n"), &opts).unwrap();
    assert_eq!(
        p.issues,
        vec![Issue::UnknownEncoding { label: "klingon".into() }, Issue::UnterminatedQuote { line: 2 }]
    );
    assert_eq!(p.rows, 1);
}

#[test]
fn profile_serialises() {
    let p = profile(b"a;b\n1;x\n");
    let json = serde_json::to_string(&p).unwrap();
    let back: Profile = serde_json::from_str(&json).unwrap();
    assert_eq!(back, p);
}

#[test]
fn profile_path_reads_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.csv");
    std::fs::write(&path, cp1252("nom;n\nÉvry;1\n")).unwrap();
    let p = profile_path(&path, &DialectOptions::default()).unwrap();
    assert_eq!((p.rows, p.dialect.encoding), (1, "windows-1252"));
    // A PNG named .csv.
    let png = dir.path().join("logo.csv");
    let bytes = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00";
    std::fs::write(&png, bytes).unwrap();
    let p = profile_path(&png, &DialectOptions::default()).unwrap();
    assert_eq!((p.issues, p.bytes), (vec![Issue::NotText], bytes.len() as u64));
    assert!(profile_path(&dir.path().join("missing.csv"), &DialectOptions::default()).is_err());
}

/// Records every row it is shown.
#[derive(Default)]
struct Recorder {
    header: Vec<String>,
    rows: Vec<(u64, Vec<String>, String)>,
}

impl RowObserver for Recorder {
    fn header(&mut self, _line: u64, names: &[String], _dialect: &Dialect) {
        self.header = names.to_vec();
    }

    fn row(&mut self, line: u64, cells: &[&str], record: &str) {
        self.rows.push((line, cells.iter().map(|c| c.to_string()).collect(), record.to_owned()));
    }
}

#[test]
fn the_observer_sees_every_row_in_order_on_its_own_thread() {
    // Past the sample, so rows go through batches and worker threads; an
    // invalid byte after non-ASCII text stays invalid (no encoding switch).
    let mut file = "nom;ville\né;Aÿ\n".as_bytes().to_vec();
    for i in 0..40_000 {
        file.extend_from_slice(format!("n{i};\"v;{i}\"\n").as_bytes());
    }
    file.extend_from_slice(b"bad\xFF;x\n");
    let mut rec = Recorder::default();
    let p = profile_reader_observed(Cursor::new(&file), &DialectOptions::default(), Some(&mut rec), false).unwrap();
    assert_eq!(p.sha256, None);
    assert_eq!(rec.header, ["nom", "ville"]);
    assert_eq!(rec.rows.len() as u64, p.rows);
    assert_eq!(rec.rows.len(), 40_002);
    assert_eq!(rec.rows[0].1, ["é", "Aÿ"]);
    let (line, cells, record) = &rec.rows[30_001];
    assert_eq!((*line, cells.as_slice()), (30_003, ["n30000".to_string(), "v;30000".to_string()].as_slice()));
    assert!(record.contains("n30000") && record.contains("v;30000"));
    let last = &rec.rows[40_001];
    assert_eq!(last.1, ["bad\u{FFFD}", "x"]);
    assert!(rec.rows.windows(2).all(|w| w[0].0 < w[1].0));
}

#[test]
fn distributions_are_exact_when_few_values_and_sampled_otherwise() {
    let mut text = String::from("n;petit;jour;nom\n");
    for i in 0..100_000 {
        text.push_str(&format!("{i};{};{:02}/{:02}/2025;x{}\n", i % 3, 1 + i % 28, 1 + i % 12, i % 7));
    }
    let p = profile(text.as_bytes());
    let p2 = profile(text.as_bytes());
    assert_eq!(p, p2, "the same file gives the same sample");
    match &column(&p, "n").distribution {
        Some(Distribution::Numbers { bins, values: 2_000, exact: false }) => {
            assert_eq!(bins.counts.iter().sum::<u64>(), 2_000);
            assert!(bins.min >= 0.0 && bins.max < 100_000.0 && bins.min < 1_000.0 && bins.max > 99_000.0, "{bins:?}");
            // Roughly uniform: about half the sample below the median.
            let below: u64 =
                bins.counts.iter().zip(&bins.edges[1..]).filter(|(_, e)| **e <= 50_000.0).map(|(c, _)| c).sum();
            assert!((800..1200).contains(&below), "{bins:?}");
        }
        other => panic!("{other:?}"),
    }
    match &column(&p, "petit").distribution {
        Some(Distribution::Numbers { bins, values: 3, exact: true }) => {
            assert_eq!((bins.min, bins.max), (0.0, 2.0));
            assert_eq!(bins.counts.iter().sum::<u64>(), 100_000);
        }
        other => panic!("{other:?}"),
    }
    match &column(&p, "jour").distribution {
        Some(Distribution::Periods { counts, exact }) => {
            // 336 distinct days: counted exactly.
            assert!(exact);
            assert_eq!(counts.len(), 12);
            assert_eq!(counts[0].0, "2025-01");
            assert_eq!(counts.iter().map(|(_, n)| n).sum::<u64>(), 100_000);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(column(&p, "nom").distribution, None);
}
