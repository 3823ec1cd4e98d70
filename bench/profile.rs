//! Throughput and memory check of `profile_path` against a bare `csv`
//! `ByteRecord` loop, on a generated French-style CSV (`;`, windows-1252,
//! decimal commas, dates, 8 columns).
//!
//! ```text
//! cargo run --release --example bench-profile -- [SIZE_MB (default 200)] [--runs N] [--utf8] [--regenerate]
//! ```
//!
//! The file is written once to `/tmp/kiosque-bench-<SIZE>MB[-utf8].csv`
//! (windows-1252 unless `--utf8`) and reused. Each measure is the best of
//! `--runs` runs (default 5, 1 above 500 MB), file in the page cache. Peak
//! RSS is the kernel's high-water mark (VmHWM), reset before each phase.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const COMMUNES: [&str; 12] = [
    "Bourg-en-Bresse",
    "Ambérieu-en-Bugey",
    "Côte-d'Or",
    "Besançon",
    "Évry-Courcouronnes",
    "Saint-Étienne",
    "L'Haÿ-les-Roses",
    "Ajaccio",
    "Noisy-le-Sec",
    "Aÿ-Champagne",
    "Œuilly",
    "Montréal-la-Cluse",
];
const CATEGORIES: [&str; 6] = ["Fonctionnement", "Investissement", "Subvention", "Personnel", "Énergie", "Voirie"];
const WORDS: [&str; 10] =
    ["réfection", "de la", "toiture", "école", "élémentaire", "marché", "n°", "lot", "été", "façade"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let option = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)?.parse().ok());
    let size_mb: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(200);
    let utf8 = args.iter().any(|a| a == "--utf8");
    let path = PathBuf::from(format!("/tmp/kiosque-bench-{size_mb}MB{}.csv", if utf8 { "-utf8" } else { "" }));
    if args.iter().any(|a| a == "--regenerate") || !path.exists() {
        let start = Instant::now();
        generate(&path, size_mb * 1_000_000, utf8).expect("generate");
        println!("generated {} in {:.1?}", path.display(), start.elapsed());
    }
    let bytes = std::fs::metadata(&path).expect("metadata").len();
    let mb = bytes as f64 / 1e6;
    println!("file: {} ({mb:.0} MB)", path.display());

    let runs = option("--runs").unwrap_or(if size_mb > 500 { 1 } else { 5 });
    reset_peak();
    let (baseline, baseline_cpu, records) = best_of(runs, || baseline(&path));
    let baseline_rss = peak_rss_mb();
    reset_peak();
    let (profiled, profile_cpu, profile) = best_of(runs, || {
        kiosque::tabular::profile_path(&path, &kiosque::tabular::DialectOptions::default()).expect("profile")
    });
    let profile_rss = peak_rss_mb();

    assert_eq!(profile.rows + 1, records, "profile and csv disagree on the number of records");
    let baseline_speed = mb / baseline.as_secs_f64();
    let profile_speed = mb / profiled.as_secs_f64();
    println!("best of {runs} runs (wall time; CPU time of all threads in brackets)");
    println!(
        "csv ByteRecord loop: {baseline:>8.2?} [cpu {baseline_cpu:>6.2?}]  {baseline_speed:7.1} MB/s  peak RSS {baseline_rss:.1} MB"
    );
    println!(
        "profile_path:        {profiled:>8.2?} [cpu {profile_cpu:>6.2?}]  {profile_speed:7.1} MB/s  peak RSS {profile_rss:.1} MB"
    );
    println!("ratio profile/csv:   {:.0}%", 100.0 * profile_speed / baseline_speed);
    println!(
        "rows {}, encoding {}, delimiter {:?}, decimal {:?}, issues {:?}",
        profile.rows,
        profile.dialect.encoding,
        profile.dialect.delimiter as char,
        profile.dialect.decimal as char,
        profile.issue_counts
    );
    for column in &profile.columns {
        println!(
            "  {:<12} {:<9} nulls {:>8} distinct {:>9}{} min {:?} max {:?}",
            column.name,
            format!("{:?}", column.kind),
            column.nulls,
            column.distinct,
            if column.distinct_exact { " " } else { "~" },
            column.min,
            column.max
        );
    }
}

/// The bare loop to beat: every record as bytes, nothing else.
fn baseline(path: &Path) -> u64 {
    let mut reader =
        csv::ReaderBuilder::new().delimiter(b';').has_headers(false).flexible(true).from_path(path).expect("open");
    let mut record = csv::ByteRecord::new();
    let mut records = 0;
    while reader.read_byte_record(&mut record).expect("read") {
        records += 1;
    }
    records
}

/// Best wall time of `runs` runs, and the CPU time (all threads) of that run.
fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration, T) {
    let mut best: Option<(Duration, Duration, T)> = None;
    for _ in 0..runs {
        let (start, cpu_start) = (Instant::now(), cpu_time());
        let value = f();
        let (elapsed, cpu) = (start.elapsed(), cpu_time() - cpu_start);
        if best.as_ref().is_none_or(|(time, _, _)| elapsed < *time) {
            best = Some((elapsed, cpu, value));
        }
    }
    best.expect("at least one run")
}

/// User + system CPU time of this process (all threads), from /proc.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or_default().split_whitespace().collect();
    let ticks: u64 = fields.get(11..13).map_or(0, |f| f.iter().filter_map(|t| t.parse::<u64>().ok()).sum());
    Duration::from_millis(ticks * 10) // USER_HZ is 100 on Linux
}

/// Writes about `size` bytes of windows-1252 (or UTF-8) CSV.
fn generate(path: &Path, size: u64, utf8: bool) -> std::io::Result<()> {
    let encode = |text: &str| if utf8 { text.as_bytes().to_vec() } else { cp1252(text) };
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut line = String::new();
    out.write_all(&encode("code_insee;commune;date;montant;quantite;taux;categorie;commentaire\r\n"))?;
    let mut written = 0;
    while written < size {
        line.clear();
        let n = rng.below(100_000);
        let day = 1 + rng.below(28);
        let month = 1 + rng.below(12);
        let year = 2015 + rng.below(11);
        let euros = rng.below(10_000_000);
        let cents = rng.below(100);
        let quantity = rng.below(5_000);
        let rate = rng.below(1_000);
        let category = CATEGORIES[rng.below(CATEGORIES.len() as u64) as usize];
        let commune = COMMUNES[rng.below(COMMUNES.len() as u64) as usize];
        line.push_str(&format!(
            "{n:05};{commune};{day:02}/{month:02}/{year};{};{quantity};0,{rate:03};{category};",
            grouped(euros, cents)
        ));
        if rng.below(4) > 0 {
            for i in 0..1 + rng.below(4) {
                if i > 0 {
                    line.push(' ');
                }
                line.push_str(WORDS[rng.below(WORDS.len() as u64) as usize]);
            }
        }
        line.push_str("\r\n");
        let bytes = encode(&line);
        out.write_all(&bytes)?;
        written += bytes.len() as u64;
    }
    out.flush()
}

/// `1 234 567,89` (French grouping with spaces).
fn grouped(euros: u64, cents: u64) -> String {
    let digits = euros.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    format!("{out},{cents:02}")
}

fn cp1252(text: &str) -> Vec<u8> {
    encoding_rs::WINDOWS_1252.encode(text).0.into_owned()
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Resets the kernel's peak RSS counter of this process.
fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}
