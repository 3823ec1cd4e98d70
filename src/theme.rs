//! Themes: the default theme lives in `themes/default` and is embedded in
//! the binary. A site overrides any of its files by placing a file at the
//! same path in `themes/<name>/` (`<name>` is `theme:` in site.yaml,
//! `default` unless set):
//!
//! - `templates/*.html`: minijinja (Jinja) templates;
//! - `assets/*`: CSS, JavaScript and images, published under `assets/`;
//! - `i18n/<lang>.yaml`: interface strings, one file per language; a site's
//!   file overrides the default one key by key.

use std::collections::BTreeMap;
use std::path::PathBuf;

use include_dir::{Dir, include_dir};

use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::Lang;
use crate::model::Site;
use crate::tr;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Where a theme file comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Embedded,
    /// A file of the site, relative to the site folder.
    Site(String),
}

/// A template's source and where it came from.
#[derive(Clone, Debug)]
pub struct Template {
    pub source: String,
    pub origin: Origin,
}

/// An asset's bytes.
#[derive(Clone, Debug)]
pub enum Asset {
    Embedded(&'static [u8]),
    File(PathBuf),
}

/// The resolved theme of a site.
#[derive(Clone, Debug, Default)]
pub struct Theme {
    /// By name relative to `templates/` (`dataset.html`, `partials/x.html`).
    pub templates: BTreeMap<String, Template>,
    /// By path relative to `assets/`.
    pub assets: BTreeMap<String, Asset>,
    /// Interface strings in the site's language.
    pub strings: BTreeMap<String, String>,
}

impl Template {
    /// The file to name in a diagnostic about this template.
    pub fn file(&self, name: &str) -> String {
        match &self.origin {
            Origin::Embedded => format!("themes/default/templates/{name}"),
            Origin::Site(f) => f.clone(),
        }
    }
}

fn embedded_files(dir: &'static Dir<'static>, out: &mut Vec<(String, &'static [u8])>) {
    for file in dir.files() {
        out.push((crate::util::slash_path(file.path()), file.contents()));
    }
    for sub in dir.dirs() {
        embedded_files(sub, out);
    }
}

/// Every file of the embedded default theme, by path (`templates/base.html`).
pub fn default_files() -> Vec<(String, &'static [u8])> {
    let mut out = Vec::new();
    embedded_files(&DEFAULT_THEME, &mut out);
    out.sort();
    out
}

/// Loads the default theme and applies the site's overrides.
pub fn load(site: &Site, diags: &mut Diagnostics) -> Theme {
    let lang = site.lang();
    let mut theme = Theme::default();
    // Every `i18n/*.yaml` (relative path, file, text), embedded first.
    let mut strings_src: Vec<(String, String, String)> = Vec::new();
    for (path, bytes) in default_files() {
        add_file(&mut theme, &mut strings_src, &path, bytes, Origin::Embedded, None, lang);
    }
    let name = &site.config.theme;
    let dir_rel = format!("themes/{name}");
    let dir = site.root.join(&dir_rel);
    // Links are never followed, not even to the theme's folder.
    let is_link = |rel: &str| std::fs::symlink_metadata(site.root.join(rel)).is_ok_and(|m| m.file_type().is_symlink());
    let linked = ["themes", dir_rel.as_str()].into_iter().find(|rel| is_link(rel));
    if let Some(link) = linked {
        diags.push(crate::load::link_ignored(link, lang));
    }
    if linked.is_none() && dir.is_dir() {
        let walker = walkdir::WalkDir::new(&dir).follow_links(false).sort_by_file_name().min_depth(1);
        for entry in walker.into_iter().flatten() {
            let inside = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let rel = inside.iter().map(crate::load::names::text).collect::<Vec<_>>().join("/");
            let file = format!("{dir_rel}/{rel}");
            if entry.path_is_symlink() {
                diags.push(crate::load::link_ignored(&file, lang));
                continue;
            }
            if crate::load::names::is_not_utf8(entry.file_name()) {
                diags.push(crate::load::names::not_utf8_warning(
                    &file,
                    entry.file_name(),
                    entry.file_type().is_dir(),
                    lang,
                ));
            }
            if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if let Some(asset) = rel.strip_prefix("assets/") {
                theme.assets.insert(asset.to_string(), Asset::File(entry.path().to_path_buf()));
                continue;
            }
            match std::fs::read(entry.path()) {
                Ok(bytes) => {
                    add_file(&mut theme, &mut strings_src, &rel, &bytes, Origin::Site(file), Some(diags), lang)
                }
                Err(e) => diags.push(
                    Diagnostic::error(
                        "unreadable-file",
                        tr!(lang, "impossible de lire le fichier : {e}", "cannot read the file: {e}"),
                    )
                    .file(&file),
                ),
            }
        }
    } else if name != "default" {
        diags.push(
            Diagnostic::error(
                "theme-not-found",
                tr!(lang, "le thème « {name} » est introuvable", "theme “{name}” not found"),
            )
            .file(crate::load::site_config::FILE)
            .hint(tr!(
                lang,
                "créez le dossier « {dir_rel} » ou retirez « theme: » de site.yaml",
                "create the folder “{dir_rel}” or remove “theme:” from site.yaml"
            )),
        );
    }
    // Interface strings, key by key: the language's file (the default
    // theme's, then the site's), then another language's over it (see
    // `SiteConfig::interface_language`).
    let mut wanted = vec![format!("i18n/{}.yaml", lang.code())];
    wanted.extend(site.config.interface_language.as_ref().map(|l| format!("i18n/{}.yaml", l.value)));
    let chosen = wanted.iter().flat_map(|w| strings_src.iter().filter(move |(rel, _, _)| rel == w));
    for (_, file, text) in chosen {
        match crate::yaml::parse(text) {
            Ok(node) => {
                for (k, v) in node.as_map().unwrap_or_default() {
                    if let (Some(k), Some(v)) = (k.scalar_text(), v.scalar_text()) {
                        theme.strings.insert(k, v);
                    }
                }
            }
            Err(e) => crate::load::report_yaml_error(file, &e, 0, lang, diags),
        }
    }
    theme
}

fn add_file(
    theme: &mut Theme,
    strings: &mut Vec<(String, String, String)>,
    rel: &str,
    bytes: &[u8],
    origin: Origin,
    diags: Option<&mut Diagnostics>,
    lang: Lang,
) {
    let file = match &origin {
        Origin::Embedded => format!("themes/default/{rel}"),
        Origin::Site(f) => f.clone(),
    };
    if let Some(asset) = rel.strip_prefix("assets/") {
        if let Origin::Embedded = origin {
            // Embedded bytes live for the whole program.
            let bytes: &'static [u8] = DEFAULT_THEME.get_file(rel).map(|f| f.contents()).unwrap_or_default();
            theme.assets.insert(asset.to_string(), Asset::Embedded(bytes));
        }
        return;
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(_) => {
            if let Some(d) = diags {
                d.push(
                    Diagnostic::error(
                        "not-utf8",
                        tr!(lang, "le fichier de thème n'est pas en UTF-8", "the theme file is not UTF-8"),
                    )
                    .file(&file),
                );
            }
            return;
        }
    };
    if let Some(name) = rel.strip_prefix("templates/") {
        theme.templates.insert(name.to_string(), Template { source: text, origin });
    } else if rel.starts_with("i18n/") && rel.ends_with(".yaml") {
        strings.push((rel.to_string(), file, text));
    }
}
