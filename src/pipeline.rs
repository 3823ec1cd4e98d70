//! The build pipeline: `load` → `validate` → `profile` → `render` →
//! `export`, all in memory. `build` then writes the result; `check` stops
//! here. The CLI only calls these.

use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::LoadError;
use crate::model::Site;
use crate::output::Output;
use crate::quality::{self, Quality};
use crate::tr;
use crate::{export, load, profile, render, theme, validate};

/// A site built in memory, with every finding.
pub struct Built {
    pub site: Site,
    pub diagnostics: Diagnostics,
    pub output: Output,
    /// Quality of each dataset, in the order of `site.datasets`.
    pub qualities: Vec<Quality>,
    /// The input of the DCAT and related exports (`None` without `base_url`).
    pub catalog: Option<crate::dcat::CatalogInput>,
    /// The date freshness was judged on.
    pub today: jiff::civil::Date,
    /// How long each stage took, in order (`--verbose`).
    /// Each stage's duration, and the process's peak memory when it ended.
    pub timings: Vec<Lap>,
    /// The findings of the stages after `profile` (also in `diagnostics`):
    /// what an unchanged rebuild replays.
    pub late: Diagnostics,
    /// What was made for each dataset, for the next build to reuse (see
    /// [`crate::reuse`]); empty unless the build was asked for it.
    pub units: Vec<crate::reuse::Unit>,
    /// The list pages made, with their keys, likewise.
    pub lists: Vec<crate::reuse::Listed>,
}

pub use crate::profile::Purpose;

/// Runs every stage but the write. For [`Purpose::Check`] the copies
/// kiosque derives from data files are not measured (nothing is written).
pub fn build(root: &Path, purpose: Purpose<'_>) -> Result<Built, Stopped> {
    Ok(complete(analyse(root, purpose)?, Output::discarding(), &crate::reuse::Reuse::none(), None, None))
}

/// The site read, checked and profiled: what the rendering stages start from.
pub struct Analysed {
    pub site: Site,
    pub diagnostics: Diagnostics,
    pub profiles: crate::profile::Profiles,
    pub today: jiff::civil::Date,
    clock: Clock,
}

impl Analysed {
    /// The quality of each dataset, in the order of `site.datasets`.
    fn qualities(&self) -> Vec<Quality> {
        let site = &self.site;
        use rayon::prelude::*;
        site.datasets
            .par_iter()
            .map(|ds| quality::assess(site, ds, self.today, self.profiles.schema_valid(ds)))
            .collect()
    }
}

/// `load` → `validate` → `profile`.
pub fn analyse(root: &Path, purpose: Purpose<'_>) -> Result<Analysed, Stopped> {
    let today = quality::today();
    let mut clock = Clock::default();
    let memo = match &purpose {
        Purpose::Build { cache: Some(cache), .. } => Some(cache.sidecars()),
        _ => None,
    };
    let (site, mut diags) = load::load_with(root, memo)?;
    diags.extend(validate::validate(&site, today));
    clock.lap("load + validate");
    let (profiles, d) = profile::profile(&site, purpose)?;
    diags.extend(d);
    clock.lap("profile");
    Ok(Analysed { site, diagnostics: diags, profiles, today, clock })
}

/// What the pages are made from: the site as loaded and what the earlier
/// stages made of it. The `render` and `export` stages read it.
#[derive(Clone, Copy)]
pub struct Inputs<'a> {
    pub site: &'a Site,
    pub qualities: &'a [Quality],
    pub profiles: &'a crate::profile::Profiles,
    pub catalog: Option<&'a crate::dcat::CatalogInput>,
    pub taxonomy: &'a crate::taxonomy::Taxonomy,
    /// The datasets whose files a previous build made and this one takes
    /// as they are.
    pub reuse: &'a crate::reuse::Reuse,
    /// The datasets' keys ([`crate::reuse::keys`]), in the order of
    /// `site.datasets`, when the build keeps what it made for the next one.
    pub keys: Option<&'a [String]>,
    /// Where the datasets' DCAT fragments are kept between builds.
    pub fragments: Option<&'a dyn crate::dcat::rdf::Store>,
}

impl Inputs<'_> {
    /// The dataset object of [`crate::export::dataset_object`] of
    /// `site.datasets[i]`. Made where it is needed, not kept: for thousands
    /// of datasets, they would take more memory than the pages.
    pub fn object(&self, i: usize) -> serde_json::Value {
        export::dataset_object(self.site, &self.site.datasets[i], self.profiles, &self.qualities[i])
    }
}

/// `render` → `export`, into `output`, taking the files of the datasets
/// `reuse` names from the previous build. With `keys` (the datasets' keys,
/// see [`crate::reuse::keys`]), `Built::units` records what was made, and
/// the datasets' DCAT fragments are kept in `cache` (the cache folder).
fn complete(
    a: Analysed,
    output: Output,
    reuse: &crate::reuse::Reuse,
    keys: Option<Vec<String>>,
    cache: Option<&Path>,
) -> Built {
    let qualities = a.qualities();
    let Analysed { site, diagnostics: mut diags, profiles, today, mut clock } = a;
    let mut late = Diagnostics::default();
    let theme = theme::load(&site, &mut late);
    let catalog = export::catalog_input(&site, &profiles);
    let taxonomy = crate::taxonomy::Taxonomy::of(&site);
    let fragments = cache.zip(keys.as_deref()).map(|(cache, keys)| crate::reuse::Fragments::new(cache, keys));
    let inputs = Inputs {
        site: &site,
        qualities: &qualities,
        profiles: &profiles,
        catalog: catalog.as_ref(),
        taxonomy: &taxonomy,
        reuse,
        keys: keys.as_deref(),
        fragments: fragments.as_ref().map(|f| f as &dyn crate::dcat::rdf::Store),
    };
    reuse.link_into(&output);
    let render::Rendered { diagnostics: d, cards, lists } = render::render(&inputs, &theme, &output);
    late.extend(d);
    clock.lap("render");
    let (d, facts) = export::export(&inputs, &output);
    late.extend(d);
    add_static(&site, &output, &mut late);
    check_page_links(&site, &output, &mut late);
    check_output_budget(&site, &profiles, &output, &mut late);
    late.sort();
    diags.extend(late.diagnostics.iter().cloned());
    diags.sort();
    let lists = lists
        .into_iter()
        .filter_map(|(path, key)| output.length(&path).map(|len| crate::reuse::Listed { path, key, len }))
        .collect();
    let units = match (keys, cards) {
        (Some(keys), Some(cards)) => site
            .datasets
            .iter()
            .zip(keys)
            .zip(cards.into_texts())
            .zip(facts)
            .map(|(((ds, key), card), facts)| crate::reuse::Unit {
                slug: ds.slug.clone(),
                key,
                files: output.files_under(&crate::reuse::prefix(&ds.slug)),
                card,
                facts,
            })
            .collect(),
        _ => Vec::new(),
    };
    clock.lap("export");
    Built { site, diagnostics: diags, late, output, qualities, catalog, today, timings: clock.laps, units, lists }
}

/// What stops the pipeline before it ends (exit code 2): the site folder
/// cannot be read, or the build's own files cannot be written (a full
/// disk). Everything else is a diagnostic.
#[derive(Debug, thiserror::Error)]
pub enum Stopped {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Write(#[from] crate::write::WriteError),
}

impl From<crate::derive::WriteFailed> for Stopped {
    fn from(f: crate::derive::WriteFailed) -> Self {
        Stopped::Write(crate::write::WriteError::Io { path: f.path, source: f.source })
    }
}

/// What [`publish`] did: the site built in memory and, when it had no
/// error, what was written.
pub struct Published {
    pub built: Built,
    pub written: Option<crate::write::WriteStats>,
    /// Data files taken from the incremental build cache, and read.
    pub cache: crate::cache::Stats,
    /// Whether nothing had changed since the previous build, whose output
    /// was kept as it was.
    pub unchanged: bool,
    /// How many datasets' files were taken from the previous build.
    pub reused: usize,
}

/// `kiosque build` (and each rebuild of `kiosque serve`): takes the build
/// lock and a staging folder beside `out`, builds with the incremental
/// cache, and swaps the result in place of `out` unless there were errors
/// (the previous output then stays).
pub fn publish(root: &Path, out: &Path, progress: Option<crate::profile::Progress>) -> Result<Published, Stopped> {
    let staging = crate::write::Staging::begin(root, out)?;
    let cache_dir = staging.cache_dir();
    let cache = crate::cache::Cache::open(&cache_dir);
    let spool = staging.spool();
    // The site's files are listed and stamped, and what the previous build
    // kept is read, while the site is read.
    let (analysed, (files, kept)) = rayon::join(
        || analyse(root, Purpose::Build { spool: &spool, cache: Some(&cache), progress }),
        || rayon::join(|| crate::cache::site_files(root, &[out, &cache_dir]), || crate::reuse::Kept::read(&cache_dir)),
    );
    let analysed = analysed?;
    // Nothing the output depends on changed since the last build, which is
    // still in place: that output is this build's.
    let digests = crate::cache::dataset_digests(&analysed.site);
    let fingerprint = cache.fingerprint(&analysed, &files, &digests);
    if !analysed.diagnostics.has_errors()
        && staging.output_is_ours()
        && let Some(last) = cache.last_build(&fingerprint)
    {
        let qualities = analysed.qualities();
        let Analysed { site, mut diagnostics, today, clock, .. } = analysed;
        let late = last.diagnostics();
        diagnostics.extend(late.diagnostics.iter().cloned());
        diagnostics.sort();
        let built = Built {
            site,
            diagnostics,
            late,
            output: Output::default(),
            qualities,
            catalog: None,
            today,
            timings: clock.laps,
            units: Vec::new(),
            lists: Vec::new(),
        };
        let written = Some(last.written());
        let reused = built.site.datasets.len();
        return Ok(Published { built, written, cache: cache.finish(None), unchanged: true, reused });
    }
    let content = |path: &str| analysed.profiles.get(path).and_then(|p| p.sha256.clone());
    let keys = crate::reuse::keys(&analysed.site, cache.tool(), analysed.today, &files, &content, &digests);
    let reuse = if staging.output_is_ours() {
        crate::reuse::Reuse::open(kept, &analysed.site, &keys, out)
    } else {
        crate::reuse::Reuse::none()
    };
    let reused = reuse.count();
    let mut built = complete(analysed, staging.output(), &reuse, Some(keys), Some(&cache_dir));
    // The previous output's removal is waited for at the end of the build,
    // once the cache is written.
    let (written, removed) = if built.diagnostics.has_errors() {
        (None, None)
    } else {
        let started = std::time::Instant::now();
        let (stats, removal) = staging.commit(std::mem::take(&mut built.output))?;
        built.timings.push(Lap { stage: "write", time: started.elapsed(), peak_memory: peak_memory() });
        crate::reuse::prune_fragments(&cache_dir, built.units.iter().map(|u| u.key.as_str()));
        (Some(stats), Some(removal))
    };
    let last = written.map(|w| crate::cache::LastBuild::new(fingerprint, w, &built.late));
    // What was made for each dataset is kept while the cache is finished.
    let (units, lists) = (std::mem::take(&mut built.units), std::mem::take(&mut built.lists));
    let ((), cache) = rayon::join(
        || {
            if written.is_some() {
                crate::reuse::keep(&cache_dir, units, lists);
            }
        },
        || cache.finish(last),
    );
    drop(removed);
    Ok(Published { built, written, cache, unchanged: false, reused })
}

/// A stage of a build: how long it took, and the process's peak resident
/// memory (bytes) when it ended, where the system tells it (Linux).
#[derive(Clone, Copy, Debug)]
pub struct Lap {
    pub stage: &'static str,
    pub time: std::time::Duration,
    pub peak_memory: Option<u64>,
}

/// The peak resident memory of this process so far (`VmHWM`, Linux).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Times the stages one after the other.
struct Clock {
    last: std::time::Instant,
    laps: Vec<Lap>,
}

impl Default for Clock {
    fn default() -> Self {
        Clock { last: std::time::Instant::now(), laps: Vec::new() }
    }
}

impl Clock {
    fn lap(&mut self, stage: &'static str) {
        let now = std::time::Instant::now();
        self.laps.push(Lap { stage, time: now - self.last, peak_memory: peak_memory() });
        self.last = now;
    }
}

/// `static/` is copied to the output root; a generated file wins over a
/// static file of the same path.
fn add_static(site: &Site, output: &Output, diags: &mut Diagnostics) {
    let lang = site.lang();
    for rel in &site.static_files {
        if output.contains(rel) {
            diags.push(
                Diagnostic::warning(
                    "static-conflict",
                    tr!(
                        lang,
                        "« static/{rel} » porte le nom d'un fichier généré par kiosque : il est ignoré",
                        "“static/{rel}” has the name of a file kiosque generates: it is ignored"
                    ),
                )
                .file(format!("static/{rel}"))
                .hint(tr!(
                    lang,
                    "renommez le fichier, ou surchargez le gabarit du thème à la place",
                    "rename the file, or override the theme's template instead"
                )),
            );
        } else {
            output.copy(rel.clone(), site.disk_path(&format!("static/{rel}")));
        }
    }
}

/// The most bytes a site's output should take: 64 MiB, 1 MiB per dataset
/// (its page, metadata and previews), and 8 bytes per byte of data. Each
/// derived file has its own budget (exports, workbook sheets); this one
/// catches what adds up. Free hosts limit a whole site (GitHub Pages: 1 GB).
pub fn output_budget(datasets: usize, data_bytes: u64) -> u64 {
    (64 << 20) + ((datasets as u64) << 20) + data_bytes.saturating_mul(8)
}

/// Warns when the output is larger than [`output_budget`] allows, naming
/// its largest files.
fn check_output_budget(site: &Site, profiles: &crate::profile::Profiles, output: &Output, diags: &mut Diagnostics) {
    let lang = site.lang();
    let data: u64 = profiles.resources.values().map(|p| p.bytes).sum();
    let budget = output_budget(site.datasets.len(), data);
    let (total, largest) = output.sizes(3);
    if total <= budget {
        return;
    }
    let largest: Vec<String> =
        largest.iter().map(|(path, len)| format!("{path} ({})", lang.format_bytes(*len))).collect();
    diags.push(
        Diagnostic::warning(
            "output-too-large",
            tr!(
                lang,
                "le site construit pèserait {}, bien plus que ses données ({}) : les plus gros fichiers sont {}",
                "the built site would take {}, far more than its data ({}): the largest files are {}",
                lang.format_bytes(total),
                lang.format_bytes(data),
                largest.join(", ")
            ),
        )
        .hint(tr!(
            lang,
            "les hébergeurs gratuits limitent la taille d'un site (GitHub Pages : 1 Go) ; vérifiez les fichiers ci-dessus et les fichiers du dossier static/",
            "free hosts limit the size of a site (GitHub Pages: 1 GB); check the files above and the files of the static/ folder"
        )),
    );
}

/// Warns about relative links in Markdown pages that point at nothing the
/// site publishes (a typo, or a file that was renamed).
fn check_page_links(site: &Site, output: &Output, diags: &mut Diagnostics) {
    let lang = site.lang();
    for page in &site.pages {
        for link in crate::markdown::links(&page.body) {
            let url = link.url.as_str();
            if url.is_empty() || url.starts_with('#') || url.contains(':') || url.starts_with("//") {
                continue;
            }
            let path = url.split(['#', '?']).next().unwrap_or_default();
            let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
            let Some(target) = resolve_relative(&format!("{}/", page.slug), &decoded) else { continue };
            let exists = output.contains(&target)
                || output.contains(&format!(
                    "{}index.html",
                    if target.is_empty() || target.ends_with('/') { target.clone() } else { format!("{target}/") }
                ));
            if !exists {
                diags.push(
                    Diagnostic::warning("broken-link", tr!(lang, "le lien « {url} » ne mène à aucune page ni aucun fichier du site", "the link “{url}” leads to no page or file of the site"))
                        .file(&page.file)
                        .span(crate::yaml::Span { line: page.body_line + link.line, column: link.column, len: Some(link.len) })
                        .hint(tr!(
                            lang,
                            "les liens sont relatifs à la page, publiée dans « {}/ » : « ../datasets/index.html » mène au catalogue",
                            "links are relative to the page, published in “{}/”: “../datasets/index.html” leads to the catalogue",
                            page.slug
                        )),
                );
            }
        }
    }
}

/// Joins a relative link to the folder it is written from (`a/b/`), within
/// the site: `None` when it climbs above the root.
fn resolve_relative(from_dir: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = from_dir.split('/').filter(|p| !p.is_empty()).collect();
    if link.starts_with('/') {
        parts.clear();
    }
    for seg in link.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut joined = parts.join("/");
    if link.ends_with('/') && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

#[cfg(test)]
mod tests {
    use super::resolve_relative;

    #[test]
    fn resolves_links_from_a_page() {
        assert_eq!(resolve_relative("a-propos/", "../catalog.json").as_deref(), Some("catalog.json"));
        assert_eq!(resolve_relative("a-propos/", "../reutiliser/").as_deref(), Some("reutiliser/"));
        assert_eq!(resolve_relative("a-propos/", "img.png").as_deref(), Some("a-propos/img.png"));
        assert_eq!(resolve_relative("a-propos/", "../../x").as_deref(), None);
    }
}
