//! Stage `load`: walks the site folder and reads `site.yaml`, every dataset
//! sidecar and every Markdown page into one typed [`Site`]. Structural
//! problems (YAML syntax, wrong types, unknown keys, unsafe or missing
//! resource paths, files that are not UTF-8) become diagnostics; semantic
//! checks are the `validate` stage's job.

pub mod dates;
pub mod fields;
pub mod names;
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
use crate::model::{Dataset, DatasetForm, DiskPaths, Site, SiteConfig};
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
    load_with(root, None)
}

/// [`load`], taking the trees of sidecars a previous build parsed from
/// `memo` (see [`yaml::Memo`]).
pub fn load_with(root: &Path, memo: Option<&yaml::Memo>) -> Result<(Site, Diagnostics), LoadError> {
    if !root.exists() {
        return Err(LoadError::NoSite(root.to_path_buf()));
    }
    if !root.is_dir() {
        return Err(LoadError::NotADirectory(root.to_path_buf()));
    }
    let mut diags = Diagnostics::default();
    let mut sources = Sources::default();

    let mut disk = DiskPaths::default();

    let mut unreadable = crate::model::Unreadable::default();
    let (config, lang) = load_config(root, &mut sources, &mut diags, &mut unreadable);
    let datasets = load_datasets(root, lang, &mut disk, &mut sources, &mut diags, memo, &mut unreadable);
    let pages = load_pages(root, lang, &mut disk, &mut sources, &mut diags);
    let static_files = list_files(root, "static", lang, &mut disk, &mut diags);

    let site = Site { root: root.to_path_buf(), config, datasets, pages, static_files, sources, disk, unreadable };
    Ok((site, diags))
}

/// Reports a YAML syntax error found in `file`; `line_offset` is added to
/// the parser's line (front matter starts below the first line).
pub fn report_yaml_error(file: &str, e: &SyntaxError, line_offset: usize, lang: Lang, diags: &mut Diagnostics) {
    let depth = crate::limits::MAX_YAML_DEPTH;
    let mut d = match e.kind {
        yaml::ErrorKind::TooDeep => Diagnostic::error(
            "yaml-too-deep",
            tr!(
                lang,
                "valeurs imbriquées sur plus de {depth} niveaux (listes dans des listes, clés sous des clés) : kiosque ne lit pas plus loin",
                "values nested more than {depth} levels deep (lists in lists, keys under keys): kiosque reads no further"
            ),
        )
        .hint(tr!(
            lang,
            "une fiche, site.yaml ou l'en-tête d'une page n'ont besoin que de quelques niveaux : cherchez près de cette position un crochet « [ » ou une accolade « {{ » jamais refermés, ou une indentation qui ne cesse d'augmenter",
            "a sidecar, site.yaml or a page's front matter needs only a few levels: look near this position for a “[” or “{{” never closed, or an indentation that keeps growing"
        )),
        yaml::ErrorKind::TooComplex => Diagnostic::error(
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
        )),
        yaml::ErrorKind::Syntax => Diagnostic::error("yaml-syntax", tr!(lang, "erreur de syntaxe YAML : {}", "YAML syntax error: {}", e.message)).hint(tr!(
            lang,
            "vérifiez l'indentation (des espaces, pas de tabulations), les deux-points après chaque clé, et mettez entre guillemets un texte qui contient « : » ou « # »",
            "check the indentation (spaces, no tabs), the colon after each key, and quote any text containing “: ” or “ #”"
        )),
    };
    d = d.file(file);
    if let Some(line) = e.line {
        d = d.at(line + line_offset, e.column.unwrap_or(1));
    }
    diags.push(d);
}

/// Reads and parses the YAML file `path` (`file` in the site), keeping its
/// text for diagnostics.
/// With `memo`, a sidecar a previous build parsed is not parsed again.
fn read_yaml(
    path: &Path,
    file: &str,
    lang: Lang,
    sources: &mut Sources,
    diags: &mut Diagnostics,
    memo: Option<&yaml::Memo>,
) -> Option<yaml::Node> {
    let text = text::read_text(path, file, lang, diags)?;
    let parsed = match memo {
        Some(memo) => memo.parse(&text),
        None => yaml::parse(&text),
    };
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
    load_config(root, &mut Sources::default(), &mut ignored, &mut Default::default()).1
}

fn load_config(
    root: &Path,
    sources: &mut Sources,
    diags: &mut Diagnostics,
    unreadable: &mut crate::model::Unreadable,
) -> (SiteConfig, Lang) {
    let file = site_config::FILE;
    let path = root.join(file);
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        diags.push(text::link_refused(file, Lang::default()));
        return (SiteConfig { theme: "default".into(), ..Default::default() }, Lang::default());
    }
    if !path.is_file() {
        diags.push(
            Diagnostic::error("missing-site-config", "le fichier site.yaml est absent / site.yaml is missing")
                .file(file)
                .hint("créez site.yaml avec au moins « title: » et « base_url: » (voir README) / create site.yaml with at least “title:” and “base_url:” (see README)"),
        );
        return (SiteConfig { theme: "default".into(), ..Default::default() }, Lang::default());
    }
    // Parse first with the default language: the language is in the file.
    let mut local = Diagnostics::default();
    let node = read_yaml(&path, file, Lang::default(), sources, &mut local, None);
    let lang = node.as_ref().map(site_config::language).unwrap_or_default();
    if lang != Lang::default() {
        // Re-report in the site's language.
        local = Diagnostics::default();
        let _ = read_yaml(&path, file, lang, &mut Sources::default(), &mut local, None);
    }
    diags.extend(local);
    let mut config = match node {
        Some(node) => site_config::shape(&node, lang, diags),
        None => {
            unreadable.site_config = true;
            SiteConfig { language: lang, theme: "default".into(), ..Default::default() }
        }
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

/// The warning for a link kiosque finds in a folder it lists.
pub fn link_ignored(rel: &str, lang: Lang) -> Diagnostic {
    Diagnostic::warning("symlink-ignored", tr!(lang, "lien symbolique ignoré", "symbolic link ignored")).file(rel).hint(
        tr!(
            lang,
            "placez le fichier ou le dossier lui-même à cet endroit : kiosque ne suit pas les liens",
            "put the file or folder itself here: kiosque does not follow links"
        ),
    )
}

/// Whether the folder `dir` (a model path) is a folder kiosque may list:
/// not a link (reported) and not missing.
fn listable(root: &Path, dir: &str, disk: &DiskPaths, lang: Lang, diags: &mut Diagnostics) -> bool {
    match std::fs::symlink_metadata(root.join(disk.on_disk(dir))) {
        Ok(m) if m.file_type().is_symlink() => {
            diags.push(link_ignored(dir, lang));
            false
        }
        Ok(m) => m.is_dir(),
        Err(_) => false,
    }
}

/// Files under the folder `dir` (a model path), relative to it, with `/`
/// separators, sorted by their names on disk; links and editors' temporary
/// files are left out (links with a warning). A name that is not UTF-8 is
/// decoded (with a warning) and where it is on disk goes into `disk`.
fn list_files(root: &Path, dir: &str, lang: Lang, disk: &mut DiskPaths, diags: &mut Diagnostics) -> Vec<String> {
    if !listable(root, dir, disk, lang, diags) {
        return Vec::new();
    }
    let disk_dir = disk.on_disk(dir);
    let base = root.join(&disk_dir);
    let mut out = Vec::new();
    let mut walker = walkdir::WalkDir::new(&base)
        .follow_links(false)
        .sort_by_file_name()
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| !is_ignored_name(&e.file_name().to_string_lossy()));
    // The model paths of the folders above the current entry, by depth.
    let mut folders: Vec<String> = Vec::new();
    while let Some(entry) = walker.next() {
        let Ok(entry) = entry else { continue };
        folders.truncate(entry.depth() - 1);
        let name = entry.file_name();
        let decoded = names::text(name);
        let rel = match folders.last() {
            Some(parent) => format!("{parent}/{decoded}"),
            None => decoded.to_string(),
        };
        let shown = format!("{dir}/{rel}");
        if entry.path_is_symlink() {
            diags.push(link_ignored(&shown, lang));
            continue;
        }
        let is_dir = entry.file_type().is_dir();
        if names::is_not_utf8(name) {
            let sibling = entry.path().with_file_name(&*decoded);
            if std::fs::symlink_metadata(&sibling).is_ok() {
                diags.push(names::collision_error(&shown, name, lang));
                if is_dir {
                    walker.skip_current_dir();
                }
                continue;
            }
            let on_disk = entry.path().strip_prefix(&base).unwrap_or(entry.path());
            disk.insert(shown.clone(), disk_dir.join(on_disk));
            diags.push(names::not_utf8_warning(&shown, name, is_dir, lang));
        }
        if is_dir {
            folders.push(rel);
        } else if entry.file_type().is_file() {
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

fn load_datasets(
    root: &Path,
    lang: Lang,
    disk: &mut DiskPaths,
    sources: &mut Sources,
    diags: &mut Diagnostics,
    memo: Option<&yaml::Memo>,
    unreadable: &mut crate::model::Unreadable,
) -> Vec<Dataset> {
    let base = root.join("datasets");
    let is_link = std::fs::symlink_metadata(&base).is_ok_and(|m| m.file_type().is_symlink());
    if !listable(root, "datasets", disk, lang, diags) {
        if is_link {
            return Vec::new();
        }
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
        let os_name = entry.file_name();
        let name = names::text(&os_name).into_owned();
        if is_ignored_name(&name) {
            continue;
        }
        let rel = format!("datasets/{name}");
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_symlink() {
            diags.push(link_ignored(&rel, lang));
            continue;
        }
        if names::is_not_utf8(&os_name) {
            if std::fs::symlink_metadata(base.join(&name)).is_ok() {
                diags.push(names::collision_error(&rel, &os_name, lang));
                continue;
            }
            disk.insert(rel.clone(), Path::new("datasets").join(&os_name));
            diags.push(names::not_utf8_warning(&rel, &os_name, ft.is_dir(), lang));
        }
        if ft.is_dir() {
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
            let mut listed = Diagnostics::default();
            let mut files = list_files(root, &rel, lang, disk, &mut listed);
            files.retain(|f| f != sidecar);
            // The sidecar is read, not listed: a link there is an error
            // when it is read, not also a link left out.
            let sidecar_file = format!("{rel}/{sidecar}");
            diags.extend(listed.into_iter().filter(|d| d.file.as_deref() != Some(sidecar_file.as_str())));
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

    let disk: &DiskPaths = disk;
    // Sidecars are parsed where they are read: see `yaml::with_parsers`.
    let results: Vec<(Option<Dataset>, Diagnostics, Sources, String)> = crate::yaml::with_parsers(|| {
        jobs
            .into_par_iter()
            .map(|job| {
                let mut d = Diagnostics::default();
                let mut src = Sources::default();
                let node = read_yaml(&root.join(disk.on_disk(&job.file)), &job.file, lang, &mut src, &mut d, memo);
                let node_has_no_resources = node.as_ref().is_some_and(|n| n.get("resources").is_none());
                let ds = node.map(|node| {
                    let input = sidecar::SidecarInput {
                        root,
                        disk,
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
                (ds, d, src, job.default_slug)
            })
            .collect()
    });

    let mut datasets = Vec::new();
    for (ds, d, src, slug) in results {
        if ds.is_none() {
            unreadable.datasets.push(slug);
        }
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

    infer_modified(root, disk, &mut datasets);
    datasets.sort_by(|a, b| a.slug.cmp(&b.slug).then_with(|| a.sidecar.cmp(&b.sidecar)));
    datasets
}

fn infer_modified(root: &Path, disk: &DiskPaths, datasets: &mut [Dataset]) {
    if datasets.iter().all(|d| d.modified.is_some()) {
        return;
    }
    let git = dates::git_dates(root);
    for ds in datasets.iter_mut().filter(|d| d.modified.is_none()) {
        let mut files: Vec<&str> = ds.resources.iter().filter_map(|r| r.local_path()).collect();
        files.push(&ds.sidecar);
        ds.modified_inferred = dates::newest(root, disk, &files, git.as_ref());
    }
}

fn load_pages(
    root: &Path,
    lang: Lang,
    disk: &mut DiskPaths,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Vec<crate::model::Page> {
    let mut pages = Vec::new();
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    for rel in list_files(root, "pages", lang, disk, diags) {
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
        if let Some(text) = text::read_text(&root.join(disk.on_disk(&file)), &file, lang, diags) {
            pages.extend(page::load(&file, slug, &text, lang, diags));
            sources.insert(&file, text);
        }
    }
    pages.sort_by(|a, b| a.slug.cmp(&b.slug).then_with(|| a.file.cmp(&b.file)));
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A temporary folder on tmpfs where there is one: it lists a folder in
    /// the reverse of the order its entries were created.
    fn tmp() -> tempfile::TempDir {
        tempfile::tempdir_in("/dev/shm").or_else(|_| tempfile::tempdir()).unwrap()
    }

    /// Creates `names` (files, or folders when they end with `/`) under
    /// `dir`, in the order given.
    fn create(dir: &Path, names: &[&str]) {
        for name in names {
            let path = dir.join(name);
            if name.ends_with('/') {
                std::fs::create_dir_all(path).unwrap();
            } else {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, "a\n1\n").unwrap();
            }
        }
    }

    /// Files and datasets come out in name order, however the system
    /// lists the folders.
    #[test]
    fn listing_does_not_depend_on_the_order_of_creation() {
        let names = ["b/", "a.csv", "b/z.csv", "b/a.csv", "Z.csv", "c d.csv", "é.csv", "b/m/", "b/m/x.csv"];
        let reversed: Vec<&str> = names.iter().rev().copied().collect();
        let mut listed = Vec::new();
        let mut loaded = Vec::new();
        for order in [&names[..], &reversed[..]] {
            let tmp = tmp();
            create(&tmp.path().join("static"), order);
            let mut disk = DiskPaths::default();
            listed.push(list_files(tmp.path(), "static", Lang::Fr, &mut disk, &mut Diagnostics::default()));
            let mut sites: Vec<String> = ["one/", "two/", "three.csv"].iter().map(|s| s.to_string()).collect();
            if order[0] != names[0] {
                sites.reverse();
            }
            for ds in &sites {
                create(&tmp.path().join("datasets"), &[ds.as_str()]);
                if ds.ends_with('/') {
                    std::fs::write(tmp.path().join("datasets").join(ds).join("dataset.yaml"), "title: t\n").unwrap();
                    create(&tmp.path().join("datasets").join(ds), order);
                }
            }
            std::fs::write(tmp.path().join("datasets/three.yaml"), "title: t\n").unwrap();
            let mut d = Diagnostics::default();
            let datasets = load_datasets(
                tmp.path(),
                Lang::Fr,
                &mut disk,
                &mut Sources::default(),
                &mut d,
                None,
                &mut Default::default(),
            );
            let files: Vec<(String, Vec<String>)> = datasets
                .iter()
                .map(|ds| {
                    (ds.slug.clone(), ds.resources.iter().filter_map(|r| r.local_path().map(str::to_string)).collect())
                })
                .collect();
            loaded.push(files);
        }
        assert_eq!(listed[0], ["Z.csv", "a.csv", "b/a.csv", "b/m/x.csv", "b/z.csv", "c d.csv", "é.csv"]);
        assert_eq!(listed[0], listed[1]);
        assert_eq!(loaded[0], loaded[1]);
        assert_eq!(loaded[0].len(), 3);
    }
}
