//! Resolving a resource path written in a sidecar, safely: a path may name
//! only a file inside its dataset. Nothing outside is ever read or copied.

use std::path::{Path, PathBuf};

/// Why a declared path is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum PathProblem {
    Empty,
    Absolute,
    /// Climbs out of the dataset (`..`), directly or through a link.
    Outside,
    NotFound,
    IsFolder,
}

/// Resolves `declared` (relative to the dataset folder `dir`, itself
/// relative to `root`) to a path relative to the dataset folder, with `/`
/// separators, after checking it stays inside and names an existing file.
pub fn resolve(root: &Path, dir: &str, declared: &str) -> Result<String, PathProblem> {
    let declared = declared.trim();
    if declared.is_empty() || declared.contains('\0') {
        return Err(PathProblem::Empty);
    }
    let bytes = declared.as_bytes();
    let drive = bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':';
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
        return Err(PathProblem::Empty);
    }
    let rel = parts.join("/");
    let dir_abs = root.join(dir);
    let full: PathBuf = dir_abs.join(&rel);
    let meta = std::fs::symlink_metadata(&full).map_err(|_| PathProblem::NotFound)?;
    if meta.file_type().is_symlink() || has_link_between(&dir_abs, &parts) {
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

/// Whether one of the intermediate folders of `parts` under `base` is a link.
fn has_link_between(base: &Path, parts: &[&str]) -> bool {
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
        assert_eq!(resolve(root, "datasets/a", "sub/x.csv"), Ok("sub/x.csv".into()));
        assert_eq!(resolve(root, "datasets/a", "./sub/../sub/x.csv"), Ok("sub/x.csv".into()));
        assert_eq!(resolve(root, "datasets/a", "../../secret.txt"), Err(PathProblem::Outside));
        assert_eq!(resolve(root, "datasets/a", "sub/../../b.csv"), Err(PathProblem::Outside));
        assert_eq!(resolve(root, "datasets/a", "sub/../b.csv"), Err(PathProblem::NotFound));
        assert_eq!(resolve(root, "datasets/a", "/etc/passwd"), Err(PathProblem::Absolute));
        assert_eq!(resolve(root, "datasets/a", "C:\\x.csv"), Err(PathProblem::Absolute));
        assert_eq!(resolve(root, "datasets/a", "..\\..\\secret.txt"), Err(PathProblem::Outside));
        assert_eq!(resolve(root, "datasets/a", "sub"), Err(PathProblem::IsFolder));
        assert_eq!(resolve(root, "datasets/a", "nope.csv"), Err(PathProblem::NotFound));
        assert_eq!(resolve(root, "datasets/a", ""), Err(PathProblem::Empty));
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
        assert_eq!(resolve(root, "datasets/a", "link.csv"), Err(PathProblem::Outside));
        assert_eq!(resolve(root, "datasets/a", "up/secret.txt"), Err(PathProblem::Outside));
    }
}
