//! The catalogue's search index, `search-index.json`: what the catalogue
//! page's script (`assets/search.js`, with the vendored MiniSearch) needs
//! to search and filter every dataset in the browser, with no server.
//!
//! One compact JSON object. Repeated values (keywords, publishers, formats,
//! licences, frequencies, column names) are written once in `facets` /
//! `columns` and referred to by their position, which keeps the file small
//! for catalogues of thousands of datasets:
//!
//! ```json
//! {"version": 1, "lang": "fr",
//!  "facets": {"theme": [{"id": "ECON", "label": "Économie et finances"}],
//!             "keyword": [{"id": "budget", "label": "budget"}],
//!             "publisher": [{"id": "commune-de-…", "label": "Commune de …"}], "format": […], "license": […], "frequency": […]},
//!  "columns": ["annee", "montant", …],
//!  "datasets": [{"slug": "budget", "title": "…", "text": "plain-text description",
//!                "theme": [0], "keyword": [0, 3], "publisher": 0, "format": [1], "license": 0,
//!                "frequency": 2, "columns": [0, 1], "modified": "2026-03-01", "late": true}]}
//! ```
//!
//! Datasets are in catalogue order (by title). Absent values are left out.
//! A dataset's page is `datasets/<slug>/index.html`, a theme's
//! `themes/<id in lowercase>/index.html`, a keyword's `keywords/<id>/index.html`.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::model::Site;
use crate::taxonomy::Taxonomy;
use crate::vocab;

/// Where the index is published, and its gzip-compressed copy (which the
/// page fetches first, whatever the host's compression).
pub const PATH: &str = "search-index.json";
pub const GZ_PATH: &str = "search-index.json.gz";

/// How much of a description is searched (characters of plain text).
pub const TEXT_LIMIT: usize = 300;

/// The index and its gzip-compressed copy: `(PATH, bytes), (GZ_PATH, bytes)`.
/// The compression is deterministic (no name, no time in the header).
pub fn files(site: &Site, taxonomy: &Taxonomy, facts: &[Facts]) -> [(&'static str, Vec<u8>); 2] {
    use std::io::Write;
    let json = index(site, taxonomy, facts);
    let mut gz = flate2::GzBuilder::new().mtime(0).write(Vec::new(), flate2::Compression::best());
    gz.write_all(&json).expect("writing to memory cannot fail");
    let gz = gz.finish().expect("writing to memory cannot fail");
    [(PATH, json), (GZ_PATH, gz)]
}

/// Values of one facet, numbered in order of first use.
#[derive(Default)]
struct Values {
    ids: BTreeMap<String, usize>,
    items: Vec<Value>,
}

impl Values {
    fn index(&mut self, id: &str, item: impl FnOnce() -> Value) -> usize {
        if let Some(&i) = self.ids.get(id) {
            return i;
        }
        self.ids.insert(id.to_string(), self.items.len());
        self.items.push(item());
        self.items.len() - 1
    }
}

/// What the index takes from a dataset object
/// ([`crate::export::dataset_object`]) besides the model's own fields
/// (kept with each dataset for the next build: see [`crate::reuse::Unit`]).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Facts {
    /// The column names of its tables (not of the copies kiosque derives).
    columns: Vec<String>,
    publisher: Option<String>,
    license: Option<String>,
    late: bool,
}

impl Facts {
    pub fn of(object: &Value) -> Facts {
        let text = |v: &Value| v.as_str().map(str::to_string);
        Facts {
            columns: object["resources"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|r| r["derived_from"].is_null())
                .flat_map(|r| r["columns"].as_array().into_iter().flatten())
                .filter_map(|c| text(&c["name"]))
                .collect(),
            publisher: text(&object["publisher"]),
            license: text(&object["license"]),
            late: !object["quality"]["late"].is_null(),
        }
    }
}

/// Builds the index. `facts` are those of each dataset, in the order of
/// `site.datasets`.
pub fn index(site: &Site, taxonomy: &Taxonomy, facts: &[Facts]) -> Vec<u8> {
    let lang = site.lang();
    let mut themes = Values::default();
    for g in &taxonomy.themes {
        themes.index(&g.id, || json!({"id": g.id, "label": g.label}));
    }
    let mut keywords = Values::default();
    for g in &taxonomy.keywords {
        keywords.index(&g.id, || json!({"id": g.id, "label": g.label}));
    }
    let (mut publishers, mut formats, mut licenses, mut frequencies, mut columns) =
        (Values::default(), Values::default(), Values::default(), Values::default(), Values::default());
    let mut datasets = Vec::with_capacity(facts.len());
    for &i in &taxonomy.by_title {
        let (ds, o) = (&site.datasets[i], &facts[i]);
        let mut d = Map::new();
        d.insert("slug".into(), json!(ds.slug));
        d.insert("title".into(), json!(ds.title()));
        let text = crate::markdown::excerpt(ds.description(), TEXT_LIMIT);
        if !text.is_empty() {
            d.insert("text".into(), json!(text));
        }
        let theme: Vec<usize> =
            ds.themes.iter().filter_map(|t| themes.ids.get(&t.value.to_uppercase()).copied()).collect();
        let mut keyword: Vec<usize> = ds
            .keywords
            .iter()
            .filter_map(|k| taxonomy.keyword(k))
            .filter_map(|g| keywords.ids.get(&g.id).copied())
            .collect();
        keyword.dedup();
        let mut format: Vec<usize> = ds
            .resources
            .iter()
            .map(|r| r.format_label())
            .filter(|f| !f.is_empty())
            .map(|f| formats.index(&f, || json!({"id": f, "label": f})))
            .collect();
        format.sort_unstable();
        format.dedup();
        let mut cols: Vec<usize> = o.columns.iter().map(|name| columns.index(name, || json!(name))).collect();
        cols.sort_unstable();
        cols.dedup();
        for (key, list) in [("theme", theme), ("keyword", keyword), ("format", format), ("columns", cols)] {
            if !list.is_empty() {
                d.insert(key.into(), json!(list));
            }
        }
        // Ids are stable from one build to the next: they end up in shared URLs.
        if let Some(p) = o.publisher.as_deref() {
            let id = crate::util::slugify(p);
            d.insert("publisher".into(), json!(publishers.index(&id, || json!({"id": id, "label": p}))));
        }
        if let Some(l) = o.license.as_deref() {
            let label = vocab::license(l).map(|k| k.name(lang)).unwrap_or(l);
            d.insert("license".into(), json!(licenses.index(l, || json!({"id": l, "label": label}))));
        }
        if let Some(f) = ds.frequency.as_ref().and_then(|f| vocab::frequency(&f.value)) {
            d.insert(
                "frequency".into(),
                json!(frequencies.index(f.id, || json!({"id": f.id, "label": f.label(lang)}))),
            );
        }
        if let Some(m) = ds.modified() {
            d.insert("modified".into(), json!(m));
        }
        if o.late {
            d.insert("late".into(), json!(true));
        }
        datasets.push(Value::Object(d));
    }
    let index = json!({
        "version": 1,
        "lang": site.page_language(),
        "facets": {
            "theme": themes.items,
            "keyword": keywords.items,
            "publisher": publishers.items,
            "format": formats.items,
            "license": licenses.items,
            "frequency": frequencies.items,
        },
        "columns": columns.items,
        "datasets": datasets,
    });
    serde_json::to_vec(&index).expect("JSON values serialise")
}
