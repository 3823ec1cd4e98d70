//! Machine-readable exports of an open data catalogue:
//!
//! - the DCAT-AP 3.0 catalogue (compatible with DCAT-AP 2.1), one RDF
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
    emit_files(cat, pages, &|_| true, None, &|path, write| {
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
/// batch of datasets at a time, their text made once for the three (see
/// [`rdf::CatalogGraph`]), taken from `store` for the datasets it keeps;
/// the site's `datapackage.json` a resource at a time. The descriptor of
/// `cat.datasets[i]` is made only where `fresh(i)` (the others are reused,
/// see [`crate::reuse`]).
pub fn emit_files(
    cat: &CatalogInput,
    pages: &[SitemapUrl],
    fresh: &(dyn Fn(usize) -> bool + Sync),
    store: Option<&dyn rdf::Store>,
    emit: &(dyn Fn(String, Write<'_>) + Sync),
) -> Result<(), Error> {
    let bytes = |path: &str, bytes: Vec<u8>| emit(path.into(), &move |w| w.write_all(&bytes));
    // Each RDF file is written by its own thread as the batches come. The
    // graph is gone before the other files are made.
    let graph = rdf::build_graph_with(cat, store)?;
    std::thread::scope(|s| {
        let paths = ["catalog.ttl", "catalog.rdf", "catalog.jsonld"];
        let writers: Vec<_> = paths
            .into_iter()
            .zip(rdf::FILE_FORMATS)
            .map(|(path, format)| {
                // At most two batches wait for a writer.
                let (batches, received) = std::sync::mpsc::sync_channel::<Vec<u8>>(1);
                let received = std::sync::Mutex::new(received);
                s.spawn(move || {
                    emit(path.into(), &|w| {
                        let mut writer = rdf::FileWriter::start(format, w)?;
                        let received = received.lock().expect("no panic while held");
                        for run in received.iter() {
                            writer.run(&run)?;
                        }
                        writer.finish()
                    })
                });
                batches
            })
            .collect();
        graph.for_each_batch(&rdf::FILE_FORMATS, |runs| {
            for (writer, run) in writers.iter().zip(runs) {
                // A writer that failed has stopped reading: its error is
                // reported by `emit`.
                let _ = writer.send(run);
            }
        });
    });
    drop(graph);
    rayon::scope(|s| {
        s.spawn(|_| bytes("catalog.csv", catalog_csv(cat).into_bytes()));
        s.spawn(|_| emit("datapackage.json".into(), &|w| datapackage::write_site(cat, w)));
        s.spawn(|_| bytes("feed.xml", atom_feed(cat).into_bytes()));
        s.spawn(|_| bytes("sitemap.xml", sitemap(pages).into_bytes()));
        bytes("robots.txt", robots_txt(&cat.base_url).into_bytes());
        cat.datasets.par_iter().enumerate().filter(|(i, _)| fresh(*i)).for_each(|(_, ds)| {
            bytes(&format!("datasets/{}/datapackage.json", ds.slug), json_bytes(&datapackage::dataset(cat, ds)));
        });
    });
    Ok(())
}
