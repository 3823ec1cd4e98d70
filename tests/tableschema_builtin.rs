//! The built-in SCDL schemas against the published ones in shared/schemas/.

#[path = "tableschema/common.rs"]
mod common;

use kiosque::tableschema::{BUILTINS, Schema, builtin, canonical_url};
use serde_json::Value;

/// Each built-in schema is the published `schema.json`, byte for byte (the
/// first wave rewrote them and lost a pattern: a 13-digit SIRET passed).
#[test]
fn builtins_are_the_published_files_verbatim() {
    let Some(shared) = common::shared_dir() else { return };
    for b in BUILTINS {
        let published = std::fs::read_to_string(shared.join("schemas").join(b.name).join("schema.json")).unwrap();
        assert!(b.schema_json == published, "{}: not the published file (scripts/refresh-schemas.sh)", b.name);
        let ours = Schema::parse(b.schema_json).unwrap();
        let parsed = common::load_schema(&shared.join("schemas").join(b.name).join("schema.json"));
        assert_eq!(ours.fields.len(), parsed.fields.len(), "{}", b.name);
        for (o, p) in ours.fields.iter().zip(&parsed.fields) {
            assert_eq!(o.name, p.name, "{}", b.name);
        }
    }
}

#[test]
fn canonical_urls_are_the_catalogue_latest_versions() {
    let Some(shared) = common::shared_dir() else { return };
    let path = shared.join("schemas/schema-data-gouv-catalog.json");
    let catalog: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for b in BUILTINS {
        let official = format!("scdl/{}", b.name.trim_start_matches("scdl-"));
        let entry = catalog["schemas"].as_array().unwrap().iter().find(|s| s["name"] == official.as_str()).unwrap();
        let versions = entry["versions"].as_array().unwrap();
        let number = |v: &Value| -> Vec<u64> {
            v["version_name"].as_str().unwrap().split('.').map(|n| n.trim_start_matches('v').parse().unwrap()).collect()
        };
        let latest = versions.iter().max_by_key(|v| number(v)).unwrap();
        assert_eq!(Some(b.canonical_url), latest["schema_url"].as_str(), "{}", b.name);
        assert_eq!(canonical_url(b.name), Some(b.canonical_url));
        assert_eq!(latest["version_name"].as_str().unwrap().trim_start_matches('v'), b.version);
    }
}

#[test]
fn published_examples_get_the_same_verdict_with_our_builtin() {
    let Some(shared) = common::shared_dir() else { return };
    let ours = Schema::parse(builtin("scdl-subventions").unwrap()).unwrap();
    let published = common::load_schema(&shared.join("schemas/scdl-subventions/schema.json"));
    let examples = [
        ("exemples/exemple_valide.csv", true),
        ("exemples/exemple_invalide_erreurs_cellules.csv", false),
        ("exemples/exemple_invalide_erreurs_colonnes.csv", false),
        ("exemple-duplicate-column.csv", false),
    ];
    for (file, valid) in examples {
        let csv = shared.join("schemas/scdl-subventions-github").join(file);
        let with_ours = common::validate_file(&ours, &csv);
        let with_published = common::validate_file(&published, &csv);
        assert_eq!(with_ours.valid, valid, "{file}");
        assert_eq!(with_ours.errors, with_published.errors, "{file}");
    }
}

/// The official subsidies schema's pattern on `idBeneficiaire` (14 digits)
/// holds in the built-in: a 13-digit SIRET is a cell error, the published
/// valid example with it shortened is no longer valid.
#[test]
fn a_13_digit_siret_breaks_the_official_subsidies_schema() {
    let Some(shared) = common::shared_dir() else { return };
    let example =
        std::fs::read_to_string(shared.join("schemas/scdl-subventions-github/exemples/exemple_valide.csv")).unwrap();
    assert!(example.contains(",52499120500013,"));
    let tmp = tempfile::tempdir().unwrap();
    let short = tmp.path().join("court.csv");
    std::fs::write(&short, example.replacen(",52499120500013,", ",5249912050001,", 1)).unwrap();
    let schema = Schema::parse(builtin("scdl-subventions").unwrap()).unwrap();
    let valid =
        common::validate_file(&schema, &shared.join("schemas/scdl-subventions-github/exemples/exemple_valide.csv"));
    assert!(valid.valid);
    let report = common::validate_file(&schema, &short);
    assert!(!report.valid);
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
}

/// The Validata checks kiosque applies (`french-siret-value`,
/// `one-of-required`) report what Validata itself reports on the published
/// subsidies examples and on edge cases (La Poste's numbers, spaces, 13
/// digits, a wrong check digit, no SIRET nor RNA): the counts per check and
/// field recorded from validata-core by `tests/tableschema/record_validata.py`.
#[test]
fn custom_checks_report_what_validata_reports() {
    let Some(shared) = common::shared_dir() else { return };
    let crate_dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let recorded: Value =
        serde_json::from_str(&std::fs::read_to_string(crate_dir.join("tests/tableschema/validata.json")).unwrap())
            .unwrap();
    let schema = Schema::parse(builtin("scdl-subventions").unwrap()).unwrap();
    let counts = recorded["counts"].as_object().unwrap();
    assert_eq!(counts.len(), 4);
    for (key, expected) in counts {
        let base = if key.starts_with("tests/") { &crate_dir } else { &shared };
        let report = common::validate_file(&schema, &base.join(key));
        let mut ours = std::collections::BTreeMap::<String, u64>::new();
        for e in report.errors.iter().filter(|e| e.kind == kiosque::tableschema::ErrorKind::CheckError) {
            // Validata names no field for a row-level check.
            let field = if e.rule == "one-of-required" { "" } else { e.field_name.as_deref().unwrap_or("") };
            *ours.entry(format!("{}|{field}", e.rule)).or_default() += 1;
        }
        let theirs: std::collections::BTreeMap<String, u64> =
            expected.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_u64().unwrap())).collect();
        assert_eq!(ours, theirs, "{key}");
    }
}
