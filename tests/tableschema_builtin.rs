//! The built-in SCDL schemas against the published ones in shared/schemas/.

#[path = "tableschema/common.rs"]
mod common;

use kiosque::tableschema::{BUILTINS, Field, Schema, builtin, canonical_url};
use serde_json::Value;

/// What must be the same in our schema and the published one, per field.
fn structure(field: &Field) -> Value {
    let item = field.array_item.as_ref().map(|f| structure(f));
    serde_json::json!({
        "name": field.name,
        "type": field.field_type,
        "format": field.format,
        "constraints": field.constraints,
        "trueValues": field.true_values,
        "falseValues": field.false_values,
        "decimalChar": field.decimal_char,
        "groupChar": field.group_char,
        "arrayItem": item,
    })
}

#[test]
fn builtins_have_the_published_structure() {
    let shared = common::shared_dir();
    for b in BUILTINS {
        let ours = Schema::parse(b.schema_json).unwrap();
        let published = common::load_schema(&shared.join("schemas").join(b.name).join("schema.json"));
        assert_eq!(ours.fields.len(), published.fields.len(), "{}", b.name);
        for (o, p) in ours.fields.iter().zip(&published.fields) {
            assert_eq!(structure(o), structure(p), "{}: field {}", b.name, o.name);
            assert_ne!(o.description, p.description, "{}: {} has our own description", b.name, o.name);
        }
        assert_eq!(ours.primary_key, published.primary_key, "{}", b.name);
        assert_eq!(ours.missing_values, published.missing_values, "{}", b.name);
    }
}

#[test]
fn canonical_urls_are_the_catalogue_latest_versions() {
    let path = common::shared_dir().join("schemas/schema-data-gouv-catalog.json");
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
    let shared = common::shared_dir();
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
