//! Per-column statistics in bounded memory: type inference, nulls, min/max,
//! distinct count (exact, then HyperLogLog) and top values.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use super::infer::{Num, Temporal, is_null, parse_bool, parse_number, parse_temporal};
use super::profile::{ColumnProfile, ColumnType};

/// Distinct values are counted exactly up to this many, then estimated.
pub(super) const EXACT_DISTINCT: usize = 10_000;
/// Top values are kept when a column has at most this many distinct values.
pub(super) const TOP_DISTINCT: usize = 1_000;
/// Number of top values reported.
pub(super) const TOP_N: usize = 10;
/// Stored texts (min, max, top values) are cut to this many characters.
pub(super) const MAX_TEXT_CHARS: usize = 200;

const INT: u8 = 1;
const NUM: u8 = 2;
const BOOL: u8 = 4;
const DATE: u8 = 8;
const DATETIME: u8 = 16;
const ALL: u8 = INT | NUM | BOOL | DATE | DATETIME;

/// Statistics of one column, fed cell by cell.
pub(super) struct ColumnStats {
    name: String,
    nulls: u64,
    values: u64,
    /// Types every non-null value so far is compatible with.
    possible: u8,
    ints: Option<(i64, i64)>,
    numbers: Option<(f64, f64)>,
    booleans: [bool; 2],
    temporals: Option<(Temporal, Temporal)>,
    text_min: Option<Prefix>,
    text_max: Option<Prefix>,
    distinct: Distinct,
    /// A uniform sample of the cells while the column may be numeric or
    /// temporal, for its distribution (histogram, counts over time).
    sample: Reservoir,
}

impl ColumnStats {
    pub fn new(name: String) -> Self {
        ColumnStats {
            name,
            nulls: 0,
            values: 0,
            possible: ALL,
            ints: None,
            numbers: None,
            booleans: [false; 2],
            temporals: None,
            text_min: None,
            text_max: None,
            distinct: Distinct::Counted(HashMap::default()),
            sample: Reservoir::new(),
        }
    }

    /// Adds one cell (raw bytes, UTF-8 unless invalid input).
    pub fn add(&mut self, cell: &[u8], decimal: u8) {
        let v = cell.trim_ascii();
        if is_null(v) {
            self.nulls += 1;
            return;
        }
        self.values += 1;
        if self.possible & (INT | NUM | DATE | DATETIME) != 0 {
            self.sample.offer(v);
        }
        if !self.distinct.add(hash_bytes(v), v) {
            // Seen before: types and ranges already account for it.
            return;
        }
        if self.possible & (INT | NUM) != 0 {
            self.add_number(v, decimal);
        }
        if self.possible & BOOL != 0 {
            match parse_bool(v) {
                Some(value) => self.booleans[usize::from(value)] = true,
                None => self.possible &= !BOOL,
            }
        }
        if self.possible & (DATE | DATETIME) != 0 {
            self.add_temporal(v);
        }
        self.add_text(v);
    }

    fn add_number(&mut self, v: &[u8], decimal: u8) {
        let value = match parse_number(v, decimal) {
            Some(Num::Int(i)) => {
                self.ints = Some(self.ints.map_or((i, i), |(lo, hi)| (lo.min(i), hi.max(i))));
                i as f64
            }
            Some(Num::Float(f)) if f.is_finite() => {
                self.possible &= !INT;
                f
            }
            _ => {
                self.possible &= !(INT | NUM);
                return;
            }
        };
        self.numbers = Some(self.numbers.map_or((value, value), |(lo, hi)| (lo.min(value), hi.max(value))));
    }

    fn add_temporal(&mut self, v: &[u8]) {
        let Some(t) = parse_temporal(v) else {
            self.possible &= !(DATE | DATETIME);
            return;
        };
        if t.time.is_some() {
            self.possible &= !DATE;
        }
        self.temporals = Some(match self.temporals {
            None => (t, t),
            Some((lo, hi)) => (if t.key() < lo.key() { t } else { lo }, if t.key() > hi.key() { t } else { hi }),
        });
    }

    fn add_text(&mut self, v: &[u8]) {
        let head = Prefix::head(v);
        if self.text_min.as_ref().is_none_or(|min| before((head, v), (min.head, &min.text))) {
            self.text_min = Some(Prefix::keep(v));
        }
        if self.text_max.as_ref().is_none_or(|max| before((max.head, &max.text), (head, v))) {
            self.text_max = Some(Prefix::keep(v));
        }
    }

    /// The column's type, given every value seen.
    fn kind(&self) -> ColumnType {
        let p = self.possible;
        if self.values == 0 {
            ColumnType::Empty
        } else if p & INT != 0 {
            ColumnType::Integer
        } else if p & NUM != 0 {
            ColumnType::Number
        } else if p & BOOL != 0 {
            ColumnType::Boolean
        } else if p & DATE != 0 {
            ColumnType::Date
        } else if p & DATETIME != 0 {
            ColumnType::DateTime
        } else {
            ColumnType::String
        }
    }

    /// Min and max rendered in the column's type.
    fn range(&self, kind: ColumnType) -> Option<(String, String)> {
        let text = |kept: &Option<Prefix>| kept.as_ref().map(|k| String::from_utf8_lossy(&k.text).into_owned());
        match kind {
            ColumnType::Empty => None,
            ColumnType::Integer => self.ints.map(|(lo, hi)| (lo.to_string(), hi.to_string())),
            ColumnType::Number => self.numbers.map(|(lo, hi)| (render_float(lo), render_float(hi))),
            ColumnType::Boolean => {
                let [has_false, has_true] = self.booleans;
                Some((if has_false { "false" } else { "true" }.into(), if has_true { "true" } else { "false" }.into()))
            }
            ColumnType::Date | ColumnType::DateTime => {
                let with_time = kind == ColumnType::DateTime;
                self.temporals.map(|(lo, hi)| (lo.render(with_time), hi.render(with_time)))
            }
            ColumnType::String => Some((text(&self.text_min)?, text(&self.text_max)?)),
        }
    }

    /// How the values of a numeric or temporal column spread: exact from
    /// the counted values when the column has few distinct values, else
    /// from the sample.
    fn distribution(&self, kind: ColumnType, decimal: u8) -> Option<Distribution> {
        let numeric = matches!(kind, ColumnType::Integer | ColumnType::Number);
        let temporal = matches!(kind, ColumnType::Date | ColumnType::DateTime);
        if !numeric && !temporal {
            return None;
        }
        let counted: Option<Vec<(&[u8], u64)>> = match &self.distinct {
            Distinct::Counted(map) => Some(map.values().map(|(n, text)| (text.as_bytes(), *n)).collect()),
            _ => None,
        };
        let exact = counted.is_some();
        let weighted: Vec<(&[u8], u64)> =
            counted.unwrap_or_else(|| self.sample.kept.iter().map(|v| (v.as_slice(), 1)).collect());
        if numeric {
            let values: Vec<(f64, u64)> = weighted
                .iter()
                .filter_map(|&(v, n)| {
                    let x = match parse_number(v, decimal)? {
                        Num::Int(i) => i as f64,
                        Num::Float(f) => f,
                    };
                    x.is_finite().then_some((x, n))
                })
                .collect();
            let distinct = values.len();
            return Some(Distribution::Numbers { bins: super::histogram::bins(values), values: distinct, exact });
        }
        // Counts by day when the dates span two months at most, by month up
        // to 20 years, else by year.
        let dates: Vec<(Temporal, u64)> = weighted.iter().filter_map(|&(v, n)| Some((parse_temporal(v)?, n))).collect();
        let month = |t: &Temporal| i64::from(t.year) * 12 + i64::from(t.month);
        let span = dates.iter().map(|(t, _)| month(t)).max().unwrap_or(0)
            - dates.iter().map(|(t, _)| month(t)).min().unwrap_or(0);
        let mut periods: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
        for (t, n) in &dates {
            let key = match span {
                0..=1 => format!("{:04}-{:02}-{:02}", t.year, t.month, t.day),
                2..=240 => format!("{:04}-{:02}", t.year, t.month),
                _ => format!("{:04}", t.year),
            };
            *periods.entry(key).or_default() += n;
        }
        // A sample stands for all the values: scale its counts.
        let scale =
            if exact || dates.is_empty() { 1.0 } else { self.sample.seen as f64 / self.sample.kept.len() as f64 };
        let counts = periods.into_iter().map(|(k, n)| (k, (n as f64 * scale).round() as u64)).collect();
        Some(Distribution::Periods { counts, exact })
    }

    /// The final profile of the column.
    /// `decimal`: the table's decimal mark, as given to [`ColumnStats::add`].
    pub fn finish(self, decimal: u8) -> ColumnProfile {
        let kind = self.kind();
        let (min, max) = self.range(kind).unzip();
        let (distinct, distinct_exact) = self.distinct.count();
        let distribution = self.distribution(kind, decimal);
        ColumnProfile {
            name: self.name,
            kind,
            nulls: self.nulls,
            distinct,
            distinct_exact,
            min,
            max,
            distribution,
            values: self.distinct.few_values(),
            top: self.distinct.top(),
        }
    }
}

/// A kept text (min or max) with its first 8 bytes as a big-endian
/// integer, zero-padded: comparing heads orders texts like comparing their
/// bytes whenever the heads differ, without a `memcmp` call.
#[derive(Clone, Debug)]
struct Prefix {
    head: u64,
    text: Vec<u8>,
}

impl Prefix {
    fn head(v: &[u8]) -> u64 {
        match v.first_chunk::<8>() {
            Some(first) => u64::from_be_bytes(*first),
            None => v.iter().enumerate().fold(0, |head, (i, &b)| head | u64::from(b) << (56 - 8 * i)),
        }
    }

    /// A copy of `v` (capped) to keep as min or max.
    fn keep(v: &[u8]) -> Self {
        Prefix { head: Prefix::head(v), text: cap_text(v).to_vec() }
    }
}

/// Whether text `a` sorts before text `b`, given their heads.
fn before((head_a, a): (u64, &[u8]), (head_b, b): (u64, &[u8])) -> bool {
    match head_a.cmp(&head_b) {
        std::cmp::Ordering::Equal => a < b,
        order => order.is_lt(),
    }
}

/// A float as plain text with `.` (`1234.5`), in exponent form when huge
/// or tiny.
fn render_float(f: f64) -> String {
    if f != 0.0 && !(1e-6..1e16).contains(&f.abs()) { format!("{f:e}") } else { f.to_string() }
}

/// `v` cut to [`MAX_TEXT_CHARS`] characters (at a character boundary).
pub(super) fn cap_text(v: &[u8]) -> &[u8] {
    cap_chars(v, MAX_TEXT_CHARS)
}

/// UTF-8 `v` cut to `max` characters (at a character boundary).
pub(super) fn cap_chars(v: &[u8], max: usize) -> &[u8] {
    if v.len() <= max {
        return v;
    }
    let mut chars = 0;
    for (i, &b) in v.iter().enumerate() {
        if (b as i8) >= -0x40 {
            if chars == max {
                return &v[..i];
            }
            chars += 1;
        }
    }
    v
}

/// Hash map keyed by values that already are good hashes.
type IdentityMap<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;
type IdentitySet = HashSet<u64, BuildHasherDefault<IdentityHasher>>;

#[derive(Default)]
struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0 = hash_bytes(bytes);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A fast 64-bit hash of a cell, after wyhash (overlapping loads, no copy,
/// one 128-bit multiply per 16 bytes): good enough for hash tables and
/// HyperLogLog; not meant to resist adversaries.
pub(super) fn hash_bytes(bytes: &[u8]) -> u64 {
    const K0: u64 = 0xA076_1D64_78BD_642F;
    const K1: u64 = 0xE703_7ED1_A0B4_28DB;
    const K2: u64 = 0x8EBC_6AF0_9C88_C6E3;
    let len = bytes.len();
    let mut seed = K0;
    let (a, b) = if len <= 16 {
        if len >= 4 {
            let step = (len >> 3) << 2;
            (read32(bytes, 0) << 32 | read32(bytes, step), read32(bytes, len - 4) << 32 | read32(bytes, len - 4 - step))
        } else if len > 0 {
            (u64::from(bytes[0]) << 16 | u64::from(bytes[len >> 1]) << 8 | u64::from(bytes[len - 1]), 0)
        } else {
            (0, 0)
        }
    } else {
        let mut i = 0;
        while len - i > 16 {
            seed = fold_mul(read64(bytes, i) ^ K1, read64(bytes, i + 8) ^ seed);
            i += 16;
        }
        (read64(bytes, len - 16), read64(bytes, len - 8))
    };
    fold_mul(K1 ^ len as u64, fold_mul(a ^ K1, b ^ seed ^ K2))
}

fn read32(bytes: &[u8], at: usize) -> u64 {
    u64::from(u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes")))
}

fn read64(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"))
}

/// The 128-bit product of `a` and `b`, folded to 64 bits.
fn fold_mul(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

/// Cells kept for a column's distribution.
const SAMPLE_SIZE: usize = 2_000;
/// Longer cells are neither numbers nor dates: not kept.
const SAMPLE_MAX_BYTES: usize = 40;

/// A uniform random sample of the cells offered, of at most
/// [`SAMPLE_SIZE`], by reservoir sampling with a fixed seed (the same file
/// gives the same sample). Algorithm L: the index of the next cell to keep
/// is drawn in advance, so most cells cost one comparison.
struct Reservoir {
    kept: Vec<Vec<u8>>,
    /// Cells offered so far.
    seen: u64,
    /// Index (0-based) of the next cell to keep once the reservoir is full.
    next: u64,
    w: f64,
    rng: u64,
}

impl Reservoir {
    fn new() -> Self {
        Reservoir { kept: Vec::new(), seen: 0, next: 0, w: 1.0, rng: 0x9E37_79B9_7F4A_7C15 }
    }

    fn offer(&mut self, v: &[u8]) {
        let index = self.seen;
        self.seen += 1;
        if self.kept.len() < SAMPLE_SIZE {
            self.kept.push(v[..v.len().min(SAMPLE_MAX_BYTES)].to_vec());
            if self.kept.len() == SAMPLE_SIZE {
                self.w = (self.uniform().ln() / SAMPLE_SIZE as f64).exp();
                self.skip();
            }
            return;
        }
        if index == self.next {
            let slot = (self.random() % SAMPLE_SIZE as u64) as usize;
            self.kept[slot] = v[..v.len().min(SAMPLE_MAX_BYTES)].to_vec();
            self.w *= (self.uniform().ln() / SAMPLE_SIZE as f64).exp();
            self.skip();
        }
    }

    /// Draws the index of the next cell to keep.
    fn skip(&mut self) {
        let gap = (self.uniform().ln() / (1.0 - self.w).ln()).floor();
        self.next = self.seen + if gap.is_finite() && gap < 1e18 { gap as u64 } else { u64::MAX / 2 };
    }

    /// SplitMix64.
    fn random(&mut self) -> u64 {
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    fn uniform(&mut self) -> f64 {
        ((self.random() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
}

/// How a numeric or temporal column's values spread.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Distribution {
    /// The histogram of the values (of a sample of them, unless `exact`),
    /// and how many distinct values it counts.
    Numbers { bins: super::histogram::Bins, values: usize, exact: bool },
    /// Counts by period (day `2026-03-02` over two months at most, month
    /// `2026-03` up to 20 years, else year `2026`), sorted.
    Periods { counts: Vec<(String, u64)>, exact: bool },
}

/// Distinct values: counted with their text while few, then as a set of
/// hashes, then as a HyperLogLog sketch.
enum Distinct {
    /// At most [`TOP_DISTINCT`] values, with counts and (capped) text.
    Counted(IdentityMap<(u64, Box<str>)>),
    /// At most [`EXACT_DISTINCT`] values.
    Exact(IdentitySet),
    Sketch(Box<HyperLogLog>),
}

impl Distinct {
    /// Adds a value; false when it is known to have been seen before.
    fn add(&mut self, hash: u64, v: &[u8]) -> bool {
        match self {
            Distinct::Counted(map) => {
                if let Some((count, _)) = map.get_mut(&hash) {
                    *count += 1;
                    return false;
                } else if map.len() < TOP_DISTINCT {
                    map.insert(hash, (1, String::from_utf8_lossy(cap_text(v)).into()));
                } else {
                    let mut set: IdentitySet = map.keys().copied().collect();
                    set.insert(hash);
                    *self = Distinct::Exact(set);
                }
            }
            Distinct::Exact(set) => {
                if !set.insert(hash) {
                    return false;
                }
                if set.len() > EXACT_DISTINCT {
                    let mut sketch = Box::new(HyperLogLog::new());
                    set.iter().for_each(|&h| sketch.add(h));
                    *self = Distinct::Sketch(sketch);
                }
            }
            Distinct::Sketch(sketch) => sketch.add(hash),
        }
        true
    }

    /// Number of distinct values and whether it is exact.
    fn count(&self) -> (u64, bool) {
        match self {
            Distinct::Counted(map) => (map.len() as u64, true),
            Distinct::Exact(set) => (set.len() as u64, true),
            Distinct::Sketch(sketch) => (sketch.estimate(), false),
        }
    }

    /// The [`TOP_N`] most frequent values (ties by text), if still counted.
    /// Every value, sorted, when there are at most [`super::profile::FEW_VALUES`].
    fn few_values(&self) -> Vec<String> {
        let Distinct::Counted(map) = self else { return Vec::new() };
        if map.len() > super::profile::FEW_VALUES {
            return Vec::new();
        }
        let mut values: Vec<String> = map.values().map(|(_, text)| text.to_string()).collect();
        values.sort_unstable();
        values
    }

    fn top(self) -> Vec<(String, u64)> {
        let Distinct::Counted(map) = self else { return Vec::new() };
        let mut values: Vec<(String, u64)> = map.into_values().map(|(count, text)| (text.into(), count)).collect();
        values.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        values.truncate(TOP_N);
        values
    }
}

/// HyperLogLog with 2^14 one-byte registers (16 KiB, ~0.8% standard error).
struct HyperLogLog {
    registers: Vec<u8>,
}

impl HyperLogLog {
    const BITS: u32 = 14;

    fn new() -> Self {
        HyperLogLog { registers: vec![0; 1 << Self::BITS] }
    }

    fn add(&mut self, hash: u64) {
        let index = (hash >> (64 - Self::BITS)) as usize;
        let rest = (hash << Self::BITS) | (1 << (Self::BITS - 1));
        let rank = rest.leading_zeros() as u8 + 1;
        let register = &mut self.registers[index];
        *register = (*register).max(rank);
    }

    fn estimate(&self) -> u64 {
        let m = self.registers.len() as f64;
        let alpha = 0.7213 / (1.0 + 1.079 / m);
        let sum: f64 = self.registers.iter().map(|&r| (-f64::from(r)).exp2()).sum();
        let zeros = self.registers.iter().filter(|&&r| r == 0).count();
        let raw = alpha * m * m / sum;
        let estimate = if raw <= 2.5 * m && zeros > 0 { m * (m / zeros as f64).ln() } else { raw };
        estimate.round() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyperloglog_is_close() {
        for n in [20_000u64, 100_000, 1_000_000] {
            let mut stats = ColumnStats::new("id".into());
            for i in 0..n {
                stats.add(format!("id-{i}").as_bytes(), b'.');
            }
            let profile = stats.finish(b'.');
            assert!(!profile.distinct_exact);
            let error = (profile.distinct as f64 - n as f64).abs() / n as f64;
            assert!(error < 0.03, "{n}: {} ({error})", profile.distinct);
            assert!(profile.top.is_empty());
        }
    }

    #[test]
    fn exact_until_the_limit() {
        let mut stats = ColumnStats::new("n".into());
        for i in 0..EXACT_DISTINCT * 2 {
            stats.add((i % EXACT_DISTINCT).to_string().as_bytes(), b'.');
        }
        let profile = stats.finish(b'.');
        assert_eq!((profile.distinct, profile.distinct_exact), (EXACT_DISTINCT as u64, true));
        assert_eq!(profile.kind, ColumnType::Integer);
        assert_eq!((profile.min.as_deref(), profile.max.as_deref()), (Some("0"), Some("9999")));
    }

    #[test]
    fn long_cells_are_capped() {
        let long = "é".repeat(5_000_000);
        let mut stats = ColumnStats::new("t".into());
        stats.add(long.as_bytes(), b'.');
        let profile = stats.finish(b'.');
        assert_eq!(profile.min.unwrap().chars().count(), MAX_TEXT_CHARS);
        assert_eq!(profile.top[0].0.chars().count(), MAX_TEXT_CHARS);
    }

    #[test]
    fn hash_spreads_similar_values() {
        let mut seen = std::collections::HashSet::new();
        for len in 0..40 {
            for byte in 0..=255u8 {
                let mut v = vec![b'a'; len];
                if len > 0 {
                    v[len / 3] = byte;
                }
                seen.insert(hash_bytes(&v));
            }
        }
        // One empty value, then 256 distinct values of each length: no
        // collision.
        assert_eq!(seen.len(), 1 + 39 * 256);
        assert_eq!(Prefix::head(b"ab"), 0x6162_0000_0000_0000);
        assert!(before((Prefix::head(b"ab"), b"ab"), (Prefix::head(b"abc"), b"abc")));
    }

    #[test]
    fn floats_render_plainly() {
        assert_eq!(render_float(1234.5), "1234.5");
        assert_eq!(render_float(-0.25), "-0.25");
        assert_eq!(render_float(1e300), "1e300");
        assert_eq!(render_float(0.0), "0");
    }
}
