//! Reading the text files kiosque parses (site.yaml, sidecars, pages):
//! bounded in size, UTF-8 only, with a located error otherwise.

use std::path::Path;

use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::Lang;
use crate::tr;

pub use crate::limits::MAX_TEXT_FILE;

/// Reads the file `path` (`rel` in messages: its path in the site) as
/// UTF-8 text (a BOM is dropped). Reports a diagnostic and returns `None`
/// when it is a symbolic link (never followed: it may point anywhere), too
/// large, unreadable or not UTF-8.
pub fn read_text(path: &Path, rel: &str, lang: Lang, diags: &mut Diagnostics) -> Option<String> {
    let size = match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => {
            diags.push(link_refused(rel, lang));
            return None;
        }
        Ok(m) => m.len(),
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    "unreadable-file",
                    tr!(lang, "impossible de lire le fichier : {e}", "cannot read the file: {e}"),
                )
                .file(rel)
                .hint(tr!(
                    lang,
                    "vérifiez que le fichier existe et que vous avez le droit de le lire",
                    "check that the file exists and that you may read it"
                )),
            );
            return None;
        }
    };
    if size > MAX_TEXT_FILE {
        diags.push(
            Diagnostic::error(
                "file-too-large",
                tr!(
                    lang,
                    "fichier trop gros ({size} octets) : la limite est de {MAX_TEXT_FILE} octets",
                    "file too large ({size} bytes): the limit is {MAX_TEXT_FILE} bytes"
                ),
            )
            .file(rel)
            .hint(tr!(
                lang,
                "une fiche de métadonnées ne contient que des métadonnées : mettez les données dans un fichier à part",
                "a metadata file holds metadata only: put the data in a separate file"
            )),
        );
        return None;
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    "unreadable-file",
                    tr!(lang, "impossible de lire le fichier : {e}", "cannot read the file: {e}"),
                )
                .file(rel),
            );
            return None;
        }
    };
    decode(&bytes, rel, lang, diags)
}

/// The text of the file `rel` read as `bytes`: UTF-8, a BOM dropped.
/// Reports a diagnostic at the first invalid byte and returns `None` when
/// it is not UTF-8.
pub fn decode(bytes: &[u8], rel: &str, lang: Lang, diags: &mut Diagnostics) -> Option<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text.to_string()),
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let (line, column) = crate::diag::position(valid, valid.len());
            let byte = bytes[e.valid_up_to()];
            diags.push(
                Diagnostic::error(
                    "not-utf8",
                    tr!(
                        lang,
                        "le fichier n'est pas encodé en UTF-8 (octet 0x{byte:02X} ligne {line}, colonne {column})",
                        "the file is not UTF-8 encoded (byte 0x{byte:02X} at line {line}, column {column})"
                    ),
                )
                .file(rel)
                .at(line, column)
                .hint(tr!(
                    lang,
                    "enregistrez le fichier en UTF-8 (dans le Bloc-notes : « Enregistrer sous », Encodage « UTF-8 »)",
                    "save the file as UTF-8 (in Notepad: “Save as”, Encoding “UTF-8”)"
                )),
            );
            None
        }
    }
}

/// The error for a file kiosque must read (`site.yaml`, a sidecar) that is
/// a symbolic link.
pub fn link_refused(rel: &str, lang: Lang) -> Diagnostic {
    Diagnostic::error(
        "symlink-refused",
        tr!(
            lang,
            "« {rel} » est un lien symbolique : kiosque ne suit pas les liens, le fichier n'est pas lu",
            "“{rel}” is a symbolic link: kiosque does not follow links, the file is not read"
        ),
    )
    .file(rel)
    .hint(tr!(
        lang,
        "remplacez le lien par une copie du fichier lui-même",
        "replace the link with a copy of the file itself"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_the_first_invalid_byte() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.yaml"), b"title: ok\ndescription: caf\xe9\n").unwrap();
        std::fs::write(dir.path().join("b.yaml"), b"\xEF\xBB\xBFtitle: ok\n").unwrap();
        let mut diags = Diagnostics::default();
        assert!(read_text(&dir.path().join("a.yaml"), "a.yaml", Lang::Fr, &mut diags).is_none());
        let d = &diags.diagnostics[0];
        assert_eq!((d.code, d.line, d.column), ("not-utf8", Some(2), Some(17)));
        assert_eq!(read_text(&dir.path().join("b.yaml"), "b.yaml", Lang::Fr, &mut diags).unwrap(), "title: ok\n");
        // Lines end as the YAML parser says, a lone \r included.
        let mut diags = Diagnostics::default();
        assert!(decode(b"title: ok\rdescription: caf\xe9\r\n", "c.yaml", Lang::Fr, &mut diags).is_none());
        let d = &diags.diagnostics[0];
        assert_eq!((d.line, d.column), (Some(2), Some(17)));
    }
}
