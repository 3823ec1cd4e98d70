//! Exact decimal numbers, parsed with the grammar of Python's `int()` and `Decimal()`.
//!
//! Frictionless reads `integer` cells with `int(cell)` and `number` cells with
//! `Decimal(cell)`: exact, arbitrary precision, with `1.0 == 1`. This type keeps the
//! same semantics (exact comparison, normalised equality) without a big-number crate.

use std::cmp::Ordering;

/// An exact decimal number, or one of the special values `Decimal` accepts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Decimal {
    /// `(-1)^negative × digits × 10^exponent`, normalised: no leading or trailing
    /// zero in `digits`; zero is `digits` empty, `exponent` 0, `negative` false.
    Finite { negative: bool, digits: Vec<u8>, exponent: i64 },
    /// `Infinity` or `-Infinity`.
    Infinite { negative: bool },
    /// `NaN` (quiet or signalling): never equal to anything, not even itself.
    NaN,
}

impl Decimal {
    /// Builds a normalised finite number from decimal digit values (0–9).
    fn finite(negative: bool, mut digits: Vec<u8>, mut exponent: i64) -> Decimal {
        let lead = digits.iter().take_while(|&&d| d == 0).count();
        digits.drain(..lead);
        while digits.last() == Some(&0) {
            digits.pop();
            exponent += 1;
        }
        if digits.is_empty() {
            return Decimal::Finite { negative: false, digits, exponent: 0 };
        }
        Decimal::Finite { negative, digits, exponent }
    }

    /// Parses like Python's `int(text)` (after the caller's strip): optional sign, then
    /// digits, with single underscores allowed between digits.
    pub fn parse_int(text: &str) -> Option<Decimal> {
        let (negative, rest) = split_sign(text);
        let digits = parse_digits(rest)?;
        Some(Decimal::finite(negative, digits, 0))
    }

    /// Parses like Python's `Decimal(text)`: `[sign] (digits[.digits] | .digits)
    /// [e[sign]digits]`, `Inf`/`Infinity`, `NaN`/`sNaN` (case-insensitive), with
    /// single underscores allowed between digits; surrounding whitespace is ignored.
    pub fn parse(text: &str) -> Option<Decimal> {
        let (negative, rest) = split_sign(text.trim());
        let lower = rest.to_ascii_lowercase();
        if lower == "inf" || lower == "infinity" {
            return Some(Decimal::Infinite { negative });
        }
        if let Some(payload) = lower.strip_prefix("nan").or_else(|| lower.strip_prefix("snan")) {
            return (payload.is_empty() || parse_digits(payload).is_some()).then_some(Decimal::NaN);
        }
        let (mantissa, exp) = match rest.find(['e', 'E']) {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        let exponent = match exp {
            Some(e) => {
                let (neg, digits) = split_sign(e);
                let value = digits_to_i64(&parse_digits(digits)?)?;
                if neg { -value } else { value }
            }
            None => 0,
        };
        let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let mut digits = if int_part.is_empty() { Vec::new() } else { parse_digits(int_part)? };
        let frac = if frac_part.is_empty() { Vec::new() } else { parse_digits(frac_part)? };
        if digits.is_empty() && frac.is_empty() {
            return None;
        }
        let exponent = exponent.checked_sub(frac.len() as i64)?;
        digits.extend(frac);
        Some(Decimal::finite(negative, digits, exponent))
    }

    /// The exact value of a float, as Python's `Decimal(str(f))` (what frictionless
    /// does with a float found in a descriptor).
    pub fn from_f64(f: f64) -> Option<Decimal> {
        Decimal::parse(&super::pyfmt::py_float_repr(f))
    }

    /// Whether the value has no fractional part (`Decimal % 1 == 0`).
    pub fn is_integral(&self) -> bool {
        matches!(self, Decimal::Finite { exponent, .. } if *exponent >= 0)
    }

    /// Python's numeric comparison; `None` when a NaN is involved.
    pub fn py_cmp(&self, other: &Decimal) -> Option<Ordering> {
        use Decimal::*;
        match (self, other) {
            (NaN, _) | (_, NaN) => None,
            (Infinite { negative: a }, Infinite { negative: b }) => Some(b.cmp(a)),
            (Infinite { negative }, _) => Some(if *negative { Ordering::Less } else { Ordering::Greater }),
            (_, Infinite { negative }) => Some(if *negative { Ordering::Greater } else { Ordering::Less }),
            (a @ Finite { .. }, b @ Finite { .. }) => Some(cmp_finite(a, b)),
        }
    }

    /// Python's `==`: exact numeric equality, NaN equal to nothing.
    pub fn py_eq(&self, other: &Decimal) -> bool {
        self.py_cmp(other) == Some(Ordering::Equal)
    }

    /// The sign of a finite or infinite value: -1, 0 or 1 (0 for NaN too).
    fn signum(&self) -> i8 {
        match self {
            Decimal::Finite { digits, .. } if digits.is_empty() => 0,
            Decimal::Finite { negative: true, .. } | Decimal::Infinite { negative: true } => -1,
            Decimal::NaN => 0,
            _ => 1,
        }
    }
}

/// Compares two finite normalised decimals.
fn cmp_finite(a: &Decimal, b: &Decimal) -> Ordering {
    let (sa, sb) = (a.signum(), b.signum());
    if sa != sb || sa == 0 {
        return sa.cmp(&sb);
    }
    let magnitude = cmp_magnitude(a, b);
    if sa < 0 { magnitude.reverse() } else { magnitude }
}

/// Compares absolute values of two non-zero finite normalised decimals.
fn cmp_magnitude(a: &Decimal, b: &Decimal) -> Ordering {
    let (Decimal::Finite { digits: da, exponent: ea, .. }, Decimal::Finite { digits: db, exponent: eb, .. }) = (a, b)
    else {
        return Ordering::Equal;
    };
    // Position of the most significant digit decides first.
    let top_a = da.len() as i64 + ea;
    let top_b = db.len() as i64 + eb;
    if top_a != top_b {
        return top_a.cmp(&top_b);
    }
    // Same magnitude: compare digit strings left-aligned (missing digits are zeros).
    for i in 0..da.len().max(db.len()) {
        let x = da.get(i).copied().unwrap_or(0);
        let y = db.get(i).copied().unwrap_or(0);
        if x != y {
            return x.cmp(&y);
        }
    }
    Ordering::Equal
}

/// Splits an optional leading `+` or `-`.
fn split_sign(text: &str) -> (bool, &str) {
    if let Some(rest) = text.strip_prefix('-') { (true, rest) } else { (false, text.strip_prefix('+').unwrap_or(text)) }
}

/// Decimal digits (any Unicode `Nd` digit, as Python's `int()` takes them) with
/// single underscores between digits (Python's grouping rule).
fn parse_digits(text: &str) -> Option<Vec<u8>> {
    if text.is_empty() || text.starts_with('_') || text.ends_with('_') {
        return None;
    }
    let mut out = Vec::with_capacity(text.len());
    let mut prev_underscore = false;
    for c in text.chars() {
        if c == '_' && !prev_underscore {
            prev_underscore = true;
            continue;
        }
        out.push(digit_value(c)?);
        prev_underscore = false;
    }
    Some(out)
}

/// First code point of each run of ten Unicode decimal digits (`Nd`, Unicode 14,
/// the version of Python 3.11).
const DIGIT_ZEROS: [u32; 66] = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6, 0xE50, 0xED0,
    0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620,
    0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0,
    0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60,
    0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// The value of a decimal digit character (`\d` in Python's regexes), if it is one.
pub(super) fn digit_value(c: char) -> Option<u8> {
    if c.is_ascii_digit() {
        return Some(c as u8 - b'0');
    }
    let code = c as u32;
    let zero = DIGIT_ZEROS[..DIGIT_ZEROS.partition_point(|&z| z <= code)].last()?;
    (code - zero < 10).then(|| (code - zero) as u8)
}

/// Digit values to an `i64`, `None` on overflow.
fn digits_to_i64(digits: &[u8]) -> Option<i64> {
    digits.iter().try_fold(0i64, |acc, &d| acc.checked_mul(10)?.checked_add(d as i64))
}

impl std::fmt::Display for Decimal {
    /// Plain positional notation (no exponent), for messages and keys.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Decimal::NaN => f.write_str("NaN"),
            Decimal::Infinite { negative } => f.write_str(if *negative { "-Infinity" } else { "Infinity" }),
            Decimal::Finite { digits, .. } if digits.is_empty() => f.write_str("0"),
            Decimal::Finite { negative, digits, exponent } => {
                let text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
                let sign = if *negative { "-" } else { "" };
                if *exponent >= 0 {
                    write!(f, "{sign}{text}{}", "0".repeat(*exponent as usize))
                } else {
                    let point = text.len() as i64 + exponent;
                    if point > 0 {
                        let (i, frac) = text.split_at(point as usize);
                        write!(f, "{sign}{i}.{frac}")
                    } else {
                        write!(f, "{sign}0.{}{text}", "0".repeat((-point) as usize))
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap_or_else(|| panic!("{s} should parse"))
    }

    #[test]
    fn parses_python_decimal_grammar() {
        for ok in ["1", "-1.5", "+.5", "5.", "1e3", "1E-3", "1_000.5", " 2 ", "Infinity", "-inf", "NaN", "snan12"] {
            assert!(Decimal::parse(ok).is_some(), "{ok}");
        }
        for bad in ["", ".", "1,5", "1__0", "_1", "1e", "e3", "1.2.3", "0x10", "1 000", "nan_"] {
            assert!(Decimal::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn parses_python_int_grammar() {
        assert_eq!(Decimal::parse_int("007"), Decimal::parse_int("7"));
        assert!(Decimal::parse_int("1_000").is_some());
        assert_eq!(Decimal::parse_int("١٢"), Decimal::parse_int("12"), "Arabic-Indic digits, as Python");
        for bad in ["1.0", "1e3", "", "+", "1_", "x"] {
            assert!(Decimal::parse_int(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn compares_exactly() {
        assert!(d("1.0").py_eq(&d("1")));
        assert!(d("100").py_eq(&d("1e2")));
        assert_eq!(d("0.01").py_cmp(&d("0.009")), Some(Ordering::Greater));
        assert_eq!(d("-2").py_cmp(&d("-10")), Some(Ordering::Greater));
        assert_eq!(d("-0").py_cmp(&d("0")), Some(Ordering::Equal));
        assert_eq!(d("123456789012345678901234567890").py_cmp(&d("1e29")), Some(Ordering::Greater));
        assert_eq!(d("-inf").py_cmp(&d("-1e999")), Some(Ordering::Less));
        assert!(!d("NaN").py_eq(&d("NaN")));
        assert_eq!(Decimal::from_f64(0.01), Some(d("0.01")));
    }

    #[test]
    fn displays_positionally() {
        assert_eq!(d("1.50").to_string(), "1.5");
        assert_eq!(d("1e3").to_string(), "1000");
        assert_eq!(d("-0.0012").to_string(), "-0.0012");
        assert_eq!(d("0").to_string(), "0");
    }
}
