//! Stage `profile`: reads each local resource once, in a streaming pass with
//! bounded memory, and records its size and SHA-256. Resources are
//! independent, so they are read in parallel on all cores.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::tr;

/// What reading a resource taught us.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceProfile {
    pub bytes: u64,
    /// Lowercase hexadecimal SHA-256.
    pub sha256: String,
}

/// Profiles of every local resource, by path relative to the site.
#[derive(Clone, Debug, Default)]
pub struct Profiles {
    pub resources: BTreeMap<String, ResourceProfile>,
}

impl Profiles {
    pub fn get(&self, path: &str) -> Option<&ResourceProfile> {
        self.resources.get(path)
    }
}

/// Streams one file through SHA-256.
pub fn hash_file(path: &Path) -> std::io::Result<ResourceProfile> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        bytes += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok(ResourceProfile { bytes, sha256: crate::util::hex(&hasher.finalize()) })
}

/// Profiles every local resource of the site.
pub fn profile(site: &Site) -> (Profiles, Diagnostics) {
    let lang = site.lang();
    let mut paths: Vec<&str> =
        site.datasets.iter().flat_map(|d| d.resources.iter()).filter_map(|r| r.local_path()).collect();
    paths.sort_unstable();
    paths.dedup();
    let results: Vec<(String, std::io::Result<ResourceProfile>)> =
        paths.into_par_iter().map(|p| (p.to_string(), hash_file(&site.root.join(p)))).collect();
    let mut profiles = Profiles::default();
    let mut diags = Diagnostics::default();
    for (path, result) in results {
        match result {
            Ok(p) => {
                profiles.resources.insert(path, p);
            }
            Err(e) => diags.push(
                Diagnostic::error(
                    "unreadable-file",
                    tr!(lang, "impossible de lire le fichier : {e}", "cannot read the file: {e}"),
                )
                .file(&path)
                .hint(tr!(
                    lang,
                    "vérifiez que le fichier existe et que vous avez le droit de le lire",
                    "check that the file exists and that you may read it"
                )),
            ),
        }
    }
    (profiles, diags)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_like_sha256sum() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, "abc").unwrap();
        let prof = hash_file(&p).unwrap();
        assert_eq!(prof.bytes, 3);
        assert_eq!(prof.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
