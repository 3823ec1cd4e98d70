//! `kiosque add FILE [--dataset SLUG]`: writes the sidecar of a data file
//! with what can be inferred — a title from the file name, the format, the
//! detected encoding, separators and decimal mark, the columns with their
//! types — and commented placeholders for what a person must write
//! (description, licence, themes…), in the site's language. An existing
//! sidecar is never overwritten.
//!
//! A file in its own folder (`datasets/budget/budget.csv`) gets
//! `datasets/budget/dataset.yaml`; a file directly in `datasets/`
//! (`datasets/budget.csv`) gets `datasets/budget.yaml`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::lang::Lang;
use crate::tr;

/// Why no sidecar was written.
#[derive(Debug, thiserror::Error)]
pub enum AddError {
    #[error("{0}")]
    Refused(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The site folder around `file`: the nearest parent with a `site.yaml`.
fn site_root(file: &Path) -> Option<PathBuf> {
    file.ancestors().skip(1).find(|dir| dir.join("site.yaml").is_file()).map(Path::to_path_buf)
}

/// Where the sidecar of `file` goes.
fn sidecar_path(file: &Path) -> PathBuf {
    let dir = file.parent().unwrap_or(Path::new("."));
    if dir.file_name().is_some_and(|n| n == "datasets") {
        let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        dir.join(format!("{stem}.yaml"))
    } else {
        dir.join("dataset.yaml")
    }
}

/// A title from a file name: `budget-primitif_2025.csv` → `Budget primitif 2025`.
pub fn title_from_name(name: &str) -> String {
    let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name);
    let words: Vec<&str> = stem.split(['-', '_', ' ', '.']).filter(|w| !w.is_empty()).collect();
    let mut title = words.join(" ");
    if let Some(first) = title.chars().next() {
        title = first.to_uppercase().collect::<String>() + &title[first.len_utf8()..];
    }
    title
}

/// A YAML string, quoted when needed.
fn yaml_text(s: &str) -> String {
    let plain = !s.is_empty()
        && !s.starts_with([
            ' ', '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`',
        ])
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.ends_with([' ', ':'])
        && !matches!(s.to_lowercase().as_str(), "true" | "false" | "yes" | "no" | "null" | "~" | "oui" | "non")
        && s.parse::<f64>().is_err();
    if plain { s.to_string() } else { serde_json::to_string(s).unwrap_or_default() }
}

/// Writes the sidecar of `file`; returns its path.
pub fn add(file: &Path, slug: Option<&str>) -> Result<PathBuf, AddError> {
    let root = site_root(file);
    let lang = root.as_deref().map(crate::load::site_language).unwrap_or_default();
    if !file.is_file() {
        return Err(AddError::Refused(tr!(lang, "« {} » n'est pas un fichier", "“{}” is not a file", file.display())));
    }
    let sidecar = sidecar_path(file);
    if sidecar.exists() {
        return Err(AddError::Refused(tr!(
            lang,
            "« {} » existe déjà : kiosque ne l'écrase jamais (complétez-le, ou supprimez-le d'abord)",
            "“{}” already exists: kiosque never overwrites it (complete it, or delete it first)",
            sidecar.display()
        )));
    }
    let text = sidecar_text(file, slug, lang).map_err(|source| AddError::Io { path: file.to_path_buf(), source })?;
    // `create_new`: never replace a sidecar written in the meantime.
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&sidecar)
        .map_err(|source| AddError::Io { path: sidecar.clone(), source })?;
    std::io::Write::write_all(&mut out, text.as_bytes())
        .map_err(|source| AddError::Io { path: sidecar.clone(), source })?;
    Ok(sidecar)
}

fn sidecar_text(file: &Path, slug: Option<&str>, lang: Lang) -> std::io::Result<String> {
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let format = crate::vocab::format_for_path(&name);
    let mut y = String::new();
    let _ = writeln!(
        y,
        "{}",
        lang.pick(
            "# Fiche écrite par « kiosque add » : complétez les lignes en commentaire (#), puis lancez « kiosque check ».",
            "# Sidecar written by “kiosque add”: fill in the commented lines (#), then run “kiosque check”."
        )
    );
    if let Some(slug) = slug {
        let _ = writeln!(y, "slug: {}", yaml_text(slug));
    }
    let _ = writeln!(y, "title: {}", yaml_text(&title_from_name(&name)));
    let _ = writeln!(
        y,
        "{}",
        lang.pick(
            "# description: ce que contiennent les données, d'où elles viennent, comment les lire (obligatoire)",
            "# description: what the data holds, where it comes from, how to read it (required)"
        )
    );
    let _ = writeln!(
        y,
        "{}",
        lang.pick(
            "# license: etalab-2.0        # obligatoire si site.yaml n'a pas de licence par défaut",
            "# license: etalab-2.0        # required unless site.yaml has a default licence"
        )
    );
    let _ = writeln!(
        y,
        "{}",
        lang.pick(
            "# themes: [GOVE]            # AGRI, ECON, EDUC, ENER, ENVI, GOVE, HEAL, INTR, JUST, REGI, SOCI, TECH, TRAN",
            "# themes: [GOVE]            # AGRI, ECON, EDUC, ENER, ENVI, GOVE, HEAL, INTR, JUST, REGI, SOCI, TECH, TRAN"
        )
    );
    let _ = writeln!(y, "# keywords: []");
    let _ = writeln!(
        y,
        "{}",
        lang.pick(
            "# frequency: annual         # daily, weekly, monthly, quarterly, annual, irregular…",
            "# frequency: annual         # daily, weekly, monthly, quarterly, annual, irregular…"
        )
    );
    let _ = writeln!(y, "# modified: {}", crate::quality::today());
    let is_table = format.is_some_and(|f| matches!(f.label, "CSV" | "TSV"));
    if is_table {
        let mut scan = Scan(None);
        let profile = crate::tabular::profile_path_observed(
            file,
            &crate::tabular::DialectOptions::default(),
            Some(&mut scan),
            false,
        )?;
        let d = &profile.dialect;
        let _ = writeln!(
            y,
            "{}",
            lang.pick("# Détecté dans le fichier (corrigez si besoin) :", "# Detected in the file (fix if needed):")
        );
        if d.encoding != "UTF-8" {
            let _ = writeln!(y, "encoding: {}", d.encoding.to_lowercase());
        }
        if d.delimiter != b',' {
            let delimiter = if d.delimiter == b'\t' { "\\t".to_string() } else { (d.delimiter as char).to_string() };
            let _ = writeln!(y, "delimiter: {}", yaml_text(&delimiter));
        }
        if d.decimal != b'.' {
            let _ = writeln!(y, "decimal: {}", yaml_text(&(d.decimal as char).to_string()));
        }
        let _ = writeln!(
            y,
            "{}",
            lang.pick(
                "# Colonnes et types détectés (schéma de table inféré) :",
                "# Columns and types detected (inferred Table Schema):"
            )
        );
        for c in &profile.columns {
            let _ = writeln!(y, "#   - {}: {}", c.name, crate::export::column_type(c.kind));
        }
        let findings = scan.0.map(crate::personal::Scanner::finish).unwrap_or_default();
        if !findings.is_empty() {
            let mut columns: Vec<&str> = findings.iter().map(|f| f.column.as_str()).collect();
            columns.dedup();
            let _ = writeln!(
                y,
                "{}",
                tr!(
                    lang,
                    "# Données personnelles possibles (colonnes : {}) : vérifiez qu'il est permis de les publier,\n# puis décommentez la ligne suivante (ou retirez ces colonnes du fichier).\n# personal_data: reviewed",
                    "# Possible personal data (columns: {}): check that it is lawful to publish it,\n# then uncomment the next line (or remove these columns from the file).\n# personal_data: reviewed",
                    columns.join(", ")
                )
            );
        }
        let _ = writeln!(
            y,
            "{}",
            lang.pick(
                "# schema: scdl-budget       # si le fichier suit un schéma national (voir README)",
                "# schema: scdl-budget       # if the file follows a national schema (see README)"
            )
        );
    } else if let Some(f) = format {
        let _ = writeln!(y, "# format: {}", f.label);
    }
    Ok(y)
}

/// The personal data scan of the file, fed by its single read.
struct Scan(Option<crate::personal::Scanner>);

impl crate::tabular::RowObserver for Scan {
    fn header(&mut self, line: u64, names: &[String], _dialect: &crate::tabular::Dialect) {
        self.0 = Some(crate::personal::Scanner::new(names, line));
    }

    fn row(&mut self, line: u64, cells: &[&str], record: &str) {
        if let Some(s) = &mut self.0 {
            s.row(line, cells, record);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_and_yaml_text() {
        assert_eq!(title_from_name("budget-primitif_2025.csv"), "Budget primitif 2025");
        assert_eq!(title_from_name("état-civil.xlsx"), "État civil");
        assert_eq!(yaml_text("Budget 2025"), "Budget 2025");
        assert_eq!(yaml_text("2025"), "\"2025\"");
        assert_eq!(yaml_text("oui"), "\"oui\"");
        assert_eq!(yaml_text("a: b"), "\"a: b\"");
        assert_eq!(yaml_text(";"), ";");
    }

    #[test]
    fn sidecar_places() {
        assert_eq!(sidecar_path(Path::new("s/datasets/b/b.csv")), Path::new("s/datasets/b/dataset.yaml"));
        assert_eq!(sidecar_path(Path::new("s/datasets/b.csv")), Path::new("s/datasets/b.yaml"));
    }
}
