//! Built-in schemas: the SCDL (Socle commun des données locales) schemas a commune
//! publishes most, written for this project from the published field lists (same
//! field names, types, required flags and key constraints; our own short French
//! descriptions), with the official URL each one conforms to.

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

/// The built-in schema called `name`, with its version and canonical URL.
pub fn builtin_info(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
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
            assert_eq!(schema.name.as_deref(), Some(b.name));
            assert!(b.canonical_url.ends_with(&format!("/{}/schema.json", b.version)));
        }
        assert!(builtin("scdl-subventions").is_some());
        assert!(builtin("scdl-inconnu").is_none());
    }
}
