//! Resolving a resource path written in a sidecar, safely: a path may name
//! only a file inside its dataset. Nothing outside is ever read or copied.

use std::path::{Path, PathBuf};

use crate::model::DiskPaths;

/// Why a declared path is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum PathProblem {
    Empty,
    /// Holds a control character (a NUL byte, a line break…), which no
    /// file name of a dataset has.
    ControlCharacter,
    /// An address (`file:///…`, `https://…`, `javascript:…`), not a path.
    Url,
    Absolute,
    /// Climbs out of the dataset (`..`), directly or through a link.
    Outside,
    NotFound,
    IsFolder,
}

/// Whether `path` starts with a URL scheme (`file:`, `https:`…): letters,
/// then letters, digits, `+`, `-` or `.`, then `:`. One letter is a
/// Windows drive (`C:`), not a scheme.
pub fn has_scheme(path: &str) -> bool {
    let Some((scheme, _)) = path.split_once(':') else { return false };
    scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Resolves `declared` (relative to the dataset folder `dir`, itself
/// relative to `root`) to a path relative to the dataset folder, with `/`
/// separators, after checking it stays inside and names an existing file.
/// The path is taken as it is written: `%2e` is not decoded, `~` is not a
/// home folder. Files whose names are not UTF-8 are found by their decoded
/// names (see [`DiskPaths`]). Nothing outside the dataset is opened.
pub fn resolve(root: &Path, disk: &DiskPaths, dir: &str, declared: &str) -> Result<String, PathProblem> {
    let declared = declared.trim();
    if declared.is_empty() {
        return Err(PathProblem::Empty);
    }
    if declared.chars().any(char::is_control) {
        return Err(PathProblem::ControlCharacter);
    }
    if has_scheme(declared) {
        return Err(PathProblem::Url);
    }
    let bytes = declared.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
    // `/x`, `//server/x`, `\\server\share\x`, `\x`, `C:\x`, `C:x`, `~/x`.
    if declared.starts_with('/') || declared.starts_with('\\') || drive || declared.starts_with('~') {
        return Err(PathProblem::Absolute);
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in declared.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(PathProblem::Outside);
                }
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        // `.` or `sub/..`: the dataset folder itself.
        return Err(PathProblem::IsFolder);
    }
    let rel = parts.join("/");
    let dir_abs = root.join(disk.on_disk(dir));
    let full: PathBuf = root.join(disk.on_disk(&format!("{dir}/{rel}")));
    let meta = std::fs::symlink_metadata(&full).map_err(|_| PathProblem::NotFound)?;
    let linked = match full.strip_prefix(&dir_abs) {
        Ok(inside) => has_link_between(&dir_abs, inside),
        Err(_) => true,
    };
    if meta.file_type().is_symlink() || linked {
        // A link may point anywhere: accept it only if its target is inside.
        let target = full.canonicalize().map_err(|_| PathProblem::NotFound)?;
        let base = dir_abs.canonicalize().map_err(|_| PathProblem::NotFound)?;
        if !target.starts_with(&base) {
            return Err(PathProblem::Outside);
        }
    }
    if std::fs::metadata(&full).map_err(|_| PathProblem::NotFound)?.is_dir() {
        return Err(PathProblem::IsFolder);
    }
    Ok(rel)
}

/// Whether one of the intermediate folders of `inside` (a path under
/// `base`) is a link.
fn has_link_between(base: &Path, inside: &Path) -> bool {
    let parts: Vec<_> = inside.components().collect();
    let mut cur = base.to_path_buf();
    for part in &parts[..parts.len().saturating_sub(1)] {
        cur.push(part);
        if std::fs::symlink_metadata(&cur).map(|m| m.file_type().is_symlink()).unwrap_or(false) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_leave_the_dataset() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("datasets/a/sub")).unwrap();
        std::fs::write(root.join("datasets/a/sub/x.csv"), "a\n1\n").unwrap();
        std::fs::write(root.join("secret.txt"), "s").unwrap();
        assert_eq!(resolve(root, &DiskPaths::default(), "datasets/a", "sub/x.csv"), Ok("sub/x.csv".into()));
        assert_eq!(resolve(root, &DiskPaths::default(), "datasets/a", "./sub/../sub/x.csv"), Ok("sub/x.csv".into()));
        assert_eq!(resolve(root, &DiskPaths::default(), "datasets/a", "../../secret.txt"), Err(PathProblem::Outside));
        assert_eq!(resolve(root, &DiskPaths::default(), "datasets/a", "sub/../../b.csv"), Err(PathProblem::Outside));
        assert_eq!(resolve(root, &DiskPaths::default(), "datasets/a", "sub/../b.csv"), Err(PathProblem::NotFound));
        assert_eq!(resolve(root, &DiskPaths::default(), "datasets/a", "/etc/passwd"), Err(PathProblem::Absolute));
        assert_eq!(resolve(root, &DiskPaths::default(), "datasets/a", "C:\\x.csv"), Err(PathProblem::Absolute));
        assert_eq!(resolve(root, &DiskPaths::default(), "datasets/a", "..\\..\\secret.txt"), Err(PathProblem::Outside));
        assert_eq!(resolve(root, &DiskPaths::default(), "datasets/a", "sub"), Err(PathProblem::IsFolder));
        assert_eq!(resolve(root, &DiskPaths::default(), "datasets/a", "nope.csv"), Err(PathProblem::NotFound));
        assert_eq!(resolve(root, &DiskPaths::default(), "datasets/a", ""), Err(PathProblem::Empty));
        let none = DiskPaths::default();
        assert_eq!(resolve(root, &none, "datasets/a", "sub/.."), Err(PathProblem::IsFolder));
        for absolute in [r"\\server\share\x.csv", "//server/x.csv", "C:x.csv", "c:/x.csv", "~/x.csv"] {
            assert_eq!(resolve(root, &none, "datasets/a", absolute), Err(PathProblem::Absolute), "{absolute}");
        }
        for url in ["file:///etc/passwd", "https://example.org/x.csv", "javascript:alert(1)", "FILE:x"] {
            assert_eq!(resolve(root, &none, "datasets/a", url), Err(PathProblem::Url), "{url}");
        }
        for control in ["sub/x.csv\0", "sub/\0../../secret.txt", "a\nb.csv", "a\u{1b}.csv"] {
            assert_eq!(resolve(root, &none, "datasets/a", control), Err(PathProblem::ControlCharacter), "{control:?}");
        }
        // Percent signs are part of the name: nothing is decoded.
        for encoded in ["%2e%2e/%2e%2e/secret.txt", "%2e%2e%2f%2e%2e%2fsecret.txt", "..%2f..%2fsecret.txt"] {
            assert_eq!(resolve(root, &none, "datasets/a", encoded), Err(PathProblem::NotFound), "{encoded}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn refuses_links_pointing_outside() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("datasets/a")).unwrap();
        std::fs::write(root.join("secret.txt"), "s").unwrap();
        std::os::unix::fs::symlink(root.join("secret.txt"), root.join("datasets/a/link.csv")).unwrap();
        std::os::unix::fs::symlink(root, root.join("datasets/a/up")).unwrap();
        assert_eq!(resolve(root, &DiskPaths::default(), "datasets/a", "link.csv"), Err(PathProblem::Outside));
        assert_eq!(resolve(root, &DiskPaths::default(), "datasets/a", "up/x.csv"), Err(PathProblem::NotFound));
        assert_eq!(resolve(root, &DiskPaths::default(), "datasets/a", "up/secret.txt"), Err(PathProblem::Outside));
    }
}

#[cfg(all(test, unix))]
mod disk_names {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    /// A file whose name is not UTF-8 is found by its decoded name, in a
    /// folder whose name is not UTF-8 either.
    #[test]
    fn finds_files_by_their_decoded_names() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let folder = Path::new("datasets").join(std::ffi::OsStr::from_bytes(b"caf\xe9"));
        std::fs::create_dir_all(root.join(&folder)).unwrap();
        let file = folder.join(std::ffi::OsStr::from_bytes(b"\xe9t\xe9.csv"));
        std::fs::write(root.join(&file), "a\n1\n").unwrap();
        let mut disk = DiskPaths::default();
        disk.insert("datasets/café".into(), folder.clone());
        disk.insert("datasets/café/été.csv".into(), file.clone());
        assert_eq!(disk.on_disk("datasets/café/sub/x.csv"), folder.join("sub/x.csv"));
        assert_eq!(resolve(root, &disk, "datasets/café", "./été.csv"), Ok("été.csv".into()));
        assert_eq!(resolve(root, &disk, "datasets/café", "ete.csv"), Err(PathProblem::NotFound));
    }
}
