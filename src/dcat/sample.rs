//! A sample catalogue with awkward text (quotes, `<`, `&`, line breaks,
//! `</script>`, Greek and Japanese) and awkward file names (spaces, accents,
//! `#`), with the bytes of its local files: the fixture of the tests and of
//! `examples/write_sample.rs`.

use serde_json::json;

use super::input::{CatalogInput, Contact, DatasetInput, Dialect, DistributionInput, License, SitemapUrl, Spatial};
use super::iri::url_path;

pub const BASE: &str = "https://data.saint-elan.example/";

pub const TITLE_1: &str = "Budget primitif 2024 — \"BP\" <script>alert('x')</script> & </script> l'été";
pub const TITLE_2: &str = "Ελληνικά και 日本語 : « noms » <b>&amp;</b>";
pub const TITLE_3: &str = "Équipements\npublics \"municipaux\" & <autres>";

pub const CSV_1_NAME: &str = "budget primitif 2024 – été #1.csv";
pub const CSV_1: &str = "exercice;chapitre;libellé;montant\r\n\
2024;011;\"Charges à caractère général; \"\"divers\"\"\";1250000.50\r\n\
2024;012;Charges de personnel;3400000\r\n";
pub const CSV_1_SHA256: &str = "a476688094119a1ef9b25c2ff40c2fa7d6e78f95227a6a64a724a00ae7c6c848";

pub const JSON_1_NAME: &str = "données brutes.json";
pub const JSON_1: &str = "{\"note\": \"Ελληνικά 日本語 </script> & <b>\"}\n";
pub const JSON_1_SHA256: &str = "3374affdf3e30f6104b3863498dca1a8af8c2d5b91bae2fab2e3f2ea1b55c4c5";

pub const CSV_2_NAME: &str = "noms-日本語.csv";
pub const CSV_2: &str = "id,nom\n1,Ελληνικά\n2,日本語\n3,\"Dupont, \"\"Jean\"\"\"\n";
pub const CSV_2_SHA256: &str = "1a9a43e4a28ad542e1f029a174dde7e1ebc8c022485b9339e4fd50c740d09459";

pub const GEOJSON_3_NAME: &str = "équipements publics.geojson";
pub const GEOJSON_3: &str = "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \
\"properties\": {\"nom\": \"Médiathèque « L'Été »\"}, \"geometry\": {\"type\": \"Point\", \
\"coordinates\": [-4.21, 48.41]}}]}\n";
pub const GEOJSON_3_SHA256: &str = "a215f942e2a43725c5254c9ad9b2620f05d52ef3c2c7f45ace87ede58a67eac3";

/// The local files: dataset slug, file name (relative to the dataset
/// folder), bytes.
pub fn files() -> Vec<(&'static str, &'static str, &'static [u8])> {
    vec![
        ("budget-primitif", CSV_1_NAME, CSV_1.as_bytes()),
        ("budget-primitif", JSON_1_NAME, JSON_1.as_bytes()),
        ("ellinika-nihongo", CSV_2_NAME, CSV_2.as_bytes()),
        ("equipements", GEOJSON_3_NAME, GEOJSON_3.as_bytes()),
    ]
}

fn etalab() -> License {
    License {
        id: "etalab-2.0".into(),
        url: Some("https://www.etalab.gouv.fr/licence-ouverte-open-licence/".into()),
        title: Some("Licence Ouverte / Open Licence 2.0".into()),
        national_title: Some("Licence Ouverte / Open Licence version 2.0".into()),
    }
}

fn odbl() -> License {
    License {
        id: "ODbL-1.0".into(),
        url: Some("https://opendatacommons.org/licenses/odbl/1-0/".into()),
        title: Some("Open Database License (ODbL) 1.0".into()),
        national_title: Some("Open Data Commons Open Database License (ODbL)".into()),
    }
}

fn landing(slug: &str) -> String {
    format!("{BASE}datasets/{slug}/")
}

fn local(slug: &str, name: &str, content: &str, sha256: &str) -> DistributionInput {
    let format = name.rsplit_once('.').map(|(_, e)| e.to_uppercase());
    DistributionInput {
        title: name.to_string(),
        download_url: format!("{}{}", landing(slug), url_path(name)),
        access_url: landing(slug),
        path: Some(name.to_string()),
        format: format.map(|f| if f == "GEOJSON" { "GeoJSON".to_string() } else { f }),
        bytes: Some(content.len() as u64),
        sha256: (!sha256.is_empty()).then(|| sha256.to_string()),
        encoding: Some("utf-8".into()),
        ..Default::default()
    }
}

/// The sample catalogue.
pub fn catalog() -> CatalogInput {
    let mut csv1 = local("budget-primitif", CSV_1_NAME, CSV_1, CSV_1_SHA256);
    csv1.title = "Budget 2024 \"BP\" <CSV> & co".into();
    csv1.description = Some("Une ligne\npuis une autre, avec ; et \"guillemets\" </script>".into());
    csv1.dialect = Some(Dialect { delimiter: Some(";".into()), ..Default::default() });
    csv1.conforms_to = Some("https://schema.data.gouv.fr/scdl/budget/0.8.1/schema.json".into());
    csv1.table_schema = Some(json!({
        "fields": [
            {"name": "exercice", "type": "integer"},
            {"name": "chapitre", "type": "string"},
            {"name": "libellé", "type": "string"},
            {"name": "montant", "type": "number"}
        ]
    }));
    let json1 = local("budget-primitif", JSON_1_NAME, JSON_1, JSON_1_SHA256);
    let mut csv2 = local("ellinika-nihongo", CSV_2_NAME, CSV_2, CSV_2_SHA256);
    csv2.table_schema = Some(json!({
        "fields": [
            {"name": "id", "type": "integer"},
            {"name": "nom", "type": "string"}
        ],
        "primaryKey": ["id"]
    }));
    let remote = DistributionInput {
        title: "Archive 2023 (distante)".into(),
        download_url: "https://example.org/remote/archive%202023.zip".into(),
        access_url: "https://example.org/remote/".into(),
        format: Some("ZIP".into()),
        ..Default::default()
    };
    let mut geo = local("equipements", GEOJSON_3_NAME, GEOJSON_3, GEOJSON_3_SHA256);
    // Windows and old Mac line ends, and a control character XML cannot carry.
    geo.description = Some("Ligne 1\r\nLigne 2\rLigne 3\u{7} fin\ttab".into());

    CatalogInput {
        base_url: BASE.into(),
        catalog_page: None,
        title: "Données ouvertes de Saint-Élan « <b>&</b> » \"quotes\" </script>".into(),
        description: "Le portail de la commune.\nDeuxième ligne & <fin>.".into(),
        language: "fr".into(),
        publisher: Some("Commune de Saint-Élan & Co <b>".into()),
        publisher_siret: Some("21290001000017".into()),
        contact: Some(Contact {
            name: Some("Mairie \"open data\"".into()),
            email: Some("opendata@saint-elan.example".into()),
        }),
        license: Some(etalab()),
        modified: Some("2024-05-01".into()),
        spatial: Some(Spatial {
            label: Some("Saint-Élan".into()),
            insee: Some("29001".into()),
            bbox: Some([-4.3, 48.35, -4.1, 48.45]),
        }),
        datasets: vec![
            DatasetInput {
                slug: "budget-primitif".into(),
                title: TITLE_1.into(),
                description: "Le budget primitif voté.\nAvec \"guillemets\", <balises> & </script>.\n日本語 Ελληνικά"
                    .into(),
                description_markdown:
                    "Le **budget primitif** voté.\n\n- Avec \"guillemets\", <balises> & </script>.\n- 日本語 Ελληνικά"
                        .into(),
                keywords: vec!["budget".into(), "Finances publiques".into(), "l'été <b>".into()],
                themes: vec!["ECON".into(), "gove".into(), "NOPE".into()],
                publisher: None,
                publisher_siret: None,
                contact: Some(Contact {
                    name: Some("Service des finances".into()),
                    email: Some("finances@saint-elan.example".into()),
                }),
                license: None,
                frequency: Some("ANNUAL".into()),
                created: Some("2024-01-15".into()),
                modified: Some("2024-03-02".into()),
                temporal: Some((Some("2024-01-01".into()), Some("2024-12-31".into()))),
                spatial: None,
                conforms_to: Some("https://schema.data.gouv.fr/scdl/budget/0.8.1/schema.json".into()),
                landing_page: landing("budget-primitif"),
                distributions: vec![csv1, json1],
            },
            DatasetInput {
                slug: "ellinika-nihongo".into(),
                title: TITLE_2.into(),
                description: "Ελληνικά — 日本語のテキスト.".into(),
                description_markdown: "Ελληνικά — 日本語のテキスト.".into(),
                keywords: vec!["日本語".into(), "ελληνικά".into()],
                themes: vec!["EDUC".into()],
                publisher: Some("Syndicat mixte Ελληνικά & 日本語".into()),
                publisher_siret: Some("25290012300015".into()),
                contact: Some(Contact { name: None, email: Some("syndicat@example.org".into()) }),
                license: Some(odbl()),
                frequency: Some("monthly".into()),
                created: Some("2021".into()),
                modified: Some("2023-11".into()),
                temporal: Some((Some("2021".into()), None)),
                spatial: Some(Spatial { label: None, insee: Some("29001".into()), bbox: None }),
                conforms_to: None,
                landing_page: landing("ellinika-nihongo"),
                distributions: vec![csv2, remote],
            },
            DatasetInput {
                slug: "equipements".into(),
                title: TITLE_3.into(),
                description: String::new(),
                description_markdown: String::new(),
                keywords: vec![],
                themes: vec![],
                publisher: None,
                publisher_siret: None,
                contact: None,
                license: Some(License {
                    id: "licence-maison".into(),
                    url: None,
                    title: Some("Licence « maison »".into()),
                    national_title: None,
                }),
                frequency: None,
                created: None,
                modified: Some("2024-03-02".into()),
                temporal: None,
                spatial: None,
                conforms_to: None,
                landing_page: landing("equipements"),
                distributions: vec![geo],
            },
        ],
    }
}

/// The pages of the sample site, for `sitemap.xml`.
pub fn pages() -> Vec<SitemapUrl> {
    let cat = catalog();
    let mut pages = vec![
        SitemapUrl { loc: BASE.into(), lastmod: cat.modified.clone() },
        SitemapUrl { loc: format!("{BASE}datasets/"), lastmod: cat.modified.clone() },
    ];
    for ds in &cat.datasets {
        pages.push(SitemapUrl { loc: ds.landing_page.clone(), lastmod: ds.modified.clone() });
    }
    pages.push(SitemapUrl { loc: format!("{BASE}{}/", url_path("à propos & contact")), lastmod: None });
    pages
}
