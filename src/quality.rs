//! Freshness and quality. A dataset whose `frequency` promises updates is
//! late when its `modified` date is older than the frequency allows. The
//! quality score follows the criteria the national portal uses: licence,
//! description, temporal and spatial coverage, update frequency, up to
//! date, open formats, documented resources, schema declared and valid.
//!
//! "Today" is the build date, or `SOURCE_DATE_EPOCH` when set, so builds
//! are reproducible.

use jiff::civil::Date;
use serde::Serialize;

use crate::lang::Lang;
use crate::model::{Dataset, Site};
use crate::vocab;

/// The date builds treat as today: `SOURCE_DATE_EPOCH` (seconds) when
/// set, else the current UTC date.
pub fn today() -> Date {
    let ts = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| jiff::Timestamp::from_second(secs).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    ts.to_zoned_datetime(jiff::tz::TimeZone::UTC).date()
}

/// The date part of an ISO date or date-time (`2026`, `2026-03` count as
/// the last day of that period).
pub fn parse_date(text: &str) -> Option<Date> {
    let t = text.trim();
    match t.len() {
        4 => Date::new(t.parse().ok()?, 12, 31).ok(),
        7 => {
            let first: Date = format!("{t}-01").parse().ok()?;
            Some(first.last_of_month())
        }
        _ => t.get(..10)?.parse().ok(),
    }
}

/// How late a dataset is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Late {
    /// Days since the last update.
    pub days: i64,
    /// Days the frequency allows.
    pub allowed: i64,
}

/// Whether a dataset is late for its frequency.
pub fn lateness(ds: &Dataset, today: Date) -> Option<Late> {
    let freq = vocab::frequency(&ds.frequency.as_ref()?.value)?;
    let allowed = i64::from(freq.max_days?);
    let modified = parse_date(ds.modified()?)?;
    let days = i64::from(modified.until(today).ok()?.get_days());
    (days > allowed).then_some(Late { days, allowed })
}

/// One criterion of the quality score.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Criterion {
    pub id: &'static str,
    pub passed: bool,
    /// What it checks, in the site's language.
    pub label: &'static str,
}

/// A dataset's quality: score out of 100 and the checklist behind it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Quality {
    pub score: u32,
    pub criteria: Vec<Criterion>,
    pub late: Option<Late>,
}

/// The minimum description length (characters of plain text) that counts
/// as a real description.
pub const MIN_DESCRIPTION: usize = 100;

/// Assesses a dataset. `schema_valid` is `None` when no schema is
/// declared, else whether every resource passed it.
pub fn assess(site: &Site, ds: &Dataset, today: Date, schema_valid: Option<bool>) -> Quality {
    let lang = site.lang();
    let late = lateness(ds, today);
    let licence_ok = site.license_of(ds).and_then(|l| vocab::license(&l.value)).is_some();
    let description_ok = crate::markdown::to_text(ds.description()).chars().count() >= MIN_DESCRIPTION;
    let temporal_ok = ds.temporal.as_ref().is_some_and(|t| t.start.is_some() || t.end.is_some());
    let spatial_ok = ds.spatial.as_ref().is_some_and(|s| s.label.is_some() || s.insee.is_some());
    let frequency_ok =
        ds.frequency.as_ref().and_then(|f| vocab::frequency(&f.value)).is_some_and(|f| f.id != "unknown");
    let up_to_date = frequency_ok && late.is_none() && ds.modified().is_some();
    let open_formats = !ds.resources.is_empty() && ds.resources.iter().all(|r| r.format().is_some_and(|f| f.open));
    let documented =
        !ds.resources.is_empty() && ds.resources.iter().all(|r| r.title.is_some() || r.description.is_some());
    let schema_ok = schema_valid == Some(true);
    let c = |id, passed, fr, en| Criterion { id, passed, label: lang.pick(fr, en) };
    let criteria = vec![
        c("license", licence_ok, "Licence ouverte reconnue", "Known open licence"),
        c(
            "description",
            description_ok,
            "Description d'au moins 100 caractères",
            "Description of at least 100 characters",
        ),
        c("temporal_coverage", temporal_ok, "Période couverte renseignée", "Temporal coverage given"),
        c("spatial_coverage", spatial_ok, "Couverture géographique renseignée", "Spatial coverage given"),
        c("update_frequency", frequency_ok, "Fréquence de mise à jour renseignée", "Update frequency given"),
        c("up_to_date", up_to_date, "À jour selon sa fréquence", "Up to date for its frequency"),
        c("open_formats", open_formats, "Fichiers dans des formats ouverts", "Files in open formats"),
        c(
            "documented_resources",
            documented,
            "Chaque fichier a un titre ou une description",
            "Every file has a title or a description",
        ),
        c("schema", schema_ok, "Schéma de données déclaré et respecté", "Data schema declared and followed"),
    ];
    let passed = criteria.iter().filter(|c| c.passed).count() as u32;
    let score = (passed * 100 + criteria.len() as u32 / 2) / criteria.len() as u32;
    Quality { score, criteria, late }
}

/// A plain-text table of every dataset's score, for `kiosque check`.
pub fn table(rows: &[(String, Quality)], lang: Lang) -> String {
    let width = rows.iter().map(|(s, _)| s.chars().count()).max().unwrap_or(0).max(10);
    let mut out = format!(
        "{:<width$}  {:>5}  {}\n",
        lang.pick("jeu de données", "dataset"),
        "score",
        lang.pick("critères manquants", "missing criteria")
    );
    for (slug, q) in rows {
        let missing: Vec<&str> = q.criteria.iter().filter(|c| !c.passed).map(|c| c.id).collect();
        out.push_str(&format!("{slug:<width$}  {:>5}  {}\n", q.score, missing.join(", ")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_count_as_the_end_of_their_period() {
        assert_eq!(parse_date("2026"), Date::new(2026, 12, 31).ok());
        assert_eq!(parse_date("2026-02"), Date::new(2026, 2, 28).ok());
        assert_eq!(parse_date("2026-02-03T10:00:00Z"), Date::new(2026, 2, 3).ok());
        assert_eq!(parse_date("soon"), None);
    }

    #[test]
    fn lateness_follows_the_frequency() {
        let yaml = "title: t\ndescription: d\nfrequency: monthly\nmodified: 2026-01-31\n";
        let node = crate::yaml::parse(yaml).unwrap();
        let input = crate::load::sidecar::SidecarInput {
            root: std::path::Path::new("."),
            disk: &crate::model::DiskPaths::default(),
            file: "datasets/x.yaml",
            dir: "datasets",
            form: crate::model::DatasetForm::OneFile,
            default_slug: "x".into(),
            default_files: vec![],
        };
        let mut diags = crate::diag::Diagnostics::default();
        let ds = crate::load::sidecar::shape(input, &node, Lang::Fr, &mut diags);
        assert_eq!(lateness(&ds, Date::new(2026, 3, 31).unwrap()), None);
        assert_eq!(lateness(&ds, Date::new(2026, 4, 30).unwrap()), Some(Late { days: 89, allowed: 62 }));
    }

    #[test]
    fn source_date_epoch_sets_today() {
        // 2026-11-23T00:00:00Z
        unsafe { std::env::set_var("SOURCE_DATE_EPOCH", "1795392000") };
        assert_eq!(today(), Date::new(2026, 11, 23).unwrap());
        unsafe { std::env::remove_var("SOURCE_DATE_EPOCH") };
    }
}
