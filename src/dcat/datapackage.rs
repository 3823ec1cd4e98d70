//! Frictionless Data Package descriptors: one per dataset
//! (`datasets/<slug>/datapackage.json`, resource paths relative to the
//! dataset folder) and one for the site (`datapackage.json` at the root,
//! every local file by its path from the root).

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use super::input::{CatalogInput, DatasetInput, DistributionInput, License};
use super::iri::strict_name;
use super::vocab;

/// A Data Package `name` from a slug: `^[a-z0-9._-]+$`, never empty.
pub fn package_name(slug: &str) -> String {
    let name = strict_name(slug);
    if name.is_empty() { "dataset".to_string() } else { name }
}

fn licenses(license: Option<&License>) -> Option<Value> {
    let l = license?;
    let mut m = Map::new();
    if !l.id.trim().is_empty() {
        m.insert("name".into(), json!(l.id.trim()));
    }
    if let Some(url) = l.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        m.insert("path".into(), json!(url));
    }
    if let Some(title) = l.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        m.insert("title".into(), json!(title));
    }
    (m.contains_key("name") || m.contains_key("path")).then(|| json!([m]))
}

/// Resource names, unique within a package, from file names (or titles).
fn resource_names(ds: &DatasetInput) -> Vec<String> {
    let mut used = HashSet::new();
    ds.distributions
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let file = r.path.as_deref().map(|p| p.rsplit('/').next().unwrap_or(p).to_string()).unwrap_or_else(|| {
                let url = r.download_url.split(['?', '#']).next().unwrap_or("");
                url.trim_end_matches('/').rsplit('/').next().unwrap_or("").to_string()
            });
            let stem = match file.rsplit_once('.') {
                Some((stem, _)) if !stem.is_empty() => stem.to_string(),
                _ => file.clone(),
            };
            let mut base = strict_name(&stem).replace('.', "-");
            if base.is_empty() {
                base = strict_name(&r.title).replace('.', "-");
            }
            if base.is_empty() {
                base = format!("resource-{}", i + 1);
            }
            let mut name = base.clone();
            let mut n = 2;
            while !used.insert(name.clone()) {
                name = format!("{base}-{n}");
                n += 1;
            }
            name
        })
        .collect()
}

fn resource(r: &DistributionInput, name: String, path: String, license: Option<&License>) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!(name));
    m.insert("path".into(), json!(path));
    if !r.title.trim().is_empty() {
        m.insert("title".into(), json!(r.title));
    }
    if let Some(description) = r.description.as_deref().filter(|d| !d.trim().is_empty()) {
        m.insert("description".into(), json!(description));
    }
    let format = r.format.as_deref().map(|f| match vocab::format(f) {
        Some(known) => known.frictionless.to_string(),
        None => f.trim().to_ascii_lowercase(),
    });
    if let Some(format) = format.filter(|f| !f.is_empty()) {
        m.insert("format".into(), json!(format));
    }
    if let Some(media) = r.media_type() {
        m.insert("mediatype".into(), json!(media));
    }
    if let Some(encoding) = r.encoding.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        m.insert("encoding".into(), json!(encoding.to_ascii_lowercase()));
    }
    if let Some(bytes) = r.bytes {
        m.insert("bytes".into(), json!(bytes));
    }
    if let Some(sum) =
        r.sha256.as_deref().map(str::trim).filter(|s| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()))
    {
        m.insert("hash".into(), json!(format!("sha256:{}", sum.to_ascii_lowercase())));
    }
    if let Some(d) = &r.dialect {
        let mut dialect = Map::new();
        if let Some(v) = d.delimiter.as_deref().filter(|v| !v.is_empty()) {
            dialect.insert("delimiter".into(), json!(v));
        }
        if let Some(v) = d.quote_char.as_deref().filter(|v| !v.is_empty()) {
            dialect.insert("quoteChar".into(), json!(v));
        }
        if let Some(v) = d.header {
            dialect.insert("header".into(), json!(v));
        }
        if !dialect.is_empty() {
            m.insert("dialect".into(), Value::Object(dialect));
        }
    }
    if let Some(schema) = r.table_schema.as_ref().filter(|s| s.is_object()) {
        m.insert("schema".into(), schema.clone());
    }
    if let Some(l) = licenses(license) {
        m.insert("licenses".into(), l);
    }
    Value::Object(m)
}

/// The `datapackage.json` of a dataset, written in the dataset's folder:
/// local resources by their path there, remote ones by URL.
pub fn dataset(cat: &CatalogInput, ds: &DatasetInput) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!(package_name(&ds.slug)));
    m.insert("id".into(), json!(format!("{}#dataset", ds.landing_page.split('#').next().unwrap_or(""))));
    m.insert("title".into(), json!(ds.title));
    if !ds.description.trim().is_empty() {
        m.insert("description".into(), json!(ds.description));
    }
    m.insert("homepage".into(), json!(ds.landing_page));
    if let Some(l) = licenses(cat.license_of(ds)) {
        m.insert("licenses".into(), l);
    }
    let keywords: Vec<&str> = ds.keywords.iter().map(|k| k.trim()).filter(|k| !k.is_empty()).collect();
    if !keywords.is_empty() {
        m.insert("keywords".into(), json!(keywords));
    }
    let publisher = cat.publisher_of(ds).trim();
    if !publisher.is_empty() {
        m.insert("contributors".into(), json!([{ "title": publisher, "role": "publisher" }]));
    }
    let names = resource_names(ds);
    let resources: Vec<Value> = ds
        .distributions
        .iter()
        .zip(names)
        .map(|(r, name)| {
            let path = r.path.clone().unwrap_or_else(|| r.download_url.clone());
            resource(r, name, path, r.license.as_ref())
        })
        .collect();
    m.insert("resources".into(), Value::Array(resources));
    Value::Object(m)
}

/// The site's `datapackage.json`, written at the root: every local resource
/// of every dataset, by its path from the root (`datasets/<slug>/<file>`),
/// named `<slug>.<resource>`. Remote resources are left to the datasets'
/// own descriptors.
pub fn site(cat: &CatalogInput) -> Value {
    let mut m = site_head(cat);
    m.insert("resources".into(), Value::Array(site_resources(cat).collect()));
    Value::Object(m)
}

/// Writes [`site`]'s pretty JSON text into `w`, a resource at a time (for
/// 10,000 datasets the descriptor is some 45 MB of text, many times that
/// as one value).
pub fn write_site(cat: &CatalogInput, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let (mut list, head) = crate::util::PrettyList::start_fields(&site_head(cat), "resources");
    w.write_all(head.as_bytes())?;
    for resource in site_resources(cat) {
        list.write_item(&resource, w)?;
    }
    w.write_all(list.end().as_bytes())
}

/// The members of [`site`] before its resources.
fn site_head(cat: &CatalogInput) -> Map<String, Value> {
    let mut m = Map::new();
    let host = cat.base_url.split("://").nth(1).unwrap_or("").split(['/', '?', '#']).next().unwrap_or("");
    let name = strict_name(host);
    m.insert("name".into(), json!(if name.is_empty() { "catalog".to_string() } else { name }));
    m.insert("title".into(), json!(cat.title));
    if !cat.description.trim().is_empty() {
        m.insert("description".into(), json!(cat.description));
    }
    m.insert("homepage".into(), json!(cat.base()));
    if let Some(l) = licenses(cat.license.as_ref()) {
        m.insert("licenses".into(), l);
    }
    m
}

/// The resources of [`site`], made as they are read.
fn site_resources(cat: &CatalogInput) -> impl Iterator<Item = Value> + '_ {
    cat.datasets.iter().flat_map(move |ds| {
        let prefix = package_name(&ds.slug);
        ds.distributions.iter().zip(resource_names(ds)).filter_map(move |(r, name)| {
            let path = r.path.as_ref()?;
            let license = cat.distribution_license(ds, r);
            Some(resource(r, format!("{prefix}.{name}"), format!("datasets/{}/{path}", ds.slug), license))
        })
    })
}
