//! The default `modified` date of a dataset that does not declare one: the
//! date of the last git commit touching its files when the site is in a git
//! repository, else the newest modification time of its files (UTC).

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

/// Last commit date (`YYYY-MM-DD`, committer's date) of every file tracked
/// under `root`, keyed by path relative to `root`. `None` when `root` is
/// not in a git work tree or git is not installed.
pub fn git_dates(root: &Path) -> Option<HashMap<String, String>> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "core.quotepath=off",
            "log",
            "--format=%x01%cs",
            "--name-only",
            "--relative",
            "--no-renames",
            "--",
            ".",
        ])
        .env("GIT_PAGER", "cat")
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let mut dates = HashMap::new();
    let mut current = String::new();
    for line in text.lines() {
        if let Some(date) = line.strip_prefix('\u{1}') {
            current = date.to_string();
        } else if !line.is_empty() {
            // Newest commits come first: keep the first date seen.
            dates.entry(line.to_string()).or_insert_with(|| current.clone());
        }
    }
    Some(dates)
}

/// The modification date (UTC) of a file.
pub fn mtime_date(path: &Path) -> Option<String> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    let ts = jiff::Timestamp::try_from(modified).ok()?;
    Some(ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date().to_string())
}

/// The newest date among `files` (model paths, relative to `root`): from
/// git where a file is committed, else from its modification time.
pub fn newest(
    root: &Path,
    disk: &crate::model::DiskPaths,
    files: &[&str],
    git: Option<&HashMap<String, String>>,
) -> Option<String> {
    files
        .iter()
        .filter_map(|f| git.and_then(|g| g.get(*f).cloned()).or_else(|| mtime_date(&root.join(disk.on_disk(f)))))
        .max()
}
