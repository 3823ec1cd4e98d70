//! Stage `export`: machine-readable files, in memory — each local resource
//! (copied byte for byte at write time), `datasets/<slug>/dataset.json` and
//! `catalog.json`. The dataset object built here is also what templates
//! receive, so the page and the JSON never disagree.

use serde_json::{Value, json};

use crate::model::{Dataset, ResourceSource, Site};
use crate::output::Output;
use crate::profile::Profiles;
use crate::quality::Quality;
use crate::util::url_path;
use crate::vocab;

/// `base_url` with exactly one trailing slash, if set.
pub fn base_url(site: &Site) -> Option<String> {
    site.config.base_url.as_ref().map(|u| format!("{}/", u.value.trim_end_matches('/')))
}

/// An URL for a path relative to the output root: absolute when the site
/// has a `base_url`, else the relative path.
pub fn public_url(site: &Site, path: &str) -> String {
    match base_url(site) {
        Some(base) => format!("{base}{}", url_path(path)),
        None => url_path(path),
    }
}

/// The output path of a dataset's local resource.
pub fn resource_output_path(ds: &Dataset, name: &str) -> String {
    format!("datasets/{}/{}", ds.slug, name)
}

/// The licence id, canonical when known.
pub fn license_id(site: &Site, ds: &Dataset) -> Option<String> {
    let l = site.license_of(ds)?;
    Some(vocab::license(&l.value).map(|k| k.id.to_string()).unwrap_or_else(|| l.value.clone()))
}

/// The dataset object of the contract (`dataset.json`, and each item of
/// `catalog.json`'s `datasets`).
pub fn dataset_object(site: &Site, ds: &Dataset, profiles: &Profiles, quality: &Quality) -> Value {
    let resources: Vec<Value> = ds
        .resources
        .iter()
        .map(|r| {
            let format = r.format();
            let (path, url, profile) = match &r.source {
                ResourceSource::Local { path, name } => {
                    let out = resource_output_path(ds, name);
                    (Some(out.clone()), public_url(site, &out), profiles.get(path))
                }
                ResourceSource::Remote { url } => (None, url.clone(), None),
            };
            json!({
                "title": r.title(),
                "description": r.description,
                "path": path,
                "url": url,
                "format": r.format_label(),
                "media_type": format.map(|f| f.media_type),
                "bytes": profile.map(|p| p.bytes),
                "sha256": profile.map(|p| p.sha256.clone()),
                "schema": r.schema.as_ref().map(|s| s.value.clone()),
            })
        })
        .collect();
    let contact = ds
        .contact
        .as_ref()
        .or(site.config.contact.as_ref())
        .map(|c| json!({ "name": c.name, "email": c.email.as_ref().map(|e| e.value.clone()) }));
    let text = |v: &Option<crate::model::Located<String>>| v.as_ref().map(|l| l.value.clone());
    json!({
        "slug": ds.slug,
        "title": ds.title(),
        "description": ds.description(),
        "keywords": ds.keywords,
        "themes": ds.themes.iter().map(|t| vocab::theme(&t.value).map(|k| k.code.to_string()).unwrap_or_else(|| t.value.clone())).collect::<Vec<_>>(),
        "license": license_id(site, ds),
        "publisher": ds.publisher.as_ref().or(site.config.publisher.as_ref()),
        "contact": contact,
        "frequency": text(&ds.frequency),
        "created": text(&ds.created),
        "modified": ds.modified(),
        "temporal": ds.temporal.as_ref().map(|t| json!({"start": text(&t.start), "end": text(&t.end)})),
        "spatial": ds.spatial.as_ref().map(|s| json!({"label": s.label, "insee": text(&s.insee)})),
        "schema": text(&ds.schema),
        "url": public_url(site, &format!("datasets/{}/", ds.slug)),
        "resources": resources,
        "quality": {
            "score": quality.score,
            "criteria": quality.criteria.iter().map(|c| json!({"id": c.id, "passed": c.passed})).collect::<Vec<_>>(),
            "late": quality.late,
        },
    })
}

/// The `site` object of `catalog.json`.
pub fn site_object(site: &Site) -> Value {
    let c = &site.config;
    json!({
        "title": c.title(),
        "description": c.description,
        "base_url": base_url(site),
        "language": c.language.code(),
        "publisher": c.publisher,
        "contact": c.contact.as_ref().map(|c| json!({"name": c.name, "email": c.email.as_ref().map(|e| e.value.clone())})),
        "license": c.license.as_ref().map(|l| vocab::license(&l.value).map(|k| k.id.to_string()).unwrap_or_else(|| l.value.clone())),
    })
}

fn to_json(value: &Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(value).expect("JSON values serialise");
    bytes.push(b'\n');
    bytes
}

/// Adds resources, `dataset.json` files and `catalog.json` to the output.
/// `objects` are the dataset objects, in the order of `site.datasets`.
pub fn export(site: &Site, objects: &[Value], out: &mut Output) {
    for (ds, object) in site.datasets.iter().zip(objects) {
        for r in &ds.resources {
            if let ResourceSource::Local { path, name } = &r.source {
                out.copy(resource_output_path(ds, name), site.root.join(path));
            }
        }
        out.add(format!("datasets/{}/dataset.json", ds.slug), to_json(object));
    }
    let catalog = json!({ "site": site_object(site), "datasets": objects });
    out.add("catalog.json", to_json(&catalog));
}
