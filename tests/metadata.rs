//! The machine-readable catalogue of a built site: the three DCAT
//! serialisations are one graph, and odd titles (quotes, `<`, `&`,
//! newlines, non-Latin scripts) round-trip unchanged through every export.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

use kiosque::dcat::rdf::parse_graph;
use oxrdfio::{JsonLdProfileSet, RdfFormat};

const ODD_TITLE: &str = "Arbres \"têtards\" <b>&</b> d'Ελληνικά et 日本語\nsur deux lignes";

fn build_odd_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir_all(site.join("datasets/odd")).unwrap();
    std::fs::write(
        site.join("site.yaml"),
        "title: \"Portail <&> « test »\"\nbase_url: https://data.example.org/\nsiret: \"21995010000018\"\npublisher: Commune d'Essai\nlicense: etalab-2.0\n",
    )
    .unwrap();
    let yaml = format!(
        "title: {}\ndescription: Une description.\nkeywords: [\"<k>\", \"é&\"]\nthemes: [ENVI]\nfrequency: annual\nmodified: 2026-06-30\ncreated: 2024\n",
        serde_json::to_string(ODD_TITLE).unwrap()
    );
    std::fs::write(site.join("datasets/odd/dataset.yaml"), yaml).unwrap();
    std::fs::write(site.join("datasets/odd/données #1.csv"), "a,b\n1,2\n").unwrap();
    let out = tmp.path().join("public");
    common::build_into(&site, &out);
    (tmp, out)
}

fn read(out: &Path, file: &str) -> Vec<u8> {
    std::fs::read(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn three_serialisations_are_one_graph() {
    for site in [None, Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site"))] {
        let (_tmp, out) = match site {
            None => build_odd_site(),
            Some(site) => {
                let tmp = tempfile::tempdir().unwrap();
                let out = tmp.path().join("public");
                common::build_into(&site, &out);
                (tmp, out)
            }
        };
        let ttl = parse_graph(&read(&out, "catalog.ttl"), RdfFormat::Turtle).unwrap();
        let rdf = parse_graph(&read(&out, "catalog.rdf"), RdfFormat::RdfXml).unwrap();
        let jsonld =
            parse_graph(&read(&out, "catalog.jsonld"), RdfFormat::JsonLd { profile: JsonLdProfileSet::empty() })
                .unwrap();
        assert!(ttl.len() > 20, "{} triples", ttl.len());
        assert_eq!(ttl, rdf, "Turtle and RDF/XML differ");
        assert_eq!(ttl, jsonld, "Turtle and JSON-LD differ");
        // Self-contained JSON-LD: an inline context, never a remote one.
        let ld: serde_json::Value = serde_json::from_slice(&read(&out, "catalog.jsonld")).unwrap();
        assert!(ld["@context"].is_object(), "{}", ld["@context"]);
    }
}

#[test]
fn odd_titles_round_trip_through_every_export() {
    let (_tmp, out) = build_odd_site();
    // DCAT, in all three syntaxes.
    let ttl = parse_graph(&read(&out, "catalog.ttl"), RdfFormat::Turtle).unwrap();
    let title = oxrdf::Literal::new_language_tagged_literal_unchecked(ODD_TITLE, "fr");
    let plain = oxrdf::Literal::new_simple_literal(ODD_TITLE);
    let found = ttl
        .iter()
        .any(|t| t.object == oxrdf::TermRef::from(title.as_ref()) || t.object == oxrdf::TermRef::from(plain.as_ref()));
    assert!(found, "title not found as a literal in catalog.ttl");
    // catalog.json and dataset.json.
    let catalog: serde_json::Value = serde_json::from_slice(&read(&out, "catalog.json")).unwrap();
    assert_eq!(catalog["datasets"][0]["title"], ODD_TITLE);
    // schema.org JSON-LD embedded in the page.
    let page = String::from_utf8(read(&out, "datasets/odd/index.html")).unwrap();
    let start = page.find(r#"<script type="application/ld+json">"#).unwrap() + 35;
    let end = start + page[start..].find("</script>").unwrap();
    let so: serde_json::Value = serde_json::from_str(&page[start..end]).unwrap();
    assert_eq!(so["@type"], "Dataset");
    assert_eq!(so["name"], ODD_TITLE);
    for key in ["description", "url", "identifier", "keywords", "license", "publisher", "dateModified", "distribution"]
    {
        assert!(so.get(key).is_some(), "schema.org lacks {key}");
    }
    assert_eq!(so["distribution"][0]["@type"], "DataDownload");
    assert_eq!(so["distribution"][0]["contentUrl"], "https://data.example.org/datasets/odd/donn%C3%A9es%20%231.csv");
    // Data Package.
    let dp: serde_json::Value = serde_json::from_slice(&read(&out, "datasets/odd/datapackage.json")).unwrap();
    assert_eq!(dp["title"], ODD_TITLE);
    assert_eq!(dp["resources"][0]["path"], "données #1.csv");
    // catalog.csv, read with a CSV parser.
    let csv_bytes = read(&out, "catalog.csv");
    let mut csv = csv::Reader::from_reader(&csv_bytes[..]);
    let headers = csv.headers().unwrap().clone();
    let col = headers.iter().position(|h| h == "TITRE").expect("TITRE column");
    let row = csv.records().next().unwrap().unwrap();
    assert_eq!(&row[col], ODD_TITLE);
    // Atom feed: well-formed text with the title escaped.
    let feed = String::from_utf8(read(&out, "feed.xml")).unwrap();
    assert!(
        feed.contains("Arbres &quot;têtards&quot; &lt;b&gt;&amp;&lt;/b&gt;")
            || feed.contains("Arbres \"têtards\" &lt;b&gt;&amp;&lt;/b&gt;"),
        "{feed}"
    );
    assert!(read(&out, "sitemap.xml").starts_with(b"<?xml"));
    assert!(
        String::from_utf8(read(&out, "robots.txt")).unwrap().contains("Sitemap: https://data.example.org/sitemap.xml")
    );
}

#[test]
fn every_dataset_page_carries_google_dataset_properties() {
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    common::build_into(&site, &out);
    let catalog: serde_json::Value = serde_json::from_slice(&read(&out, "catalog.json")).unwrap();
    for ds in catalog["datasets"].as_array().unwrap() {
        let slug = ds["slug"].as_str().unwrap();
        let page = String::from_utf8(read(&out, &format!("datasets/{slug}/index.html"))).unwrap();
        let marker = r#"<script type="application/ld+json">"#;
        let start = page.find(marker).unwrap_or_else(|| panic!("{slug}: no JSON-LD")) + marker.len();
        let end = start + page[start..].find("</script>").unwrap();
        let so: serde_json::Value = serde_json::from_str(&page[start..end]).unwrap();
        assert_eq!(so["@context"], "https://schema.org/", "{slug}");
        assert_eq!(so["@type"], "Dataset", "{slug}");
        // Required by Google: name, description (50 to 5000 characters).
        assert_eq!(so["name"], ds["title"], "{slug}");
        let description = so["description"].as_str().unwrap();
        assert!((50..=5000).contains(&description.chars().count()), "{slug}: description length");
        // Recommended.
        for key in [
            "url",
            "identifier",
            "keywords",
            "license",
            "creator",
            "publisher",
            "dateModified",
            "distribution",
            "isAccessibleForFree",
            "includedInDataCatalog",
        ] {
            assert!(so.get(key).is_some_and(|v| !v.is_null()), "{slug}: schema.org lacks {key}");
        }
        if !ds["temporal"].is_null() {
            assert!(so.get("temporalCoverage").is_some(), "{slug}: temporalCoverage");
        }
        if !ds["spatial"].is_null() {
            assert!(so.get("spatialCoverage").is_some(), "{slug}: spatialCoverage");
        }
        for dist in so["distribution"].as_array().unwrap() {
            assert_eq!(dist["@type"], "DataDownload", "{slug}");
            assert!(dist["contentUrl"].as_str().unwrap().starts_with("https://"), "{slug}");
            assert!(dist["encodingFormat"].is_string(), "{slug}");
        }
    }
    // The catalogue page carries a DataCatalog.
    let page = String::from_utf8(read(&out, "datasets/index.html")).unwrap();
    let start = page.find(r#"<script type="application/ld+json">"#).expect("catalogue JSON-LD") + 35;
    let end = start + page[start..].find("</script>").unwrap();
    let so: serde_json::Value = serde_json::from_str(&page[start..end]).unwrap();
    assert_eq!(so["@type"], "DataCatalog");
    assert_eq!(so["dataset"].as_array().unwrap().len(), catalog["datasets"].as_array().unwrap().len());
}

#[test]
fn coordinate_columns_give_the_dataset_a_geometry_the_harvester_keeps() {
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
    let o = Command::new(env!("CARGO_BIN_EXE_kiosque"))
        .args(["check", site.to_str().unwrap(), "--harvest", "--format", "json"])
        .env("SOURCE_DATE_EPOCH", "1795392000")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let eq = v["harvest"].as_array().unwrap().iter().find(|d| d["identifier"] == "equipements-publics").unwrap();
    assert_eq!(eq["dropped"].as_array().unwrap().len(), 0, "{eq}");
    // A dataset with only a place name still has its coverage dropped, and says why.
    let budget = v["harvest"].as_array().unwrap().iter().find(|d| d["identifier"] == "budget").unwrap();
    assert_eq!(budget["dropped"].as_array().unwrap().len(), 1, "{budget}");
}
