//! Generates a seeded, reproducible synthetic kiosque site for benchmarks:
//! `site.yaml`, a few Markdown pages and N datasets (`datasets/<slug>/`, a
//! `dataset.yaml` sidecar and one or two CSV files each), optionally with a
//! Hugo site built from the same datasets for a peer benchmark.
//!
//! ```text
//! cargo run --release --example gensite -- OUT_DIR [--datasets N] [--seed S] [--large K]
//!     [--large-mb M] [--huge-mb G] [--hugo DIR] [--force]
//! ```
//!
//! The CSV files look like French open data: `;` delimiter, Windows-1252
//! (about 80% of files, CRLF line ends, as Excel exports them) or UTF-8
//! (sometimes with a BOM), decimal commas (or points, in some UTF-8 files),
//! ISO or French dates (one format per file), accented text, few-valued
//! categories, an integer `id`, commune names and INSEE codes, and about a
//! third of the tables with `latitude`/`longitude` columns in metropolitan
//! France. Nothing in them looks like personal data (no names of people,
//! e-mail addresses or phone numbers), so `kiosque check` stays clean.
//!
//! Sizes: most files are log-uniform between 1 KB and 200 KB; `--large K`
//! makes K of them about M MiB (`--large-mb`, else uniform in 10–100 MiB)
//! and `--huge-mb G` one more of G MiB.
//!
//! Same arguments, same bytes: one seeded SplitMix64 stream per dataset and
//! per file, no clock, no hash map, and no libm call (the few logarithms and
//! exponentials are computed with plain arithmetic, which IEEE 754 makes
//! identical on every platform). Modified dates lie in 2020–2026, before
//! October 2026, and frequencies are chosen so that no dataset is reported
//! late before 30 June 2027 (`SOURCE_DATE_EPOCH` sets kiosque's "today").
//!
//! `OUT_DIR` (and the Hugo folder) must be missing or empty; `--force`
//! replaces one only if it holds the `.gensite` marker this program writes
//! at its root, and never deletes anything else.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str =
    "usage: gensite OUT_DIR [--datasets N] [--seed S] [--large K] [--large-mb M] [--huge-mb G] [--hugo DIR] [--force]

  OUT_DIR        where to write the kiosque site (must be missing or empty)
  --datasets N   number of datasets (default 1000)
  --seed S       seed of the generator (default 1); same arguments, same bytes
  --large K      make K datasets' first file large (default 0)
  --large-mb M   size of each large file in MiB (default: uniform in 10-100)
  --huge-mb G    add one file of G MiB
  --hugo DIR     also write a Hugo site of the same datasets to DIR
  --force        replace OUT_DIR / DIR if they were written by gensite (.gensite marker)";

/// Written at the root of every folder this program fills: `--force` only
/// ever deletes a folder holding it.
const MARKER: &str = ".gensite";
const MIB: u64 = 1024 * 1024;
const BASE_URL: &str = "https://bench.example.org/";
const MAIL_DOMAIN: &str = "bench.example.org";
const SIRET: &str = "21995010000018";
const PUBLISHER: &str = "Communauté d'agglomération du Val de Bancelle";
/// Data rows kept for the Hugo pages' preview tables.
const PREVIEW_ROWS: usize = 20;
/// Bounds of log-uniform ordinary file sizes, in bytes.
const SMALL_MIN: f64 = 1024.0;
const SMALL_MAX: f64 = 200.0 * 1024.0;

// ---------------------------------------------------------------------------
// Command line

struct Args {
    out: PathBuf,
    datasets: usize,
    seed: u64,
    large: usize,
    large_mb: Option<u64>,
    huge_mb: Option<u64>,
    hugo: Option<PathBuf>,
    force: bool,
}

fn parse_args(argv: &[String]) -> Result<Args, String> {
    let mut args = Args {
        out: PathBuf::new(),
        datasets: 1000,
        seed: 1,
        large: 0,
        large_mb: None,
        huge_mb: None,
        hugo: None,
        force: false,
    };
    let mut out = None;
    let mut i = 0;
    while i < argv.len() {
        let arg = argv[i].as_str();
        // `--name=value` or `--name value`.
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (arg, None),
        };
        let mut value = || -> Result<String, String> {
            if let Some(v) = &inline {
                return Ok(v.clone());
            }
            i += 1;
            argv.get(i).cloned().ok_or_else(|| format!("{name} needs a value"))
        };
        match name {
            "--datasets" => args.datasets = number(name, &value()?)?,
            "--seed" => args.seed = number(name, &value()?)?,
            "--large" => args.large = number(name, &value()?)?,
            "--large-mb" => args.large_mb = Some(number(name, &value()?)?),
            "--huge-mb" => args.huge_mb = Some(number(name, &value()?)?),
            "--hugo" => args.hugo = Some(PathBuf::from(value()?)),
            "--force" => args.force = true,
            _ if name.starts_with('-') => return Err(format!("unknown option {name}")),
            _ if out.is_none() => out = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument {arg}")),
        }
        i += 1;
    }
    args.out = out.ok_or("OUT_DIR is missing")?;
    if args.datasets == 0 {
        return Err("--datasets must be at least 1".into());
    }
    if args.large > args.datasets {
        return Err(format!("--large {} is more than --datasets {}", args.large, args.datasets));
    }
    if args.large_mb == Some(0) || args.huge_mb == Some(0) {
        return Err("--large-mb and --huge-mb must be at least 1".into());
    }
    // Neither site may sit inside the other (compared as written).
    if let Some(hugo) = &args.hugo
        && (hugo.starts_with(&args.out) || args.out.starts_with(hugo))
    {
        return Err("--hugo and OUT_DIR must be separate folders, neither inside the other".into());
    }
    Ok(args)
}

fn number<T: std::str::FromStr>(name: &str, text: &str) -> Result<T, String> {
    text.parse().map_err(|_| format!("{name}: “{text}” is not a valid number"))
}

// ---------------------------------------------------------------------------
// Random numbers and reproducible arithmetic

/// SplitMix64: tiny, fast, and good enough for synthetic data.
#[derive(Clone)]
struct Rng(u64);

/// SplitMix64's output function, also used to derive independent streams.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// An independent stream for `keys` (a purpose tag, then indices), so
    /// that changing one file's size leaves every other file as it was.
    fn stream(seed: u64, keys: &[u64]) -> Rng {
        let mut h = mix(seed ^ 0x6765_6E73_6974_6521);
        for &k in keys {
            h = mix(h ^ k.wrapping_add(0x9E37_79B9_7F4A_7C15));
        }
        Rng(h)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n` (`n > 0`), by multiply-shift.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An item, the first ones more often (the smaller of two draws): real
    /// categories are rarely balanced.
    fn skewed<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let n = items.len() as u64;
        &items[self.below(n).min(self.below(n)) as usize]
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

/// A log-uniform distribution on `[lo, hi)`.
#[derive(Clone, Copy)]
struct LogRange {
    lo: f64,
    ln_ratio: f64,
}

impl LogRange {
    fn new(lo: f64, hi: f64) -> LogRange {
        LogRange { lo, ln_ratio: det_ln(hi / lo) }
    }

    fn sample(self, rng: &mut Rng) -> f64 {
        self.lo * det_exp(rng.unit() * self.ln_ratio)
    }
}

/// `ln(x)` for `x > 0` with `+ - * /` only (libm's may differ between
/// platforms by an ulp, which could change a row count).
fn det_ln(x: f64) -> f64 {
    let bits = x.to_bits();
    let exponent = ((bits >> 52) & 0x7FF) as i64 - 1023;
    let m = f64::from_bits((bits & ((1 << 52) - 1)) | (1023 << 52)); // in [1, 2)
    // ln(m) = 2 atanh(s), s = (m-1)/(m+1) < 1/3.
    let s = (m - 1.0) / (m + 1.0);
    let (s2, mut term, mut sum) = (s * s, s, 0.0);
    for k in 0..24 {
        sum += term / f64::from(2 * k + 1);
        term *= s2;
    }
    2.0 * sum + exponent as f64 * std::f64::consts::LN_2
}

/// `1/k!`, the Taylor coefficients of `e^x`.
const INV_FACTORIALS: [f64; 15] = {
    let mut t = [1.0; 15];
    let mut k = 1;
    while k < t.len() {
        t[k] = t[k - 1] / k as f64;
        k += 1;
    }
    t
};

/// `e^x` for `0 <= x <= 20` with `+ *` only: Taylor series of e^(x/64)
/// (Horner's scheme), squared six times.
fn det_exp(x: f64) -> f64 {
    let r = x * (1.0 / 64.0);
    let mut sum = 0.0;
    for c in INV_FACTORIALS.iter().rev() {
        sum = sum * r + c;
    }
    for _ in 0..6 {
        sum *= sum;
    }
    sum
}

// ---------------------------------------------------------------------------
// Dates, as days since 1970-01-01 (Howard Hinnant's civil calendar algorithms)

fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i32::from(m <= 2), m, d)
}

fn iso_date(days: i32) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// How a date column is written; one format per column.
#[derive(Clone, Copy, PartialEq, Eq)]
enum DateFmt {
    /// `2024-03-15`
    Iso,
    /// `15/03/2024`
    French,
}

// ---------------------------------------------------------------------------
// Vocabulary

/// A real commune of metropolitan France: name, INSEE code and the
/// coordinates of its centre in micro-degrees (WGS 84).
struct Commune {
    name: &'static str,
    insee: &'static str,
    lat: i32,
    lon: i32,
}

const fn commune(name: &'static str, insee: &'static str, lat: i32, lon: i32) -> Commune {
    Commune { name, insee, lat, lon }
}

const COMMUNES: &[Commune] = &[
    commune("Paris", "75056", 48_856_600, 2_352_200),
    commune("Marseille", "13055", 43_296_500, 5_369_800),
    commune("Lyon", "69123", 45_764_000, 4_835_700),
    commune("Toulouse", "31555", 43_604_700, 1_444_200),
    commune("Nice", "06088", 43_710_200, 7_262_000),
    commune("Nantes", "44109", 47_218_400, -1_553_600),
    commune("Montpellier", "34172", 43_610_800, 3_876_700),
    commune("Strasbourg", "67482", 48_573_400, 7_752_100),
    commune("Bordeaux", "33063", 44_837_800, -579_200),
    commune("Lille", "59350", 50_629_200, 3_057_300),
    commune("Rennes", "35238", 48_117_300, -1_677_800),
    commune("Reims", "51454", 49_258_300, 4_031_700),
    commune("Toulon", "83137", 43_124_200, 5_928_000),
    commune("Saint-Étienne", "42218", 45_439_700, 4_387_200),
    commune("Le Havre", "76351", 49_494_400, 107_900),
    commune("Grenoble", "38185", 45_188_500, 5_724_500),
    commune("Dijon", "21231", 47_322_000, 5_041_500),
    commune("Angers", "49007", 47_478_400, -563_200),
    commune("Nîmes", "30189", 43_836_700, 4_360_100),
    commune("Villeurbanne", "69266", 45_771_900, 4_890_200),
    commune("Clermont-Ferrand", "63113", 45_777_200, 3_087_000),
    commune("Le Mans", "72181", 48_006_100, 199_600),
    commune("Aix-en-Provence", "13001", 43_529_700, 5_447_400),
    commune("Brest", "29019", 48_390_400, -4_486_100),
    commune("Tours", "37261", 47_394_100, 684_800),
    commune("Amiens", "80021", 49_894_100, 2_295_800),
    commune("Limoges", "87085", 45_833_600, 1_261_100),
    commune("Annecy", "74010", 45_899_200, 6_129_400),
    commune("Perpignan", "66136", 42_688_700, 2_894_800),
    commune("Besançon", "25056", 47_237_800, 6_024_100),
    commune("Metz", "57463", 49_119_300, 6_175_700),
    commune("Orléans", "45234", 47_903_000, 1_909_300),
    commune("Rouen", "76540", 49_443_200, 1_099_900),
    commune("Mulhouse", "68224", 47_750_800, 7_335_900),
    commune("Caen", "14118", 49_182_900, -370_700),
    commune("Nancy", "54395", 48_692_100, 6_184_400),
    commune("Avignon", "84007", 43_949_300, 4_805_500),
    commune("Poitiers", "86194", 46_580_200, 340_400),
    commune("Pau", "64445", 43_295_100, -370_800),
    commune("La Rochelle", "17300", 46_160_300, -1_151_100),
    commune("Calais", "62193", 50_951_300, 1_858_700),
    commune("Cannes", "06029", 43_552_800, 7_017_400),
    commune("Béziers", "34032", 43_344_200, 3_215_800),
    commune("Colmar", "68066", 48_079_400, 7_358_500),
    commune("Quimper", "29232", 47_996_000, -4_102_600),
    commune("Valence", "26362", 44_933_400, 4_892_400),
    commune("Troyes", "10387", 48_297_300, 4_074_400),
    commune("Chambéry", "73065", 45_564_600, 5_917_800),
    commune("Niort", "79191", 46_323_700, -458_800),
    commune("Lorient", "56121", 47_748_300, -3_370_000),
    commune("Vannes", "56260", 47_658_200, -2_760_800),
    commune("Saint-Malo", "35288", 48_649_300, -2_025_700),
    commune("Épinal", "88160", 48_172_600, 6_449_700),
    commune("Évreux", "27229", 49_024_100, 1_150_800),
    commune("Châteauroux", "36044", 46_810_300, 1_691_300),
    commune("Périgueux", "24322", 45_184_700, 721_400),
    commune("Albi", "81004", 43_928_900, 2_146_400),
    commune("Montauban", "82121", 44_017_600, 1_355_000),
    commune("Agen", "47001", 44_203_300, 616_300),
    commune("Bayonne", "64102", 43_492_900, -1_474_800),
    commune("Saint-Brieuc", "22278", 48_514_100, -2_760_300),
    commune("Laval", "53130", 48_070_700, -773_400),
    commune("Beauvais", "60057", 49_429_500, 2_080_700),
    commune("Arles", "13004", 43_676_600, 4_627_800),
    commune("Sète", "34301", 43_402_800, 3_692_800),
    commune("Bourg-en-Bresse", "01053", 46_205_200, 5_225_500),
    commune("Vichy", "03310", 46_127_700, 3_426_000),
    commune("Gap", "05061", 44_559_400, 6_078_600),
    commune("Digne-les-Bains", "04070", 44_092_500, 6_235_600),
    commune("Foix", "09122", 42_965_000, 1_607_000),
    commune("Aurillac", "15014", 44_926_400, 2_440_000),
    commune("Mende", "48095", 44_518_100, 3_500_600),
];

/// The shape of a dataset's table.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Budget lines: amounts in euros.
    Budget,
    /// Monthly meter readings or measures.
    Consumption,
    /// Pupils per school and level.
    School,
    /// Administrative acts: by-laws, council decisions, permits.
    Acts,
    /// Located facilities (always with coordinates).
    Places,
    /// Daily counts per site and category.
    Counts,
}

/// A dataset theme: its title words and what its table holds.
struct Theme {
    title: &'static str,
    kind: Kind,
    /// EU data theme codes.
    eu: &'static [&'static str],
    keywords: &'static [&'static str],
    service: &'static str,
    /// Local part of the service's e-mail address.
    mailbox: &'static str,
    /// First sentence of the description.
    blurb: &'static str,
    /// The few values of the table's category column.
    cats: &'static [&'static str],
    /// Acts: the values of the status column.
    statuses: &'static [&'static str],
    /// Labels, objects or site names of the table's text column.
    texts: &'static [&'static str],
    /// Name of the table's main number column.
    measure: &'static str,
    /// Range of that number (log-uniform for amounts, measures and counts).
    span: (u32, u32),
    /// Consumption: the unit. Places: the facility label. Acts: the number prefix.
    label: &'static str,
}

const BASE: Theme = Theme {
    title: "",
    kind: Kind::Budget,
    eu: &[],
    keywords: &[],
    service: "",
    mailbox: "",
    blurb: "",
    cats: &[],
    statuses: &[],
    texts: &[],
    measure: "",
    span: (1, 100),
    label: "",
};

const CHAPTERS: &[&str] = &[
    "011 - Charges à caractère général",
    "012 - Charges de personnel",
    "65 - Autres charges de gestion courante",
    "66 - Charges financières",
    "21 - Immobilisations corporelles",
    "23 - Immobilisations en cours",
    "73 - Impôts et taxes",
    "74 - Dotations et participations",
];
const BUDGET_LINES: &[&str] = &[
    "Fournitures de petit équipement",
    "Énergie - électricité",
    "Combustibles et carburants",
    "Entretien et réparations de bâtiments publics",
    "Rémunération du personnel titulaire",
    "Cotisations aux caisses de retraite",
    "Subventions de fonctionnement aux associations",
    "Intérêts réglés à l'échéance",
    "Matériel de bureau et matériel informatique",
    "Travaux de voirie",
    "Acquisition de terrains nus",
    "Redevances des services périscolaires",
    "Dotation globale de fonctionnement",
    "Taxe foncière sur les propriétés bâties",
    "Frais d'études et d'insertion",
    "Rénovation de la salle dite \"La Grange\"",
    "Contribution au service départemental d'incendie et de secours",
    "Fêtes et cérémonies",
];
const PUBLIC_BUILDINGS: &[&str] = &[
    "Hôtel de ville",
    "École élémentaire Jules-Ferry",
    "École maternelle Les Tilleuls",
    "Gymnase Léo-Lagrange",
    "Médiathèque François-Mitterrand",
    "Piscine municipale",
    "Centre technique municipal",
    "Salle des fêtes",
    "Crèche Les Petits Loups",
    "Stade Pierre-de-Coubertin",
    "Espace culturel de l'Étoile",
    "Résidence autonomie Les Glycines",
];
const SCHOOLS: &[&str] = &[
    "École maternelle Les Tilleuls",
    "École élémentaire Jules-Ferry",
    "Groupe scolaire Marie-Curie",
    "École primaire Jean-Jaurès",
    "École maternelle Le Petit Prince",
    "Groupe scolaire Saint-Exupéry",
    "École élémentaire Pasteur",
    "École maternelle Louise-Michel",
    "École primaire des Coteaux",
    "Groupe scolaire de la Gravière",
];
const LEVELS: &[&str] = &["PS", "MS", "GS", "CP", "CE1", "CE2", "CM1", "CM2", "ULIS"];
const STREET_KINDS: &[&str] = &["rue", "avenue", "boulevard", "place", "allée", "impasse", "chemin", "quai", "cours"];
const STREET_NAMES: &[&str] = &[
    "de l'Église",
    "Victor-Hugo",
    "Jean-Jaurès",
    "du Général-de-Gaulle",
    "de la République",
    "Pasteur",
    "des Écoles",
    "du Moulin",
    "de la Gare",
    "Gambetta",
    "des Tilleuls",
    "Émile-Zola",
    "du Château",
    "Saint-Exupéry",
    "des Lilas",
    "de la Libération",
    "Aristide-Briand",
    "du Stade",
    "Jules-Ferry",
    "de l'Hôtel-de-Ville",
    "Marie-Curie",
    "des Peupliers",
    "du 8-Mai-1945",
    "Léon-Blum",
    "de la Forêt",
];
const PLACE_SUFFIXES: &[&str] = &[
    "du Parc",
    "des Écoles",
    "Léo-Lagrange",
    "Pierre-de-Coubertin",
    "de la Plaine",
    "des Sports",
    "Jean-Bouin",
    "du Bois",
    "de la Rivière",
    "des Coteaux",
    "de la Mairie",
    "du Marché",
    "de la Gare",
    "Émile-Zola",
];
const SERVICES: &[&str] = &[
    "Secrétariat général",
    "Police municipale",
    "Service urbanisme",
    "Direction des finances",
    "Services techniques",
    "Service des ressources humaines",
];

const THEMES: &[Theme] = &[
    Theme {
        title: "Budget primitif",
        kind: Kind::Budget,
        eu: &["ECON", "GOVE"],
        keywords: &["budget", "finances", "budget primitif", "M57"],
        service: "Direction des finances",
        mailbox: "finances",
        blurb: "Budget principal voté par le conseil municipal, article par article, selon la nomenclature comptable M57.",
        cats: CHAPTERS,
        texts: BUDGET_LINES,
        measure: "montant",
        span: (50, 2_000_000),
        ..BASE
    },
    Theme {
        title: "Compte administratif",
        kind: Kind::Budget,
        eu: &["ECON", "GOVE"],
        keywords: &["budget", "finances", "compte administratif", "dépenses", "recettes"],
        service: "Direction des finances",
        mailbox: "finances",
        blurb: "Montants réellement dépensés et encaissés au cours de l'exercice, article par article.",
        cats: CHAPTERS,
        texts: BUDGET_LINES,
        measure: "montant_réalisé",
        span: (20, 1_500_000),
        ..BASE
    },
    Theme {
        title: "Subventions aux associations",
        kind: Kind::Budget,
        eu: &["ECON", "SOCI"],
        keywords: &["subventions", "associations", "vie associative"],
        service: "Service vie associative",
        mailbox: "associations",
        blurb: "Subventions de fonctionnement et subventions exceptionnelles versées aux associations, avec leur objet et leur montant.",
        cats: &["Sport", "Culture", "Solidarité", "Éducation", "Environnement", "Loisirs", "Santé"],
        texts: &[
            "Fonctionnement annuel du club de football",
            "Organisation du festival d'été",
            "Aide aux devoirs et accompagnement scolaire",
            "Entretien des sentiers de randonnée",
            "Banque alimentaire — distribution hebdomadaire",
            "Fête de la musique",
            "Tournoi de pétanque intercommunal",
            "Atelier théâtre des collégiens",
            "Sauvegarde du patrimoine de l'église",
            "Chorale \"Les Voix du Lac\" — saison musicale",
        ],
        measure: "montant_attribué",
        span: (100, 80_000),
        ..BASE
    },
    Theme {
        title: "Marchés publics attribués",
        kind: Kind::Budget,
        eu: &["ECON", "GOVE"],
        keywords: &["marchés publics", "commande publique", "achats"],
        service: "Service de la commande publique",
        mailbox: "marches",
        blurb: "Marchés publics et accords-cadres notifiés par la collectivité : objet, procédure, montant hors taxes et date de notification.",
        cats: &[
            "Procédure adaptée",
            "Appel d'offres ouvert",
            "Marché négocié sans publicité",
            "Accord-cadre à bons de commande",
        ],
        texts: &[
            "Travaux de réfection de la toiture de l'école",
            "Fourniture de denrées alimentaires bio",
            "Entretien des espaces verts",
            "Maintenance des installations de chauffage",
            "Location et maintenance de photocopieurs",
            "Nettoyage des bâtiments communaux",
            "Aménagement d'une piste cyclable",
            "Fourniture de matériel informatique",
            "Assurance dommages aux biens",
            "Mission de maîtrise d'œuvre — rénovation du gymnase",
        ],
        measure: "montant_ht",
        span: (2_000, 3_000_000),
        ..BASE
    },
    Theme {
        title: "Consommation d'eau",
        kind: Kind::Consumption,
        eu: &["ENVI"],
        keywords: &["eau", "consommation", "compteurs", "sobriété"],
        service: "Service des eaux",
        mailbox: "eau",
        blurb: "Volumes d'eau relevés chaque mois sur les compteurs des bâtiments et des espaces verts communaux.",
        cats: &["Eau potable", "Arrosage", "Eau de process"],
        texts: PUBLIC_BUILDINGS,
        measure: "consommation",
        span: (1, 5_000),
        label: "m³",
        ..BASE
    },
    Theme {
        title: "Consommations énergétiques des bâtiments",
        kind: Kind::Consumption,
        eu: &["ENER"],
        keywords: &["énergie", "électricité", "gaz", "bâtiments publics", "sobriété énergétique"],
        service: "Services techniques",
        mailbox: "services.techniques",
        blurb: "Consommations mensuelles d'énergie des bâtiments communaux, d'après les factures des fournisseurs.",
        cats: &["Électricité", "Gaz naturel", "Réseau de chaleur", "Fioul"],
        texts: PUBLIC_BUILDINGS,
        measure: "consommation",
        span: (50, 250_000),
        label: "kWh",
        ..BASE
    },
    Theme {
        title: "Qualité de l'air",
        kind: Kind::Consumption,
        eu: &["ENVI", "HEAL"],
        keywords: &["qualité de l'air", "pollution", "santé", "mesures"],
        service: "Service environnement",
        mailbox: "environnement",
        blurb: "Concentrations moyennes mensuelles des principaux polluants mesurées par les stations et capteurs de la commune.",
        cats: &["NO2", "PM10", "PM2,5", "O3"],
        texts: &[
            "Station urbaine centre",
            "Station trafic boulevard",
            "Station périurbaine",
            "Capteur école Jules-Ferry",
            "Capteur parc municipal",
        ],
        measure: "concentration",
        span: (1, 120),
        label: "µg/m³",
        ..BASE
    },
    Theme {
        title: "Production d'électricité photovoltaïque",
        kind: Kind::Consumption,
        eu: &["ENER"],
        keywords: &["énergie renouvelable", "photovoltaïque", "solaire", "production"],
        service: "Services techniques",
        mailbox: "services.techniques",
        blurb: "Électricité produite chaque mois par les installations photovoltaïques posées sur le patrimoine communal.",
        cats: &["Toiture", "Ombrière", "Au sol"],
        texts: PUBLIC_BUILDINGS,
        measure: "production",
        span: (20, 40_000),
        label: "kWh",
        ..BASE
    },
    Theme {
        title: "Effectifs scolaires",
        kind: Kind::School,
        eu: &["EDUC"],
        keywords: &["écoles", "effectifs", "élèves", "rentrée scolaire"],
        service: "Service éducation",
        mailbox: "education",
        blurb: "Nombre d'élèves inscrits dans les écoles publiques à la rentrée, par école et par niveau.",
        cats: &["Maternelle", "Élémentaire", "Primaire"],
        texts: SCHOOLS,
        measure: "effectif",
        span: (6, 32),
        ..BASE
    },
    Theme {
        title: "Fréquentation de la restauration scolaire",
        kind: Kind::School,
        eu: &["EDUC", "HEAL"],
        keywords: &["cantine", "restauration scolaire", "repas", "écoles"],
        service: "Service enfance et restauration scolaire",
        mailbox: "restauration",
        blurb: "Nombre moyen de repas servis chaque jour de classe dans les restaurants scolaires, par école et par niveau.",
        cats: &["Maternelle", "Élémentaire", "Primaire"],
        texts: SCHOOLS,
        measure: "repas_servis",
        span: (4, 30),
        ..BASE
    },
    Theme {
        title: "Inscriptions à l'accueil périscolaire",
        kind: Kind::School,
        eu: &["EDUC", "SOCI"],
        keywords: &["périscolaire", "accueil du matin", "garderie", "enfance"],
        service: "Service enfance",
        mailbox: "enfance",
        blurb: "Enfants inscrits à l'accueil périscolaire du matin et du soir, par école et par niveau.",
        cats: &["Maternelle", "Élémentaire", "Primaire"],
        texts: SCHOOLS,
        measure: "inscrits",
        span: (0, 25),
        ..BASE
    },
    Theme {
        title: "Arrêtés municipaux",
        kind: Kind::Acts,
        eu: &["GOVE", "JUST"],
        keywords: &["arrêtés", "actes administratifs", "réglementation", "circulation"],
        service: "Service des affaires juridiques",
        mailbox: "juridique",
        blurb: "Arrêtés pris par le maire : réglementation de la circulation et du stationnement, occupation du domaine public, police des débits de boissons.",
        cats: &[
            "Police de la circulation",
            "Occupation du domaine public",
            "Police des débits de boissons",
            "Réglementation funéraire",
            "Urbanisme",
            "Fonction publique",
        ],
        statuses: &["Exécutoire", "Abrogé", "Expiré"],
        texts: &[
            "Réglementation temporaire de la circulation",
            "Interdiction de stationner",
            "Autorisation d'occupation temporaire du domaine public",
            "Ouverture tardive d'un débit de boissons",
            "Fermeture au public",
            "Déviation de la circulation",
            "Délégation de signature",
            "Limitation de la vitesse à 30 km/h",
        ],
        label: "AR",
        ..BASE
    },
    Theme {
        title: "Délibérations du conseil municipal",
        kind: Kind::Acts,
        eu: &["GOVE"],
        keywords: &["délibérations", "conseil municipal", "vie démocratique", "votes"],
        service: "Secrétariat général",
        mailbox: "secretariat.general",
        blurb: "Délibérations adoptées par le conseil municipal, avec leur objet, leur matière selon la nomenclature ACTES et leur résultat.",
        cats: &[
            "Finances locales",
            "Commande publique",
            "Domaine et patrimoine",
            "Fonction publique",
            "Institutions et vie politique",
            "Urbanisme",
            "Environnement",
        ],
        statuses: &["Adoptée", "Adoptée à l'unanimité", "Rejetée", "Retirée de l'ordre du jour"],
        texts: &[
            "Approbation du compte administratif",
            "Fixation des tarifs municipaux",
            "Attribution des subventions aux associations",
            "Création d'un poste d'adjoint technique",
            "Cession d'un terrain communal",
            "Adhésion au groupement de commandes",
            "Approbation du règlement intérieur",
            "Dénomination d'une voie nouvelle",
            "Convention de mise à disposition d'une salle",
        ],
        label: "DCM",
        ..BASE
    },
    Theme {
        title: "Permis de construire délivrés",
        kind: Kind::Acts,
        eu: &["REGI"],
        keywords: &["urbanisme", "permis de construire", "autorisations d'urbanisme", "logement"],
        service: "Service urbanisme",
        mailbox: "urbanisme",
        blurb: "Permis de construire et déclarations préalables instruits par le service urbanisme, avec la nature des travaux et la décision.",
        cats: &[
            "Maison individuelle",
            "Extension",
            "Logement collectif",
            "Local commercial",
            "Équipement public",
            "Annexe",
        ],
        statuses: &["Accordé", "Accordé avec prescriptions", "Refusé", "Sans suite"],
        texts: &[
            "Construction d'une maison individuelle",
            "Extension d'une habitation existante",
            "Construction d'un abri de jardin",
            "Surélévation d'un bâtiment",
            "Construction d'un immeuble de logements",
            "Réhabilitation d'une grange",
            "Création d'une véranda",
        ],
        label: "PC",
        ..BASE
    },
    Theme {
        title: "Occupation du domaine public",
        kind: Kind::Acts,
        eu: &["ECON", "REGI"],
        keywords: &["domaine public", "terrasses", "autorisations", "voirie"],
        service: "Service du domaine public",
        mailbox: "domaine.public",
        blurb: "Autorisations d'occupation du domaine public délivrées aux commerçants, aux entreprises et aux particuliers.",
        cats: &["Terrasse", "Échafaudage", "Benne", "Marché", "Déménagement", "Tournage"],
        statuses: &["Accordée", "Refusée", "En cours d'instruction"],
        texts: &[
            "Installation d'une terrasse de café",
            "Pose d'un échafaudage",
            "Stationnement d'une benne à gravats",
            "Emplacement sur le marché hebdomadaire",
            "Stationnement d'un camion de déménagement",
            "Tournage d'une séquence de film",
        ],
        label: "AOT",
        ..BASE
    },
    Theme {
        title: "Équipements sportifs",
        kind: Kind::Places,
        eu: &["SOCI"],
        keywords: &["sport", "équipements sportifs", "gymnases", "stades"],
        service: "Service des sports",
        mailbox: "sports",
        blurb: "Équipements sportifs publics : gymnases, terrains, courts, piscines et aires de glisse, avec leur capacité d'accueil.",
        cats: &[
            "Gymnase",
            "Terrain de football",
            "Court de tennis",
            "Piscine",
            "City-stade",
            "Skatepark",
            "Salle polyvalente",
            "Boulodrome",
        ],
        measure: "capacité",
        span: (10, 1_500),
        ..BASE
    },
    Theme {
        title: "Bornes de recharge pour véhicules électriques",
        kind: Kind::Places,
        eu: &["TRAN", "ENER"],
        keywords: &["mobilité électrique", "IRVE", "bornes de recharge", "véhicules électriques"],
        service: "Service voirie et mobilité",
        mailbox: "mobilite",
        blurb: "Bornes de recharge ouvertes au public sur la voirie et dans les parkings : puissance et nombre de points de charge.",
        cats: &["Recharge normale 7 kW", "Recharge accélérée 22 kW", "Recharge rapide 50 kW"],
        measure: "points_de_charge",
        span: (1, 12),
        label: "Borne de recharge",
        ..BASE
    },
    Theme {
        title: "Arbres d'alignement",
        kind: Kind::Places,
        eu: &["ENVI"],
        keywords: &["arbres", "patrimoine arboré", "espaces verts", "nature en ville"],
        service: "Service des espaces verts",
        mailbox: "espaces.verts",
        blurb: "Inventaire des arbres plantés le long des rues et des quais : espèce, localisation et hauteur estimée.",
        cats: &[
            "Platane commun",
            "Tilleul argenté",
            "Érable plane",
            "Marronnier d'Inde",
            "Chêne pédonculé",
            "Frêne commun",
            "Micocoulier de Provence",
        ],
        measure: "hauteur_m",
        span: (2, 35),
        label: "Arbre",
        ..BASE
    },
    Theme {
        title: "Toilettes publiques",
        kind: Kind::Places,
        eu: &["SOCI", "HEAL"],
        keywords: &["toilettes", "sanitaires", "accessibilité", "propreté"],
        service: "Service propreté urbaine",
        mailbox: "proprete",
        blurb: "Toilettes publiques en accès libre, avec leur type, leur nombre de cabines et leur accessibilité.",
        cats: &["Sanitaire automatique", "Toilettes sèches", "Urinoir", "Sanitaire accessible"],
        measure: "cabines",
        span: (1, 6),
        label: "Toilettes",
        ..BASE
    },
    Theme {
        title: "Points d'apport volontaire",
        kind: Kind::Places,
        eu: &["ENVI"],
        keywords: &["déchets", "tri", "recyclage", "conteneurs"],
        service: "Service gestion des déchets",
        mailbox: "dechets",
        blurb: "Conteneurs de tri en accès libre : verre, emballages, papiers, textiles et biodéchets.",
        cats: &["Verre", "Emballages", "Papiers", "Textiles", "Biodéchets"],
        measure: "volume_litres",
        span: (400, 5_000),
        label: "Point d'apport",
        ..BASE
    },
    Theme {
        title: "Aires de jeux",
        kind: Kind::Places,
        eu: &["SOCI"],
        keywords: &["aires de jeux", "enfance", "parcs", "loisirs"],
        service: "Service des espaces verts",
        mailbox: "espaces.verts",
        blurb: "Aires de jeux pour enfants installées dans les parcs et les squares, avec l'âge conseillé et le nombre de jeux.",
        cats: &["Jeux 2-6 ans", "Jeux 6-12 ans", "Parcours sportif", "Aire mixte"],
        measure: "nb_jeux",
        span: (1, 15),
        label: "Aire de jeux",
        ..BASE
    },
    Theme {
        title: "Défibrillateurs",
        kind: Kind::Places,
        eu: &["HEAL"],
        keywords: &["santé", "défibrillateurs", "DAE", "secours"],
        service: "Service prévention et sécurité",
        mailbox: "prevention",
        blurb: "Défibrillateurs automatisés externes installés dans les équipements et sur l'espace public.",
        cats: &["Intérieur", "Extérieur", "Mobile"],
        measure: "nb_appareils",
        span: (1, 3),
        label: "Défibrillateur",
        ..BASE
    },
    Theme {
        title: "Stationnements vélo",
        kind: Kind::Places,
        eu: &["TRAN"],
        keywords: &["vélo", "stationnement", "mobilité douce", "arceaux"],
        service: "Service voirie et mobilité",
        mailbox: "mobilite",
        blurb: "Emplacements de stationnement pour vélos : arceaux, abris sécurisés et consignes.",
        cats: &["Arceaux", "Abri sécurisé", "Consigne individuelle", "Box vélo"],
        measure: "places",
        span: (2, 120),
        label: "Stationnement vélo",
        ..BASE
    },
    Theme {
        title: "Comptages vélo",
        kind: Kind::Counts,
        eu: &["TRAN"],
        keywords: &["vélo", "comptages", "mobilité douce", "fréquentation"],
        service: "Service voirie et mobilité",
        mailbox: "mobilite",
        blurb: "Passages quotidiens relevés par les compteurs automatiques installés sur les pistes et bandes cyclables.",
        cats: &["Vélos", "Trottinettes", "Piétons"],
        texts: &[
            "Compteur quai de la Gare",
            "Compteur pont Neuf",
            "Compteur avenue Jean-Jaurès",
            "Compteur piste du Canal",
            "Compteur rue de la République",
        ],
        measure: "comptage",
        span: (1, 6_000),
        ..BASE
    },
    Theme {
        title: "Fréquentation des piscines",
        kind: Kind::Counts,
        eu: &["SOCI", "HEAL"],
        keywords: &["piscines", "natation", "fréquentation", "sport"],
        service: "Service des sports",
        mailbox: "sports",
        blurb: "Entrées quotidiennes dans les piscines municipales, par type de public.",
        cats: &["Public", "Scolaires", "Clubs", "Activités aquatiques"],
        texts: &["Piscine municipale", "Centre aquatique", "Piscine d'été", "Bassin olympique"],
        measure: "entrées",
        span: (5, 1_800),
        ..BASE
    },
    Theme {
        title: "Prêts des médiathèques",
        kind: Kind::Counts,
        eu: &["EDUC", "SOCI"],
        keywords: &["médiathèque", "lecture publique", "prêts", "culture"],
        service: "Réseau des médiathèques",
        mailbox: "mediatheque",
        blurb: "Prêts quotidiens de documents dans le réseau des médiathèques, par type de document.",
        cats: &["Livres adultes", "Livres jeunesse", "Bandes dessinées", "DVD", "CD", "Revues", "Jeux de société"],
        texts: &["Médiathèque centrale", "Bibliothèque de quartier", "Médiabus", "Ludothèque"],
        measure: "prêts",
        span: (1, 900),
        ..BASE
    },
    Theme {
        title: "Collecte des déchets ménagers",
        kind: Kind::Counts,
        eu: &["ENVI"],
        keywords: &["déchets", "collecte", "tri", "ordures ménagères"],
        service: "Service gestion des déchets",
        mailbox: "dechets",
        blurb: "Levées quotidiennes de bacs par les bennes de collecte, par tournée et par flux de déchets.",
        cats: &["Ordures ménagères", "Emballages", "Verre", "Biodéchets", "Encombrants", "Déchets verts"],
        texts: &[
            "Tournée centre-ville",
            "Tournée nord",
            "Tournée sud",
            "Tournée des hameaux",
            "Tournée zone d'activités",
        ],
        measure: "levées",
        span: (10, 2_500),
        ..BASE
    },
    Theme {
        title: "Fréquentation des lignes de bus",
        kind: Kind::Counts,
        eu: &["TRAN"],
        keywords: &["transports en commun", "bus", "fréquentation", "mobilité"],
        service: "Service transports",
        mailbox: "transports",
        blurb: "Validations quotidiennes des titres de transport, par arrêt et par ligne du réseau de bus.",
        cats: &["Ligne 1", "Ligne 2", "Ligne 3", "Ligne 4", "Navette centre-ville", "Transport à la demande"],
        texts: &[
            "Arrêt Hôtel de Ville",
            "Arrêt Gare SNCF",
            "Arrêt Lycée",
            "Arrêt Hôpital",
            "Arrêt Zone d'activités",
            "Arrêt Église",
        ],
        measure: "validations",
        span: (1, 4_000),
        ..BASE
    },
];

// ---------------------------------------------------------------------------
// Text helpers

/// `de Lyon`, `d'Angers`, `du Havre`.
fn de(name: &str) -> String {
    if let Some(rest) = name.strip_prefix("Le ") {
        format!("du {rest}")
    } else if name.starts_with(['A', 'E', 'É', 'I', 'O', 'U', 'Y']) {
        format!("d'{name}")
    } else {
        format!("de {name}")
    }
}

/// Lowercase ASCII letters, digits and dashes: `Consommation d'eau — Nîmes` →
/// `consommation-d-eau-nimes`.
fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let mapped = match c {
            'a'..='z' | '0'..='9' => Some(c.to_string()),
            'à' | 'â' | 'ä' => Some("a".into()),
            'é' | 'è' | 'ê' | 'ë' => Some("e".into()),
            'î' | 'ï' => Some("i".into()),
            'ô' | 'ö' => Some("o".into()),
            'ù' | 'û' | 'ü' => Some("u".into()),
            'ç' => Some("c".into()),
            'œ' => Some("oe".into()),
            _ => None,
        };
        match mapped {
            Some(s) => out.push_str(&s),
            None if !out.is_empty() && !out.ends_with('-') => out.push('-'),
            None => {}
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The Windows-1252 byte of a character (`None` when it has none).
fn cp1252(c: char) -> Option<u8> {
    Some(match c {
        '\u{0}'..='\u{7F}' | '\u{A0}'..='\u{FF}' => c as u32 as u8,
        '€' => 0x80,
        '‚' => 0x82,
        '…' => 0x85,
        'Œ' => 0x8C,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '–' => 0x96,
        '—' => 0x97,
        'œ' => 0x9C,
        'Ÿ' => 0x9F,
        _ => return None,
    })
}

/// The character of a Windows-1252 byte (U+FFFD for the five unassigned ones).
fn cp1252_char(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{FFFD}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{FFFD}', 'Ž', '\u{FFFD}',
        '\u{FFFD}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{FFFD}', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// A YAML double-quoted scalar.
fn yq(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A TOML basic string.
fn tq(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `12345` → `12 345`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Wraps a paragraph at `width` characters, for readable YAML.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let line = lines.last_mut().expect("never empty");
        // French puts a space before `:` and `;`: never start a line with them.
        let punctuation = matches!(word, ":" | ";" | "?" | "!" | "»");
        if !line.is_empty() && !punctuation && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_string());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}

/// `00` to `99`, for writing two digits at a time.
const DIGIT_PAIRS: [u8; 200] = {
    let mut t = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        t[2 * i] = b'0' + (i / 10) as u8;
        t[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    t
};

fn push_u64(buf: &mut Vec<u8>, n: u64) {
    push_padded(buf, n, 1);
}

/// `n` in decimal, zero-padded to at least `width` (at most 20) digits.
fn push_padded(buf: &mut Vec<u8>, mut n: u64, width: usize) {
    let mut tmp = [b'0'; 20];
    let mut i = tmp.len();
    while n >= 100 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        i -= 2;
        tmp[i..i + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    }
    if n >= 10 {
        let pair = n as usize * 2;
        i -= 2;
        tmp[i..i + 2].copy_from_slice(&DIGIT_PAIRS[pair..pair + 2]);
    } else {
        i -= 1;
        tmp[i] = b'0' + n as u8;
    }
    buf.extend_from_slice(&tmp[i.min(tmp.len() - width)..]);
}

// ---------------------------------------------------------------------------
// Output folders

/// Whether `dir` may be filled: missing or empty, or (under `--force`)
/// holding the marker. Returns whether it must be removed first. Nothing is
/// touched, so that both output folders are checked before either changes.
fn check_dir(dir: &Path, force: bool) -> Result<bool, String> {
    let shown = dir.display();
    if !dir.exists() {
        return Ok(false);
    }
    if !dir.is_dir() {
        return Err(format!("{shown} exists and is not a folder"));
    }
    if fs::read_dir(dir).map_err(|e| format!("{shown}: {e}"))?.next().is_none() {
        return Ok(false);
    }
    if !force {
        return Err(format!("{shown} is not empty (--force replaces a folder written by gensite)"));
    }
    if !dir.join(MARKER).is_file() {
        return Err(format!("{shown} is not empty and has no {MARKER} marker: refusing to delete it"));
    }
    Ok(true)
}

/// Empties `dir` if [`check_dir`] said so (only ever a folder holding our
/// marker; `remove_dir_all` does not follow symbolic links), creates it and
/// writes the marker.
fn prepare_dir(dir: &Path, remove: bool) -> Result<(), String> {
    let shown = dir.display();
    if remove {
        fs::remove_dir_all(dir).map_err(|e| format!("cannot remove {shown}: {e}"))?;
    }
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {shown}: {e}"))?;
    fs::write(dir.join(MARKER), "Written by gensite: `gensite --force` may delete this folder.\n")
        .map_err(|e| format!("cannot write in {shown}: {e}"))
}

/// Writes a text file and counts its bytes.
fn write_text(path: &Path, text: &str, total: &mut u64) -> io::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, text)?;
    *total += text.len() as u64;
    Ok(())
}

// ---------------------------------------------------------------------------
// Planning: everything about the datasets except the rows

#[derive(Clone, Copy, PartialEq, Eq)]
enum Enc {
    Utf8,
    Cp1252,
}

/// How a dataset's files are written (one producer, one habit).
#[derive(Clone, Copy)]
struct Dialect {
    enc: Enc,
    bom: bool,
    crlf: bool,
    decimal: u8,
}

struct FilePlan {
    name: String,
    year: i32,
    /// Size to reach, in bytes (the last row may overshoot it).
    target: u64,
    geo: bool,
    date_fmt: DateFmt,
}

struct Plan {
    index: usize,
    title: String,
    slug: String,
    theme: &'static Theme,
    commune: &'static Commune,
    created: i32,
    modified: i32,
    frequency: &'static str,
    /// `None`: the site's default licence.
    license: Option<&'static str>,
    dialect: Dialect,
    /// Write a `resources:` list (else every file of the folder is one).
    list_resources: bool,
    /// State encoding, delimiter and decimal mark in the sidecar.
    declare_dialect: bool,
    /// The first file is the most recent year.
    files: Vec<FilePlan>,
}

/// Longest expected time between updates, in days, as kiosque counts them.
const PERIODIC: &[(&str, i32)] =
    &[("annual", 548), ("semiannual", 366), ("biennial", 1096), ("quarterly", 183), ("monthly", 62)];

fn plan_datasets(args: &Args) -> Vec<Plan> {
    let last_modified = days_from_civil(2026, 9, 30);
    // No dataset is late before this day.
    let horizon = days_from_civil(2027, 6, 30);
    let mut combos = BTreeSet::new();
    let mut slugs = BTreeSet::new();
    let mut plans = Vec::with_capacity(args.datasets);
    for index in 0..args.datasets {
        let mut rng = Rng::stream(args.seed, &[1, index as u64]);
        let theme = rng.pick(THEMES);
        let two_files = rng.chance(20);
        // A theme, a commune and a year make a dataset; draw again on a
        // repeat (past 100 draws, when N nears the ~29,000 combinations, the
        // repeat stays and its title gets a series number below).
        let (mut commune, mut year) = (rng.pick(COMMUNES), 2019 + rng.below(7) as i32);
        let mut attempts = 0;
        while !combos.insert((theme.title, commune.insee, year, two_files)) && attempts < 100 {
            attempts += 1;
            commune = rng.pick(COMMUNES);
            year = 2019 + rng.below(7) as i32;
        }
        let years = if two_files { format!("{}-{year}", year - 1) } else { year.to_string() };
        let base_title = match rng.below(3) {
            0 => format!("{} {} {years}", theme.title, de(commune.name)),
            1 => format!("{} — {}, {years}", theme.title, commune.name),
            _ => format!("{} {years} - {}", theme.title, commune.name),
        };
        let (mut title, mut slug) = (base_title.clone(), slugify(&base_title));
        let mut n = 2;
        while !slugs.insert(slug.clone()) {
            title = format!("{base_title} (série {n})");
            slug = slugify(&title);
            n += 1;
        }

        let enc = if rng.chance(80) { Enc::Cp1252 } else { Enc::Utf8 };
        let dialect = Dialect {
            enc,
            bom: enc == Enc::Utf8 && rng.chance(40),
            crlf: enc == Enc::Cp1252 || rng.chance(30),
            decimal: if enc == Enc::Cp1252 || rng.chance(50) { b',' } else { b'.' },
        };

        // Updated in the year after the data, never after September 2026.
        let lo = days_from_civil(year + 1, 1, 10);
        let hi = days_from_civil(year + 1, 12, 20).min(last_modified);
        let modified = rng.range(i64::from(lo), i64::from(hi)) as i32;
        let created = (modified - rng.below(400) as i32).max(days_from_civil(2019, 6, 1));
        let periodic: Vec<&str> =
            PERIODIC.iter().filter(|(_, max)| modified + max >= horizon).map(|(id, _)| *id).collect();
        let frequency = if !periodic.is_empty() && rng.chance(70) {
            *rng.pick(&periodic)
        } else {
            *rng.skewed(&["irregular", "never", "unknown"])
        };
        let license =
            if rng.chance(80) { None } else { Some(*rng.pick(&["ODbL-1.0", "CC-BY-4.0", "etalab-2.0", "CC0-1.0"])) };

        let base = format!("{}-{}", slugify(theme.title), slugify(commune.name));
        let sizes = LogRange::new(SMALL_MIN, SMALL_MAX);
        let file_years = if two_files { vec![year, year - 1] } else { vec![year] };
        let files = file_years
            .into_iter()
            .map(|y| FilePlan {
                name: format!("{base}-{y}.csv"),
                year: y,
                target: sizes.sample(&mut rng) as u64,
                geo: match theme.kind {
                    Kind::Places => true,
                    Kind::Budget | Kind::Acts => false,
                    _ => rng.chance(20),
                },
                date_fmt: if rng.chance(50) { DateFmt::Iso } else { DateFmt::French },
            })
            .collect();
        plans.push(Plan {
            index,
            title,
            slug,
            theme,
            commune,
            created,
            modified,
            frequency,
            license,
            dialect,
            list_resources: rng.chance(75),
            declare_dialect: rng.chance(if enc == Enc::Cp1252 { 50 } else { 15 }),
            files,
        });
    }
    assign_big_files(args, &mut plans);
    plans
}

/// Gives `--large` datasets (and one more for `--huge-mb`) a big first file.
fn assign_big_files(args: &Args, plans: &mut [Plan]) {
    let mut rng = Rng::stream(args.seed, &[2]);
    // A seeded shuffle of the dataset indices: the first K get large files,
    // the next one the huge file.
    let mut order: Vec<usize> = (0..plans.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i as u64 + 1) as usize);
    }
    for &i in &order[..args.large] {
        plans[i].files[0].target = match args.large_mb {
            Some(m) => m * MIB,
            None => 10 * MIB + rng.below(90 * MIB + 1),
        };
    }
    if let Some(g) = args.huge_mb {
        let i = order.get(args.large).copied().unwrap_or(order[0]);
        plans[i].files[0].target = g * MIB;
    }
}

// ---------------------------------------------------------------------------
// CSV writing

/// A CSV file written row by row in its encoding and dialect; keeps the
/// header and first rows (as UTF-8 text) for previews.
struct CsvOut {
    out: BufWriter<File>,
    line: Vec<u8>,
    enc: Enc,
    decimal: u8,
    eol: &'static [u8],
    cells: usize,
    capturing: bool,
    row: Vec<String>,
    preview: Vec<Vec<String>>,
    bytes: u64,
    lines: u64,
}

const DELIMITER: u8 = b';';

/// Whether a cell must be quoted.
fn needs_quotes(s: &str) -> bool {
    s.bytes().any(|b| matches!(b, DELIMITER | b'"' | b'\n' | b'\r'))
}

/// Appends text in the file's encoding.
fn encode_into(buf: &mut Vec<u8>, s: &str, enc: Enc) {
    if enc == Enc::Utf8 {
        buf.extend_from_slice(s.as_bytes());
        return;
    }
    // Copy ASCII runs as they are, map each other character to its byte.
    let mut rest = s;
    while let Some(i) = rest.bytes().position(|b| b >= 0x80) {
        buf.extend_from_slice(&rest.as_bytes()[..i]);
        let c = rest[i..].chars().next().expect("a character starts at a non-ASCII byte");
        buf.push(cp1252(c).unwrap_or(b'?'));
        rest = &rest[i + c.len_utf8()..];
    }
    buf.extend_from_slice(rest.as_bytes());
}

impl CsvOut {
    fn create(path: &Path, d: Dialect) -> io::Result<CsvOut> {
        let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
        let mut bytes = 0;
        if d.bom {
            out.write_all(b"\xEF\xBB\xBF")?;
            bytes = 3;
        }
        Ok(CsvOut {
            out,
            line: Vec::with_capacity(512),
            enc: d.enc,
            decimal: d.decimal,
            eol: if d.crlf { b"\r\n" } else { b"\n" },
            cells: 0,
            capturing: true,
            row: Vec::new(),
            preview: Vec::new(),
            bytes,
            lines: 0,
        })
    }

    /// Starts a cell; returns where its bytes begin.
    fn begin(&mut self) -> usize {
        if self.cells > 0 {
            self.line.push(DELIMITER);
        }
        self.cells += 1;
        self.line.len()
    }

    /// Keeps an ASCII cell for the preview.
    fn keep(&mut self, start: usize) {
        if self.capturing {
            self.row.push(String::from_utf8_lossy(&self.line[start..]).into_owned());
        }
    }

    fn encode(&mut self, s: &str) {
        encode_into(&mut self.line, s, self.enc);
    }

    /// The `i`th word of a list, as a cell.
    fn word(&mut self, words: &Words, i: usize) {
        self.begin();
        self.line.extend_from_slice(&words.cells[i]);
        if self.capturing {
            self.row.push(words.words[i].to_string());
        }
    }

    /// The `i`th word of a list, inside a cell opened with [`CsvOut::open`].
    fn word_piece(&mut self, words: &Words, i: usize) {
        debug_assert!(!needs_quotes(words.words[i]));
        self.line.extend_from_slice(&words.cells[i]);
    }

    /// Starts a text cell written in pieces, none of which needs quoting
    /// (no delimiter, quote or line break): saves formatting a `String` per
    /// row. Returns the start to give [`CsvOut::close`].
    fn open(&mut self) -> usize {
        self.begin()
    }

    fn piece(&mut self, s: &str) {
        debug_assert!(!needs_quotes(s));
        self.encode(s);
    }

    /// A number in a text cell, zero-padded to `width` digits.
    fn piece_num(&mut self, n: u64, width: usize) {
        push_padded(&mut self.line, n, width);
    }

    fn close(&mut self, start: usize) {
        if self.capturing {
            let bytes = &self.line[start..];
            let text = match self.enc {
                Enc::Utf8 => String::from_utf8_lossy(bytes).into_owned(),
                Enc::Cp1252 => bytes.iter().map(|&b| cp1252_char(b)).collect(),
            };
            self.row.push(text);
        }
    }

    fn text(&mut self, s: &str) {
        self.begin();
        if needs_quotes(s) {
            self.line.push(b'"');
            self.encode(&s.replace('"', "\"\""));
            self.line.push(b'"');
        } else {
            self.encode(s);
        }
        if self.capturing {
            self.row.push(s.to_string());
        }
    }

    fn int(&mut self, n: i64) {
        let start = self.begin();
        if n < 0 {
            self.line.push(b'-');
        }
        push_u64(&mut self.line, n.unsigned_abs());
        self.keep(start);
    }

    /// `v / 10^places`, with the file's decimal mark.
    fn fixed(&mut self, v: i64, places: u32) {
        let start = self.begin();
        if v < 0 {
            self.line.push(b'-');
        }
        let (abs, scale) = (v.unsigned_abs(), 10u64.pow(places));
        push_u64(&mut self.line, abs / scale);
        if places > 0 {
            self.line.push(self.decimal);
            push_padded(&mut self.line, abs % scale, places as usize);
        }
        self.keep(start);
    }

    fn date(&mut self, days: i32, fmt: DateFmt) {
        let start = self.begin();
        let (y, m, d) = civil_from_days(days);
        let line = &mut self.line;
        match fmt {
            DateFmt::Iso => {
                push_padded(line, y as u64, 4);
                line.push(b'-');
                push_padded(line, u64::from(m), 2);
                line.push(b'-');
                push_padded(line, u64::from(d), 2);
            }
            DateFmt::French => {
                push_padded(line, u64::from(d), 2);
                line.push(b'/');
                push_padded(line, u64::from(m), 2);
                line.push(b'/');
                push_padded(line, y as u64, 4);
            }
        }
        self.keep(start);
    }

    fn empty(&mut self) {
        let start = self.begin();
        self.keep(start);
    }

    fn end_row(&mut self) -> io::Result<()> {
        self.line.extend_from_slice(self.eol);
        self.out.write_all(&self.line)?;
        self.bytes += self.line.len() as u64;
        self.lines += 1;
        self.line.clear();
        self.cells = 0;
        if self.capturing {
            self.preview.push(std::mem::take(&mut self.row));
            self.capturing = self.preview.len() <= PREVIEW_ROWS;
        }
        Ok(())
    }
}

/// What was written to a data file.
struct FileStats {
    bytes: u64,
    rows: u64,
    /// Header, then up to [`PREVIEW_ROWS`] rows.
    preview: Vec<Vec<String>>,
}

/// A list of words encoded once for a file, each as a ready cell (quoted
/// when it needs to be): most cells of a row are such words.
struct Words {
    words: Vec<&'static str>,
    cells: Vec<Vec<u8>>,
}

impl Words {
    fn new(words: &[&'static str], enc: Enc) -> Words {
        let cells = words
            .iter()
            .map(|w| {
                let mut cell = Vec::with_capacity(w.len() + 2);
                if needs_quotes(w) {
                    cell.push(b'"');
                    encode_into(&mut cell, &w.replace('"', "\"\""), enc);
                    cell.push(b'"');
                } else {
                    encode_into(&mut cell, w, enc);
                }
                cell
            })
            .collect();
        Words { words: words.to_vec(), cells }
    }

    fn len(&self) -> u64 {
        self.words.len() as u64
    }
}

/// The word lists of one table.
struct Vocab {
    cats: Words,
    statuses: Words,
    texts: Words,
    levels: Words,
    street_kinds: Words,
    street_names: Words,
    suffixes: Words,
    services: Words,
    /// Names and INSEE codes of the pool's communes.
    names: Words,
    codes: Words,
    /// Constant cells: the unit, `oui`, `non`, the sections, the school year.
    label: Words,
    yes_no: Words,
    sections: Words,
    school_year: Words,
}

/// Generates one table's rows.
struct Table {
    theme: &'static Theme,
    /// Communes of the rows, the dataset's own first.
    pool: Vec<&'static Commune>,
    year: i32,
    geo: bool,
    date_fmt: DateFmt,
    rng: Rng,
    span: LogRange,
    v: Vocab,
}

/// Whether a table also has rows about other communes than the dataset's.
fn shared_table(kind: Kind) -> bool {
    matches!(kind, Kind::Consumption | Kind::Places | Kind::Counts)
}

fn header(t: &Theme, geo: bool) -> Vec<&'static str> {
    let mut h = match t.kind {
        Kind::Budget => {
            vec!["id", "exercice", "code_insee", "commune", "section", "nature", "libellé", t.measure, "date_décision"]
        }
        Kind::Consumption => {
            vec!["id", "code_insee", "commune", "site", "compteur", "mois", "indicateur", t.measure, "unité", "estimé"]
        }
        Kind::School => vec![
            "id",
            "code_insee",
            "commune",
            "établissement",
            "type",
            "niveau",
            "année_scolaire",
            t.measure,
            "nb_classes",
            "date_rentrée",
        ],
        Kind::Acts => vec!["id", "numéro", "date_acte", "objet", "matière", "service", "statut", "nb_pages"],
        Kind::Places => vec![
            "id",
            "nom_site",
            "catégorie",
            "adresse",
            "code_insee",
            "commune",
            "latitude",
            "longitude",
            "date_mise_en_service",
            t.measure,
            "accès_pmr",
        ],
        Kind::Counts => {
            vec!["id", "date_mesure", "site", "catégorie", t.measure, "évolution_pct", "code_insee", "commune"]
        }
    };
    if geo && t.kind != Kind::Places {
        h.extend(["latitude", "longitude"]);
    }
    h
}

impl Table {
    fn new(plan: &Plan, file: &FilePlan, file_index: usize, seed: u64) -> Table {
        let mut rng = Rng::stream(seed, &[3, plan.index as u64, file_index as u64]);
        // Budgets, acts and schools are one commune's; other tables have
        // some rows about partner communes.
        let mut pool = vec![plan.commune];
        if shared_table(plan.theme.kind) {
            for _ in 0..1 + rng.below(4) {
                pool.push(rng.pick(COMMUNES));
            }
        }
        let t = plan.theme;
        let enc = plan.dialect.enc;
        let school_year: &'static str = SCHOOL_YEARS[(file.year - SCHOOL_YEARS_FROM).clamp(0, 10) as usize];
        let v = Vocab {
            cats: Words::new(t.cats, enc),
            statuses: Words::new(t.statuses, enc),
            texts: Words::new(t.texts, enc),
            levels: Words::new(LEVELS, enc),
            street_kinds: Words::new(STREET_KINDS, enc),
            street_names: Words::new(STREET_NAMES, enc),
            suffixes: Words::new(PLACE_SUFFIXES, enc),
            services: Words::new(SERVICES, enc),
            names: Words::new(&pool.iter().map(|c| c.name).collect::<Vec<_>>(), enc),
            codes: Words::new(&pool.iter().map(|c| c.insee).collect::<Vec<_>>(), enc),
            label: Words::new(&[t.label], enc),
            yes_no: Words::new(&["oui", "non"], enc),
            sections: Words::new(&["Fonctionnement", "Investissement"], enc),
            school_year: Words::new(&[school_year], enc),
        };
        let (lo, hi) = t.span;
        Table {
            theme: t,
            pool,
            year: file.year,
            geo: file.geo,
            date_fmt: file.date_fmt,
            rng,
            span: LogRange::new(f64::from(lo.max(1)), f64::from(hi)),
            v,
        }
    }

    /// Index of a row's commune in the pool: mostly the dataset's own.
    fn commune(&mut self) -> usize {
        if self.rng.chance(60) { 0 } else { self.rng.below(self.pool.len() as u64) as usize }
    }

    fn one(&mut self, out: &mut CsvOut, w: Which) {
        let words = self.v.get(w);
        out.word(words, self.rng.below(words.len()) as usize);
    }

    fn one_skewed(&mut self, out: &mut CsvOut, w: Which) {
        let words = self.v.get(w);
        let n = words.len();
        out.word(words, self.rng.below(n).min(self.rng.below(n)) as usize);
    }

    fn one_piece(&mut self, out: &mut CsvOut, w: Which) {
        let words = self.v.get(w);
        out.word_piece(words, self.rng.below(words.len()) as usize);
    }

    fn day_in_year(&mut self) -> i32 {
        days_from_civil(self.year, 1, 1) + self.rng.below(365) as i32
    }

    /// `12 bis rue de l'Église`
    fn address(&mut self, out: &mut CsvOut) {
        let start = out.open();
        out.piece_num(self.rng.range(1, 180) as u64, 1);
        if self.rng.chance(8) {
            out.piece(" bis");
        }
        self.street(out);
        out.close(start);
    }

    /// ` rue de l'Église`, inside a cell.
    fn street(&mut self, out: &mut CsvOut) {
        out.piece(" ");
        self.one_piece(out, Which::StreetKinds);
        out.piece(" ");
        self.one_piece(out, Which::StreetNames);
    }

    /// The commune's INSEE code and name.
    fn place(&mut self, out: &mut CsvOut, c: usize) {
        out.word(&self.v.codes, c);
        out.word(&self.v.names, c);
    }

    /// Latitude and longitude near a commune's centre, in micro-degrees.
    fn coords(&mut self, out: &mut CsvOut, c: usize) {
        let c = self.pool[c];
        out.fixed(i64::from(c.lat) + self.rng.range(-25_000, 25_000), 6);
        out.fixed(i64::from(c.lon) + self.rng.range(-25_000, 25_000), 6);
    }

    fn yes_no(&mut self, out: &mut CsvOut, yes_percent: u64) {
        let i = usize::from(!self.rng.chance(yes_percent));
        out.word(&self.v.yes_no, i);
    }

    fn row(&mut self, out: &mut CsvOut, id: u64) {
        let t = self.theme;
        out.int(id as i64);
        let c = self.commune();
        match t.kind {
            Kind::Budget => {
                out.int(i64::from(self.year));
                self.place(out, c);
                let section = usize::from(!self.rng.chance(70));
                out.word(&self.v.sections, section);
                self.one_skewed(out, Which::Cats);
                self.one(out, Which::Texts);
                let euros = self.span.sample(&mut self.rng);
                out.fixed((euros * 100.0).round() as i64, 2);
                let day = self.day_in_year();
                out.date(day, self.date_fmt);
            }
            Kind::Consumption => {
                self.place(out, c);
                let site = self.rng.below(self.v.texts.len()) as usize;
                out.word(&self.v.texts, site);
                let start = out.open();
                out.piece("CPT-");
                out.piece_num((100_000 + site * 7_919 + c * 13) as u64, 6);
                out.close(start);
                let month = days_from_civil(self.year, 1 + self.rng.below(12) as u32, 1);
                out.date(month, self.date_fmt);
                self.one_skewed(out, Which::Cats);
                if self.rng.chance(2) {
                    out.empty();
                } else {
                    let places = if t.span.1 <= 1_000 { 1 } else { 2 };
                    let v = self.span.sample(&mut self.rng) * if places == 1 { 10.0 } else { 100.0 };
                    out.fixed(v.round() as i64, places);
                }
                out.word(&self.v.label, 0);
                self.yes_no(out, 10);
            }
            Kind::School => {
                self.place(out, c);
                self.one(out, Which::Texts);
                self.one_skewed(out, Which::Cats);
                self.one(out, Which::Levels);
                out.word(&self.v.school_year, 0);
                let pupils = self.rng.range(i64::from(t.span.0), i64::from(t.span.1));
                out.int(pupils);
                out.int(1 + pupils / 26);
                let day = days_from_civil(self.year, 9, 1) + self.rng.below(4) as i32;
                out.date(day, self.date_fmt);
            }
            Kind::Acts => {
                let start = out.open();
                out.word_piece(&self.v.label, 0);
                out.piece("-");
                out.piece_num(self.year as u64, 4);
                out.piece("-");
                out.piece_num(id, 4);
                out.close(start);
                let day = self.day_in_year();
                out.date(day, self.date_fmt);
                // The object, sometimes with the street it is about.
                let start = out.open();
                self.one_piece(out, Which::Texts);
                if self.rng.chance(50) {
                    out.piece(" —");
                    self.street(out);
                }
                out.close(start);
                self.one_skewed(out, Which::Cats);
                self.one_skewed(out, Which::Services);
                self.one_skewed(out, Which::Statuses);
                out.int(self.rng.range(1, 40));
            }
            Kind::Places => {
                // `<label or category> <suffix>`: `Gymnase du Parc`, `Arbre des Écoles`.
                let category = self.rng.below(self.v.cats.len()).min(self.rng.below(self.v.cats.len())) as usize;
                let start = out.open();
                if t.label.is_empty() {
                    out.word_piece(&self.v.cats, category);
                } else {
                    out.word_piece(&self.v.label, 0);
                }
                out.piece(" ");
                self.one_piece(out, Which::Suffixes);
                out.close(start);
                out.word(&self.v.cats, category);
                self.address(out);
                self.place(out, c);
                self.coords(out, c);
                let since = days_from_civil(1995, 1, 1);
                let until = days_from_civil(self.year, 12, 31);
                out.date(self.rng.range(i64::from(since), i64::from(until)) as i32, self.date_fmt);
                out.int(self.rng.range(i64::from(t.span.0), i64::from(t.span.1)));
                if self.rng.chance(5) {
                    out.empty();
                } else {
                    self.yes_no(out, 65);
                }
            }
            Kind::Counts => {
                let day = self.day_in_year();
                out.date(day, self.date_fmt);
                self.one(out, Which::Texts);
                self.one_skewed(out, Which::Cats);
                out.int(self.span.sample(&mut self.rng) as i64);
                if self.rng.chance(3) {
                    out.empty();
                } else {
                    out.fixed(self.rng.range(-400, 600), 1);
                }
                self.place(out, c);
            }
        }
        if self.geo && t.kind != Kind::Places {
            self.coords(out, c);
        }
    }
}

/// Which word list of a [`Vocab`].
#[derive(Clone, Copy)]
enum Which {
    Cats,
    Statuses,
    Texts,
    Levels,
    StreetKinds,
    StreetNames,
    Suffixes,
    Services,
}

impl Vocab {
    fn get(&self, w: Which) -> &Words {
        match w {
            Which::Cats => &self.cats,
            Which::Statuses => &self.statuses,
            Which::Texts => &self.texts,
            Which::Levels => &self.levels,
            Which::StreetKinds => &self.street_kinds,
            Which::StreetNames => &self.street_names,
            Which::Suffixes => &self.suffixes,
            Which::Services => &self.services,
        }
    }
}

/// `2015-2016` … `2025-2026`, as static cells.
const SCHOOL_YEARS_FROM: i32 = 2015;
const SCHOOL_YEARS: [&str; 11] = [
    "2015-2016",
    "2016-2017",
    "2017-2018",
    "2018-2019",
    "2019-2020",
    "2020-2021",
    "2021-2022",
    "2022-2023",
    "2023-2024",
    "2024-2025",
    "2025-2026",
];

fn write_csv(path: &Path, plan: &Plan, file_index: usize, seed: u64) -> io::Result<FileStats> {
    let file = &plan.files[file_index];
    let mut table = Table::new(plan, file, file_index, seed);
    let mut out = CsvOut::create(path, plan.dialect)?;
    for name in header(plan.theme, file.geo) {
        out.text(name);
    }
    out.end_row()?;
    let mut id = 1;
    while out.bytes < file.target || id == 1 {
        table.row(&mut out, id);
        out.end_row()?;
        id += 1;
    }
    out.out.flush()?;
    Ok(FileStats { bytes: out.bytes, rows: out.lines - 1, preview: out.preview })
}

// ---------------------------------------------------------------------------
// Sidecars, site settings and pages

fn description(plan: &Plan) -> Vec<String> {
    let t = plan.theme;
    let c = plan.commune;
    let year = plan.files[0].year;
    let period =
        if plan.files.len() > 1 { format!("les années {} et {year}", year - 1) } else { format!("l'année {year}") };
    let first = format!(
        "{} Les données couvrent {period} pour la commune {} (code INSEE {}){}.",
        t.blurb,
        de(c.name),
        c.insee,
        if shared_table(t.kind) { " et, pour quelques lignes, des communes partenaires" } else { "" }
    );
    let (who, verb) = subject(t.service);
    let when = match plan.frequency {
        "annual" => "chaque année",
        "semiannual" => "deux fois par an",
        "biennial" => "tous les deux ans",
        "quarterly" => "chaque trimestre",
        "monthly" => "chaque mois",
        _ => "au fil de l'eau",
    };
    let updates = match plan.frequency {
        "never" => "Ces données sont figées : elles ne seront plus mises à jour.".to_string(),
        "unknown" => "Le rythme des mises à jour n'est pas encore fixé.".to_string(),
        _ => format!("{who} {verb} les données à jour {when}."),
    };
    let files = if plan.files.len() > 1 { "Les fichiers sont" } else { "Le fichier est" };
    let format = match (plan.dialect.enc, plan.dialect.decimal) {
        (Enc::Cp1252, _) => "exporté d'Excel : encodage Windows-1252, séparateur point-virgule et virgule décimale.",
        (Enc::Utf8, b',') => "en UTF-8, avec le point-virgule comme séparateur et la virgule décimale.",
        (Enc::Utf8, _) => "en UTF-8, avec le point-virgule comme séparateur et le point décimal.",
    };
    let format = if plan.files.len() > 1 { format.replacen("exporté", "exportés", 1) } else { format.to_string() };
    let geo = match plan.files.iter().filter(|f| f.geo).count() {
        0 => "",
        n if n == plan.files.len() => {
            " Chaque ligne porte ses coordonnées GPS (WGS 84) dans les colonnes `latitude` et `longitude`."
        }
        _ => {
            " Les lignes les plus récentes portent leurs coordonnées GPS (WGS 84) : colonnes `latitude` et `longitude`."
        }
    };
    vec![
        first,
        format!("{updates} {files} {format}{geo} La colonne `id` numérote les lignes."),
        "*Données synthétiques générées par gensite pour mesurer les performances de kiosque : \
         elles ne décrivent aucune réalité.*"
            .to_string(),
    ]
}

/// A service as the subject of a sentence, and the verb « mettre » agreeing
/// with it: `Direction des finances` → (`La direction des finances`, `met`).
fn subject(service: &str) -> (String, &'static str) {
    let (first, rest) = service.split_once(' ').unwrap_or((service, ""));
    match first {
        "Direction" => (format!("La direction {rest}"), "met"),
        "Services" => (format!("Les services {rest}"), "mettent"),
        "Secrétariat" => (format!("Le secrétariat {rest}"), "met"),
        "Réseau" => (format!("Le réseau {rest}"), "met"),
        "Service" => (format!("Le service {rest}"), "met"),
        _ => (service.to_string(), "met"),
    }
}

/// One line per row of a table, for a resource's description.
fn row_meaning(kind: Kind) -> &'static str {
    match kind {
        Kind::Budget => "Une ligne par article budgétaire",
        Kind::Consumption => "Une ligne par compteur, indicateur et mois",
        Kind::School => "Une ligne par école et par niveau",
        Kind::Acts => "Une ligne par acte",
        Kind::Places => "Une ligne par équipement, avec sa localisation",
        Kind::Counts => "Une ligne par site, catégorie et jour",
    }
}

fn dialect_lines(d: Dialect, indent: &str) -> String {
    let encoding = if d.enc == Enc::Cp1252 { "windows-1252" } else { "utf-8" };
    let decimal = d.decimal as char;
    format!("{indent}encoding: {encoding}\n{indent}delimiter: \";\"\n{indent}decimal: \"{decimal}\"\n")
}

fn sidecar(plan: &Plan, stats: &[FileStats]) -> String {
    let t = plan.theme;
    let mut y = String::new();
    let _ = writeln!(y, "title: {}", yq(&plan.title));
    y.push_str("description: |\n");
    for (i, paragraph) in description(plan).iter().enumerate() {
        if i > 0 {
            y.push('\n');
        }
        for line in wrap(paragraph, 100) {
            let _ = writeln!(y, "  {line}");
        }
    }
    if let Some(license) = plan.license {
        let _ = writeln!(y, "license: {license}");
    }
    let mut keywords: Vec<String> = t.keywords.iter().map(|k| yq(k)).collect();
    keywords.push(yq(plan.commune.name));
    let _ = writeln!(y, "keywords: [{}]", keywords.join(", "));
    let _ = writeln!(y, "themes: [{}]", t.eu.join(", "));
    let _ = writeln!(y, "publisher: {}", yq(t.service));
    let _ = writeln!(y, "contact:\n  name: {}\n  email: {}@{MAIL_DOMAIN}", yq(t.service), t.mailbox);
    let _ = writeln!(y, "frequency: {}", plan.frequency);
    let _ = writeln!(y, "created: {}", iso_date(plan.created));
    let _ = writeln!(y, "modified: {}", iso_date(plan.modified));
    let last = plan.files[0].year;
    let first = plan.files.last().map_or(last, |f| f.year);
    let _ = writeln!(
        y,
        "temporal:\n  start: {}\n  end: {}",
        iso_date(days_from_civil(first, 1, 1)),
        iso_date(days_from_civil(last, 12, 31))
    );
    let _ = writeln!(y, "spatial:\n  label: {}\n  insee: \"{}\"", yq(plan.commune.name), plan.commune.insee);
    if plan.list_resources {
        y.push_str("resources:\n");
        for (file, s) in plan.files.iter().zip(stats) {
            let _ = writeln!(y, "  - path: {}", file.name);
            let _ = writeln!(y, "    title: {}", yq(&format!("{} {} — {}", t.title, file.year, plan.commune.name)));
            let rows = if s.rows == 1 { "1 ligne".to_string() } else { format!("{} lignes", grouped(s.rows)) };
            let _ = writeln!(y, "    description: {}", yq(&format!("{} ({rows}).", row_meaning(t.kind))));
            y.push_str("    format: CSV\n");
            if plan.declare_dialect {
                y.push_str(&dialect_lines(plan.dialect, "    "));
            }
        }
    } else if plan.declare_dialect {
        y.push_str(&dialect_lines(plan.dialect, ""));
    }
    y
}

fn site_yaml(args: &Args, plans: &[Plan]) -> String {
    let featured: Vec<&str> = plans.iter().take(3).map(|p| p.slug.as_str()).collect();
    format!(
        "# Written by gensite (seed {seed}, {n} datasets): synthetic data for benchmarks.
title: \"Données ouvertes du Val de Bancelle\"
description: >-
  Portail de données ouvertes synthétique de la communauté d'agglomération du Val de Bancelle :
  {n} jeux de données sur les finances, l'environnement, l'éducation, la mobilité et les équipements
  publics. Toutes les données se réutilisent librement sous la
  [Licence Ouverte 2.0](https://www.etalab.gouv.fr/licence-ouverte-open-licence/), sauf mention contraire.
  *Elles sont générées par gensite pour mesurer les performances de kiosque et ne décrivent aucune réalité.*
base_url: {BASE_URL}
language: fr
publisher: {publisher}
siret: \"{SIRET}\"
contact:
  name: Service numérique
  email: opendata@{MAIL_DOMAIN}
license: etalab-2.0
featured: [{featured}]
",
        seed = args.seed,
        n = args.datasets,
        publisher = yq(PUBLISHER),
        featured = featured.join(", "),
    )
}

fn pages(args: &Args) -> Vec<(&'static str, String)> {
    let about = format!(
        "---
title: À propos
description: \"Un portail de données ouvertes synthétique, pour mesurer les performances de kiosque.\"
order: 1
---

Ce portail rassemble **{n} jeux de données ouvertes synthétiques** de la communauté d'agglomération du
Val de Bancelle, une collectivité imaginaire. Ils ont été produits par le programme `gensite` avec la
graine {seed} : les mêmes paramètres redonnent, octet pour octet, les mêmes fichiers.

## Ce que vous trouverez ici

- des **finances** : budgets primitifs, comptes administratifs, subventions, marchés publics ;
- de l'**environnement** : consommations d'eau et d'énergie, qualité de l'air, arbres, déchets ;
- de l'**éducation** : effectifs scolaires, restauration scolaire, accueil périscolaire ;
- de la **mobilité** : comptages vélo, bornes de recharge, fréquentation des bus ;
- des **actes administratifs** : arrêtés, délibérations, permis de construire.

Consultez le [catalogue](../datasets/) ou téléchargez-le d'un bloc : [catalog.json](../catalog.json).
",
        n = args.datasets,
        seed = args.seed,
    );
    let legal = "---
title: Mentions légales
description: \"Éditeur, hébergement et réutilisation des données.\"
order: 3
---

**Éditeur** : communauté d'agglomération du Val de Bancelle (collectivité imaginaire).

**Réutilisation** : sauf mention contraire sur la fiche d'un jeu de données, les données sont publiées
sous la [Licence Ouverte 2.0](https://www.etalab.gouv.fr/licence-ouverte-open-licence/).

**Données personnelles** : aucune donnée de ce portail ne concerne une personne identifiée ou
identifiable ; toutes sont fictives.
"
    .to_string();
    let method = "---
title: Méthodologie
description: \"Comment les fichiers de données sont écrits : encodages, séparateurs, dates et coordonnées.\"
order: 2
---

Les fichiers ressemblent aux exports des logiciels des collectivités :

| caractéristique | valeurs |
|---|---|
| encodage | Windows-1252 (exports d'Excel, fins de ligne Windows) ou UTF-8, parfois avec BOM |
| séparateur | point-virgule |
| nombres | virgule décimale (`1234,56`) ; point décimal dans certains fichiers UTF-8 |
| dates | `2024-03-15` ou `15/03/2024`, un seul format par colonne |
| coordonnées | colonnes `latitude` et `longitude` en degrés décimaux (WGS 84) |

Chaque fichier a une colonne `id` (entier) et, le plus souvent, le nom de la commune et son code INSEE
(cinq caractères, à lire comme du texte : `06088` pour Nice).
"
    .to_string();
    vec![("a-propos.md", about), ("methodologie.md", method), ("mentions-legales.md", legal)]
}

// ---------------------------------------------------------------------------
// Hugo site

const HUGO_BASEOF: &str = r#"<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} · {{ site.Title }}{{ end }}</title>
{{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}
</head>
<body>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a> · <a href="{{ "/datasets/" | relURL }}">Jeux de données</a></header>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
"#;

const HUGO_SINGLE: &str = r#"{{ define "main" }}
<article>
<h1>{{ .Title }}</h1>
<p>Mis à jour le {{ .Date.Format "02/01/2006" }}{{ with .Params.keywords }} · Mots-clés : {{ delimit . ", " }}{{ end }}</p>
{{ .Content }}
</article>
{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<p>{{ len .Pages }} jeux de données.</p>
<ul>
{{ range .Pages.ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> — {{ .Description }}</li>
{{ end }}</ul>
{{ end }}
"#;

const HUGO_HOME: &str = r#"{{ define "main" }}
{{ $datasets := where site.RegularPages "Section" "datasets" }}
<h1>{{ site.Title }}</h1>
<p>{{ len $datasets }} jeux de données : <a href="{{ "/datasets/" | relURL }}">le catalogue</a>, ou son <a href="{{ "/index.json" | relURL }}">index JSON</a>.</p>
<h2>Dernières mises à jour</h2>
<ul>
{{ range first 10 $datasets.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ .Date.Format "2006-01-02" }})</li>
{{ end }}</ul>
{{ end }}
"#;

const HUGO_INDEX_JSON: &str = r#"{{- $items := slice -}}
{{- range (where site.RegularPages "Section" "datasets").ByTitle -}}
{{- $items = $items | append (dict "title" .Title "url" .Permalink "description" .Description) -}}
{{- end -}}
{{- dict "title" site.Title "datasets" $items | jsonify -}}
"#;

fn hugo_config() -> String {
    format!(
        "baseURL = {}
defaultContentLanguage = \"fr\"
title = \"Données ouvertes du Val de Bancelle (Hugo)\"
disableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\"]

[outputs]
home = [\"HTML\", \"JSON\"]
section = [\"HTML\"]
",
        tq(BASE_URL)
    )
}

/// A Markdown table cell: no pipe, no line break.
fn md_cell(text: &str) -> String {
    text.replace('\\', "\\\\").replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn hugo_page(plan: &Plan, stats: &FileStats) -> String {
    let paragraphs = description(plan);
    let keywords: Vec<String> = plan.theme.keywords.iter().copied().chain([plan.commune.name]).map(tq).collect();
    let mut page = format!(
        "+++\ntitle = {}\ndescription = {}\nkeywords = [{}]\ndate = {}\n+++\n\n{}\n\n## Aperçu de `{}`\n\n",
        tq(&plan.title),
        tq(&paragraphs[0]),
        keywords.join(", "),
        iso_date(plan.modified),
        paragraphs.join("\n\n"),
        plan.files[0].name,
    );
    if let Some((head, rows)) = stats.preview.split_first() {
        let line =
            |cells: &[String]| format!("| {} |\n", cells.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | "));
        page.push_str(&line(head));
        page.push_str(&format!("|{}\n", "---|".repeat(head.len())));
        for row in rows {
            page.push_str(&line(row));
        }
    }
    page
}

fn write_hugo_skeleton(dir: &Path, args: &Args) -> io::Result<()> {
    let mut ignored = 0;
    write_text(&dir.join("hugo.toml"), &hugo_config(), &mut ignored)?;
    let layouts = dir.join("layouts");
    for (path, text) in [
        ("_default/baseof.html", HUGO_BASEOF),
        ("_default/single.html", HUGO_SINGLE),
        ("_default/list.html", HUGO_LIST),
        ("index.html", HUGO_HOME),
        ("index.json", HUGO_INDEX_JSON),
    ] {
        write_text(&layouts.join(path), text, &mut ignored)?;
    }
    let index = format!(
        "+++\ntitle = \"Jeux de données\"\ndescription = {}\n+++\n\nLe catalogue des {} jeux de données du portail.\n",
        tq("Tous les jeux de données du portail, par ordre alphabétique."),
        args.datasets
    );
    write_text(&dir.join("content/datasets/_index.md"), &index, &mut ignored)
}

// ---------------------------------------------------------------------------
// Main

fn run(args: &Args) -> Result<(), String> {
    let started = Instant::now();
    let remove_out = check_dir(&args.out, args.force)?;
    let remove_hugo = match &args.hugo {
        Some(hugo) => check_dir(hugo, args.force)?,
        None => false,
    };
    prepare_dir(&args.out, remove_out)?;
    if let Some(hugo) = &args.hugo {
        prepare_dir(hugo, remove_hugo)?;
    }
    let io_err = |e: io::Error| format!("write error: {e}");
    let plans = plan_datasets(args);

    let mut total = 0u64;
    write_text(&args.out.join("site.yaml"), &site_yaml(args, &plans), &mut total).map_err(io_err)?;
    for (name, text) in pages(args) {
        write_text(&args.out.join("pages").join(name), &text, &mut total).map_err(io_err)?;
    }
    if let Some(hugo) = &args.hugo {
        write_hugo_skeleton(hugo, args).map_err(io_err)?;
    }

    let (mut files, mut data_bytes) = (0u64, 0u64);
    for plan in &plans {
        let dir = args.out.join("datasets").join(&plan.slug);
        fs::create_dir_all(&dir).map_err(io_err)?;
        let mut stats = Vec::with_capacity(plan.files.len());
        for (i, file) in plan.files.iter().enumerate() {
            let s = write_csv(&dir.join(&file.name), plan, i, args.seed)
                .map_err(|e| format!("{}: {e}", dir.join(&file.name).display()))?;
            files += 1;
            data_bytes += s.bytes;
            stats.push(s);
        }
        write_text(&dir.join("dataset.yaml"), &sidecar(plan, &stats), &mut total).map_err(io_err)?;
        if let Some(hugo) = &args.hugo {
            let path = hugo.join("content/datasets").join(format!("{}.md", plan.slug));
            let mut ignored = 0;
            write_text(&path, &hugo_page(plan, &stats[0]), &mut ignored).map_err(io_err)?;
        }
    }
    total += data_bytes;

    let hugo = args.hugo.as_ref().map(|h| format!(", Hugo site in {}", h.display())).unwrap_or_default();
    eprintln!(
        "gensite: {} datasets, {files} data files, {data_bytes} bytes of data, {total} bytes in all ({:.1} MiB) in {} ({:.2} s){hugo}",
        plans.len(),
        total as f64 / MIB as f64,
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    if argv.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let args = match parse_args(&argv) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("gensite: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gensite: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        for days in days_from_civil(1995, 1, 1)..days_from_civil(2030, 1, 1) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(iso_date(days_from_civil(2024, 2, 29)), "2024-02-29");
        assert_eq!(days_from_civil(1970, 1, 1), 0);
    }

    #[test]
    fn arithmetic_matches_libm_closely() {
        for x in [1.5, 2.0, 10.0, 200.0, 40_000.0, 1e-3] {
            assert!((det_ln(x) - x.ln()).abs() < 1e-12, "ln {x}");
        }
        for x in [0.0, 0.5, 1.0, 5.3, 10.6, 15.0] {
            assert!((det_exp(x) / x.exp() - 1.0).abs() < 1e-12, "exp {x}");
        }
    }

    #[test]
    fn rng_streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..4).map(|_| Rng::stream(7, &[1, 2]).next()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(Rng::stream(7, &[1, 2]).next(), Rng::stream(7, &[1, 3]).next());
        let mut rng = Rng::stream(1, &[]);
        assert!((0..10_000).all(|_| rng.below(7) < 7));
    }

    #[test]
    fn every_word_has_a_windows_1252_byte() {
        let mut words: Vec<&str> = Vec::new();
        for t in THEMES {
            words.extend([t.title, t.blurb, t.service, t.measure, t.label]);
            words.extend(t.cats.iter().chain(t.statuses).chain(t.texts).chain(t.keywords));
        }
        for list in [CHAPTERS, BUDGET_LINES, PUBLIC_BUILDINGS, SCHOOLS, LEVELS, STREET_KINDS, STREET_NAMES] {
            words.extend(list);
        }
        words.extend(PLACE_SUFFIXES.iter().chain(SERVICES));
        words.extend(COMMUNES.iter().map(|c| c.name));
        words.extend(THEMES.iter().flat_map(|t| header(t, true)));
        for w in words {
            assert!(w.chars().all(|c| cp1252(c).is_some()), "{w}");
        }
    }

    #[test]
    fn communes_are_in_metropolitan_france() {
        for c in COMMUNES {
            assert!(c.insee.len() == 5 && c.insee.bytes().all(|b| b.is_ascii_digit()), "{}", c.name);
            assert!((41_400_000..51_000_000).contains(&c.lat) && (-5_100_000..9_500_000).contains(&c.lon));
        }
    }

    #[test]
    fn plans_stay_unique_and_valid_even_past_the_combinations() {
        let args = parse_args(&["x".into(), "--datasets".into(), "35000".into()]).unwrap();
        let plans = plan_datasets(&args);
        let slugs: BTreeSet<&str> = plans.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(slugs.len(), plans.len());
        let (from, until) = (days_from_civil(2020, 1, 1), days_from_civil(2026, 9, 30));
        for p in &plans {
            assert!(from <= p.modified && p.modified <= until && p.created <= p.modified, "{}", p.title);
            assert!(!p.files.is_empty() && p.files.iter().all(|f| (1024..=200 * 1024).contains(&f.target)));
        }
        assert!(plans.iter().any(|p| p.title.ends_with("(série 2)")));
    }

    #[test]
    fn text_helpers() {
        assert_eq!(slugify("Consommation d'eau — Nîmes, 2024"), "consommation-d-eau-nimes-2024");
        assert_eq!(slugify("Mission de maîtrise d'œuvre"), "mission-de-maitrise-d-oeuvre");
        assert_eq!(de("Le Havre"), "du Havre");
        assert_eq!(de("Évreux"), "d'Évreux");
        assert_eq!(de("Lyon"), "de Lyon");
        assert_eq!(grouped(1_234_567), "1 234 567");
        assert_eq!(subject("Direction des finances"), ("La direction des finances".into(), "met"));
        assert_eq!(subject("Services techniques"), ("Les services techniques".into(), "mettent"));
        assert_eq!(tq("a \"b\"\n"), "\"a \\\"b\\\"\\n\"");
        let mut buf = Vec::new();
        push_padded(&mut buf, 7, 3);
        assert_eq!(buf, b"007");
    }
}
