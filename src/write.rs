//! Stage `write`: puts the built site on disk. Everything is written into a
//! temporary folder beside the output folder, which is swapped in only once
//! complete: a failed or interrupted build leaves the previous site as it
//! was. kiosque writes nothing outside the output folder and its temporary
//! siblings, and refuses an output folder that could hold anything else.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::output::{Content, Output};

/// The file that marks a folder as kiosque's output (and so safe to replace).
pub const MARKER: &str = ".kiosque-output";

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(
        "le dossier de sortie « {0} » est le dossier du site lui-même, ou le contient : choisissez un autre dossier (par défaut « public/ » dans le site) / the output folder “{0}” is the site folder or contains it: choose another folder (default “public/” inside the site)"
    )]
    ContainsSite(PathBuf),
    #[error(
        "le dossier de sortie « {0} » est la racine du disque, votre dossier personnel ou un dossier qui le contient : kiosque remplace tout le contenu du dossier de sortie, il refuse donc celui-ci (choisissez un dossier à part, par défaut « public/ » dans le site) / the output folder “{0}” is the root of the disk, your home folder or a folder that holds it: kiosque replaces all of the output folder's content, so it refuses this one (choose a folder of its own, default “public/” inside the site)"
    )]
    TooBroad(PathBuf),
    #[error(
        "le dossier de sortie « {0} » est à l'intérieur des sources du site (datasets, pages, static, themes) : choisissez un autre dossier / the output folder “{0}” is inside the site's sources (datasets, pages, static, themes): choose another folder"
    )]
    InsideSources(PathBuf),
    #[error(
        "le dossier de sortie « {0} » existe, n'est pas vide et n'a pas été créé par kiosque : kiosque refuse de le remplacer (videz-le ou choisissez un autre dossier) / the output folder “{0}” exists, is not empty and was not made by kiosque: kiosque will not replace it (empty it or choose another folder)"
    )]
    NotOurs(PathBuf),
    #[error("« {0} » n'est pas un dossier / “{0}” is not a folder")]
    NotADirectory(PathBuf),
    #[error(
        "écriture impossible de « {path} » : {source} ; vérifiez qu'il reste de la place sur le disque et que vous avez le droit d'écrire dans ce dossier (le site publié précédemment reste en place) / cannot write “{path}”: {source}; check that the disk has room left and that you may write in this folder (the previously built site is left in place)"
    )]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io { path: path.to_path_buf(), source }
}

/// An absolute, normalised path, even when it does not exist yet: links
/// and `..` resolved in the part that exists, `..` removed from the rest
/// (where there is no link to resolve).
pub(crate) fn absolute(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    // Canonicalise the longest existing ancestor, keep the rest.
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        // Not `file_name`, which has none for `..`.
        let Some(last) = existing.components().next_back().map(|c| c.as_os_str().to_os_string()) else { break };
        if !existing.pop() {
            break;
        }
        rest.push(last);
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        match name.to_str() {
            Some("..") => {
                // `a/missing/..` is `a`, whatever `a` is: `missing` is no link.
                out.pop();
            }
            Some(".") => {}
            _ => out.push(name),
        }
    }
    out
}

/// Refuses output folders that are the site, contain it, sit inside its
/// sources, or hold files kiosque did not write.
pub fn check_destination(site_root: &Path, out: &Path) -> Result<(), WriteError> {
    let site = absolute(site_root);
    let dest = absolute(out);
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty()).map(|h| absolute(Path::new(&h)));
    if dest.parent().is_none() || home.is_some_and(|h| h.starts_with(&dest)) {
        return Err(WriteError::TooBroad(out.to_path_buf()));
    }
    if site.starts_with(&dest) {
        return Err(WriteError::ContainsSite(out.to_path_buf()));
    }
    for src in ["datasets", "pages", "static", "themes"] {
        if dest.starts_with(site.join(src)) {
            return Err(WriteError::InsideSources(out.to_path_buf()));
        }
    }
    if dest.exists() {
        if !dest.is_dir() {
            return Err(WriteError::NotADirectory(out.to_path_buf()));
        }
        let empty = std::fs::read_dir(&dest).map_err(io(out))?.next().is_none();
        if !empty && !dest.join(MARKER).is_file() {
            return Err(WriteError::NotOurs(out.to_path_buf()));
        }
    }
    Ok(())
}

/// What was written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub files: usize,
    pub bytes: u64,
}

/// Writes `output` into `out`, replacing its previous content atomically.
pub fn write(output: Output, site_root: &Path, out: &Path) -> Result<WriteStats, WriteError> {
    Staging::begin(site_root, out)?.commit(output).map(|(stats, _removed)| stats)
}

/// The deletion of the previous output, going on in the background once
/// the new output is in place (it took a tenth of a rebuild: the other
/// last steps of a build go on meanwhile). Dropping it waits for the
/// deletion to end; the build lock is held until then.
#[must_use = "dropping it waits for the previous output to be deleted"]
pub struct Removal {
    deleting: Option<std::thread::JoinHandle<()>>,
    _lock: std::fs::File,
}

impl Drop for Removal {
    fn drop(&mut self) {
        if let Some(deleting) = self.deleting.take() {
            let _ = deleting.join();
        }
    }
}

/// Folder inside the staging folder where stages write large derived files
/// (normalised copies, preview chunks) before they take their place.
const SPOOL: &str = ".kiosque-spool";

/// The folder, beside output folders, of their incremental build caches.
pub const CACHE: &str = ".kiosque-cache";

/// A build in progress: the build lock on the output folder, and a new
/// temporary folder beside it that becomes the output on
/// [`Staging::commit`]. Dropped without a commit (a build with errors), it
/// removes the temporary folder and leaves the previous output untouched.
pub struct Staging {
    _lock: std::fs::File,
    tmp: tempfile::TempDir,
    parent: PathBuf,
    name: String,
    dest: PathBuf,
}

impl Staging {
    /// Checks the destination, waits for the build lock, repairs what an
    /// interrupted build left, and creates the staging folder.
    pub fn begin(site_root: &Path, out: &Path) -> Result<Staging, WriteError> {
        check_destination(site_root, out)?;
        let dest = absolute(out);
        let parent = dest.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
        let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        // Two builds into the same folder take turns.
        let lock = lock(&parent, &name)?;
        recover_interrupted(&parent, &name, &dest);
        let tmp = tempfile::Builder::new()
            .prefix(&format!(".{name}.kiosque-tmp-"))
            .tempdir_in(&parent)
            .map_err(io(&parent))?;
        // Marked at once: a build killed at any later point leaves a
        // folder the next build knows it may remove.
        write_marker(tmp.path())?;
        let spool = tmp.path().join(SPOOL);
        std::fs::create_dir(&spool).map_err(io(&spool))?;
        Ok(Staging { _lock: lock, tmp, parent, name, dest })
    }

    /// The incremental build cache of this output folder
    /// (`.kiosque-cache/<name>` beside it; see [`crate::cache`]).
    pub fn cache_dir(&self) -> PathBuf {
        self.parent.join(CACHE).join(&self.name)
    }

    /// Whether the output folder exists and was written by kiosque.
    pub fn output_is_ours(&self) -> bool {
        self.dest.join(MARKER).is_file()
    }

    /// Where stages may write large files for [`Content::Spooled`].
    pub fn spool(&self) -> PathBuf {
        self.tmp.path().join(SPOOL)
    }

    /// An [`Output`] that writes each generated file into the staging
    /// folder as soon as it is made.
    pub fn output(&self) -> Output {
        Output::streaming(self.tmp.path().to_path_buf())
    }

    /// Finishes writing `output` into the staging folder (copies, spooled
    /// files, what it holds in memory), then swaps it in place of the
    /// previous output.
    pub fn commit(self, output: Output) -> Result<(WriteStats, Removal), WriteError> {
        let stats = write_all(output, self.tmp.path())?;
        let spool = self.spool();
        std::fs::remove_dir_all(&spool).map_err(io(&spool))?;
        let Staging { _lock, tmp, parent, name, dest } = self;
        // Swap: in one step where the system can exchange two folders (the
        // output is never missing, not even for a host syncing at that
        // moment, nor after a kill); else old aside, new in, old removed.
        let tmp_path = tmp.keep();
        if dest.exists() {
            let old = match exchange(&tmp_path, &dest) {
                Ok(()) => tmp_path,
                Err(_) => {
                    let old = parent.join(format!(".{name}.kiosque-old-{}", std::process::id()));
                    if old.exists() && old.join(MARKER).is_file() {
                        remove_tree(&old);
                    }
                    std::fs::rename(&dest, &old).map_err(io(&dest))?;
                    if let Err(e) = std::fs::rename(&tmp_path, &dest) {
                        let _ = std::fs::rename(&old, &dest);
                        let _ = std::fs::remove_dir_all(&tmp_path);
                        return Err(io(&dest)(e));
                    }
                    old
                }
            };
            // In the background; here when no thread can be started.
            let deleting = match std::thread::Builder::new().name("remove-old".into()).spawn({
                let old = old.clone();
                move || remove_tree(&old)
            }) {
                Ok(thread) => Some(thread),
                Err(_) => {
                    remove_tree(&old);
                    None
                }
            };
            return Ok((stats, Removal { deleting, _lock }));
        } else if let Err(e) = std::fs::rename(&tmp_path, &dest) {
            let _ = std::fs::remove_dir_all(&tmp_path);
            return Err(io(&dest)(e));
        }
        Ok((stats, Removal { deleting: None, _lock }))
    }
}

/// Exchanges folders `a` and `b` in one atomic step (Linux `renameat2` with
/// `RENAME_EXCHANGE`); an error where the system or the file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: two valid NUL-terminated paths, relative to the working folder.
    let done = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// Deletes folder `dir` and all it holds, its subfolders in parallel (the
/// previous output of a large site holds tens of thousands of files; a
/// rebuild waited for them one by one). Links are deleted, never followed.
/// What cannot be deleted is left.
///
/// Its [`MARKER`] goes last: a build killed while deleting leaves a folder
/// that is still marked as kiosque's, which the next build then removes
/// (see [`recover_interrupted`]), never an unmarked one it must leave.
fn remove_tree(dir: &Path) {
    fn remove(dir: &Path, top: bool) -> std::io::Result<()> {
        let entries = std::fs::read_dir(dir)?.collect::<std::io::Result<Vec<_>>>()?;
        let marker = |e: &std::fs::DirEntry| top && e.file_name() == MARKER;
        entries.par_iter().filter(|e| !marker(e)).try_for_each(|entry| {
            if entry.file_type()?.is_dir() { remove(&entry.path(), false) } else { std::fs::remove_file(entry.path()) }
        })?;
        if entries.iter().any(marker) {
            std::fs::remove_file(dir.join(MARKER))?;
        }
        std::fs::remove_dir(dir)
    }
    if remove(dir, true).is_err() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Takes the build lock for output folder `name`: a lock on its parent
/// folder (no file is left behind), or on a lock file beside it where a
/// folder cannot be opened. Waits, with a message, while another build
/// holds it. Released when dropped, and by the system if the process dies.
fn lock(parent: &Path, name: &str) -> Result<std::fs::File, WriteError> {
    let file = match std::fs::File::open(parent) {
        Ok(dir) => dir,
        Err(_) => {
            let path = parent.join(format!(".{name}.kiosque-lock"));
            std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(io(&path))?
        }
    };
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!(
                "kiosque : une autre construction écrit dans « {name} », attente de sa fin… / another build is writing “{name}”, waiting for it to finish…"
            );
            file.lock().map_err(io(parent))?;
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(io(parent)(e)),
    }
    Ok(file)
}

/// A build killed during the swap may have left the previous output aside
/// (`.<name>.kiosque-old-*`) and the output missing: put it back. A build
/// killed earlier left its staging folder (`.<name>.kiosque-tmp-*`): with
/// the lock held no other build uses it, so it goes.
fn recover_interrupted(parent: &Path, name: &str, dest: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    let old_prefix = format!(".{name}.kiosque-old-");
    let tmp_prefix = format!(".{name}.kiosque-tmp-");
    for path in entries {
        let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let empty = || std::fs::read_dir(&path).is_ok_and(|mut d| d.next().is_none());
        if file.starts_with(&tmp_prefix) && (path.join(MARKER).is_file() || empty()) {
            let _ = std::fs::remove_dir_all(&path);
        } else if file.starts_with(&old_prefix) && path.join(MARKER).is_file() {
            // Only a folder kiosque marked: a user's `.out.kiosque-old-notes` stays.
            if !dest.exists() {
                let _ = std::fs::rename(&path, dest);
            } else {
                let _ = std::fs::remove_dir_all(&path);
            }
        }
    }
}

/// Marks a folder as kiosque's: an output folder, or a staging folder that
/// will become one.
fn write_marker(dir: &Path) -> Result<(), WriteError> {
    let marker = dir.join(MARKER);
    std::fs::write(&marker, "Dossier généré par kiosque : il est remplacé à chaque construction.\nFolder generated by kiosque: it is replaced on every build.\n").map_err(io(&marker))
}

fn write_all(output: Output, dir: &Path) -> Result<WriteStats, WriteError> {
    // The marker first: a temporary folder with it is ours.
    write_marker(dir)?;
    let (files, failed) = output.finish();
    if let Some((path, source)) = failed {
        return Err(WriteError::Io { path, source });
    }
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter(|(_, c)| !matches!(c, Content::Written(_)))
        .filter_map(|(p, _)| Path::new(p).parent().map(|d| dir.join(d)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(d).map_err(io(d))?;
    }
    let files: Vec<(&String, &Content)> = files.iter().collect();
    let sizes: Result<Vec<u64>, WriteError> = files
        .par_iter()
        .map(|(path, content)| {
            let target = dir.join(path.as_str());
            match content {
                Content::Bytes(bytes) => {
                    std::fs::write(&target, bytes).map_err(io(&target))?;
                    Ok(bytes.len() as u64)
                }
                Content::Written(len) => Ok(*len),
                Content::Copy(source) => std::fs::copy(source, &target).map_err(io(source)),
                Content::Spooled(source) if source.starts_with(dir) => {
                    std::fs::rename(source, &target).map_err(io(source))?;
                    std::fs::metadata(&target).map(|m| m.len()).map_err(io(&target))
                }
                // Kept in the cache: copied (`copy_file_range`, a clone on
                // file systems that share blocks), never linked, so that
                // editing the output cannot change the cache.
                Content::Spooled(source) => std::fs::copy(source, &target).map_err(io(source)),
            }
        })
        .collect();
    let sizes = sizes?;
    Ok(WriteStats { files: sizes.len(), bytes: sizes.iter().sum() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_tree_is_removed_without_following_its_links() {
        let tmp = tempfile::tempdir().unwrap();
        let (tree, outside) = (tmp.path().join("old"), tmp.path().join("outside"));
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("keep.txt"), "gardé").unwrap();
        for d in 0..20 {
            let dir = tree.join(format!("datasets/d{d}/preview"));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("0.json"), "[]").unwrap();
        }
        std::os::unix::fs::symlink(&outside, tree.join("datasets/lien")).unwrap();
        std::os::unix::fs::symlink(outside.join("keep.txt"), tree.join("fichier")).unwrap();
        remove_tree(&tree);
        assert!(!tree.exists());
        assert_eq!(std::fs::read_to_string(outside.join("keep.txt")).unwrap(), "gardé");
    }

    #[test]
    fn refuses_dangerous_destinations() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(site.join("datasets")).unwrap();
        assert!(matches!(check_destination(&site, &site), Err(WriteError::ContainsSite(_))));
        assert!(matches!(check_destination(&site, tmp.path()), Err(WriteError::ContainsSite(_))));
        assert!(matches!(check_destination(&site, Path::new("/")), Err(WriteError::TooBroad(_))));
        // `..` after a folder that does not exist yet still counts.
        let sneaky = site.join("missing/../datasets/out");
        assert!(matches!(check_destination(&site, &sneaky), Err(WriteError::InsideSources(_))), "{sneaky:?}");
        assert_eq!(absolute(&site.join("a/./b/../c")), absolute(&site).join("a/c"));
        assert!(matches!(check_destination(&site, &site.join("datasets/out")), Err(WriteError::InsideSources(_))));
        assert!(check_destination(&site, &site.join("public")).is_ok());
        let foreign = tmp.path().join("documents");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("thesis.odt"), "precious").unwrap();
        assert!(matches!(check_destination(&site, &foreign), Err(WriteError::NotOurs(_))));
    }

    #[test]
    fn swaps_in_and_replaces_only_its_own_output() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(&site).unwrap();
        let out = tmp.path().join("out");
        let o = Output::default();
        o.add("a/b.txt", "one");
        write(o, &site, &out).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a/b.txt")).unwrap(), "one");
        let o = Output::default();
        o.add("c.txt", "two");
        let stats = write(o, &site, &out).unwrap();
        assert_eq!(stats, WriteStats { files: 1, bytes: 3 });
        assert!(!out.join("a/b.txt").exists());
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(leftovers.len(), 2, "{leftovers:?}");
    }

    #[test]
    fn concurrent_builds_take_turns() {
        let tmp = tempfile::tempdir().unwrap();
        let held = lock(tmp.path(), "out").unwrap();
        let parent = tmp.path().to_path_buf();
        let waiter = std::thread::spawn(move || {
            let start = std::time::Instant::now();
            let _second = lock(&parent, "out").unwrap();
            start.elapsed()
        });
        std::thread::sleep(std::time::Duration::from_millis(300));
        drop(held);
        assert!(waiter.join().unwrap() >= std::time::Duration::from_millis(250));
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0, "no lock file left");
    }

    #[test]
    fn recovers_an_output_left_aside_by_a_killed_build() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(&site).unwrap();
        let aside = tmp.path().join(".out.kiosque-old-1234");
        std::fs::create_dir_all(&aside).unwrap();
        std::fs::write(aside.join(MARKER), "").unwrap();
        let out = tmp.path().join("out");
        recover_interrupted(tmp.path(), "out", &out);
        assert!(out.join(MARKER).exists());
        assert!(!aside.exists());
    }

    #[test]
    fn leaves_a_users_folder_named_like_an_old_output() {
        let tmp = tempfile::tempdir().unwrap();
        let notes = tmp.path().join(".out.kiosque-old-notes");
        std::fs::create_dir_all(&notes).unwrap();
        std::fs::write(notes.join("notes.txt"), "mine").unwrap();
        let out = tmp.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join(MARKER), "").unwrap();
        recover_interrupted(tmp.path(), "out", &out);
        assert_eq!(std::fs::read_to_string(notes.join("notes.txt")).unwrap(), "mine");
        // Not even to take its place when the output is missing.
        std::fs::remove_dir_all(&out).unwrap();
        recover_interrupted(tmp.path(), "out", &out);
        assert!(!out.exists() && notes.join("notes.txt").exists());
    }

    /// Two folders swap in one step: each holds what the other held, and
    /// nothing else appears beside them.
    #[cfg(target_os = "linux")]
    #[test]
    fn exchanges_two_folders_at_once() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        for (dir, text) in [(&a, "new"), (&b, "old")] {
            std::fs::create_dir_all(dir).unwrap();
            std::fs::write(dir.join("index.html"), text).unwrap();
        }
        exchange(&a, &b).unwrap();
        assert_eq!(std::fs::read_to_string(b.join("index.html")).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(a.join("index.html")).unwrap(), "old");
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 2);
        assert!(exchange(&a, &tmp.path().join("missing")).is_err());
    }

    #[test]
    fn removes_staging_folders_of_killed_builds_and_nothing_else() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(&site).unwrap();
        // Killed while reading data files: marked, with its spool.
        let killed = tmp.path().join(".out.kiosque-tmp-aaaa");
        std::fs::create_dir_all(killed.join(SPOOL)).unwrap();
        std::fs::write(killed.join(MARKER), "").unwrap();
        // Killed before it could write anything.
        let empty = tmp.path().join(".out.kiosque-tmp-bbbb");
        std::fs::create_dir_all(&empty).unwrap();
        // Not kiosque's (no marker, not empty), and another output's.
        let foreign = tmp.path().join(".out.kiosque-tmp-cccc");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
        let other = tmp.path().join(".other.kiosque-tmp-dddd");
        std::fs::create_dir_all(&other).unwrap();
        let staging = Staging::begin(&site, &tmp.path().join("out")).unwrap();
        assert!(staging.tmp.path().join(MARKER).is_file(), "a staging folder is marked from the start");
        assert!(!killed.exists() && !empty.exists());
        assert!(foreign.join("notes.txt").exists() && other.exists());
    }
}
