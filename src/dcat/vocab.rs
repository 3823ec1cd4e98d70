//! Namespaces and the EU authority tables the exports point at: data
//! themes, frequencies, languages, file types, and IANA media types.

pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
pub const DCAT: &str = "http://www.w3.org/ns/dcat#";
pub const DCT: &str = "http://purl.org/dc/terms/";
pub const FOAF: &str = "http://xmlns.com/foaf/0.1/";
pub const VCARD: &str = "http://www.w3.org/2006/vcard/ns#";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const SPDX: &str = "http://spdx.org/rdf/terms#";
pub const LOCN: &str = "http://www.w3.org/ns/locn#";
pub const GSP: &str = "http://www.opengis.net/ont/geosparql#";

/// Prefixes written in Turtle, RDF/XML and the JSON-LD `@context`, in this
/// order.
pub const PREFIXES: &[(&str, &str)] = &[
    ("dcat", DCAT),
    ("dct", DCT),
    ("foaf", FOAF),
    ("gsp", GSP),
    ("locn", LOCN),
    ("rdf", RDF),
    ("rdfs", RDFS),
    ("skos", SKOS),
    ("spdx", SPDX),
    ("vcard", VCARD),
    ("xsd", XSD),
];

pub const EU_AUTHORITY: &str = "http://publications.europa.eu/resource/authority/";
pub const IANA_MEDIA_TYPES: &str = "https://www.iana.org/assignments/media-types/";

/// The EU data themes: kiosque's one table ([`crate::vocab::THEMES`]).
pub use crate::vocab::Theme;

pub fn theme(code: &str) -> Option<&'static Theme> {
    crate::vocab::theme(code.trim())
}

pub const THEME_SCHEME: &str = "http://publications.europa.eu/resource/authority/data-theme";

pub fn theme_iri(theme: &Theme) -> String {
    format!("{EU_AUTHORITY}data-theme/{}", theme.code)
}

/// A frequency by EU code or kiosque id, case-insensitively (the one list
/// is [`crate::vocab::FREQUENCIES`]).
pub use crate::vocab::frequency_by_id_or_eu as frequency;

/// The EU language authority IRI of an ISO 639-1 code.
pub fn language_iri(code: &str) -> Option<String> {
    let base = code.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    let eu = match base.as_str() {
        "fr" => "FRA",
        "en" => "ENG",
        "de" => "DEU",
        "es" => "SPA",
        "it" => "ITA",
        "nl" => "NLD",
        "pt" => "POR",
        "br" => "BRE",
        "oc" => "OCI",
        "eu" => "EUS",
        "ca" => "CAT",
        "co" => "COS",
        _ => return None,
    };
    Some(format!("{EU_AUTHORITY}language/{eu}"))
}

/// A file format: label (as kiosque shows it), EU file-type code, IANA media
/// type, and the name Frictionless uses (`format`).
pub struct Format {
    pub label: &'static str,
    pub eu: &'static str,
    pub media_type: &'static str,
    pub frictionless: &'static str,
}

pub const FORMATS: &[Format] = &[
    Format { label: "CSV", eu: "CSV", media_type: "text/csv", frictionless: "csv" },
    Format { label: "TSV", eu: "TSV", media_type: "text/tab-separated-values", frictionless: "tsv" },
    Format { label: "TXT", eu: "TXT", media_type: "text/plain", frictionless: "txt" },
    Format {
        label: "XLSX",
        eu: "XLSX",
        media_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        frictionless: "xlsx",
    },
    Format { label: "XLS", eu: "XLS", media_type: "application/vnd.ms-excel", frictionless: "xls" },
    Format {
        label: "ODS",
        eu: "ODS",
        media_type: "application/vnd.oasis.opendocument.spreadsheet",
        frictionless: "ods",
    },
    Format { label: "JSON", eu: "JSON", media_type: "application/json", frictionless: "json" },
    Format { label: "GeoJSON", eu: "GEOJSON", media_type: "application/geo+json", frictionless: "geojson" },
    Format { label: "XML", eu: "XML", media_type: "application/xml", frictionless: "xml" },
    Format { label: "PDF", eu: "PDF", media_type: "application/pdf", frictionless: "pdf" },
    Format { label: "ZIP", eu: "ZIP", media_type: "application/zip", frictionless: "zip" },
    Format { label: "Parquet", eu: "PARQUET", media_type: "application/vnd.apache.parquet", frictionless: "parquet" },
    Format { label: "KML", eu: "KML", media_type: "application/vnd.google-earth.kml+xml", frictionless: "kml" },
    Format { label: "GPX", eu: "GPX", media_type: "application/gpx+xml", frictionless: "gpx" },
    Format { label: "Shapefile", eu: "SHP", media_type: "application/vnd.shp", frictionless: "shp" },
    Format { label: "ODT", eu: "ODT", media_type: "application/vnd.oasis.opendocument.text", frictionless: "odt" },
    Format {
        label: "DOCX",
        eu: "DOCX",
        media_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        frictionless: "docx",
    },
    Format { label: "HTML", eu: "HTML", media_type: "text/html", frictionless: "html" },
    Format { label: "PNG", eu: "PNG", media_type: "image/png", frictionless: "png" },
    Format { label: "JPEG", eu: "JPEG", media_type: "image/jpeg", frictionless: "jpg" },
    Format { label: "SVG", eu: "SVG", media_type: "image/svg+xml", frictionless: "svg" },
];

/// A format by label or usual extension, case-insensitively.
pub fn format(label: &str) -> Option<&'static Format> {
    let l = label.trim().trim_start_matches('.');
    FORMATS.iter().find(|f| {
        f.label.eq_ignore_ascii_case(l)
            || f.eu.eq_ignore_ascii_case(l)
            || f.frictionless.eq_ignore_ascii_case(l)
            || (f.eu == "JPEG" && l.eq_ignore_ascii_case("jpeg"))
            || (f.eu == "XLSX" && l.eq_ignore_ascii_case("xlsm"))
            || (f.eu == "TSV" && l.eq_ignore_ascii_case("tab"))
    })
}

pub fn media_type_for_format(label: &str) -> Option<&'static str> {
    format(label).map(|f| f.media_type)
}

pub fn file_type_iri(f: &Format) -> String {
    format!("{EU_AUTHORITY}file-type/{}", f.eu)
}

/// The IANA IRI of a media type (`text/csv`), when it is a well-formed
/// `type/subtype` (parameters dropped).
pub fn media_type_iri(media_type: &str) -> Option<String> {
    let essence = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let (ty, sub) = essence.split_once('/')?;
    let token = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b));
    (token(ty) && token(sub)).then(|| format!("{IANA_MEDIA_TYPES}{ty}/{sub}"))
}

/// The value of the `LICENCE` column of the national catalogue schema.
pub fn scdl_license(id: Option<&str>) -> &'static str {
    let id = id.unwrap_or("").trim().to_ascii_lowercase();
    if id.starts_with("etalab") || id.starts_with("lo-") || id.starts_with("licence-ouverte") {
        "Licence Ouverte-LO"
    } else if id.starts_with("odbl") {
        "Open Database License-ODBL"
    } else if id.starts_with("cc-") || id.starts_with("cc0") {
        "Creative Commons-CC"
    } else {
        "Spécifique ou autre"
    }
}
