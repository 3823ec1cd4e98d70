//! Incremental builds, a dataset at a time: the files a build made for
//! each dataset (its page, charts, `dataset.json`, Data Package descriptor,
//! preview manifests, the copies of its data files…) and its card for the list pages are
//! remembered in the cache folder (`units.json`) with the dataset's *key*.
//! The next build reuses them, hard-linked from the previous output, for
//! every dataset whose key did not change; only the others, and the pages
//! and files of the whole catalogue, are made again.
//!
//! A dataset's key is the SHA-256 of everything its own files are made
//! from: the kiosque binary, the date (freshness), what the whole site
//! shares (`site.yaml` and the pages as loaded, the size and modification
//! time of every file outside the datasets: theme overrides, static files,
//! schemas), the dataset as loaded from its sidecar, the content hash of
//! each of its data files, and the stamp ([`Stamp`]: size, modification
//! and change times, inode) of its other files. A dataset's own files must therefore never depend on
//! another dataset: what does (lists, catalogue exports) is made whole on
//! every build. The integration tests compare incremental and clean builds
//! byte for byte.
//!
//! The pages that list datasets (the catalogue's, each theme's and
//! keyword's) are remembered too, each with a key made of what its context
//! holds but for its datasets' cards, and of those datasets' keys (see
//! [`list_key`]): a page whose key did not change is taken from the
//! previous output, so that changing one dataset makes again only the pages
//! that show it.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::cache::Stamp;
use crate::model::{DatasetForm, Site};

/// Bumped when the layout of the record or what a key covers changes.
const FORMAT: &str = "kiosque-units-4";
const UNITS: &str = "units.json";

/// What a build made for one dataset.
#[derive(Debug, Serialize, Deserialize)]
pub struct Unit {
    pub slug: String,
    pub key: String,
    /// The files made for the dataset, under `datasets/<slug>/`, with their
    /// lengths: generated files and copies of its data files (not the files
    /// derived from them, which the cache keeps).
    pub files: Vec<(String, u64)>,
    /// Its card, as [`crate::render::Cards`] keeps it.
    pub card: Box<str>,
    /// What the catalogue search's index takes from its `dataset.json`.
    pub facts: crate::search::Facts,
}

/// A list page a build made, with its key ([`list_key`]) and length.
#[derive(Debug, Serialize, Deserialize)]
pub struct Listed {
    pub path: String,
    pub key: String,
    pub len: u64,
}

#[derive(Serialize, Deserialize)]
struct Record {
    format: String,
    units: Vec<Unit>,
    #[serde(default)]
    lists: Vec<Listed>,
}

/// What the previous build kept in the cache folder: read while the site
/// is (a rebuild of thousands of datasets parses megabytes of it), used by
/// [`Reuse::open`].
pub struct Kept(Option<Record>);

impl Kept {
    /// The record kept in cache folder `cache`, when there is a readable one.
    pub fn read(cache: &Path) -> Kept {
        Kept(
            std::fs::read(cache.join(UNITS))
                .ok()
                .and_then(|b| serde_json::from_slice(&b).ok())
                .filter(|r: &Record| r.format == FORMAT),
        )
    }
}

/// The datasets of this build whose files an earlier build made and left
/// in place, unchanged: in the order of `site.datasets`.
#[derive(Debug, Default)]
pub struct Reuse {
    units: Vec<Option<Unit>>,
    /// The list pages of the previous build: their keys and lengths.
    lists: HashMap<String, (String, u64)>,
    /// The previous output folder, where the files are taken from.
    from: PathBuf,
}

impl Reuse {
    /// Nothing to reuse (`check`, tests, a first build).
    pub fn none() -> Reuse {
        Reuse::default()
    }

    /// Keeps the units of the previous build's record (`kept`) whose key
    /// is the one of the same dataset now (`keys`, in the order of
    /// `site.datasets`) and whose files are all still in `previous` (the
    /// output folder), with their lengths.
    pub fn open(kept: Kept, site: &Site, keys: &[String], previous: &Path) -> Reuse {
        let Kept(Some(record)) = kept else { return Reuse::none() };
        let lists = record.lists.into_iter().map(|l| (l.path, (l.key, l.len))).collect();
        let mut by_slug: HashMap<String, Unit> = record.units.into_iter().map(|u| (u.slug.clone(), u)).collect();
        let candidates: Vec<Option<Unit>> = site
            .datasets
            .iter()
            .zip(keys)
            .map(|(ds, key)| by_slug.remove(&ds.slug).filter(|u| &u.key == key))
            .collect();
        // Thousands of files to look at: in parallel.
        use rayon::prelude::*;
        let units = candidates
            .into_par_iter()
            .map(|unit| unit.filter(|u| u.files.iter().all(|(path, len)| intact(&previous.join(path), *len))))
            .collect();
        Reuse { units, lists, from: previous.to_path_buf() }
    }

    /// The unit of `site.datasets[i]`, when it is reused.
    pub fn get(&self, i: usize) -> Option<&Unit> {
        self.units.get(i).and_then(Option::as_ref)
    }

    /// The text of file `path` of the previous output, when dataset `i` is
    /// reused and the file is one of its own.
    pub fn read(&self, i: usize, path: &str) -> Option<String> {
        let unit = self.get(i)?;
        unit.files.iter().any(|(p, _)| p == path).then(|| std::fs::read_to_string(self.from.join(path)).ok())?
    }

    /// Adds list page `path` to `out`, taken from the previous output, when
    /// the previous build made it with the same `key` and it is still there,
    /// with its length. Returns whether it did.
    pub fn listed(&self, path: &str, key: &str, out: &crate::output::Output) -> bool {
        let Some((previous, len)) = self.lists.get(path) else { return false };
        let source = self.from.join(path);
        let reused = previous == key && intact(&source, *len);
        if reused {
            out.reuse(path, &source);
        }
        reused
    }

    /// The previous output folder, when there is one to take files from.
    pub fn previous_output(&self) -> Option<&Path> {
        (!self.from.as_os_str().is_empty()).then_some(self.from.as_path())
    }

    /// How many datasets are reused.
    pub fn count(&self) -> usize {
        self.units.iter().flatten().count()
    }

    /// Adds the files of every reused dataset to `out`, taken from the
    /// previous output.
    pub fn link_into(&self, out: &crate::output::Output) {
        use rayon::prelude::*;
        let files: Vec<&(String, u64)> = self.units.iter().flatten().flat_map(|u| &u.files).collect();
        files.par_iter().for_each(|(path, _)| out.reuse(path.as_str(), &self.from.join(path)));
    }
}

/// Whether the previous output's file `path` is still a file of `len`
/// bytes (not a link), as the previous build left it.
fn intact(path: &Path, len: u64) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == len)
}

/// The prefix of the files generated for dataset `slug`.
pub fn prefix(slug: &str) -> String {
    format!("datasets/{slug}/")
}

/// Where the datasets' DCAT fragments are kept (see
/// [`crate::dcat::rdf::Store`]): a file per dataset key, in folder
/// `dcat` of the cache folder. A fragment is made from what the dataset's
/// key covers, as its own files are.
pub struct Fragments<'a> {
    dir: PathBuf,
    keys: &'a [String],
}

impl<'a> Fragments<'a> {
    /// The fragments kept in cache folder `cache`, for the datasets of
    /// `keys` (in the order of `site.datasets`).
    pub fn new(cache: &Path, keys: &'a [String]) -> Fragments<'a> {
        Fragments { dir: cache.join(FRAGMENTS), keys }
    }
}

const FRAGMENTS: &str = "dcat";

impl crate::dcat::rdf::Store for Fragments<'_> {
    fn load(&self, dataset: usize) -> Option<Vec<u8>> {
        std::fs::read(self.dir.join(self.keys.get(dataset)?)).ok()
    }

    fn load_head(&self, dataset: usize) -> Option<Vec<u8>> {
        use std::io::BufRead;
        let file = std::fs::File::open(self.dir.join(self.keys.get(dataset)?)).ok()?;
        let mut head = Vec::new();
        std::io::BufReader::new(file).read_until(b'\n', &mut head).ok()?;
        Some(head)
    }

    fn save(&self, dataset: usize, bytes: &[u8]) {
        let Some(key) = self.keys.get(dataset) else { return };
        // Written beside, then renamed: a fragment is whole or absent.
        let tmp = self.dir.join(format!("{key}.tmp-{}-{dataset}", std::process::id()));
        if std::fs::create_dir_all(&self.dir).is_ok()
            && std::fs::write(&tmp, bytes).is_ok()
            && std::fs::rename(&tmp, self.dir.join(key)).is_err()
        {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

/// Removes from cache folder `cache` the DCAT fragments of datasets whose
/// key is none of `keys`.
pub fn prune_fragments<'k>(cache: &Path, keys: impl IntoIterator<Item = &'k str>) {
    let keys: std::collections::HashSet<&str> = keys.into_iter().collect();
    let Ok(entries) = std::fs::read_dir(cache.join(FRAGMENTS)) else { return };
    for entry in entries.flatten() {
        if !entry.file_name().to_str().is_some_and(|name| keys.contains(name)) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Keeps `units` and `lists` in cache folder `cache`, replacing the
/// previous record.
pub fn keep(cache: &Path, units: Vec<Unit>, lists: Vec<Listed>) {
    crate::cache::keep(cache, UNITS, &Record { format: FORMAT.into(), units, lists });
}

/// The key of a list page: its path and template, its `context` but for
/// what comes from its members (see [`crate::render::Listing`]) and the
/// keys of its `members`, in order. `None` for a page without members,
/// whose key would not cover what the whole site shares.
pub fn list_key<'k>(
    path: &str,
    template: &str,
    context: &serde_json::Map<String, serde_json::Value>,
    members: impl IntoIterator<Item = &'k str>,
) -> Option<String> {
    let mut h = Sha256::new();
    h.update(format!("{FORMAT}\n{path}\n{template}\n").as_bytes());
    h.update(serde_json::to_vec(context).expect("JSON values serialise"));
    let mut any = false;
    for key in members {
        h.update(b"\n");
        h.update(key.as_bytes());
        any = true;
    }
    any.then(|| crate::util::hex(&h.finalize()))
}

/// The key of each dataset of `site` (see the module's documentation), in
/// the order of `site.datasets`. `files` are the site's files with their
/// stamps ([`crate::cache::site_files`]); `content` gives a data file's
/// content hash; `digests` are the datasets' digests as loaded
/// ([`crate::cache::dataset_digests`]).
pub fn keys(
    site: &Site,
    tool: &str,
    today: jiff::civil::Date,
    files: &[(String, Stamp)],
    content: &(dyn Fn(&str) -> Option<String> + Sync),
    digests: &[[u8; 32]],
) -> Vec<String> {
    debug_assert_eq!(site.datasets.len(), digests.len());
    // Which dataset each file belongs to: everything under a dataset's own
    // folder, or the sidecar and data files of a one-file dataset; and
    // whether it counts by what was read of it. Sidecars count as loaded
    // (the dataset's digest), data files by their content, below: a fresh
    // clone, with new modification times, keeps its keys. Other files count
    // by their stamp.
    let mut folders: HashMap<&str, usize> = HashMap::new();
    let mut owned: HashMap<&str, (usize, bool)> = HashMap::new();
    for (i, ds) in site.datasets.iter().enumerate() {
        if ds.form == DatasetForm::Folder {
            folders.insert(ds.dir.as_str(), i);
        }
        owned.extend(ds.resources.iter().filter_map(|r| r.local_path()).map(|p| (p, (i, content(p).is_some()))));
        owned.insert(ds.sidecar.as_str(), (i, true));
    }
    let owner = |path: &str| {
        owned.get(path).copied().or_else(|| {
            let folder = Path::new(path).ancestors().skip(1).find_map(|a| a.to_str().and_then(|a| folders.get(a)));
            folder.map(|&i| (i, false))
        })
    };
    let mut shared = Sha256::new();
    let c = &site.config;
    shared.update(format!(
        "{FORMAT}\n{tool}\n{today}\n{c:?}\n{:?}\n{:?}\n{:?}\n",
        site.pages, site.static_files, site.disk
    ));
    let mut own: BTreeMap<usize, String> = BTreeMap::new();
    for (path, stamp) in files {
        let line = || format!("{path} {} {} {} {}\n", stamp.size, stamp.modified, stamp.changed, stamp.inode);
        match owner(path) {
            Some((_, true)) => {}
            Some((i, false)) => own.entry(i).or_default().push_str(&line()),
            None => shared.update(line().as_bytes()),
        }
    }
    let shared = shared.finalize();
    use rayon::prelude::*;
    site.datasets
        .par_iter()
        .enumerate()
        .map(|(i, ds)| {
            let mut h = Sha256::new();
            h.update(shared);
            h.update(digests[i]);
            for path in ds.resources.iter().filter_map(|r| r.local_path()) {
                h.update(format!("{path} {:?}\n", content(path)).as_bytes());
            }
            h.update(own.get(&i).map(String::as_bytes).unwrap_or_default());
            crate::util::hex(&h.finalize())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a site of two datasets, `a` (a folder) and `b` (one file).
    fn site(root: &Path) {
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("site.yaml", "title: Essai\n");
        write("datasets/a/dataset.yaml", "title: A\nresources:\n  - path: a.csv\n");
        write("datasets/a/a.csv", "x;y\n1;2\n");
        write("datasets/b.yaml", "title: B\n");
        write("datasets/b.csv", "x;y\n3;4\n");
    }

    fn keys_of(root: &Path) -> Vec<String> {
        let (site, _) = crate::load::load(root).unwrap();
        let files = crate::cache::site_files(root, &[]);
        let content = |path: &str| {
            site.datasets
                .iter()
                .flat_map(|d| d.resources.iter())
                .any(|r| r.local_path() == Some(path))
                .then(|| crate::profile::hash_file(&root.join(path)).unwrap().1)
        };
        let today = jiff::civil::date(2026, 11, 24);
        keys(&site, "tool", today, &files, &content, &crate::cache::dataset_digests(&site))
    }

    #[test]
    fn a_key_changes_with_what_its_dataset_is_made_from() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        site(root);
        let first = keys_of(root);
        assert_eq!(first.len(), 2);
        assert_eq!(first, keys_of(root), "the same input gives the same keys");

        // A data file rewritten with the same bytes (a fresh clone): same keys.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(root.join("datasets/a/a.csv"), "x;y\n1;2\n").unwrap();
        assert_eq!(first, keys_of(root));

        // Its data changed: only `a`'s key changes.
        std::fs::write(root.join("datasets/a/a.csv"), "x;y\n1;5\n").unwrap();
        let second = keys_of(root);
        assert!(second[0] != first[0] && second[1] == first[1]);

        // Another file of its folder: only `a` again.
        std::fs::write(root.join("datasets/a/notes.txt"), "vu").unwrap();
        let third = keys_of(root);
        assert!(third[0] != second[0] && third[1] == second[1]);

        // The one-file dataset's sidecar: only `b`.
        std::fs::write(root.join("datasets/b.yaml"), "title: Bé\n").unwrap();
        let fourth = keys_of(root);
        assert!(fourth[0] == third[0] && fourth[1] != third[1]);

        // What the whole site shares: every key.
        std::fs::create_dir_all(root.join("static")).unwrap();
        std::fs::write(root.join("static/logo.svg"), "<svg/>").unwrap();
        let fifth = keys_of(root);
        assert!(fifth[0] != fourth[0] && fifth[1] != fourth[1]);
    }
}
