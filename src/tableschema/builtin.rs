//! Built-in schemas: the SCDL (Socle commun des données locales) schemas a commune
//! publishes most, kept verbatim as published (`schemas/<name>.json`: the
//! `schema.json` of the version given here, from schema.data.gouv.fr; refreshed by
//! `scripts/refresh-schemas.sh`), with the official URL each one conforms to. A
//! sidecar names one by its name (`scdl-budget`), pins its version
//! (`scdl-budget@0.8.3`), or gives its official URL.

/// A built-in schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Builtin {
    /// Short name, e.g. `scdl-subventions`.
    pub name: &'static str,
    /// Version of the published schema the field list follows.
    pub version: &'static str,
    /// `schema_url` of that version in schema.data.gouv.fr's catalogue, for
    /// DCAT `dct:conformsTo`.
    pub canonical_url: &'static str,
    /// The `schema.json` text.
    pub schema_json: &'static str,
}

/// Every built-in schema.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "scdl-deliberations",
        version: "2.1.5",
        canonical_url: "https://schema.data.gouv.fr/schemas/scdl/deliberations/2.1.5/schema.json",
        schema_json: include_str!("schemas/scdl-deliberations.json"),
    },
    Builtin {
        name: "scdl-budget",
        version: "0.8.3",
        canonical_url: "https://schema.data.gouv.fr/schemas/scdl/budget/0.8.3/schema.json",
        schema_json: include_str!("schemas/scdl-budget.json"),
    },
    Builtin {
        name: "scdl-subventions",
        version: "2.1.1",
        canonical_url: "https://schema.data.gouv.fr/schemas/scdl/subventions/2.1.1/schema.json",
        schema_json: include_str!("schemas/scdl-subventions.json"),
    },
    Builtin {
        name: "scdl-equipements",
        version: "0.1.5",
        canonical_url: "https://schema.data.gouv.fr/schemas/scdl/equipements/0.1.5/schema.json",
        schema_json: include_str!("schemas/scdl-equipements.json"),
    },
    Builtin {
        name: "scdl-menus-collectifs",
        version: "1.2.3",
        canonical_url: "https://schema.data.gouv.fr/schemas/scdl/menus-collectifs/1.2.3/schema.json",
        schema_json: include_str!("schemas/scdl-menus-collectifs.json"),
    },
    Builtin {
        name: "scdl-prenoms",
        version: "1.1.6",
        canonical_url: "https://schema.data.gouv.fr/schemas/scdl/prenoms/1.1.6/schema.json",
        schema_json: include_str!("schemas/scdl-prenoms.json"),
    },
    Builtin {
        name: "scdl-catalogue",
        version: "0.1.3",
        canonical_url: "https://schema.data.gouv.fr/schemas/scdl/catalogue/0.1.3/schema.json",
        schema_json: include_str!("schemas/scdl-catalogue.json"),
    },
];

/// The `schema.json` text of the built-in schema called `name`.
pub fn builtin(name: &str) -> Option<&'static str> {
    builtin_info(name).map(|b| b.schema_json)
}

/// The built-in schema called `name` (`scdl-budget`, or pinned to the
/// version built in: `scdl-budget@0.8.3`), with its version and canonical
/// URL. `None` for another version.
pub fn builtin_info(name: &str) -> Option<&'static Builtin> {
    let (name, version) = match name.split_once('@') {
        Some((name, version)) => (name, Some(version.strip_prefix('v').unwrap_or(version))),
        None => (name, None),
    };
    BUILTINS.iter().find(|b| b.name == name && version.is_none_or(|v| v == b.version))
}

/// The official URL the built-in schema `name` conforms to.
pub fn canonical_url(name: &str) -> Option<&'static str> {
    builtin_info(name).map(|b| b.canonical_url)
}

#[cfg(test)]
mod tests {
    use super::super::Schema;
    use super::*;

    #[test]
    fn every_builtin_parses_without_warning() {
        for b in BUILTINS {
            let schema = Schema::parse(b.schema_json).unwrap_or_else(|e| panic!("{}: {e}", b.name));
            assert!(schema.issues.is_empty(), "{}: {:?}", b.name, schema.issues);
            // The published names are the short ones: `budget` for `scdl-budget`.
            assert_eq!(schema.name.map(|n| format!("scdl-{n}")).as_deref(), Some(b.name));
            assert!(b.canonical_url.ends_with(&format!("/{}/schema.json", b.version)));
            let published: serde_json::Value = serde_json::from_str(b.schema_json).unwrap();
            let version = published["version"].as_str().unwrap();
            assert_eq!(version.strip_prefix('v').unwrap_or(version), b.version, "{}", b.name);
        }
        assert!(builtin("scdl-subventions").is_some());
        assert!(builtin("scdl-subventions@2.1.1").is_some());
        assert!(builtin("scdl-subventions@v2.1.1").is_some());
        assert!(builtin("scdl-subventions@2.0.0").is_none());
        assert!(builtin("scdl-inconnu").is_none());
    }
}
