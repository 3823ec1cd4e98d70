//! Exploring data without downloading it: the static preview of each table,
//! the chunks the explorer pages through, and the exports for re-users, on
//! sites generated in temporary folders and on the example site.

mod common;

use std::path::Path;

use serde_json::Value;

/// A one-dataset site whose data file is `name` with `bytes`.
fn site_with(name: &str, bytes: &[u8]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("site.yaml"), "title: Essai\nlicense: etalab-2.0\npublisher: Mairie\n").unwrap();
    let dir = root.join("datasets/d");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("dataset.yaml"), "title: D\ndescription: Des données.\nmodified: 2026-11-01\n").unwrap();
    std::fs::write(dir.join(name), bytes).unwrap();
    tmp
}

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

/// Every row of every chunk of a preview folder, in order.
fn chunk_rows(dir: &Path) -> (Value, Vec<Vec<Value>>) {
    let manifest = json(&dir.join("manifest.json"));
    let mut rows = Vec::new();
    for i in 0..manifest["chunks"].as_u64().unwrap() {
        let file = dir.join(format!("chunk-{i:05}.json"));
        assert!(std::fs::metadata(&file).unwrap().len() < 1024 * 1024, "{} is over 1 MB", file.display());
        let chunk: Vec<Vec<Value>> = serde_json::from_value(json(&file)).unwrap();
        if i + 1 < manifest["chunks"].as_u64().unwrap() {
            assert_eq!(chunk.len() as u64, manifest["chunk_rows"].as_u64().unwrap());
        }
        rows.extend(chunk);
    }
    (manifest, rows)
}

#[test]
fn a_large_french_table_is_chunked_previewed_and_exported() {
    // Windows-1252, `;`, decimal commas, dates; 30,000 rows.
    let mut text = String::from("commune;montant;date;note\r\n");
    for i in 0..30_000 {
        let commune = ["Valmorin", "Élancourt-sur-Aulne", "Gué"][i % 3];
        text.push_str(&format!("{commune};{},{:02};{:02}/03/2026;ligne {i}\r\n", 1000 + i, i % 100, 1 + i % 28));
    }
    let bytes = encoding_rs::WINDOWS_1252.encode(&text).0.into_owned();
    let site = site_with("gros.csv", &bytes);
    let out = site.path().join("public");
    common::build_into(site.path(), &out);
    let d = out.join("datasets/d");

    let (manifest, rows) = chunk_rows(&d.join("preview/gros.csv"));
    assert_eq!(manifest["rows"], 30_000);
    assert_eq!(manifest["decimal"], ",");
    assert!(manifest["chunks"].as_u64().unwrap() > 1);
    let columns: Vec<(&str, &str)> = manifest["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c["type"].as_str().unwrap()))
        .collect();
    assert_eq!(columns, [("commune", "string"), ("montant", "number"), ("date", "date"), ("note", "string")]);
    assert_eq!(manifest["columns"][0]["values"], serde_json::json!(["Gué", "Valmorin", "Élancourt-sur-Aulne"]));
    assert_eq!(rows.len(), 30_000);
    assert_eq!(
        Value::from(rows[1].clone()),
        serde_json::json!(["Élancourt-sur-Aulne", "1001,01", "02/03/2026", "ligne 1"])
    );
    assert_eq!(rows[29_999][3], "ligne 29999");

    // The page: the first 50 rows, numbers and dates in French, and the explorer's manifest.
    let page = std::fs::read_to_string(d.join("index.html")).unwrap();
    assert!(page.contains(r#"data-manifest="preview/gros.csv/manifest.json""#));
    assert_eq!(page.matches("<tr><td>").count(), 50);
    assert!(page.contains("<td class=\"num\">1\u{202f}001,01</td><td>02/03/2026</td>"), "French formatting");
    assert!(!page.contains("ligne 50<"), "only the first 50 rows are in the page");

    // Exports: JSON records and a CSV for French Excel.
    let records = json(&d.join("gros.json"));
    assert_eq!(records.as_array().unwrap().len(), 30_000);
    assert_eq!(
        records[0],
        serde_json::json!({"commune": "Valmorin", "montant": "1000,00", "date": "01/03/2026", "note": "ligne 0"})
    );
    let excel = std::fs::read(d.join("gros.excel.csv")).unwrap();
    assert!(excel.starts_with("\u{feff}commune;montant;date;note\r\nValmorin;1000,00;".as_bytes()));
    assert!(page.contains(r#"href="gros.json""#) && page.contains(r#"href="gros.excel.csv""#));

    // The normalised copy is still there, and nothing of the spool is left.
    assert!(d.join("gros.utf8.csv").is_file());
    let leftovers: Vec<_> = walkdir::WalkDir::new(&out)
        .into_iter()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("kiosque-spool"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let siblings = common::build_leftovers(site.path());
    assert!(siblings.is_empty(), "{siblings:?}");
}

#[test]
fn preview_cells_are_escaped_and_cut() {
    let long = "x".repeat(5000);
    let csv = format!("nom,texte\n<script>alert(1)</script>,{long}\n");
    let site = site_with("t.csv", csv.as_bytes());
    let out = site.path().join("public");
    common::build_into(site.path(), &out);
    let page = std::fs::read_to_string(out.join("datasets/d/index.html")).unwrap();
    assert!(!page.contains("<script>alert(1)"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.contains(&"x".repeat(1001)), "preview cells are cut");
    let (_, rows) = chunk_rows(&out.join("datasets/d/preview/t.csv"));
    assert_eq!(rows[0][1].as_str().unwrap().chars().count(), 1000);
    // The export keeps the whole cell.
    assert_eq!(json(&out.join("datasets/d/t.json"))[0]["texte"].as_str().unwrap().len(), 5000);
}

#[test]
fn every_table_of_the_example_site_has_its_preview() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
    common::build_into(&site, &out);
    let mut tables = 0;
    for ds in std::fs::read_dir(out.join("datasets")).unwrap().flatten().filter(|e| e.path().is_dir()) {
        let object = json(&ds.path().join("dataset.json"));
        let page = std::fs::read_to_string(ds.path().join("index.html")).unwrap();
        for r in object["resources"].as_array().unwrap() {
            let Some(rows) = r["rows"].as_u64() else { continue };
            let name = r["path"].as_str().unwrap().rsplit('/').next().unwrap();
            if name.ends_with(".utf8.csv") {
                continue; // the normalised copy of a table previewed under its own name
            }
            tables += 1;
            let (manifest, chunk) = chunk_rows(&ds.path().join("preview").join(name));
            assert_eq!(manifest["rows"].as_u64(), Some(rows), "{name}");
            assert_eq!(chunk.len() as u64, rows, "{name}");
            assert!(page.contains(&format!("data-manifest=\"preview/{name}/manifest.json\"")), "{name}");
        }
    }
    assert!(tables >= 12, "{tables} tables");
}

/// Every inline `<svg>…</svg>` of a page.
fn inline_svgs(page: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").expect("closed svg") + start + "</svg>".len();
        out.push(&rest[start..end]);
        rest = &rest[end..];
    }
    out
}

#[test]
fn column_charts_are_valid_accessible_svg_and_deterministic() {
    let mut text = String::from("jour;quantite;categorie;montant\n");
    for i in 0..3_000 {
        text.push_str(&format!(
            "{:02}/{:02}/2025;{};{};{},{}\n",
            1 + i % 28,
            1 + i % 12,
            i % 40,
            ["A", "B <b>", "C & D"][i % 3],
            i * 7 % 1000,
            i % 10
        ));
    }
    let site = site_with("t.csv", text.as_bytes());
    let out = site.path().join("public");
    common::build_into(site.path(), &out);
    let page = std::fs::read_to_string(out.join("datasets/d/index.html")).unwrap();
    let svgs = inline_svgs(&page);
    assert!(svgs.len() >= 4, "{} charts", svgs.len());
    let mut ids = std::collections::BTreeSet::new();
    for svg in &svgs {
        let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}: {svg}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2000/svg"));
        assert_eq!(root.attribute("role"), Some("img"));
        let kids: Vec<_> = root.children().filter(|n| n.is_element()).map(|n| n.tag_name().name()).collect();
        assert_eq!(&kids[..2], ["title", "desc"]);
        assert!(ids.insert(root.attribute("aria-labelledby").unwrap().to_string()), "ids are unique in the page");
        assert!(!svg.contains("<b>"), "labels are escaped");
    }
    // The same input gives the same bytes.
    let again = site.path().join("again");
    common::build_into(site.path(), &again);
    assert_eq!(page, std::fs::read_to_string(again.join("datasets/d/index.html")).unwrap());
}

#[test]
fn maps_from_coordinate_columns_and_geojson() {
    let mut csv = String::from("nom;latitude;longitude\n");
    for i in 0..500 {
        csv.push_str(&format!("lieu {i};48,{:03};2,{:03}\n", 800 + i % 100, 300 + i / 5));
    }
    let site = site_with("lieux.csv", csv.as_bytes());
    let geo = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"nom":"<i>Haie</i>"},"geometry":{"type":"LineString","coordinates":[[2.1,48.9],[2.2,48.95]]}},
        {"type":"Feature","properties":{"nom":"Parc"},"geometry":{"type":"Polygon","coordinates":[[[2,48],[2.1,48],[2.1,48.1],[2.2,48]]]}}]}"#;
    std::fs::write(site.path().join("datasets/d/zones.geojson"), geo).unwrap();
    std::fs::write(site.path().join("datasets/d/faux.geojson"), "ceci n'est pas du JSON").unwrap();
    let out = site.path().join("public");
    let run = common::run_kiosque(
        None,
        &[std::ffi::OsStr::new("build"), site.path().as_os_str(), std::ffi::OsStr::new("-o"), out.as_os_str()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("invalid-geometry") || run.stderr.contains("géométrie invalide"), "{}", run.stderr);
    assert!(run.stderr.contains("n'est pas du GeoJSON lisible"), "{}", run.stderr);
    let page = std::fs::read_to_string(out.join("datasets/d/index.html")).unwrap();
    let maps: Vec<&str> = inline_svgs(&page).into_iter().filter(|s| s.contains("Carte de")).collect();
    assert_eq!(maps.len(), 2, "a map of the table and one of the valid GeoJSON file");
    for svg in &maps {
        roxmltree::Document::parse(svg).unwrap();
    }
    assert!(maps.iter().any(|s| s.contains("<circle")), "points of the table");
    assert!(maps.iter().any(|s| s.contains("<path") || s.contains("<polyline")), "the line of the GeoJSON file");
    assert!(page.contains("500 points dessinés"));
    assert!(page.contains("&lt;i&gt;Haie&lt;/i&gt;"), "feature properties are escaped");
}

#[test]
fn declared_charts_are_drawn_and_written_as_svg_files() {
    let csv = "service;montant;date\nEau;10,5;2026-01-01\nEau;4;2026-02-01\nVoirie;7;2026-01-01\n";
    let site = site_with("depenses.csv", csv.as_bytes());
    let sidecar = site.path().join("datasets/d/dataset.yaml");
    let mut yaml = std::fs::read_to_string(&sidecar).unwrap();
    yaml.push_str("charts:\n  - title: Par service\n    type: bar\n    x: service\n    y: montant\n  - type: line\n    x: date\n    aggregation: count\n");
    std::fs::write(&sidecar, yaml).unwrap();
    let out = site.path().join("public");
    common::build_into(site.path(), &out);
    let page = std::fs::read_to_string(out.join("datasets/d/index.html")).unwrap();
    for (n, title) in [(1, "Par service"), (2, "Nombre de lignes par « date »")] {
        let file = std::fs::read_to_string(out.join(format!("datasets/d/charts/graphique-{n}.svg"))).unwrap();
        let doc = roxmltree::Document::parse(&file).unwrap();
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        let first = root.children().find(|c| c.is_element()).unwrap();
        assert_eq!((first.tag_name().name(), first.text()), ("title", Some(title)));
        assert!(page.contains(&format!("href=\"charts/graphique-{n}.svg\"")));
    }
    // The data as text, for screen readers and without images.
    assert!(page.contains("<tr><th scope=\"row\">Eau</th><td class=\"num\">14,5</td></tr>"), "sum with decimal commas");
}

#[test]
fn bad_charts_are_reported_at_their_line() {
    let site = site_with("depenses.csv", b"service;montant\nEau;1\n");
    let sidecar = site.path().join("datasets/d/dataset.yaml");
    let mut yaml = std::fs::read_to_string(&sidecar).unwrap();
    yaml.push_str(
        "charts:\n  - type: camembert\n    x: service\n  - x: servise\n    y: montant\n  - type: bar\n    y: montant\n",
    );
    std::fs::write(&sidecar, yaml).unwrap();
    let (code, report) = common::check_json(site.path());
    assert_eq!(code, 1, "{:?}", report.diagnostics);
    let charts: Vec<&common::Diag> =
        report.diagnostics.iter().filter(|d| d.code.starts_with("chart") || d.code == "invalid-chart").collect();
    assert_eq!(charts.len(), 3, "{charts:?}");
    let at = |code: &str, line: usize| charts.iter().any(|d| d.code == code && d.line == Some(line));
    assert!(at("invalid-chart", 5), "unknown type at its line: {charts:?}");
    assert!(at("chart-unknown-column", 7), "unknown column at its line: {charts:?}");
    assert!(at("invalid-chart", 9), "missing x at the chart: {charts:?}");
    let unknown = charts.iter().find(|d| d.code == "chart-unknown-column").unwrap();
    assert!(unknown.hint.as_deref().unwrap_or("").contains("service"), "nearest column suggested");
    let bad_type = charts.iter().find(|d| d.line == Some(5)).unwrap();
    assert!(bad_type.hint.as_deref().unwrap_or("").contains("pie"));
}

#[test]
fn json_arrays_of_objects_are_previewed_as_tables() {
    let site = site_with("t.csv", b"a\n1\n");
    let json = r#"[{"nom": "Salle <b>A</b>", "places": 40, "ouverte": true}, {"nom": "Salle B", "tags": ["x"]}]"#;
    std::fs::write(site.path().join("datasets/d/salles.json"), json).unwrap();
    std::fs::write(site.path().join("datasets/d/config.json"), r#"{"version": 2}"#).unwrap();
    let out = site.path().join("public");
    common::build_into(site.path(), &out);
    let page = std::fs::read_to_string(out.join("datasets/d/index.html")).unwrap();
    assert!(page.contains("2 objets dans ce fichier JSON"));
    assert!(page.contains("<th scope=\"col\">nom</th><th scope=\"col\">places</th><th scope=\"col\">ouverte</th><th scope=\"col\">tags</th>"));
    assert!(page.contains("<td>Salle &lt;b&gt;A&lt;/b&gt;</td><td>40</td><td>true</td><td></td>"));
    assert_eq!(
        page.matches("objets dans ce fichier JSON").count(),
        1,
        "a JSON object that is not a list is not a table"
    );
}

#[test]
fn the_sidecar_may_name_the_coordinate_columns() {
    let csv = "nom;Y_WGS84;X_WGS84\nA;48,85;2,35\nB;48,86;2,36\n";
    let site = site_with("lieux.csv", csv.as_bytes());
    let sidecar = site.path().join("datasets/d/dataset.yaml");
    let base = std::fs::read_to_string(&sidecar).unwrap();
    std::fs::write(&sidecar, format!("{base}coordinates: {{lat: Y_WGS84, lon: X_WGS84}}\n")).unwrap();
    let out = site.path().join("public");
    common::build_into(site.path(), &out);
    let page = std::fs::read_to_string(out.join("datasets/d/index.html")).unwrap();
    assert!(page.contains("2 points dessinés"));

    // Names that match no column: an error for each, at the sidecar's line,
    // with the nearest column name when one is close.
    std::fs::write(&sidecar, format!("{base}coordinates: {{lat: LATITUDE, lon: X_WGS48}}\n")).unwrap();
    let (code, report) = common::check_json(site.path());
    assert_eq!(code, 1, "{report:#?}");
    let found: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "coordinates-not-found").collect();
    assert_eq!(found.len(), 2, "{report:#?}");
    assert!(found.iter().all(|d| d.severity == "error" && d.line == Some(4)), "{found:#?}");
    assert!(found[0].message.contains("« LATITUDE »"), "{found:#?}");
    assert_eq!(found[1].hint.as_deref(), Some("vouliez-vous dire « X_WGS84 » ?"));
}

/// A column listed as reviewed for personal data that no table has (an
/// accent missing) is an error with the nearest name, not silently ignored.
#[test]
fn a_reviewed_column_that_does_not_exist_is_named() {
    let csv = "nom,Téléphone
Mairie,01 23 45 67 89
";
    let site = site_with("contacts.csv", csv.as_bytes());
    let sidecar = site.path().join("datasets/d/dataset.yaml");
    let base = std::fs::read_to_string(&sidecar).unwrap();
    std::fs::write(&sidecar, format!("{base}personal_data:\n  reviewed: [Telephone]\n")).unwrap();
    let (code, report) = common::check_json(site.path());
    assert_eq!(code, 1, "{report:#?}");
    let d = report.diagnostics.iter().find(|d| d.code == "unknown-column").expect("unknown-column");
    assert_eq!((d.severity.as_str(), d.line), ("error", Some(5)), "{d:#?}");
    assert_eq!(d.hint.as_deref(), Some("vouliez-vous dire « Téléphone » ?"));
    std::fs::write(&sidecar, format!("{base}personal_data:\n  reviewed: [Téléphone]\n")).unwrap();
    let (code, report) = common::check_json(site.path());
    assert_eq!(code, 0, "{report:#?}");
}

#[test]
fn interactive_maps_only_when_the_site_turns_them_on() {
    let csv = "nom;lat;lon\nA;48,85;2,35\nB;48,86;2,36\n";
    let site = site_with("lieux.csv", csv.as_bytes());
    let out = site.path().join("public");
    common::build_into(site.path(), &out);
    assert!(!out.join("assets/vendor/leaflet/leaflet.js").exists(), "no map library by default");
    assert!(!out.join("assets/map.js").exists());
    let page = std::fs::read_to_string(out.join("datasets/d/index.html")).unwrap();
    assert!(!page.contains("data-interactive-map") && !page.contains("leaflet"));

    let config = site.path().join("site.yaml");
    let base = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("{base}map_tiles:\n  url: https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png\n  attribution: \"© OpenStreetMap <contributeurs>\"\n"),
    )
    .unwrap();
    common::build_into(site.path(), &out);
    for file in [
        "assets/vendor/leaflet/leaflet.js",
        "assets/vendor/leaflet/leaflet.css",
        "assets/vendor/leaflet/LICENSE",
        "assets/map.js",
    ] {
        assert!(out.join(file).is_file(), "{file}");
    }
    let page = std::fs::read_to_string(out.join("datasets/d/index.html")).unwrap();
    assert!(page.contains(r#"data-geojson="preview/lieux.csv/points.geojson""#));
    assert!(page.contains("data-attribution=\"© OpenStreetMap &lt;contributeurs&gt;\""), "attributes escaped");
    let points = json(&out.join("datasets/d/preview/lieux.csv/points.geojson"));
    assert_eq!(points["features"].as_array().unwrap().len(), 2);
    assert_eq!(points["features"][0]["geometry"]["coordinates"], serde_json::json!([2.35, 48.85]));

    // A tile address that is not https with {z}/{x}/{y} is refused.
    std::fs::write(&config, format!("{base}map_tiles:\n  url: http://tiles.example.org/map.png\n")).unwrap();
    let (code, report) = common::check_json(site.path());
    assert_eq!(code, 1);
    assert!(report.diagnostics.iter().any(|d| d.code == "bad-url"), "{:?}", report.diagnostics);
}
