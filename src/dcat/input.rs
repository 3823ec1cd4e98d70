//! The plain input of every export: a [`CatalogInput`] with its
//! [`DatasetInput`]s and their [`DistributionInput`]s. Nothing here knows
//! kiosque's model; the caller maps its model onto these structs.
//!
//! Every URL is absolute (`https://…`) and already percent-encoded where it
//! has to be (see [`super::iri::url_path`] for file names). Dates are ISO
//! 8601: `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, or a full date-time; anything else
//! is left out of the exports that need a date.

/// The whole catalogue: the site and its datasets.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CatalogInput {
    /// The site's public address: absolute, ending with `/`.
    pub base_url: String,
    /// The address of the catalogue page (every dataset listed), absolute.
    /// `None`: `base_url` + `datasets/`.
    pub catalog_page: Option<String>,
    pub title: String,
    /// Plain text.
    pub description: String,
    /// ISO 639-1 code of the site's language (`fr`, `en`).
    pub language: String,
    /// Name of the publishing body (the commune). `None`: the catalogue's
    /// title stands in, since DCAT-AP requires a catalogue publisher.
    pub publisher: Option<String>,
    /// SIRET (14 digits) of the publishing body: `COLL_SIRET` of
    /// `catalog.csv`, and the default `PRODUCTEUR_SIRET`.
    pub publisher_siret: Option<String>,
    /// The default contact point of datasets that name none.
    pub contact: Option<Contact>,
    /// The default licence of datasets that name none.
    pub license: Option<License>,
    /// The date the catalogue last changed (usually the newest dataset
    /// modification date; never a build time stamp).
    pub modified: Option<String>,
    /// The area the whole catalogue covers (the commune): the default spatial
    /// coverage of datasets that declare none.
    pub spatial: Option<Spatial>,
    pub datasets: Vec<DatasetInput>,
}

/// A contact point.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contact {
    pub name: Option<String>,
    pub email: Option<String>,
}

/// A licence: its identifier (`etalab-2.0`, `ODbL-1.0`, `CC-BY-4.0`…), the
/// URL of its text when known, and its human name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct License {
    pub id: String,
    pub url: Option<String>,
    pub title: Option<String>,
    /// The licence's title in data.gouv.fr's list, when it is there: given
    /// as its `rdfs:label`, by which the national portal's harvester
    /// recognises it.
    pub national_title: Option<String>,
}

/// A spatial coverage.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Spatial {
    pub label: Option<String>,
    /// INSEE code of the commune (5 characters).
    pub insee: Option<String>,
    /// Bounding box in WGS 84 degrees: `[west, south, east, north]`
    /// (`[min_lon, min_lat, max_lon, max_lat]`, the GeoJSON order).
    pub bbox: Option<[f64; 4]>,
}

/// One dataset.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DatasetInput {
    /// `[a-z0-9-]` in kiosque; other characters are tolerated and folded
    /// where a stricter name is needed (Data Package `name`).
    pub slug: String,
    pub title: String,
    /// Plain text (feeds, schema.org, data packages, `catalog.csv`).
    pub description: String,
    /// The publisher's Markdown (what the DCAT catalogue gives).
    pub description_markdown: String,
    pub keywords: Vec<String>,
    /// EU data theme codes (`ECON`, `ENVI`…); unknown codes are left out.
    pub themes: Vec<String>,
    /// `None`: the catalogue's publisher.
    pub publisher: Option<String>,
    /// `None`: the catalogue's `publisher_siret`.
    pub publisher_siret: Option<String>,
    /// `None`: the catalogue's contact.
    pub contact: Option<Contact>,
    /// `None`: the catalogue's licence.
    pub license: Option<License>,
    /// EU frequency code (`ANNUAL`, `MONTHLY`, `IRREG`, `UPDATE_CONT`,
    /// `UNKNOWN`…) or a kiosque frequency id (`annual`, `monthly`…).
    pub frequency: Option<String>,
    pub created: Option<String>,
    pub modified: Option<String>,
    /// Temporal coverage: start and end, either open.
    pub temporal: Option<(Option<String>, Option<String>)>,
    /// `None`: the catalogue's spatial coverage.
    pub spatial: Option<Spatial>,
    /// Canonical URL of the schema the data follows.
    pub conforms_to: Option<String>,
    /// The dataset page, absolute (`…/datasets/<slug>/`).
    pub landing_page: String,
    pub distributions: Vec<DistributionInput>,
}

/// One file (or link) of a dataset.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DistributionInput {
    pub title: String,
    pub description: Option<String>,
    /// Where the bytes are, absolute and percent-encoded.
    pub download_url: String,
    /// Where the file can be reached from (the dataset page, or the
    /// download URL). Empty: the download URL.
    pub access_url: String,
    /// For a file published with the site: its path relative to the dataset
    /// folder (`datasets/<slug>/`), as on disk, not encoded. `None` for a
    /// remote resource.
    pub path: Option<String>,
    /// Format label (`CSV`, `XLSX`, `GeoJSON`, `PDF`, `JSON`, `ZIP`…).
    pub format: Option<String>,
    /// IANA media type (`text/csv`); `None`: from the format when known.
    pub media_type: Option<String>,
    pub bytes: Option<u64>,
    /// SHA-256 of the bytes, 64 hexadecimal digits.
    pub sha256: Option<String>,
    /// `None`: the dataset's licence.
    pub license: Option<License>,
    /// Canonical URL of the schema the file follows; `None`: the dataset's.
    pub conforms_to: Option<String>,
    /// Character encoding of a text file (`utf-8`).
    pub encoding: Option<String>,
    /// CSV dialect, when not the default one.
    pub dialect: Option<Dialect>,
    /// Table Schema (a JSON object, declared or inferred) for the Data
    /// Package descriptor.
    pub table_schema: Option<serde_json::Value>,
}

/// A CSV dialect (Frictionless Table Dialect).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Dialect {
    pub delimiter: Option<String>,
    pub quote_char: Option<String>,
    /// Whether the first row holds the column names (default: true).
    pub header: Option<bool>,
}

/// One URL of `sitemap.xml`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SitemapUrl {
    /// Absolute page URL.
    pub loc: String,
    /// Date of last change (ISO date), if known.
    pub lastmod: Option<String>,
}

impl CatalogInput {
    /// `base_url` trimmed, with exactly one trailing `/`.
    pub fn base(&self) -> String {
        format!("{}/", self.base_url.trim().trim_end_matches('/'))
    }

    /// The catalogue page's URL.
    pub fn catalog_page_url(&self) -> String {
        self.catalog_page.clone().unwrap_or_else(|| format!("{}datasets/", self.base()))
    }

    /// The catalogue's publisher name, falling back to its title.
    pub fn publisher_name(&self) -> &str {
        self.publisher.as_deref().filter(|p| !p.trim().is_empty()).unwrap_or(&self.title)
    }

    /// The publisher of a dataset: its own, else the catalogue's.
    pub fn publisher_of<'a>(&'a self, ds: &'a DatasetInput) -> &'a str {
        ds.publisher.as_deref().filter(|p| !p.trim().is_empty()).unwrap_or_else(|| self.publisher_name())
    }

    /// The licence of a dataset: its own, else the catalogue's.
    pub fn license_of<'a>(&'a self, ds: &'a DatasetInput) -> Option<&'a License> {
        ds.license.as_ref().or(self.license.as_ref())
    }

    /// The licence of a distribution: its own, else its dataset's.
    pub fn distribution_license<'a>(
        &'a self,
        ds: &'a DatasetInput,
        dist: &'a DistributionInput,
    ) -> Option<&'a License> {
        dist.license.as_ref().or_else(|| self.license_of(ds))
    }

    /// The contact of a dataset: its own, else the catalogue's.
    pub fn contact_of<'a>(&'a self, ds: &'a DatasetInput) -> Option<&'a Contact> {
        ds.contact.as_ref().or(self.contact.as_ref())
    }

    /// The spatial coverage of a dataset: its own, else the catalogue's.
    pub fn spatial_of<'a>(&'a self, ds: &'a DatasetInput) -> Option<&'a Spatial> {
        ds.spatial.as_ref().or(self.spatial.as_ref())
    }

    /// The SIRET of a dataset's producer: its own, else the catalogue's.
    pub fn siret_of<'a>(&'a self, ds: &'a DatasetInput) -> Option<&'a str> {
        ds.publisher_siret.as_deref().or(self.publisher_siret.as_deref())
    }
}

impl DistributionInput {
    /// The access URL, falling back to the download URL.
    pub fn access(&self) -> &str {
        if self.access_url.trim().is_empty() { &self.download_url } else { &self.access_url }
    }

    /// The media type: declared, else the one of the format label.
    pub fn media_type(&self) -> Option<&str> {
        self.media_type
            .as_deref()
            .filter(|m| !m.trim().is_empty())
            .or_else(|| self.format.as_deref().and_then(super::vocab::media_type_for_format))
    }
}
