//! Machine-readable exports of an open data catalogue:
//!
//! - the DCAT-AP 3.0 catalogue (compatible with DCAT-AP 2.1), one `oxrdf`
//!   graph written as Turtle, RDF/XML and JSON-LD ([`rdf`]);
//! - schema.org `Dataset` and `DataCatalog` JSON-LD for the pages, and the
//!   text safe to embed in a `<script>` ([`schema_org`]);
//! - Frictionless `datapackage.json` descriptors ([`datapackage`]);
//! - `catalog.csv` in the national `scdl-catalogue` schema ([`catalog_csv`]);
//! - the Atom feed, `sitemap.xml` and `robots.txt` ([`feeds`]).
//!
//! The input is plain data ([`input`]): the caller maps its model onto
//! [`CatalogInput`]. Every output is deterministic: the same input gives the
//! same bytes, and nothing depends on the clock.

pub mod catalog_csv;
pub mod datapackage;
pub mod dates;
pub mod feeds;
pub mod input;
pub mod iri;
pub mod rdf;
#[doc(hidden)]
#[cfg(test)]
pub mod sample;
pub mod schema_org;
pub mod vocab;

#[cfg(test)]
mod tests;

pub use self::catalog_csv::catalog_csv;
pub use self::feeds::{atom_feed, robots_txt, sitemap};
pub use self::input::{CatalogInput, Contact, DatasetInput, Dialect, DistributionInput, License, SitemapUrl, Spatial};
pub use self::iri::url_path;
pub use self::rdf::{CatalogGraph, Error, build_graph};
pub use self::schema_org::script_json;

/// JSON text, pretty-printed, with a final line feed.
pub fn json_bytes(value: &serde_json::Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("JSON values serialise");
    bytes.push(b'\n');
    bytes
}

/// Every file of the exports, by its path from the output root, sorted by
/// path: `catalog.ttl`, `catalog.rdf`, `catalog.jsonld`, `catalog.csv`,
/// `datapackage.json`, `datasets/<slug>/datapackage.json`, `feed.xml`,
/// `sitemap.xml` (of `pages`) and `robots.txt`. The DCAT graph is built once
/// for the three RDF files.
pub fn files(cat: &CatalogInput, pages: &[SitemapUrl]) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let graph = build_graph(cat)?;
    let mut out = vec![
        ("catalog.ttl".to_string(), graph.to_turtle()),
        ("catalog.rdf".to_string(), graph.to_rdf_xml()),
        ("catalog.jsonld".to_string(), graph.to_jsonld()),
        ("catalog.csv".to_string(), catalog_csv(cat).into_bytes()),
        ("datapackage.json".to_string(), json_bytes(&datapackage::site(cat))),
        ("feed.xml".to_string(), atom_feed(cat).into_bytes()),
        ("sitemap.xml".to_string(), sitemap(pages).into_bytes()),
        ("robots.txt".to_string(), robots_txt(&cat.base_url).into_bytes()),
    ];
    for ds in &cat.datasets {
        out.push((format!("datasets/{}/datapackage.json", ds.slug), json_bytes(&datapackage::dataset(cat, ds))));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}
