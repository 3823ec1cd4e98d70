//! The typed model every stage reads: a [`Site`] with its [`Dataset`]s,
//! their [`Resource`]s, and [`Page`]s. The loader builds it once; no later
//! stage parses a sidecar or a page again.
//!
//! Values that validation checks keep their place in the source
//! ([`Located`]), so a diagnostic can point at the exact line and column.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diag::Sources;
use crate::lang::Lang;
use crate::yaml::Span;

/// A value and where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Located<T> {
    pub fn new(value: T, span: Span) -> Self {
        Located { value, span }
    }
}

/// A whole site: settings, datasets (sorted by slug), pages (sorted by
/// slug), static files, and the text of every file read, for diagnostics.
#[derive(Clone, Debug, Default)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub datasets: Vec<Dataset>,
    pub pages: Vec<Page>,
    /// Files under `static/`, relative to `static/`, sorted.
    pub static_files: Vec<String>,
    pub sources: Sources,
    /// Where the files and folders whose names are not UTF-8 are on disk.
    pub disk: DiskPaths,
    /// What could not be read at all (a YAML syntax error): checks that
    /// would only repeat that error in other words are left out.
    pub unreadable: Unreadable,
}

/// The files the loader could not read, already reported.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Unreadable {
    /// `site.yaml`: its settings (title, licence…) are unknown, not missing.
    pub site_config: bool,
    /// The slugs of the datasets whose sidecar could not be read: they
    /// exist, though the site has no model of them.
    pub datasets: Vec<String>,
}

/// The model names every file by a UTF-8 path relative to the site folder,
/// the path it is published under. A name that is not UTF-8 on disk (Latin-1
/// bytes, as in archives made on Windows) gets a decoded name (see
/// [`crate::load::names`]); this map finds the real file again.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DiskPaths {
    /// Decoded path → path on disk, both relative to the site folder, for
    /// each file or folder whose own name is not UTF-8.
    renamed: BTreeMap<String, PathBuf>,
}

impl DiskPaths {
    /// Records that `name` (a model path) is `disk` on disk.
    pub fn insert(&mut self, name: String, disk: PathBuf) {
        self.renamed.insert(name, disk);
    }

    /// The path on disk, relative to the site folder, of the model path
    /// `rel`: its own entry, else its nearest renamed folder's joined with
    /// the rest, else `rel` itself.
    pub fn on_disk(&self, rel: &str) -> PathBuf {
        let mut cut = rel.len();
        while !self.renamed.is_empty() {
            if let Some(disk) = self.renamed.get(&rel[..cut]) {
                let rest = rel[cut..].trim_start_matches('/');
                return if rest.is_empty() { disk.clone() } else { disk.join(rest) };
            }
            match rel[..cut].rfind('/') {
                Some(i) => cut = i,
                None => break,
            }
        }
        PathBuf::from(rel)
    }

    pub fn is_empty(&self) -> bool {
        self.renamed.is_empty()
    }
}

impl Site {
    /// The language code pages are written in (`<html lang>`): the site's,
    /// or another language the theme has strings for.
    pub fn page_language(&self) -> &str {
        self.config.interface_language.as_ref().map(|l| l.value.as_str()).unwrap_or(self.lang().code())
    }

    pub fn lang(&self) -> Lang {
        self.config.language
    }

    /// The file on disk of a path of the model (relative to the site
    /// folder, `/`-separated): what to open, copy or measure.
    pub fn disk_path(&self, rel: &str) -> PathBuf {
        self.root.join(self.disk.on_disk(rel))
    }

    /// The licence of a dataset: its own, else the site's default.
    pub fn license_of<'a>(&'a self, dataset: &'a Dataset) -> Option<&'a Located<String>> {
        dataset.license.as_ref().or(self.config.license.as_ref())
    }
}

/// `site.yaml`.
#[derive(Clone, Debug, Default)]
pub struct SiteConfig {
    pub title: Option<Located<String>>,
    pub description: Option<String>,
    pub base_url: Option<Located<String>>,
    pub language: Lang,
    pub publisher: Option<String>,
    /// SIRET of the publishing body (14 digits), for the national
    /// catalogue's `catalog.csv`.
    pub siret: Option<Located<String>>,
    pub contact: Option<Contact>,
    /// The default licence of datasets that do not name one.
    pub license: Option<Located<String>>,
    /// The theme whose files in `themes/<name>/` override the default theme.
    pub theme: String,
    /// Slugs of the datasets shown first on the home page.
    pub featured: Vec<Located<String>>,
    /// A tile server for interactive maps (`map_tiles:`); none by default,
    /// so that no page asks a third party for anything.
    pub map_tiles: Option<MapTiles>,
    /// An image under `static/` shown beside the title (`logo:`).
    pub logo: Option<Located<String>>,
    /// `colors: {primary: "#rrggbb"}`: the colour of links and buttons.
    pub primary_color: Option<Located<String>>,
    /// Markdown shown in every page's footer (`footer:`).
    pub footer: Option<String>,
    /// The main menu (`menu:`): page slugs and outside links, in order.
    /// Without it, the menu lists every Markdown page.
    pub menu: Vec<MenuItem>,
    /// The site's compliance with the RGAA, shown in the footer as the law
    /// requires (`accessibility: full | partial | none`).
    pub accessibility: Option<Located<String>>,
    /// A `language:` other than fr and en, for which the site's theme has
    /// interface strings (`themes/<theme>/i18n/<code>.yaml`): pages are in
    /// that language, messages and number formats in English.
    pub interface_language: Option<Located<String>>,
}

/// An entry of `menu:`.
#[derive(Clone, Debug, PartialEq)]
pub enum MenuItem {
    /// A Markdown page, by its slug.
    Page(Located<String>),
    /// `{title, url}`: a link to another site.
    Link { title: String, url: Located<String> },
}

/// `map_tiles: {url: "https://…/{z}/{x}/{y}.png", attribution: "…"}`.
#[derive(Clone, Debug, PartialEq)]
pub struct MapTiles {
    pub url: Located<String>,
    pub attribution: Option<String>,
}

impl SiteConfig {
    /// The logo's path under `static/` (`logo: static/logo.svg` and
    /// `logo: logo.svg` are the same file).
    pub fn logo_file(&self) -> Option<&str> {
        self.logo.as_ref().map(|l| l.value.trim_start_matches("static/").trim_start_matches('/'))
    }

    pub fn title(&self) -> &str {
        self.title.as_ref().map(|t| t.value.as_str()).unwrap_or("")
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Contact {
    pub name: Option<String>,
    pub email: Option<Located<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Temporal {
    pub start: Option<Located<String>>,
    pub end: Option<Located<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spatial {
    pub label: Option<String>,
    /// INSEE code of a commune (5 characters).
    pub insee: Option<Located<String>>,
}

/// How a dataset is laid out on disk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DatasetForm {
    /// `datasets/<slug>/dataset.yaml` and its data files beside it.
    #[default]
    Folder,
    /// `datasets/<name>.yaml`, the sidecar of `datasets/<name>.<ext>`.
    OneFile,
}

/// One dataset, as its sidecar describes it.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    pub slug: String,
    /// Where `slug:` was written, when it was.
    pub slug_span: Option<Span>,
    /// The sidecar, relative to the site folder.
    pub sidecar: String,
    /// The folder its files are in, relative to the site folder.
    pub dir: String,
    pub form: DatasetForm,
    pub title: Option<Located<String>>,
    pub description: Option<Located<String>>,
    pub license: Option<Located<String>>,
    pub keywords: Vec<String>,
    pub themes: Vec<Located<String>>,
    pub publisher: Option<String>,
    pub contact: Option<Contact>,
    pub frequency: Option<Located<String>>,
    pub created: Option<Located<String>>,
    pub modified: Option<Located<String>>,
    /// When `modified` is not given: the date of the last git commit that
    /// touched the dataset's files, else the newest file's modification date.
    pub modified_inferred: Option<String>,
    pub temporal: Option<Temporal>,
    pub spatial: Option<Spatial>,
    pub schema: Option<Located<String>>,
    /// `personal_data: reviewed`: every finding was reviewed.
    pub personal_data: Option<Located<String>>,
    /// `personal_data: {reviewed: [columns]}`: the columns whose personal
    /// data someone checked it is lawful to publish.
    pub personal_data_columns: Vec<Located<String>>,
    pub resources: Vec<Resource>,
    /// Charts the publisher declares (`charts:`).
    pub charts: Vec<ChartSpec>,
    /// The coordinate columns of the dataset's tables, when the sidecar
    /// names them (`coordinates:`); otherwise they are recognised by name.
    pub coordinates: Option<CoordinateColumns>,
}

/// `coordinates: {lat: COLUMN, lon: COLUMN}`, or `coordinates: COLUMN` for a
/// column of `"lat,lon"` pairs.
#[derive(Clone, Debug, PartialEq)]
pub enum CoordinateColumns {
    Pair { lat: Located<String>, lon: Located<String> },
    Point(Located<String>),
}

/// A chart declared in a sidecar: one table's rows grouped by column `x`,
/// column `y` aggregated in each group.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartSpec {
    pub title: Option<String>,
    pub kind: ChartKind,
    /// The table (a resource's file name or path); the dataset's first
    /// table when not given.
    pub resource: Option<Located<String>>,
    pub x: Located<String>,
    pub y: Option<Located<String>>,
    pub aggregation: Aggregation,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    Bar,
    Line,
    Pie,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aggregation {
    Count,
    Sum,
    Mean,
    Min,
    Max,
}

impl Dataset {
    pub fn title(&self) -> &str {
        self.title.as_ref().map(|t| t.value.as_str()).unwrap_or(&self.slug)
    }

    pub fn description(&self) -> &str {
        self.description.as_ref().map(|d| d.value.as_str()).unwrap_or("")
    }

    /// Whether the personal data found in `column` was reviewed.
    pub fn personal_data_reviewed(&self, column: &str) -> bool {
        self.personal_data.as_ref().is_some_and(|p| p.value == "reviewed")
            || self.personal_data_columns.iter().any(|c| c.value.trim() == column.trim())
    }

    /// The date of last modification: declared, else inferred.
    pub fn modified(&self) -> Option<&str> {
        self.modified.as_ref().map(|m| m.value.as_str()).or(self.modified_inferred.as_deref())
    }
}

/// Where a resource's bytes are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResourceSource {
    /// A file inside the dataset.
    Local {
        /// Relative to the site folder.
        path: String,
        /// Relative to the dataset folder: the name it is published under,
        /// in `datasets/<slug>/`.
        name: String,
    },
    /// A file hosted elsewhere, linked but never fetched.
    Remote { url: String },
}

/// One file (or link) of a dataset.
#[derive(Clone, Debug)]
pub struct Resource {
    pub source: ResourceSource,
    pub title: Option<String>,
    pub description: Option<String>,
    /// The declared format, when the sidecar gives one.
    pub format: Option<Located<String>>,
    pub schema: Option<Located<String>>,
    pub encoding: Option<Located<String>>,
    pub delimiter: Option<Located<String>>,
    pub decimal: Option<Located<String>>,
    /// Where the resource was declared in the sidecar, if it was.
    pub span: Option<Span>,
}

impl Resource {
    /// The local path relative to the site folder.
    pub fn local_path(&self) -> Option<&str> {
        match &self.source {
            ResourceSource::Local { path, .. } => Some(path),
            ResourceSource::Remote { .. } => None,
        }
    }

    /// The file name (or URL's last segment).
    pub fn file_name(&self) -> &str {
        match &self.source {
            ResourceSource::Local { name, .. } => name.rsplit('/').next().unwrap_or(name),
            ResourceSource::Remote { url } => url.trim_end_matches('/').rsplit('/').next().unwrap_or(url),
        }
    }

    /// Title shown to users: declared, else the file name.
    pub fn title(&self) -> &str {
        self.title.as_deref().unwrap_or_else(|| self.file_name())
    }

    /// The format: declared, else from the file extension.
    pub fn format(&self) -> Option<&'static crate::vocab::Format> {
        match &self.format {
            Some(f) => crate::vocab::format_by_name(&f.value),
            None => crate::vocab::format_for_path(self.file_name()),
        }
    }

    /// The format label shown to users, even for unknown formats.
    pub fn format_label(&self) -> String {
        if let Some(f) = self.format() {
            return f.label.to_string();
        }
        if let Some(f) = &self.format {
            return f.value.clone();
        }
        self.file_name().rsplit_once('.').map(|(_, e)| e.to_uppercase()).unwrap_or_default()
    }
}

/// A Markdown page.
#[derive(Clone, Debug)]
pub struct Page {
    pub slug: String,
    /// Relative to the site folder.
    pub file: String,
    pub title: Option<Located<String>>,
    pub description: Option<String>,
    /// Position in the menu (lower first); pages without one come after,
    /// by title.
    pub order: Option<i64>,
    /// The Markdown body, after the front matter.
    pub body: String,
    /// The line of the file where the body starts.
    pub body_line: usize,
}

impl Page {
    pub fn title(&self) -> &str {
        self.title.as_ref().map(|t| t.value.as_str()).unwrap_or(&self.slug)
    }
}
