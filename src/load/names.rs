//! File and folder names that are not UTF-8. Linux keeps a name as the bytes
//! it was given: an archive or a network share made on Windows often holds
//! names in Windows-1252 (`caf\xE9.csv`). kiosque publishes such a file under
//! the name decoded from Windows-1252 (`café.csv`), warns so the publisher can
//! rename it, and keeps the real name to read it (see
//! [`crate::model::DiskPaths`]).

use std::borrow::Cow;
use std::ffi::OsStr;

use crate::diag::Diagnostic;
use crate::lang::Lang;
use crate::tr;

/// The name as text: itself when it is UTF-8, else decoded from
/// Windows-1252.
pub fn text(name: &OsStr) -> Cow<'_, str> {
    match name.to_str() {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(decode(name)),
    }
}

/// Whether the name is not UTF-8 (and so is published under a decoded name).
pub fn is_not_utf8(name: &OsStr) -> bool {
    name.to_str().is_none()
}

#[cfg(unix)]
fn decode(name: &OsStr) -> String {
    use std::os::unix::ffi::OsStrExt;
    encoding_rs::WINDOWS_1252.decode_without_bom_handling(name.as_bytes()).0.into_owned()
}

#[cfg(not(unix))]
fn decode(name: &OsStr) -> String {
    // Elsewhere names are Unicode; only lone surrogates fail, and are replaced.
    name.to_string_lossy().into_owned()
}

/// The name as it is on disk, for messages: the bytes that are not UTF-8
/// are shown as `\xE9`.
pub fn raw(name: &OsStr) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in name.as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        name.to_string_lossy().into_owned()
    }
}

/// The warning for a file or folder whose name is not UTF-8, known to
/// kiosque as `path` (a model path, whose last segment is the decoded name).
pub fn not_utf8_warning(path: &str, name: &OsStr, is_dir: bool, lang: Lang) -> Diagnostic {
    let (raw, decoded) = (raw(name), text(name));
    let message = if is_dir {
        tr!(
            lang,
            "le nom du dossier « {raw} » n'est pas en UTF-8 : kiosque le lit comme « {decoded} »",
            "the name of the folder “{raw}” is not UTF-8: kiosque reads it as “{decoded}”"
        )
    } else {
        tr!(
            lang,
            "le nom du fichier « {raw} » n'est pas en UTF-8 : kiosque le lit comme « {decoded} »",
            "the name of the file “{raw}” is not UTF-8: kiosque reads it as “{decoded}”"
        )
    };
    Diagnostic::warning("file-name-not-utf8", message).file(path).hint(tr!(
        lang,
        "renommez-le « {decoded} » (les archives zip créées sous Windows gardent souvent d'anciens noms) : rien d'autre ne change, pas même son adresse publiée",
        "rename it “{decoded}” (zip archives made on Windows often keep names in an old encoding): nothing else changes, not even its published address"
    ))
}

/// The error for a name that is not UTF-8 and, decoded, is the name of
/// another file or folder beside it, `path` (a model path).
pub fn collision_error(path: &str, name: &OsStr, lang: Lang) -> Diagnostic {
    let (raw, decoded) = (raw(name), text(name));
    let raw = match path.rsplit_once('/') {
        Some((parent, _)) => format!("{parent}/{raw}"),
        None => raw,
    };
    Diagnostic::error(
        "file-name-collision",
        tr!(
            lang,
            "« {raw} » (un nom qui n'est pas en UTF-8) et « {path} » portent le même nom une fois lus, « {decoded} » : « {raw} » est ignoré",
            "“{raw}” (a name that is not UTF-8) and “{path}” have the same name once read, “{decoded}”: “{raw}” is ignored"
        ),
    )
    .file(path)
    .hint(tr!(
        lang,
        "gardez un seul des deux, ou renommez l'autre sous un nom différent",
        "keep only one of the two, or give the other a different name"
    ))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::ffi::OsStrExt;

    #[test]
    fn names_that_are_not_utf8_are_decoded_from_windows_1252() {
        let latin1 = OsStr::from_bytes(b"caf\xe9 \x80.csv");
        assert!(is_not_utf8(latin1));
        assert_eq!(text(latin1), "café €.csv");
        assert_eq!(raw(latin1), r"caf\xE9 \x80.csv");
        let utf8 = OsStr::new("café.csv");
        assert!(!is_not_utf8(utf8));
        assert_eq!(text(utf8), "café.csv");
        assert_eq!(raw(utf8), "café.csv");
    }
}
