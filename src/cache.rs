//! Incremental builds: what reading each data file taught a previous build
//! (its [`ResourceProfile`] and the files derived from it), kept in a cache
//! folder beside the output (`.kiosque-cache/<output name>/`), so that an
//! unchanged file is not read again.
//!
//! An entry is keyed by the SHA-256 of: the file's content, everything the
//! profile stage reads besides it (format, declared dialect, schema text,
//! charts, coordinate columns, language) and the kiosque binary itself, so a
//! new version or any change of input gives a new key. The content hash of a
//! file whose [`Stamp`] (size, modification and change times, inode) did not
//! change since the last build is taken from the previous build's stamps
//! instead of being computed again.
//! Derived files are moved from the build's spool into the cache (linked,
//! or copied, where a folder cannot be moved), and copied from the cache
//! into the output (a copy-on-write clone where the file system makes
//! one): never linked, so that editing a published file cannot change
//! the cache.
//! The sidecars' parsed trees are kept there too ([`crate::yaml::Memo`]).
//! The folder is safe to delete:
//! the next build is then a clean build.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::profile::ResourceProfile;

/// Bumped when the layout of the cache changes.
const FORMAT: &str = "kiosque-cache-2";
const STAMPS: &str = "stamps.json";
const LAST_BUILD: &str = "last-build.json";
const ENTRIES: &str = "entries";
const SIDECARS: &str = "sidecars.bin";

/// What the file system says of a file without reading it, as seen before
/// it was read: size and modification time, and on Unix its inode and
/// status-change time, which no program can set back: a file replaced by
/// one of the same size and modification time (`cp -p`, `rsync -a`,
/// unzip) has another inode or a later change time, as Git's index sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub size: u64,
    /// Nanoseconds since the Unix epoch (0 when unknown).
    pub modified: i128,
    /// Status change time, nanoseconds since the Unix epoch (0 when unknown).
    pub changed: i128,
    pub inode: u64,
}

impl Stamp {
    pub fn of(path: &Path) -> std::io::Result<Stamp> {
        let meta = std::fs::metadata(path)?;
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_nanos() as i128)
            .unwrap_or(0);
        #[cfg(unix)]
        let (changed, inode) = {
            use std::os::unix::fs::MetadataExt;
            (i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()), meta.ino())
        };
        #[cfg(not(unix))]
        let (changed, inode) = (0, 0);
        Ok(Stamp { size: meta.len(), modified, changed, inode })
    }

    /// Whether the file may change again without its stamp changing: its
    /// last change is so recent that a file system counting time in
    /// coarse steps (a second, two on FAT) would give a later change the
    /// same times.
    fn racy(&self) -> bool {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as i128)
            .unwrap_or(0);
        now - self.modified < 2_000_000_000
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
struct Known {
    stamp: Stamp,
    sha256: String,
}

/// The stamps file: the binary's fingerprint and each data file's.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Stamps {
    format: String,
    /// The kiosque binary: path, stamp and SHA-256.
    tool: Option<(PathBuf, Known)>,
    files: BTreeMap<String, Known>,
}

/// The cache of one output folder, for one build.
pub struct Cache {
    dir: PathBuf,
    tool: String,
    previous: BTreeMap<String, Known>,
    tool_stamp: Option<(PathBuf, Known)>,
    seen: Mutex<BTreeMap<String, Known>>,
    used: Mutex<BTreeSet<String>>,
    hits: std::sync::atomic::AtomicUsize,
    misses: std::sync::atomic::AtomicUsize,
    sidecars: crate::yaml::Memo,
}

/// How many data files a build took from the cache, and how many it read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub reused: usize,
    pub read: usize,
}

/// Where a lookup found the file's content hash.
pub enum Lookup {
    /// A previous build read this exact file: its profile, pointing at its
    /// derived files in the cache.
    Hit(Box<ResourceProfile>),
    /// Not cached under this key (the file changed, or is new).
    Miss,
}

impl Cache {
    /// Opens (or starts) the cache in `dir`. Never fails: an unreadable cache
    /// is an empty one.
    pub fn open(dir: &Path) -> Cache {
        let stamps: Stamps = std::fs::read(dir.join(STAMPS))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .filter(|s: &Stamps| s.format == FORMAT)
            .unwrap_or_default();
        let (tool, tool_stamp) = tool_fingerprint(stamps.tool);
        let sidecars = crate::yaml::Memo::from_bytes(std::fs::read(dir.join(SIDECARS)).unwrap_or_default(), &tool);
        Cache {
            dir: dir.to_path_buf(),
            tool,
            previous: stamps.files,
            tool_stamp,
            seen: Mutex::new(BTreeMap::new()),
            used: Mutex::new(BTreeSet::new()),
            hits: Default::default(),
            misses: Default::default(),
            sidecars,
        }
    }

    /// The content hash of the site file `rel`, when a previous build knew
    /// the file: taken from the previous build when its stamp is the same,
    /// else computed. `None` for a file no build has read (its
    /// profile computes the hash in the same pass).
    pub fn content_hash(&self, rel: &str, full: &Path, stamp: &Stamp) -> std::io::Result<Option<String>> {
        match self.previous.get(rel) {
            Some(k) if k.stamp == *stamp && stamp.modified != 0 => Ok(Some(k.sha256.clone())),
            Some(_) => crate::profile::hash_file(full).map(|(_, sha)| Some(sha)),
            None => Ok(None),
        }
    }

    /// The key of a file with content `sha256` read for `job` (a description
    /// of everything else the profile depends on).
    pub fn key(&self, sha256: &str, job: &str) -> String {
        let mut h = Sha256::new();
        for part in [FORMAT, &self.tool, sha256, job] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        crate::util::hex(&h.finalize())
    }

    /// Remembers that `rel`, with `stamp`, has content `sha256`.
    pub fn note(&self, rel: &str, mut stamp: Stamp, sha256: &str) {
        if stamp.racy() {
            // Hashed again by the next build (see `content_hash`).
            stamp.modified = 0;
        }
        self.seen.lock().unwrap().insert(rel.to_string(), Known { stamp, sha256: sha256.to_string() });
    }

    /// The profile cached under `key`. Its derived files stay in the cache
    /// folder, where the profile points: the write stage copies them into
    /// the output (see [`crate::output::Content::Spooled`]).
    pub fn lookup(&self, key: &str) -> Lookup {
        let entry = self.dir.join(ENTRIES).join(key);
        // Text checked as UTF-8 at once, not string by string.
        let Ok(text) = std::fs::read_to_string(entry.join("profile.json")) else { return Lookup::Miss };
        let Ok(mut profile) = serde_json::from_str::<ResourceProfile>(&text) else { return Lookup::Miss };
        if in_entry(&entry, &mut profile).iter().any(|d| !d.is_dir()) {
            return Lookup::Miss;
        }
        self.used.lock().unwrap().insert(key.to_string());
        self.hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Lookup::Hit(Box::new(profile))
    }

    /// Keeps `profile` (read for job `index`) and its derived files under
    /// `key`. The files are moved from the spool into the cache (a rename
    /// of each folder: linking them one by one made thousands of folders
    /// and links per build); the profile that points at them there is
    /// returned. `None` when the profile was not stored, or was already:
    /// `profile` and its files in the spool stay as they are. Failing to
    /// store is not an error: the next build reads the file again.
    pub fn store(&self, key: &str, profile: &ResourceProfile, spool: &Path, index: usize) -> Option<ResourceProfile> {
        self.used.lock().unwrap().insert(key.to_string());
        self.misses.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let entries = self.dir.join(ENTRIES);
        let entry = entries.join(key);
        if entry.is_dir() {
            return None;
        }
        // Two resources of one build may have the same key (the same file
        // twice): each has its own temporary folder.
        let tmp = entries.join(format!("{key}.tmp-{}-{index}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        let mut stored = profile.clone();
        let mut dirs = BTreeSet::new();
        let prefix = index.to_string();
        map_paths(&mut stored, &mut |p| {
            let (first, rest) = split_first(p.strip_prefix(spool).unwrap_or(p));
            let cached = format!("r{}", first.strip_prefix(&prefix).unwrap_or_default());
            dirs.insert((spool.join(first), tmp.join("files").join(&cached)));
            Path::new(&cached).join(rest)
        });
        let mut moved = Vec::new();
        let done = (|| -> std::io::Result<()> {
            std::fs::create_dir_all(tmp.join("files"))?;
            std::fs::write(tmp.join("profile.json"), serde_json::to_vec(&stored).map_err(std::io::Error::other)?)?;
            for (from, to) in &dirs {
                match std::fs::rename(from, to) {
                    Ok(()) => moved.push((from, to)),
                    Err(_) => link_tree(from, to)?,
                }
            }
            std::fs::rename(&tmp, &entry)
        })();
        if done.is_err() {
            for (from, to) in moved {
                let _ = std::fs::rename(to, from);
            }
            let _ = std::fs::remove_dir_all(&tmp);
            return None;
        }
        in_entry(&entry, &mut stored);
        Some(stored)
    }

    /// A digest of everything a build's output depends on: the binary, the
    /// date (freshness), the site as loaded (sidecars, pages, dates from
    /// git), the content of every data file, and the size and modification
    /// time of every other file of the site (templates, static files):
    /// `files`, from [`site_files`]. `datasets` are the site's datasets'
    /// digests, from [`dataset_digests`].
    pub fn fingerprint(
        &self,
        analysed: &crate::pipeline::Analysed,
        files: &[(String, Stamp)],
        datasets: &[[u8; 32]],
    ) -> String {
        let mut h = Sha256::new();
        h.update(format!("{FORMAT}\n{}\n{}\n", self.tool, analysed.today).as_bytes());
        h.update(site_digest(&analysed.site, datasets));
        for (path, p) in &analysed.profiles.resources {
            h.update(format!("{path} {:?}\n", p.sha256).as_bytes());
        }
        for (rel, stamp) in files {
            h.update(format!("{rel} {} {}\n", stamp.size, stamp.modified).as_bytes());
        }
        crate::util::hex(&h.finalize())
    }

    /// The sidecars previous builds parsed, for the load stage.
    pub fn sidecars(&self) -> &crate::yaml::Memo {
        &self.sidecars
    }

    /// The fingerprint of the kiosque binary (version and SHA-256).
    pub fn tool(&self) -> &str {
        &self.tool
    }

    /// The previous build, when it had this fingerprint.
    pub fn last_build(&self, fingerprint: &str) -> Option<LastBuild> {
        let bytes = std::fs::read(self.dir.join(LAST_BUILD)).ok()?;
        serde_json::from_slice::<LastBuild>(&bytes).ok().filter(|l| l.fingerprint == fingerprint)
    }

    /// Ends the build: keeps the stamps of the files read, what was written
    /// (`last`, for a build that wrote its output) and drops the entries
    /// this build did not use.
    pub fn finish(self, last: Option<LastBuild>) -> Stats {
        if let Some(last) = last {
            keep(&self.dir, LAST_BUILD, &last);
        }
        let stats = Stats { reused: self.hits.into_inner(), read: self.misses.into_inner() };
        let entries = self.dir.join(ENTRIES);
        let used = self.used.into_inner().unwrap();
        if let Ok(list) = std::fs::read_dir(&entries) {
            for e in list.flatten() {
                if !used.contains(e.file_name().to_string_lossy().as_ref()) {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let stamps = Stamps { format: FORMAT.into(), tool: self.tool_stamp, files: self.seen.into_inner().unwrap() };
        keep(&self.dir, STAMPS, &stamps);
        keep_bytes(&self.dir, SIDECARS, &self.sidecars.into_bytes(&self.tool));
        stats
    }
}

/// The digest of each dataset of `site` as loaded (of its `Debug` text,
/// which holds every field), in the order of `site.datasets`, made in
/// parallel: most of a rebuild's fingerprint, and a part of each dataset's
/// key ([`crate::reuse::keys`]), made once for both.
pub fn dataset_digests(site: &crate::model::Site) -> Vec<[u8; 32]> {
    use rayon::prelude::*;
    site.datasets.par_iter().map(|ds| Sha256::digest(format!("{ds:?}").as_bytes()).into()).collect()
}

/// A digest of the site as loaded: its datasets' `digests`
/// ([`dataset_digests`]), the texts read as they are.
fn site_digest(site: &crate::model::Site, digests: &[[u8; 32]]) -> [u8; 32] {
    // Every field named: a new one is a compile error here, not a change
    // the fingerprint misses.
    let crate::model::Site { root, config, datasets, pages, static_files, sources, disk, unreadable } = site;
    debug_assert_eq!(datasets.len(), digests.len());
    let mut h = Sha256::new();
    h.update(format!("{root:?}\n{config:?}\n{pages:?}\n{static_files:?}\n{disk:?}\n{unreadable:?}\n").as_bytes());
    digests.iter().for_each(|d| h.update(d));
    for (file, text) in sources.iter() {
        for part in [file, text] {
            h.update((part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
    }
    h.finalize().into()
}

/// Every file of the site in `root` with its stamp, by path relative to
/// `root` (`/`-separated), in path order: all but the paths in `exclude`
/// (the output and the cache), version control and kiosque's own temporary
/// folders.
pub fn site_files(root: &Path, exclude: &[&Path]) -> Vec<(String, Stamp)> {
    let root = crate::write::absolute(root);
    let exclude: Vec<PathBuf> = exclude.iter().map(|p| crate::write::absolute(p)).collect();
    let walk = walkdir::WalkDir::new(&root).sort_by_file_name().into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        let ours = name.starts_with('.') && (name.contains("kiosque-") || name == ".git");
        !ours && !exclude.iter().any(|x| x == e.path())
    });
    let mut files = Vec::new();
    for entry in walk.flatten() {
        if entry.file_type().is_file()
            && let Ok(stamp) = Stamp::of(entry.path())
        {
            let rel = entry.path().strip_prefix(&root).unwrap_or(entry.path());
            files.push((crate::util::slash_path(rel), stamp));
        }
    }
    files
}

/// Writes `value` as the JSON file `name` of the cache folder `dir`,
/// replacing the previous one whole or not at all. A cache that cannot be
/// written is only a slower next build.
pub fn keep(dir: &Path, name: &str, value: &impl Serialize) {
    if let Ok(json) = serde_json::to_vec(value) {
        keep_bytes(dir, name, &json);
    }
}

/// [`keep`] for a file already made.
fn keep_bytes(dir: &Path, name: &str, bytes: &[u8]) {
    let tmp = dir.join(format!("{name}.tmp"));
    if std::fs::create_dir_all(dir).is_ok() && std::fs::write(&tmp, bytes).is_ok() {
        let _ = std::fs::rename(&tmp, dir.join(name));
    }
}

/// What the last build that wrote its output left: its fingerprint, what
/// it wrote, and the findings of its stages after `profile`, replayed by an
/// unchanged rebuild.
#[derive(Debug, Serialize, Deserialize)]
pub struct LastBuild {
    fingerprint: String,
    files: usize,
    bytes: u64,
    diagnostics: Vec<StoredDiagnostic>,
}

#[derive(Debug, Serialize, Deserialize)]
struct StoredDiagnostic {
    error: bool,
    code: String,
    message: String,
    file: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    hint: Option<String>,
    len: Option<usize>,
    hide_source: bool,
}

impl LastBuild {
    pub fn new(fingerprint: String, written: crate::write::WriteStats, late: &crate::diag::Diagnostics) -> LastBuild {
        let diagnostics = late
            .iter()
            .map(|d| StoredDiagnostic {
                error: d.severity == crate::diag::Severity::Error,
                code: d.code.to_string(),
                message: d.message.clone(),
                file: d.file.clone(),
                line: d.line,
                column: d.column,
                hint: d.hint.clone(),
                len: d.len,
                hide_source: d.hide_source,
            })
            .collect();
        LastBuild { fingerprint, files: written.files, bytes: written.bytes, diagnostics }
    }

    pub fn written(&self) -> crate::write::WriteStats {
        crate::write::WriteStats { files: self.files, bytes: self.bytes }
    }

    /// The findings, as they were.
    pub fn diagnostics(&self) -> crate::diag::Diagnostics {
        let mut out = crate::diag::Diagnostics::default();
        for d in &self.diagnostics {
            // Codes are a small fixed set: the few bytes leaked per replayed
            // finding keep `Diagnostic::code` a `&'static str`.
            let code: &'static str = Box::leak(d.code.clone().into_boxed_str());
            let mut diag = if d.error {
                crate::diag::Diagnostic::error(code, d.message.clone())
            } else {
                crate::diag::Diagnostic::warning(code, d.message.clone())
            };
            diag.file = d.file.clone();
            diag.line = d.line;
            diag.column = d.column;
            diag.hint = d.hint.clone();
            diag.len = d.len;
            diag.hide_source = d.hide_source;
            out.push(diag);
        }
        out
    }
}

/// The version and the SHA-256 of the running binary (so a rebuilt kiosque
/// never reuses what an older one computed), hashed again only when the
/// binary's stamp changed.
fn tool_fingerprint(previous: Option<(PathBuf, Known)>) -> (String, Option<(PathBuf, Known)>) {
    let version = env!("CARGO_PKG_VERSION");
    let Some(exe) = std::env::current_exe().ok() else { return (version.into(), None) };
    let Ok(stamp) = Stamp::of(&exe) else { return (version.into(), None) };
    let known = match previous {
        Some((path, k)) if path == exe && k.stamp == stamp => k,
        _ => match crate::profile::hash_file(&exe) {
            Ok((_, sha256)) => Known { stamp, sha256 },
            Err(_) => return (version.into(), None),
        },
    };
    (format!("{version} {}", known.sha256), Some((exe, known)))
}

/// Applies `f` to every spool path in a profile.
fn map_paths(p: &mut ResourceProfile, f: &mut dyn FnMut(&Path) -> PathBuf) {
    for sheet in &mut p.sheets {
        if let Some(file) = &mut sheet.csv {
            *file = f(file);
        }
    }
    let tables = p.table.iter_mut().chain(p.sheets.iter_mut().map(|s| &mut s.table));
    for t in tables {
        if let Some(file) = t.normalised.as_mut().and_then(|n| n.file.as_mut()) {
            *file = f(file);
        }
        if let Some(d) = &mut t.derived {
            if let Some(n) = &mut d.normalised {
                n.0 = f(&n.0);
            }
            if let Some(pr) = &mut d.preview {
                pr.dir = f(&pr.dir);
            }
            if let Some(e) = &mut d.exports {
                e.json.0 = f(&e.json.0);
                e.excel.0 = f(&e.excel.0);
            }
        }
    }
}

/// Points the paths of a profile stored in `entry` (relative to its
/// `files` folder) into it; the folders they are in.
fn in_entry(entry: &Path, profile: &mut ResourceProfile) -> BTreeSet<PathBuf> {
    let files = entry.join("files");
    let mut dirs = BTreeSet::new();
    map_paths(profile, &mut |p| {
        let (first, rest) = split_first(p);
        let dir = files.join(first);
        let path = dir.join(rest);
        dirs.insert(dir);
        path
    });
    dirs
}

/// A relative path's first component, and the rest.
fn split_first(p: &Path) -> (String, PathBuf) {
    let mut parts = p.components();
    let first = parts.next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
    (first, parts.as_path().to_path_buf())
}

/// Hard-links every file under `from` to the same place under `to`
/// (copies it where a link cannot be made, e.g. across file systems).
fn link_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        let rel = entry.path().strip_prefix(from).map_err(std::io::Error::other)?;
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target)?;
        } else if std::fs::hard_link(entry.path(), &target).is_err() {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every profile of the example site reads back as it was written.
    #[test]
    fn profiles_round_trip() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
        let spool = tempfile::tempdir().unwrap();
        let (site, _) = crate::load::load(&root).unwrap();
        let (profiles, _) = crate::profile::profile(
            &site,
            crate::profile::Purpose::Build { spool: spool.path(), cache: None, progress: None },
        )
        .unwrap();
        assert!(profiles.resources.len() > 10);
        for (path, p) in &profiles.resources {
            let json = serde_json::to_string(p).unwrap();
            let back: ResourceProfile = serde_json::from_str(&json)
                .unwrap_or_else(|e| panic!("{path}: {e}\n{}", &json[..json.len().min(3000)]));
            assert_eq!(serde_json::to_string(&back).unwrap(), json, "{path}");
        }
    }

    /// A profile's derived files move from the spool into the cache, where
    /// the stored profile points; the same key again stores nothing.
    #[test]
    fn stored_files_move_into_the_cache() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("example-site");
        let tmp = tempfile::tempdir().unwrap();
        let spool = tmp.path().join("spool");
        let (site, _) = crate::load::load(&root).unwrap();
        let (profiles, _) = crate::profile::profile(
            &site,
            crate::profile::Purpose::Build { spool: &spool, cache: None, progress: None },
        )
        .unwrap();
        let (index, profile) = profiles
            .resources
            .values()
            .enumerate()
            .find(|(_, p)| p.table.as_ref().is_some_and(|t| t.derived.is_some()))
            .expect("a table with derived files");
        let files = |p: &ResourceProfile| {
            let mut files = Vec::new();
            map_paths(&mut p.clone(), &mut |f| {
                files.push(f.to_path_buf());
                f.to_path_buf()
            });
            files
        };
        let spooled = files(profile);
        assert!(!spooled.is_empty() && spooled.iter().all(|f| f.starts_with(&spool) && f.exists()));
        let cache = Cache::open(&tmp.path().join("cache"));
        let stored = cache.store("k", profile, &spool, index).expect("stored");
        let cached = files(&stored);
        assert_eq!(cached.len(), spooled.len());
        assert!(cached.iter().all(|f| f.starts_with(tmp.path().join("cache")) && f.exists()), "{cached:?}");
        assert!(spooled.iter().all(|f| !f.exists()), "moved, not linked");
        let Lookup::Hit(hit) = cache.lookup("k") else { panic!("a hit") };
        assert_eq!(files(&hit), cached);
        assert!(cache.store("k", profile, &spool, index).is_none(), "already stored");
    }
}
