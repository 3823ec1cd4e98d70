//! Controlled vocabularies: licences, EU data themes, update frequencies,
//! file formats. One table each, shared by validation, rendering and export.

use crate::lang::Lang;

/// A licence kiosque knows, with its canonical identifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct License {
    pub id: &'static str,
    pub name_fr: &'static str,
    pub name_en: &'static str,
    pub url: &'static str,
    /// Other spellings referents use for the same licence.
    pub aliases: &'static [&'static str],
    /// The licence in data.gouv.fr's list (its `id` and `title`, as its API
    /// answers `/api/1/datasets/licenses/`): the catalogue names it by that
    /// title, which the national portal's harvester matches exactly
    /// (udata's `License.guess_one`, by slug), where the licence's own URL
    /// is not in its list.
    pub datagouv: (&'static str, &'static str),
}

impl License {
    pub fn name(&self, lang: Lang) -> &'static str {
        lang.pick(self.name_fr, self.name_en)
    }
}

pub const LICENSES: &[License] = &[
    License {
        id: "etalab-2.0",
        name_fr: "Licence Ouverte / Open Licence 2.0",
        name_en: "Open Licence 2.0 (Etalab)",
        url: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        aliases: &["lo-2.0", "licence-ouverte-2.0", "licence-ouverte", "open-licence-2.0", "etalab"],
        datagouv: ("lov2", "Licence Ouverte / Open Licence version 2.0"),
    },
    License {
        id: "etalab-1.0",
        name_fr: "Licence Ouverte / Open Licence 1.0",
        name_en: "Open Licence 1.0 (Etalab)",
        url: "https://www.etalab.gouv.fr/wp-content/uploads/2014/05/Licence_Ouverte.pdf",
        aliases: &["lo-1.0", "licence-ouverte-1.0"],
        datagouv: ("fr-lo", "Licence Ouverte / Open Licence"),
    },
    License {
        id: "ODbL-1.0",
        name_fr: "Open Database License (ODbL) 1.0",
        name_en: "Open Database License (ODbL) 1.0",
        url: "https://opendatacommons.org/licenses/odbl/1-0/",
        aliases: &["odbl"],
        datagouv: ("odc-odbl", "Open Data Commons Open Database License (ODbL)"),
    },
    License {
        id: "ODC-By-1.0",
        name_fr: "Open Data Commons Attribution 1.0",
        name_en: "Open Data Commons Attribution 1.0",
        url: "https://opendatacommons.org/licenses/by/1-0/",
        aliases: &["odc-by"],
        datagouv: ("odc-by", "Open Data Commons Attribution License"),
    },
    License {
        id: "PDDL-1.0",
        name_fr: "Open Data Commons Public Domain Dedication and Licence 1.0",
        name_en: "Open Data Commons Public Domain Dedication and Licence 1.0",
        url: "https://opendatacommons.org/licenses/pddl/1-0/",
        aliases: &["pddl"],
        datagouv: ("odc-pddl", "Open Data Commons Public Domain Dedication and Licence (PDDL)"),
    },
    License {
        id: "CC-BY-4.0",
        name_fr: "Creative Commons Attribution 4.0",
        name_en: "Creative Commons Attribution 4.0",
        url: "https://creativecommons.org/licenses/by/4.0/",
        aliases: &["cc-by"],
        datagouv: ("cc-by", "Creative Commons Attribution"),
    },
    License {
        id: "CC-BY-SA-4.0",
        name_fr: "Creative Commons Attribution – Partage dans les mêmes conditions 4.0",
        name_en: "Creative Commons Attribution-ShareAlike 4.0",
        url: "https://creativecommons.org/licenses/by-sa/4.0/",
        aliases: &["cc-by-sa"],
        datagouv: ("cc-by-sa", "Creative Commons Attribution Share-Alike"),
    },
    License {
        id: "CC0-1.0",
        name_fr: "Creative Commons Zero 1.0 (domaine public)",
        name_en: "Creative Commons Zero 1.0 (public domain)",
        url: "https://creativecommons.org/publicdomain/zero/1.0/",
        aliases: &["cc0", "cc-0", "cc-zero"],
        datagouv: ("cc-zero", "Creative Commons CCZero"),
    },
];

/// Finds a licence by its identifier, case-insensitively; aliases are not
/// accepted here (they are suggested as the canonical id instead).
pub fn license(id: &str) -> Option<&'static License> {
    LICENSES.iter().find(|l| l.id.eq_ignore_ascii_case(id))
}

/// The licence a mistyped identifier most likely meant.
pub fn suggest_license(id: &str) -> Option<&'static License> {
    let norm = id.trim().to_lowercase().replace([' ', '_'], "-");
    if let Some(l) = LICENSES.iter().find(|l| l.aliases.contains(&norm.as_str())) {
        return Some(l);
    }
    // The longest alias the text starts with (`cc-by-sa-3.0` is CC-BY-SA).
    let by_prefix = LICENSES
        .iter()
        .flat_map(|l| l.aliases.iter().map(move |a| (a, l)))
        .filter(|(a, _)| norm.starts_with(**a))
        .max_by_key(|(a, _)| a.len());
    if let Some((_, l)) = by_prefix {
        return Some(l);
    }
    let best = crate::util::nearest(&norm, LICENSES.iter().map(|l| l.id))?;
    license(best)
}

/// An EU data theme (the "Data Theme" authority table).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub code: &'static str,
    pub fr: &'static str,
    pub en: &'static str,
}

impl Theme {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.fr, self.en)
    }

    pub fn iri(&self) -> String {
        format!("http://publications.europa.eu/resource/authority/data-theme/{}", self.code)
    }
}

pub const THEMES: &[Theme] = &[
    Theme {
        code: "AGRI",
        fr: "Agriculture, pêche, sylviculture et alimentation",
        en: "Agriculture, fisheries, forestry and food",
    },
    Theme { code: "ECON", fr: "Économie et finances", en: "Economy and finance" },
    Theme { code: "EDUC", fr: "Éducation, culture et sport", en: "Education, culture and sport" },
    Theme { code: "ENER", fr: "Énergie", en: "Energy" },
    Theme { code: "ENVI", fr: "Environnement", en: "Environment" },
    Theme { code: "GOVE", fr: "Gouvernement et secteur public", en: "Government and public sector" },
    Theme { code: "HEAL", fr: "Santé", en: "Health" },
    Theme { code: "INTR", fr: "Questions internationales", en: "International issues" },
    Theme {
        code: "JUST",
        fr: "Justice, système juridique et sécurité publique",
        en: "Justice, legal system and public safety",
    },
    Theme { code: "REGI", fr: "Régions et villes", en: "Regions and cities" },
    Theme { code: "SOCI", fr: "Population et société", en: "Population and society" },
    Theme { code: "TECH", fr: "Science et technologie", en: "Science and technology" },
    Theme { code: "TRAN", fr: "Transports", en: "Transport" },
    Theme { code: "OP_DATPRO", fr: "Données provisoires", en: "Provisional data" },
];

pub fn theme(code: &str) -> Option<&'static Theme> {
    THEMES.iter().find(|t| t.code.eq_ignore_ascii_case(code))
}

/// The theme code a mistyped or worded theme most likely meant
/// (`finances` → `ECON`, `environement` → `ENVI`).
pub fn suggest_theme(text: &str) -> Option<&'static Theme> {
    let lower = text.to_lowercase();
    if lower.len() >= 4
        && let Some(t) =
            THEMES.iter().find(|t| t.fr.to_lowercase().contains(&lower) || t.en.to_lowercase().contains(&lower))
    {
        return Some(t);
    }
    let best = crate::util::nearest(text, THEMES.iter().map(|t| t.code))?;
    theme(best)
}

/// An update frequency: kiosque's id (what a sidecar writes), its EU
/// "Frequency" authority code (the DCAT catalogue), and its value in the
/// national catalogue schema (`FREQ_MAJ` of `catalog.csv`). The one list of
/// frequencies: `check` accepts each, every export maps each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frequency {
    pub id: &'static str,
    pub eu: &'static str,
    /// The value of `FREQ_MAJ` in the national catalogue schema.
    pub scdl: &'static str,
    pub fr: &'static str,
    pub en: &'static str,
    /// The longest expected time between two updates, in days (none when
    /// the frequency promises nothing).
    pub max_days: Option<u32>,
    /// French words a referent may write for it.
    pub french: &'static [&'static str],
}

impl Frequency {
    pub fn label(&self, lang: Lang) -> &'static str {
        lang.pick(self.fr, self.en)
    }

    pub fn iri(&self) -> String {
        format!("http://publications.europa.eu/resource/authority/frequency/{}", self.eu)
    }
}

pub const FREQUENCIES: &[Frequency] = &[
    Frequency {
        id: "continuous",
        eu: "UPDATE_CONT",
        scdl: "Continuelle",
        fr: "En continu",
        en: "Continuous",
        max_days: Some(2),
        french: &["continu", "en continu", "temps reel", "temps réel"],
    },
    Frequency {
        id: "hourly",
        eu: "HOURLY",
        scdl: "Toutes les heures",
        fr: "Toutes les heures",
        en: "Hourly",
        max_days: Some(2),
        french: &["horaire"],
    },
    Frequency {
        id: "daily",
        eu: "DAILY",
        scdl: "Quotidienne ou plusieurs fois par jour",
        fr: "Quotidienne",
        en: "Daily",
        max_days: Some(3),
        french: &["quotidien", "quotidienne", "journalier", "journaliere", "journalière"],
    },
    Frequency {
        id: "weekly",
        eu: "WEEKLY",
        scdl: "Hebdomadaire ou plusieurs fois par semaine",
        fr: "Hebdomadaire",
        en: "Weekly",
        max_days: Some(14),
        french: &["hebdomadaire", "hebdo"],
    },
    Frequency {
        id: "biweekly",
        eu: "BIWEEKLY",
        scdl: "Mensuelle ou plusieurs fois par mois",
        fr: "Toutes les deux semaines",
        en: "Every two weeks",
        max_days: Some(28),
        french: &["bimensuel", "bimensuelle"],
    },
    Frequency {
        id: "monthly",
        eu: "MONTHLY",
        scdl: "Mensuelle ou plusieurs fois par mois",
        fr: "Mensuelle",
        en: "Monthly",
        max_days: Some(62),
        french: &["mensuel", "mensuelle"],
    },
    Frequency {
        id: "bimonthly",
        eu: "BIMONTHLY",
        scdl: "Bimestrielle",
        fr: "Tous les deux mois",
        en: "Every two months",
        max_days: Some(124),
        french: &["bimestriel", "bimestrielle"],
    },
    Frequency {
        id: "quarterly",
        eu: "QUARTERLY",
        scdl: "Trimestrielle",
        fr: "Trimestrielle",
        en: "Quarterly",
        max_days: Some(183),
        french: &["trimestriel", "trimestrielle"],
    },
    Frequency {
        id: "semiannual",
        eu: "ANNUAL_2",
        scdl: "Semestrielle",
        fr: "Semestrielle",
        en: "Semiannual",
        max_days: Some(366),
        french: &["semestriel", "semestrielle"],
    },
    Frequency {
        id: "annual",
        eu: "ANNUAL",
        scdl: "Annuelle",
        fr: "Annuelle",
        en: "Annual",
        max_days: Some(548),
        french: &["annuel", "annuelle"],
    },
    Frequency {
        id: "biennial",
        eu: "BIENNIAL",
        scdl: "Biennale",
        fr: "Tous les deux ans",
        en: "Biennial",
        max_days: Some(1096),
        french: &["biennal", "biennale"],
    },
    Frequency {
        id: "triennial",
        eu: "TRIENNIAL",
        scdl: "Triennale",
        fr: "Tous les trois ans",
        en: "Triennial",
        max_days: Some(1644),
        french: &["triennal", "triennale"],
    },
    Frequency {
        id: "quinquennial",
        eu: "QUINQUENNIAL",
        scdl: "Quinquennale",
        fr: "Tous les cinq ans",
        en: "Quinquennial",
        max_days: Some(2740),
        french: &["quinquennal", "quinquennale"],
    },
    Frequency {
        id: "irregular",
        eu: "IRREG",
        scdl: "Irrégulière",
        fr: "Irrégulière",
        en: "Irregular",
        max_days: None,
        french: &["irregulier", "irrégulier", "irreguliere", "irrégulière", "ponctuel", "ponctuelle"],
    },
    Frequency {
        id: "never",
        eu: "NEVER",
        scdl: "Ponctuelle",
        fr: "Jamais (données figées)",
        en: "Never (frozen data)",
        max_days: None,
        french: &["jamais", "fige", "figé"],
    },
    Frequency {
        id: "unknown",
        eu: "UNKNOWN",
        scdl: "Inconnue",
        fr: "Inconnue",
        en: "Unknown",
        max_days: None,
        french: &["inconnu", "inconnue"],
    },
];

pub fn frequency(id: &str) -> Option<&'static Frequency> {
    FREQUENCIES.iter().find(|f| f.id.eq_ignore_ascii_case(id))
}

/// A frequency by kiosque id or EU code (`annual`, `ANNUAL`), case-insensitively.
pub fn frequency_by_id_or_eu(code: &str) -> Option<&'static Frequency> {
    let code = code.trim();
    FREQUENCIES.iter().find(|f| f.eu.eq_ignore_ascii_case(code) || f.id.eq_ignore_ascii_case(code))
}

pub fn suggest_frequency(text: &str) -> Option<&'static Frequency> {
    let lower = text.trim().to_lowercase();
    if let Some(f) = FREQUENCIES.iter().find(|f| f.french.contains(&lower.as_str())) {
        return Some(f);
    }
    let best = crate::util::nearest(&lower, FREQUENCIES.iter().map(|f| f.id))?;
    frequency(best)
}

/// A file format kiosque recognises by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Format {
    /// Upper-case label shown to users (`CSV`).
    pub label: &'static str,
    pub extensions: &'static [&'static str],
    pub media_type: &'static str,
    /// Whether the format is open (not tied to one vendor's software).
    pub open: bool,
    /// Whether kiosque reads it as a table.
    pub tabular: bool,
}

pub const FORMATS: &[Format] = &[
    Format { label: "CSV", extensions: &["csv"], media_type: "text/csv", open: true, tabular: true },
    Format {
        label: "TSV",
        extensions: &["tsv", "tab"],
        media_type: "text/tab-separated-values",
        open: true,
        tabular: true,
    },
    Format { label: "TXT", extensions: &["txt"], media_type: "text/plain", open: true, tabular: false },
    Format {
        label: "XLSX",
        extensions: &["xlsx", "xlsm"],
        media_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        open: false,
        tabular: true,
    },
    Format { label: "XLS", extensions: &["xls"], media_type: "application/vnd.ms-excel", open: false, tabular: true },
    Format {
        label: "ODS",
        extensions: &["ods"],
        media_type: "application/vnd.oasis.opendocument.spreadsheet",
        open: true,
        tabular: true,
    },
    Format { label: "JSON", extensions: &["json"], media_type: "application/json", open: true, tabular: false },
    Format {
        label: "GeoJSON",
        extensions: &["geojson"],
        media_type: "application/geo+json",
        open: true,
        tabular: false,
    },
    Format { label: "XML", extensions: &["xml"], media_type: "application/xml", open: true, tabular: false },
    Format { label: "PDF", extensions: &["pdf"], media_type: "application/pdf", open: true, tabular: false },
    Format { label: "ZIP", extensions: &["zip"], media_type: "application/zip", open: true, tabular: false },
    Format {
        label: "Parquet",
        extensions: &["parquet"],
        media_type: "application/vnd.apache.parquet",
        open: true,
        tabular: false,
    },
    Format {
        label: "KML",
        extensions: &["kml"],
        media_type: "application/vnd.google-earth.kml+xml",
        open: true,
        tabular: false,
    },
    Format { label: "GPX", extensions: &["gpx"], media_type: "application/gpx+xml", open: true, tabular: false },
    Format { label: "Shapefile", extensions: &["shp"], media_type: "application/vnd.shp", open: true, tabular: false },
    Format {
        label: "ODT",
        extensions: &["odt"],
        media_type: "application/vnd.oasis.opendocument.text",
        open: true,
        tabular: false,
    },
    Format {
        label: "DOCX",
        extensions: &["docx"],
        media_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        open: false,
        tabular: false,
    },
    Format { label: "PNG", extensions: &["png"], media_type: "image/png", open: true, tabular: false },
    Format { label: "JPEG", extensions: &["jpg", "jpeg"], media_type: "image/jpeg", open: true, tabular: false },
    Format { label: "SVG", extensions: &["svg"], media_type: "image/svg+xml", open: true, tabular: false },
];

/// The format of a file name, by its extension.
pub fn format_for_path(path: &str) -> Option<&'static Format> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    FORMATS.iter().find(|f| f.extensions.contains(&ext.as_str()))
}

/// The format named by a label or extension (`csv`, `GeoJSON`).
pub fn format_by_name(name: &str) -> Option<&'static Format> {
    FORMATS
        .iter()
        .find(|f| f.label.eq_ignore_ascii_case(name) || f.extensions.iter().any(|e| e.eq_ignore_ascii_case(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licences() {
        assert_eq!(license("ETALAB-2.0").unwrap().id, "etalab-2.0");
        assert!(license("lo-2.0").is_none());
        assert_eq!(suggest_license("lo-2.0").unwrap().id, "etalab-2.0");
        assert_eq!(suggest_license("Licence Ouverte").unwrap().id, "etalab-2.0");
        assert_eq!(suggest_license("etalab2").unwrap().id, "etalab-2.0");
        assert_eq!(suggest_license("ODBL").unwrap().id, "ODbL-1.0");
        assert_eq!(suggest_license("CC-BY-SA").unwrap().id, "CC-BY-SA-4.0");
    }

    #[test]
    fn themes_and_frequencies() {
        assert_eq!(theme("econ").unwrap().code, "ECON");
        assert_eq!(suggest_theme("finance").unwrap().code, "ECON");
        assert_eq!(suggest_theme("ENVIR").unwrap().code, "ENVI");
        assert_eq!(suggest_frequency("mensuel").unwrap().id, "monthly");
        assert_eq!(suggest_frequency("montly").unwrap().id, "monthly");
        assert_eq!(
            frequency("annual").unwrap().iri(),
            "http://publications.europa.eu/resource/authority/frequency/ANNUAL"
        );
    }

    #[test]
    fn formats() {
        assert_eq!(format_for_path("a/b.CSV").unwrap().label, "CSV");
        assert_eq!(format_for_path("x.geojson").unwrap().media_type, "application/geo+json");
        assert!(format_for_path("README").is_none());
        assert_eq!(format_by_name("xlsx").unwrap().label, "XLSX");
    }
}
