//! schema.org JSON-LD for the pages: a `Dataset` for each dataset page (what
//! Google Dataset Search reads) and a `DataCatalog` for the catalogue page,
//! and the text to put inside `<script type="application/ld+json">`.

use serde_json::{Map, Value, json};

use super::dates;
use super::input::{CatalogInput, DatasetInput, License};
use super::rdf::valid_bbox;

fn organization(name: &str) -> Value {
    json!({ "@type": "Organization", "name": name.trim() })
}

fn license_value(license: Option<&License>) -> Option<Value> {
    let l = license?;
    let url = l.url.as_deref().map(str::trim).filter(|u| !u.is_empty());
    let id = l.id.trim();
    url.map(|u| Value::String(u.to_string())).or_else(|| (!id.is_empty()).then(|| Value::String(id.to_string())))
}

fn date(value: Option<&str>) -> Option<Value> {
    dates::parse(value?).map(|d| Value::String(d.lexical()))
}

fn insert_some(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(v) = value {
        map.insert(key.to_string(), v);
    }
}

/// The dataset's IRI in the DCAT graph, so both descriptions name the same
/// thing.
fn dataset_id(ds: &DatasetInput) -> String {
    format!("{}#dataset", ds.landing_page.split('#').next().unwrap_or(""))
}

/// The schema.org `Dataset` of a dataset page.
pub fn dataset(cat: &CatalogInput, ds: &DatasetInput) -> Value {
    let mut m = Map::new();
    m.insert("@context".into(), json!("https://schema.org/"));
    m.insert("@type".into(), json!("Dataset"));
    m.insert("@id".into(), json!(dataset_id(ds)));
    m.insert("name".into(), json!(ds.title));
    let description = if ds.description.trim().is_empty() { &ds.title } else { &ds.description };
    m.insert("description".into(), json!(description));
    m.insert("url".into(), json!(ds.landing_page));
    m.insert("identifier".into(), json!(ds.slug));
    let keywords: Vec<&str> = ds.keywords.iter().map(|k| k.trim()).filter(|k| !k.is_empty()).collect();
    if !keywords.is_empty() {
        m.insert("keywords".into(), json!(keywords));
    }
    insert_some(&mut m, "license", license_value(cat.license_of(ds)));
    m.insert("isAccessibleForFree".into(), json!(true));
    if !cat.language.trim().is_empty() {
        m.insert("inLanguage".into(), json!(cat.language.trim()));
    }
    let publisher = cat.publisher_of(ds);
    m.insert("creator".into(), organization(publisher));
    let mut publisher_value = organization(publisher);
    if let Some(contact) = cat.contact_of(ds) {
        let mut point = Map::new();
        point.insert("@type".into(), json!("ContactPoint"));
        insert_some(&mut point, "name", contact.name.as_deref().map(|n| json!(n)));
        insert_some(&mut point, "email", contact.email.as_deref().map(|e| json!(e)));
        if point.len() > 1 {
            point.insert("contactType".into(), json!("customer support"));
            publisher_value["contactPoint"] = Value::Object(point);
        }
    }
    m.insert("publisher".into(), publisher_value);
    insert_some(&mut m, "datePublished", date(ds.created.as_deref()));
    insert_some(&mut m, "dateModified", date(ds.modified.as_deref()));
    if let Some((start, end)) = &ds.temporal {
        let start = start.as_deref().and_then(dates::parse).map(|d| d.lexical());
        let end = end.as_deref().and_then(dates::parse).map(|d| d.lexical());
        if start.is_some() || end.is_some() {
            let coverage = format!("{}/{}", start.as_deref().unwrap_or(".."), end.as_deref().unwrap_or(".."));
            m.insert("temporalCoverage".into(), json!(coverage));
        }
    }
    if let Some(spatial) = cat.spatial_of(ds) {
        let mut place = Map::new();
        place.insert("@type".into(), json!("Place"));
        insert_some(&mut place, "name", spatial.label.as_deref().map(|l| json!(l.trim())));
        if let Some(insee) = spatial.insee.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            place.insert(
                "identifier".into(),
                json!({ "@type": "PropertyValue", "propertyID": "INSEE", "value": insee }),
            );
        }
        if let Some([w, s, e, n]) = spatial.bbox.filter(valid_bbox) {
            // schema.org boxes are "south west north east" (latitude first).
            place.insert("geo".into(), json!({ "@type": "GeoShape", "box": format!("{s} {w} {n} {e}") }));
        }
        if place.len() > 1 {
            m.insert("spatialCoverage".into(), Value::Object(place));
        }
    }
    let distributions: Vec<Value> = ds
        .distributions
        .iter()
        .map(|r| {
            let mut d = Map::new();
            d.insert("@type".into(), json!("DataDownload"));
            if !r.title.trim().is_empty() {
                d.insert("name".into(), json!(r.title));
            }
            insert_some(
                &mut d,
                "description",
                r.description.as_deref().filter(|s| !s.trim().is_empty()).map(|s| json!(s)),
            );
            let format = r.media_type().map(str::to_string).or_else(|| r.format.clone());
            insert_some(&mut d, "encodingFormat", format.map(Value::String));
            d.insert("contentUrl".into(), json!(r.download_url));
            insert_some(&mut d, "contentSize", r.bytes.map(|b| json!(format!("{b} B"))));
            insert_some(&mut d, "license", license_value(cat.distribution_license(ds, r)));
            Value::Object(d)
        })
        .collect();
    if !distributions.is_empty() {
        m.insert("distribution".into(), Value::Array(distributions));
    }
    m.insert(
        "includedInDataCatalog".into(),
        json!({ "@type": "DataCatalog", "name": cat.title, "url": cat.catalog_page_url() }),
    );
    Value::Object(m)
}

/// The schema.org `DataCatalog` of the catalogue page.
/// The schema.org `DataCatalog`, listing the datasets at `members`
/// (indexes into `cat.datasets`): a page of the catalogue lists its own.
pub fn catalog(cat: &CatalogInput, members: &[usize]) -> Value {
    let mut m = Map::new();
    m.insert("@context".into(), json!("https://schema.org/"));
    m.insert("@type".into(), json!("DataCatalog"));
    m.insert("@id".into(), json!(format!("{}#catalog", cat.base())));
    m.insert("name".into(), json!(cat.title));
    let description = if cat.description.trim().is_empty() { &cat.title } else { &cat.description };
    m.insert("description".into(), json!(description));
    m.insert("url".into(), json!(cat.catalog_page_url()));
    if !cat.language.trim().is_empty() {
        m.insert("inLanguage".into(), json!(cat.language.trim()));
    }
    m.insert("publisher".into(), organization(cat.publisher_name()));
    insert_some(&mut m, "license", license_value(cat.license.as_ref()));
    insert_some(&mut m, "dateModified", date(cat.modified.as_deref()));
    let datasets: Vec<Value> = members
        .iter()
        .filter_map(|&i| cat.datasets.get(i))
        .map(|ds| {
            let description = if ds.description.trim().is_empty() { &ds.title } else { &ds.description };
            json!({
                "@type": "Dataset",
                "@id": dataset_id(ds),
                "name": ds.title,
                "description": description,
                "url": ds.landing_page,
            })
        })
        .collect();
    m.insert("dataset".into(), Value::Array(datasets));
    Value::Object(m)
}

/// JSON text safe inside `<script type="application/ld+json">…</script>`:
/// `<`, `>` and `&` are written `\u003c`, `\u003e`, `\u0026` (valid JSON
/// escapes), so no value can close the script element or open a comment;
/// U+2028 and U+2029 are escaped too.
pub fn script_json(value: &Value) -> String {
    let text = serde_json::to_string_pretty(value).expect("JSON values serialise");
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(c),
        }
    }
    out
}
