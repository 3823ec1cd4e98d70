//! What a single cell is: null, number, boolean, date or date-time.
//!
//! Cells are trimmed of ASCII whitespace before these functions see them.
//! Parsers are hand-written byte matchers: they run on every cell of
//! multi-gigabyte files.

use std::fmt::Write as _;

/// True for the null tokens: the empty cell, `NA`, `N/A`, `#N/A` (Excel),
/// `null` and `-` (French tables), ASCII case-insensitively.
pub(super) fn is_null(v: &[u8]) -> bool {
    match v.len() {
        0 => true,
        1 => v[0] == b'-',
        2 => v.eq_ignore_ascii_case(b"na"),
        3 => v.eq_ignore_ascii_case(b"n/a"),
        4 => v.eq_ignore_ascii_case(b"null") || v.eq_ignore_ascii_case(b"#n/a"),
        _ => false,
    }
}

/// A parsed number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Num {
    Int(i64),
    Float(f64),
}

/// Parses a number written with `decimal` (`.` or `,`) as decimal mark.
///
/// Accepted: an optional sign, digits, an optional decimal part and an
/// optional exponent (`1.5e3`). With `,` as decimal mark the integer part
/// may be grouped by three with a space, a no-break space or a narrow
/// no-break space (`1 234 567,89`). Rejected: a leading zero followed by
/// more digits (`01053` is a code, not a number), `.5`, `5.`, `1.234,5`.
/// Integers that do not fit an `i64` are floats.
pub(super) fn parse_number(v: &[u8], decimal: u8) -> Option<Num> {
    let (negative, mut i) = match v.first()? {
        b'-' => (true, 1),
        b'+' => (false, 1),
        _ => (false, 0),
    };
    let mut mantissa = 0u64;
    let mut overflow = false;
    // Integer part, maybe grouped.
    let int_start = i;
    let (mut int_digits, mut group, mut grouped) = (0usize, 0usize, false);
    while i < v.len() {
        let b = v[i];
        if b.is_ascii_digit() {
            push_digit(b, &mut mantissa, &mut overflow);
            int_digits += 1;
            group += 1;
            i += 1;
        } else if let Some(len) = group_separator(&v[i..]).filter(|_| decimal == b',') {
            if (grouped && group != 3) || !(1..=3).contains(&group) {
                return None;
            }
            grouped = true;
            group = 0;
            i += len;
        } else {
            break;
        }
    }
    if int_digits == 0 || (grouped && group != 3) || (v[int_start] == b'0' && int_digits > 1) {
        return None;
    }
    // Decimal part.
    let mut frac_digits = 0i32;
    let mut float = false;
    if v.get(i) == Some(&decimal) {
        float = true;
        i += 1;
        while let Some(&b) = v.get(i).filter(|b| b.is_ascii_digit()) {
            if !overflow {
                push_digit(b, &mut mantissa, &mut overflow);
                frac_digits += 1;
            }
            i += 1;
        }
        if v[i - 1] == decimal {
            return None;
        }
    }
    // Exponent.
    let mut exponent = 0i32;
    if matches!(v.get(i), Some(b'e' | b'E')) {
        float = true;
        i += 1;
        let sign = match v.get(i) {
            Some(b'-') => {
                i += 1;
                -1
            }
            Some(b'+') => {
                i += 1;
                1
            }
            _ => 1,
        };
        let start = i;
        while let Some(&b) = v.get(i).filter(|b| b.is_ascii_digit()) {
            exponent = exponent.saturating_mul(10).saturating_add(i32::from(b - b'0'));
            i += 1;
        }
        if i == start {
            return None;
        }
        exponent *= sign;
    }
    if i != v.len() {
        return None;
    }
    if !float && !overflow {
        let value = if negative { 0i64.checked_sub_unsigned(mantissa) } else { i64::try_from(mantissa).ok() };
        if let Some(value) = value {
            return Some(Num::Int(value));
        }
    }
    Some(Num::Float(to_float(v, decimal, negative, mantissa, overflow, exponent - frac_digits)))
}

/// The value of `±mantissa × 10^exponent`: exact fast path (Clinger) when
/// possible, else the standard library's parser on a normalised copy.
fn to_float(v: &[u8], decimal: u8, negative: bool, mantissa: u64, overflow: bool, exponent: i32) -> f64 {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ];
    let magnitude = if !overflow && mantissa <= 1 << 53 && exponent.unsigned_abs() <= 22 {
        let m = mantissa as f64;
        let p = POW10[exponent.unsigned_abs() as usize];
        if exponent < 0 { m / p } else { m * p }
    } else {
        let mut text = String::with_capacity(v.len());
        for &b in v.iter().filter(|b| b.is_ascii()) {
            match b {
                b'+' | b'-' if text.is_empty() => {}
                b' ' => {}
                _ if b == decimal => text.push('.'),
                _ => text.push(b as char),
            }
        }
        text.parse::<f64>().unwrap_or(f64::NAN).abs()
    };
    if negative { -magnitude } else { magnitude }
}

/// Appends decimal digit `d` to `mantissa`, noting an overflow.
fn push_digit(d: u8, mantissa: &mut u64, overflow: &mut bool) {
    match mantissa.checked_mul(10).and_then(|m| m.checked_add(u64::from(d - b'0'))) {
        Some(m) => *mantissa = m,
        None => *overflow = true,
    }
}

/// Length of a thousands separator at the start of `v`: space, no-break
/// space (U+00A0) or narrow no-break space (U+202F).
fn group_separator(v: &[u8]) -> Option<usize> {
    match v {
        [b' ', ..] => Some(1),
        [0xC2, 0xA0, ..] => Some(2),
        [0xE2, 0x80, 0xAF, ..] => Some(3),
        _ => None,
    }
}

/// `true`/`false`, `vrai`/`faux`, `oui`/`non`, `yes`/`no`, any case.
/// `0`/`1` are integers, not booleans.
pub(super) fn parse_bool(v: &[u8]) -> Option<bool> {
    const WORDS: [(&[u8], bool); 8] = [
        (b"true", true),
        (b"false", false),
        (b"vrai", true),
        (b"faux", false),
        (b"oui", true),
        (b"non", false),
        (b"yes", true),
        (b"no", false),
    ];
    if !(2..=5).contains(&v.len()) {
        return None;
    }
    WORDS.iter().find(|(word, _)| v.eq_ignore_ascii_case(word)).map(|&(_, value)| value)
}

/// Hour, minute, second, nanosecond.
pub(super) type Time = (u8, u8, u8, u32);

/// A date, or a date-time with an optional UTC offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Temporal {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub time: Option<Time>,
    /// Offset from UTC in minutes (`Z` is 0).
    pub offset: Option<i32>,
}

impl Temporal {
    /// A key ordering instants (naive values are taken as UTC).
    pub fn key(&self) -> (i64, u32) {
        let (h, m, s, ns) = self.time.unwrap_or((0, 0, 0, 0));
        let seconds = days_from_civil(self.year, self.month, self.day) * 86_400
            + i64::from(h) * 3600
            + i64::from(m) * 60
            + i64::from(s)
            - i64::from(self.offset.unwrap_or(0)) * 60;
        (seconds, ns)
    }

    /// ISO 8601: `2025-03-01`, or `2025-03-01T08:30:00` (plus fraction and
    /// offset when present) when `with_time`.
    pub fn render(&self, with_time: bool) -> String {
        let mut out = format!("{:04}-{:02}-{:02}", self.year, self.month, self.day);
        if with_time {
            let (h, m, s, ns) = self.time.unwrap_or((0, 0, 0, 0));
            let _ = write!(out, "T{h:02}:{m:02}:{s:02}");
            if ns > 0 {
                let fraction = format!("{ns:09}");
                let _ = write!(out, ".{}", fraction.trim_end_matches('0'));
            }
            match self.offset {
                Some(0) => out.push('Z'),
                Some(offset) => {
                    let sign = if offset < 0 { '-' } else { '+' };
                    let _ = write!(out, "{sign}{:02}:{:02}", offset.abs() / 60, offset.abs() % 60);
                }
                None => {}
            }
        }
        out
    }
}

/// Parses `YYYY-MM-DD` or `DD/MM/YYYY`, optionally followed by `T` or a
/// space and `HH:MM`, `:SS`, a fraction (`.` or `,`), and `Z` or `±HH:MM`.
pub(super) fn parse_temporal(v: &[u8]) -> Option<Temporal> {
    if v.len() < 10 {
        return None;
    }
    let (year, month, day) = if v[4] == b'-' && v[7] == b'-' {
        (digits(&v[0..4])?, digits(&v[5..7])?, digits(&v[8..10])?)
    } else if v[2] == b'/' && v[5] == b'/' {
        (digits(&v[6..10])?, digits(&v[3..5])?, digits(&v[0..2])?)
    } else {
        return None;
    };
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let mut date = Temporal { year: year as i32, month: month as u8, day: day as u8, time: None, offset: None };
    if v.len() == 10 {
        return Some(date);
    }
    let (time, offset) = parse_time(&v[10..])?;
    date.time = Some(time);
    date.offset = offset;
    Some(date)
}

/// Parses what follows a date: separator, time, offset.
fn parse_time(v: &[u8]) -> Option<(Time, Option<i32>)> {
    if v.len() < 6 || !matches!(v[0], b'T' | b't' | b' ') || v[3] != b':' {
        return None;
    }
    let (hour, minute) = (digits(&v[1..3])?, digits(&v[4..6])?);
    let mut rest = &v[6..];
    let mut second = 0;
    if let [b':', a, b, tail @ ..] = rest {
        second = digits(&[*a, *b])?;
        rest = tail;
    }
    let mut nanos = 0u32;
    if let [b'.' | b',', tail @ ..] = rest {
        let n = tail.iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 || n > 9 {
            return None;
        }
        nanos = digits(&tail[..n])? * 10u32.pow(9 - n as u32);
        rest = &tail[n..];
    }
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let offset = match rest {
        [] => None,
        [b'Z' | b'z'] => Some(0),
        [sign @ (b'+' | b'-'), h1, h2, tail @ ..] => {
            let minutes = match tail {
                [] => 0,
                [b':', m1, m2] | [m1, m2] => digits(&[*m1, *m2])?,
                _ => return None,
            };
            let hours = digits(&[*h1, *h2])?;
            if hours > 23 || minutes > 59 {
                return None;
            }
            let offset = (hours * 60 + minutes) as i32;
            Some(if *sign == b'-' { -offset } else { offset })
        }
        _ => return None,
    };
    Some(((hour as u8, minute as u8, second as u8, nanos), offset))
}

/// The value of a run of ASCII digits (at most 9).
fn digits(v: &[u8]) -> Option<u32> {
    v.iter().try_fold(0u32, |acc, &b| b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0')))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (proleptic Gregorian), after Howard Hinnant.
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let (month, day) = (i64::from(month), i64::from(day));
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// A number cell as plain text: sign, digits, `.` before decimals, no
/// grouping, exponent kept (`1 234,50` → `1234.50`); `None` when the cell
/// is not a number written with `decimal`.
pub fn plain_number(cell: &str, decimal: u8) -> Option<String> {
    let v = cell.trim();
    parse_number(v.as_bytes(), decimal)?;
    Some(
        v.chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .map(|c| if c as u32 == u32::from(decimal) { '.' } else { c })
            .collect(),
    )
}

/// A date or date-time cell in ISO 8601 (`05/12/2018` → `2018-12-05`);
/// `None` when it is not one.
pub fn iso_temporal(cell: &str) -> Option<String> {
    let t = parse_temporal(cell.trim().as_bytes())?;
    Some(t.render(t.time.is_some()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        let dot = |s: &str| parse_number(s.as_bytes(), b'.');
        let comma = |s: &str| parse_number(s.as_bytes(), b',');
        assert_eq!(dot("42"), Some(Num::Int(42)));
        assert_eq!(dot("-42"), Some(Num::Int(-42)));
        assert_eq!(dot("+0"), Some(Num::Int(0)));
        assert_eq!(dot("12.5"), Some(Num::Float(12.5)));
        assert_eq!(dot("-1.5e3"), Some(Num::Float(-1500.0)));
        assert_eq!(dot("0.1"), Some(Num::Float(0.1)));
        assert_eq!(dot("-9223372036854775808"), Some(Num::Int(i64::MIN)));
        assert_eq!(dot("9223372036854775808"), Some(Num::Float(9.223372036854776e18)));
        assert_eq!(dot("3.14159265358979323846264338"), Some(Num::Float(std::f64::consts::PI)));
        for bad in ["", "-", "01053", "00", ".5", "5.", "1 234", "12,5", "1e", "2A004", "1.2.3", "12 €"] {
            assert_eq!(dot(bad), None, "{bad}");
        }
        assert_eq!(comma("1234,56"), Some(Num::Float(1234.56)));
        assert_eq!(comma("1 234,56"), Some(Num::Float(1234.56)));
        assert_eq!(comma("-1\u{a0}234\u{a0}567"), Some(Num::Int(-1_234_567)));
        assert_eq!(comma("1\u{202f}234,5"), Some(Num::Float(1234.5)));
        assert_eq!(comma("0,5"), Some(Num::Float(0.5)));
        for bad in ["12.5", "1 23", "1234 567", " 123", "1 234 ", "12,", ",5", "1.234,5"] {
            assert_eq!(comma(bad), None, "{bad}");
        }
    }

    #[test]
    fn nulls_and_booleans() {
        for null in ["", "NA", "n/a", "N/A", "#N/A", "NULL", "null", "-"] {
            assert!(is_null(null.as_bytes()), "{null}");
        }
        for value in ["0", "nan", "--", "NC"] {
            assert!(!is_null(value.as_bytes()), "{value}");
        }
        assert_eq!(parse_bool(b"Oui"), Some(true));
        assert_eq!(parse_bool(b"FAUX"), Some(false));
        assert_eq!(parse_bool(b"1"), None);
        assert_eq!(parse_bool(b"nope"), None);
    }

    #[test]
    fn dates_and_times() {
        let d = parse_temporal(b"29/02/2024").unwrap();
        assert_eq!((d.year, d.month, d.day, d.time), (2024, 2, 29, None));
        assert_eq!(d.render(false), "2024-02-29");
        assert!(parse_temporal(b"29/02/2023").is_none());
        assert!(parse_temporal(b"2023-13-01").is_none());
        assert!(parse_temporal(b"2023-1-01").is_none());
        let t = parse_temporal(b"2025-03-01T08:30:15.250+01:00").unwrap();
        assert_eq!(t.render(true), "2025-03-01T08:30:15.25+01:00");
        let u = parse_temporal(b"2025-03-01 07:30:15,25Z").unwrap();
        assert_eq!(u.key(), t.key());
        assert_eq!(parse_temporal(b"01/03/2025 08:30").unwrap().render(true), "2025-03-01T08:30:00");
        assert!(parse_temporal(b"2025-03-01T25:00").is_none());
        assert!(parse_temporal(b"2025-03-01T10:00+0100").is_some());
        assert!(parse_temporal(b"2025-03-01X10:00").is_none());
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
    }
}
