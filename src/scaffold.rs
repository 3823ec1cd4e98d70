//! `kiosque new DIR`: writes a small starter site (two datasets, one page)
//! that builds as it is. The site is embedded in the binary.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

static STARTER: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/src/scaffold/site");

#[derive(Debug, thiserror::Error)]
pub enum NewError {
    #[error(
        "le dossier « {0} » existe déjà et n'est pas vide : choisissez un nouveau dossier / the folder “{0}” already exists and is not empty: choose a new folder"
    )]
    NotEmpty(PathBuf),
    #[error("écriture impossible / cannot write « {path} »: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn write_dir(dir: &Dir, dest: &Path) -> Result<usize, NewError> {
    let mut n = 0;
    for file in dir.files() {
        let path = dest.join(file.path());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| NewError::Io { path: parent.to_path_buf(), source })?;
        }
        std::fs::write(&path, file.contents()).map_err(|source| NewError::Io { path: path.clone(), source })?;
        n += 1;
    }
    for sub in dir.dirs() {
        n += write_dir(sub, dest)?;
    }
    Ok(n)
}

/// Writes the starter site into `dest`, which must be missing or empty.
/// Returns the number of files written.
pub fn new_site(dest: &Path) -> Result<usize, NewError> {
    if dest.exists() {
        let empty = dest.is_dir() && std::fs::read_dir(dest).map(|mut d| d.next().is_none()).unwrap_or(false);
        if !empty {
            return Err(NewError::NotEmpty(dest.to_path_buf()));
        }
    }
    std::fs::create_dir_all(dest).map_err(|source| NewError::Io { path: dest.to_path_buf(), source })?;
    write_dir(&STARTER, dest)
}
