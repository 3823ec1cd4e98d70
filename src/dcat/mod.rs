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

use rayon::prelude::*;

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
/// `sitemap.xml` (of `pages`) and `robots.txt`. See [`emit_files`].
pub fn files(cat: &CatalogInput, pages: &[SitemapUrl]) -> Result<Vec<(String, Vec<u8>)>, Error> {
    let out = std::sync::Mutex::new(Vec::new());
    emit_files(cat, pages, &|_| true, &|path, write| {
        let mut bytes = Vec::new();
        write(&mut bytes).expect("writing to memory does not fail");
        out.lock().expect("no panic while held").push((path, bytes));
    })?;
    let mut out = out.into_inner().expect("no panic while held");
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// What writes a file's content into the writer it is given.
pub type Write<'a> = &'a (dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()> + Sync);

/// Hands each file of [`files`] to `emit`, with what writes it (from
/// several threads, in no set order), so that a catalogue of thousands of
/// datasets never has its files in memory: the RDF files are written a
/// triple at a time from the DCAT graph, built once for the three. The
/// descriptor of `cat.datasets[i]` is made only where `fresh(i)` (the
/// others are reused, see [`crate::reuse`]).
pub fn emit_files(
    cat: &CatalogInput,
    pages: &[SitemapUrl],
    fresh: &(dyn Fn(usize) -> bool + Sync),
    emit: &(dyn Fn(String, Write<'_>) + Sync),
) -> Result<(), Error> {
    let bytes = |path: &str, bytes: Vec<u8>| emit(path.into(), &move |w| w.write_all(&bytes));
    // The three RDF files from one graph, each on its own task; the graph
    // goes before the other files are made (for 10,000 datasets, both at
    // once took a hundred megabytes more).
    let graph = build_graph(cat)?;
    rayon::scope(|s| {
        let graph = &graph;
        s.spawn(move |_| emit("catalog.ttl".into(), &|w| graph.write(oxrdfio::RdfFormat::Turtle, w)));
        s.spawn(move |_| emit("catalog.rdf".into(), &|w| graph.write(oxrdfio::RdfFormat::RdfXml, w)));
        emit("catalog.jsonld".into(), &|w| graph.write_jsonld(w));
    });
    drop(graph);
    rayon::scope(|s| {
        s.spawn(|_| bytes("catalog.csv", catalog_csv(cat).into_bytes()));
        s.spawn(|_| bytes("datapackage.json", json_bytes(&datapackage::site(cat))));
        s.spawn(|_| bytes("feed.xml", atom_feed(cat).into_bytes()));
        s.spawn(|_| bytes("sitemap.xml", sitemap(pages).into_bytes()));
        bytes("robots.txt", robots_txt(&cat.base_url).into_bytes());
        cat.datasets.par_iter().enumerate().filter(|(i, _)| fresh(*i)).for_each(|(_, ds)| {
            bytes(&format!("datasets/{}/datapackage.json", ds.slug), json_bytes(&datapackage::dataset(cat, ds)));
        });
    });
    Ok(())
}
