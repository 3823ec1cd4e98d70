//! Stage `load`: walks the site folder and reads `site.yaml`, every dataset
//! sidecar and every Markdown page into one typed [`Site`]. Structural
//! problems (YAML syntax, wrong types, unknown keys, unsafe or missing
//! resource paths, files that are not UTF-8) become diagnostics; semantic
//! checks are the `validate` stage's job.

pub mod dates;
pub mod fields;
pub mod page;
pub mod paths;
pub mod sidecar;
pub mod site_config;
pub mod text;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, Sources};
use crate::lang::Lang;
use crate::model::{Dataset, DatasetForm, Site, SiteConfig};
use crate::tr;
use crate::yaml::{self, SyntaxError};

/// A problem that stops loading altogether (the site folder itself is
/// missing or unreadable). Everything else is a diagnostic.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("le dossier du site « {0} » n'existe pas / the site folder “{0}” does not exist")]
    NoSite(PathBuf),
    #[error("« {0} » n'est pas un dossier / “{0}” is not a folder")]
    NotADirectory(PathBuf),
}

/// Reads the site at `root`.
pub fn load(root: &Path) -> Result<(Site, Diagnostics), LoadError> {
    if !root.exists() {
        return Err(LoadError::NoSite(root.to_path_buf()));
    }
    if !root.is_dir() {
        return Err(LoadError::NotADirectory(root.to_path_buf()));
    }
    let mut diags = Diagnostics::default();
    let mut sources = Sources::default();

    let (config, lang) = load_config(root, &mut sources, &mut diags);
    let datasets = load_datasets(root, lang, &mut sources, &mut diags);
    let pages = load_pages(root, lang, &mut sources, &mut diags);
    let static_files = list_files(root, "static", lang, &mut diags);

    let site = Site { root: root.to_path_buf(), config, datasets, pages, static_files, sources };
    Ok((site, diags))
}

/// Reports a YAML syntax error found in `file`; `line_offset` is added to
/// the parser's line (front matter starts below the first line).
pub fn report_yaml_error(file: &str, e: &SyntaxError, line_offset: usize, lang: Lang, diags: &mut Diagnostics) {
    let mut d = if e.is_too_complex() {
        Diagnostic::error(
            "yaml-too-complex",
            tr!(
                lang,
                "YAML trop complexe (imbrication ou alias démesurés) : {}",
                "YAML too complex (excessive nesting or aliases): {}",
                e.message
            ),
        )
        .hint(tr!(
            lang,
            "une fiche n'a besoin ni d'alias (&, *) ni de plus de quelques niveaux d'indentation",
            "a sidecar needs no aliases (&, *) and only a few levels of indentation"
        ))
    } else {
        Diagnostic::error("yaml-syntax", tr!(lang, "erreur de syntaxe YAML : {}", "YAML syntax error: {}", e.message)).hint(tr!(
            lang,
            "vérifiez l'indentation (des espaces, pas de tabulations), les deux-points après chaque clé, et mettez entre guillemets un texte qui contient « : » ou « # »",
            "check the indentation (spaces, no tabs), the colon after each key, and quote any text containing “: ” or “ #”"
        ))
    };
    d = d.file(file);
    if let Some(line) = e.line {
        d = d.at(line + line_offset, e.column.unwrap_or(1));
    }
    diags.push(d);
}

/// Reads and parses a YAML file, keeping its text for diagnostics.
fn read_yaml(
    root: &Path,
    file: &str,
    lang: Lang,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Option<yaml::Node> {
    let text = text::read_text(root, file, lang, diags)?;
    let parsed = yaml::parse(&text);
    sources.insert(file, text);
    match parsed {
        Ok(node) => Some(node),
        Err(e) => {
            report_yaml_error(file, &e, 0, lang, diags);
            None
        }
    }
}

/// The language `site.yaml` chooses (French when it cannot be read), for
/// messages printed before a build.
pub fn site_language(root: &Path) -> Lang {
    let mut ignored = Diagnostics::default();
    load_config(root, &mut Sources::default(), &mut ignored).1
}

fn load_config(root: &Path, sources: &mut Sources, diags: &mut Diagnostics) -> (SiteConfig, Lang) {
    let file = site_config::FILE;
    if !root.join(file).is_file() {
        diags.push(
            Diagnostic::error("missing-site-config", "le fichier site.yaml est absent / site.yaml is missing")
                .file(file)
                .hint("créez site.yaml avec au moins « title: » et « base_url: » (voir README) / create site.yaml with at least “title:” and “base_url:” (see README)"),
        );
        return (SiteConfig { theme: "default".into(), ..Default::default() }, Lang::default());
    }
    // Parse first with the default language: the language is in the file.
    let mut local = Diagnostics::default();
    let node = read_yaml(root, file, Lang::default(), sources, &mut local);
    let lang = node.as_ref().map(site_config::language).unwrap_or_default();
    if lang != Lang::default() {
        // Re-report in the site's language.
        local = Diagnostics::default();
        let _ = read_yaml(root, file, lang, &mut Sources::default(), &mut local);
    }
    diags.extend(local);
    let mut config = match node {
        Some(node) => site_config::shape(&node, lang, diags),
        None => SiteConfig { language: lang, theme: "default".into(), ..Default::default() },
    };
    if let Some(code) = &config.interface_language {
        let strings = format!("themes/{}/i18n/{}.yaml", config.theme, code.value);
        if !crate::util::is_slug(&code.value) || !root.join(&strings).is_file() {
            diags.push(site_config::unknown_language(code, &config.theme, lang));
            config.interface_language = None;
        }
    }
    (config, lang)
}

fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with("~$")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".tmp")
        || name.eq_ignore_ascii_case("thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
}

fn is_yaml(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

fn stem(name: &str) -> &str {
    name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name)
}

/// Files under `root/dir`, relative to `root/dir`, sorted; links and
/// editors' temporary files are left out (links with a warning).
fn list_files(root: &Path, dir: &str, lang: Lang, diags: &mut Diagnostics) -> Vec<String> {
    let base = root.join(dir);
    if !base.is_dir() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let walker = walkdir::WalkDir::new(&base).follow_links(false).sort_by_file_name().min_depth(1).into_iter();
    for entry in walker.filter_entry(|e| !is_ignored_name(&e.file_name().to_string_lossy())) {
        let Ok(entry) = entry else { continue };
        let rel = entry.path().strip_prefix(&base).unwrap_or(entry.path());
        let rel = crate::util::slash_path(rel);
        if entry.path_is_symlink() {
            diags.push(
                Diagnostic::warning("symlink-ignored", tr!(lang, "lien symbolique ignoré", "symbolic link ignored"))
                    .file(format!("{dir}/{rel}"))
                    .hint(tr!(
                        lang,
                        "copiez le fichier lui-même à cet endroit : kiosque ne suit pas les liens",
                        "copy the file itself here: kiosque does not follow links"
                    )),
            );
            continue;
        }
        if entry.file_type().is_file() {
            out.push(rel);
        }
    }
    out
}

/// One sidecar to read.
struct SidecarJob {
    file: String,
    dir: String,
    form: DatasetForm,
    default_slug: String,
    default_files: Vec<String>,
}

fn load_datasets(root: &Path, lang: Lang, sources: &mut Sources, diags: &mut Diagnostics) -> Vec<Dataset> {
    let base = root.join("datasets");
    if !base.is_dir() {
        diags.push(
            Diagnostic::warning(
                "no-datasets",
                tr!(
                    lang,
                    "le dossier « datasets » est absent : le catalogue sera vide",
                    "the “datasets” folder is missing: the catalogue will be empty"
                ),
            )
            .hint(tr!(
                lang,
                "créez « datasets/<nom>/dataset.yaml » à côté des fichiers de données",
                "create “datasets/<name>/dataset.yaml” beside the data files"
            )),
        );
        return Vec::new();
    }
    let mut jobs = Vec::new();
    let mut top_files: Vec<String> = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&base).map(|rd| rd.flatten().collect()).unwrap_or_default();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if is_ignored_name(&name) {
            continue;
        }
        let rel = format!("datasets/{name}");
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_symlink() {
            diags.push(
                Diagnostic::warning("symlink-ignored", tr!(lang, "lien symbolique ignoré", "symbolic link ignored"))
                    .file(&rel)
                    .hint(tr!(
                        lang,
                        "placez le dossier ou le fichier lui-même ici : kiosque ne suit pas les liens",
                        "put the folder or file itself here: kiosque does not follow links"
                    )),
            );
        } else if ft.is_dir() {
            let sidecar = ["dataset.yaml", "dataset.yml"].into_iter().find(|s| entry.path().join(s).is_file());
            let Some(sidecar) = sidecar else {
                diags.push(
                    Diagnostic::warning(
                        "folder-without-sidecar",
                        tr!(
                            lang,
                            "le dossier « {rel} » n'a pas de fiche dataset.yaml : il n'est pas publié",
                            "the folder “{rel}” has no dataset.yaml sidecar: it is not published"
                        ),
                    )
                    .file(&rel)
                    .hint(tr!(
                        lang,
                        "ajoutez « {rel}/dataset.yaml » avec « title », « description » et « license »",
                        "add “{rel}/dataset.yaml” with “title”, “description” and “license”"
                    )),
                );
                continue;
            };
            let mut files = list_files(root, &rel, lang, diags);
            files.retain(|f| f != sidecar);
            jobs.push(SidecarJob {
                file: format!("{rel}/{sidecar}"),
                dir: rel,
                form: DatasetForm::Folder,
                default_slug: crate::util::slugify(&name),
                default_files: files,
            });
        } else if ft.is_file() {
            top_files.push(name);
        }
    }
    // One-file datasets: `datasets/<name>.yaml` beside `datasets/<name>.<ext>`.
    let data_files: Vec<&String> = top_files.iter().filter(|f| !is_yaml(f)).collect();
    let mut claimed: BTreeSet<String> = BTreeSet::new();
    for sidecar in top_files.iter().filter(|f| is_yaml(f)) {
        let s = stem(sidecar);
        let files: Vec<String> = data_files.iter().filter(|f| stem(f) == s).map(|f| f.to_string()).collect();
        claimed.extend(files.iter().cloned());
        jobs.push(SidecarJob {
            file: format!("datasets/{sidecar}"),
            dir: "datasets".into(),
            form: DatasetForm::OneFile,
            default_slug: crate::util::slugify(s),
            default_files: files,
        });
    }

    let results: Vec<(Option<Dataset>, Diagnostics, Sources)> = jobs
        .into_par_iter()
        .map(|job| {
            let mut d = Diagnostics::default();
            let mut src = Sources::default();
            let node = read_yaml(root, &job.file, lang, &mut src, &mut d);
            let node_has_no_resources = node.as_ref().is_some_and(|n| n.get("resources").is_none());
            let ds = node.map(|node| {
                let input = sidecar::SidecarInput {
                    root,
                    file: &job.file,
                    dir: &job.dir,
                    form: job.form,
                    default_slug: job.default_slug.clone(),
                    default_files: job.default_files.clone(),
                };
                sidecar::shape(input, &node, lang, &mut d)
            });
            if ds.as_ref().is_some_and(|ds| ds.form == DatasetForm::OneFile)
                && job.default_files.is_empty()
                && node_has_no_resources
            {
                d.push(
                    Diagnostic::error(
                        "one-file-without-data",
                        tr!(lang, "la fiche « {} » n'a pas de fichier de données du même nom", "the sidecar “{}” has no data file of the same name", job.file),
                    )
                    .file(&job.file)
                    .hint(tr!(
                        lang,
                        "placez le fichier « {}.csv » (ou .xlsx, .json…) à côté de la fiche, ou listez ses fichiers sous « resources »",
                        "put the file “{}.csv” (or .xlsx, .json…) beside the sidecar, or list its files under “resources”",
                        job.dir.clone() + "/" + &job.default_slug
                    )),
                );
            }
            (ds, d, src)
        })
        .collect();

    let mut datasets = Vec::new();
    for (ds, d, src) in results {
        diags.extend(d);
        for (file, text) in src.into_iter() {
            sources.insert(file, text);
        }
        if let Some(ds) = ds {
            if ds.form == DatasetForm::OneFile {
                let declared = ds.resources.iter().filter_map(|r| r.local_path());
                claimed.extend(declared.filter_map(|p| p.strip_prefix("datasets/")).map(str::to_string));
            }
            datasets.push(ds);
        }
    }
    for f in data_files {
        if !claimed.contains(f) {
            diags.push(
                Diagnostic::warning(
                    "orphan-data-file",
                    tr!(
                        lang,
                        "le fichier « datasets/{f} » n'a pas de fiche : il n'est pas publié",
                        "the file “datasets/{f}” has no sidecar: it is not published"
                    ),
                )
                .file(format!("datasets/{f}"))
                .hint(tr!(
                    lang,
                    "créez « datasets/{}.yaml » (la commande « kiosque add » en écrit une)",
                    "create “datasets/{}.yaml” (the “kiosque add” command writes one)",
                    stem(f)
                )),
            );
        }
    }

    infer_modified(root, &mut datasets);
    datasets.sort_by(|a, b| a.slug.cmp(&b.slug).then_with(|| a.sidecar.cmp(&b.sidecar)));
    datasets
}

fn infer_modified(root: &Path, datasets: &mut [Dataset]) {
    if datasets.iter().all(|d| d.modified.is_some()) {
        return;
    }
    let git = dates::git_dates(root);
    for ds in datasets.iter_mut().filter(|d| d.modified.is_none()) {
        let mut files: Vec<&str> = ds.resources.iter().filter_map(|r| r.local_path()).collect();
        files.push(&ds.sidecar);
        ds.modified_inferred = dates::newest(root, &files, git.as_ref());
    }
}

fn load_pages(root: &Path, lang: Lang, sources: &mut Sources, diags: &mut Diagnostics) -> Vec<crate::model::Page> {
    let mut pages = Vec::new();
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    for rel in list_files(root, "pages", lang, diags) {
        let file = format!("pages/{rel}");
        if rel.contains('/') || !rel.to_ascii_lowercase().ends_with(".md") {
            diags.push(
                Diagnostic::warning(
                    "page-ignored",
                    tr!(
                        lang,
                        "« {file} » n'est pas une page Markdown (.md) : il est ignoré",
                        "“{file}” is not a Markdown page (.md): it is ignored"
                    ),
                )
                .file(&file)
                .hint(tr!(
                    lang,
                    "les images et documents liés depuis les pages vont dans « static/ »",
                    "images and documents linked from pages go in “static/”"
                )),
            );
            continue;
        }
        files.insert(file, crate::util::slugify(stem(&rel)));
    }
    for (file, slug) in files {
        if let Some(text) = text::read_text(root, &file, lang, diags) {
            pages.extend(page::load(&file, slug, &text, lang, diags));
            sources.insert(&file, text);
        }
    }
    pages.sort_by(|a, b| a.slug.cmp(&b.slug).then_with(|| a.file.cmp(&b.file)));
    pages
}
