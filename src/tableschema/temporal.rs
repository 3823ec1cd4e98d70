//! Dates, times and durations, read the way frictionless-py reads them.
//!
//! - strptime patterns (`%d/%m/%Y`, and `%Y-%m-%d` for `date/default`): Python's
//!   `datetime.strptime` accepts exactly the text its directive regexes match
//!   (`%Y` is four digits, `%m` one or two, no surrounding blanks...). `jiff`'s
//!   `strtime` parser is more lenient (it takes `16-01-05` for `%Y-%m-%d`), so a
//!   value is accepted only when it matches the Python-shaped regex built from the
//!   pattern *and* `jiff::fmt::strtime` parses it into a real calendar value.
//! - `datetime/default` and `time/default`: a port of `dateutil.parser.isoparse`
//!   behind frictionless' guards (`cell[16] == ':'` and at least 19 characters for a
//!   datetime, `cell[5] == ':'` and at least 8 for a time).
//! - `duration`: ISO 8601 durations as `isodate.parse_duration` reads them.

use jiff::civil::{Date, DateTime, Time};
use regex::Regex;

use super::decimal::Decimal;

/// A date-time value, with its UTC offset (in seconds) when the text carried one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    /// Wall-clock date and time as written.
    pub civil: DateTime,
    /// UTC offset in seconds, `None` for a naive value.
    pub offset: Option<i32>,
}

impl Stamp {
    /// The instant in UTC for aware values; the wall clock itself for naive ones.
    pub fn normalized(&self) -> DateTime {
        match self.offset {
            Some(secs) => self.civil.checked_sub(jiff::SignedDuration::from_secs(secs as i64)).unwrap_or(self.civil),
            None => self.civil,
        }
    }
}

/// A compiled strptime pattern: the Python-shaped regex gate and the pattern itself.
#[derive(Debug, Clone)]
pub struct Strptime {
    pattern: String,
    gate: Regex,
}

impl Strptime {
    /// Compiles a Python strptime pattern; `Err` names a directive Python rejects.
    pub fn new(pattern: &str) -> Result<Strptime, String> {
        let regex = python_strptime_regex(pattern)?;
        let gate = Regex::new(&format!("(?i)\\A(?:{regex})\\z")).map_err(|e| e.to_string())?;
        Ok(Strptime { pattern: pattern.to_owned(), gate })
    }

    /// Parses a value: Python's regex shape first, then `jiff`'s strtime parser
    /// (given `%z` offsets as `±HHMM[SS]`, the only spelling it takes, where Python
    /// also takes `Z` and `±HH:MM[:SS[.ffffff]]`).
    fn parse(&self, text: &str) -> Option<jiff::fmt::strtime::BrokenDownTime> {
        let captures = self.gate.captures(text)?;
        let mut normalized = String::with_capacity(text.len());
        let mut last = 0;
        let offsets =
            self.gate.capture_names().flatten().filter(|n| n.starts_with("tz")).filter_map(|n| captures.name(n));
        let mut offsets: Vec<regex::Match<'_>> = offsets.collect();
        offsets.sort_by_key(|m| m.start());
        for m in offsets {
            normalized.push_str(&text[last..m.start()]);
            normalized.push_str(&jiff_offset(m.as_str()));
            last = m.end();
        }
        normalized.push_str(&text[last..]);
        let parsed = jiff::fmt::strtime::parse(&self.pattern, &normalized).ok()?;
        // Python's timezone() wants an offset strictly within ±24 h (jiff goes to ±26 h).
        let in_range = parsed.offset().is_none_or(|o| o.seconds().abs() < 86_400);
        in_range.then_some(parsed)
    }

    /// `datetime.strptime(text, pattern).date()`.
    pub fn date(&self, text: &str) -> Option<Date> {
        let parsed = self.parse(text)?;
        match parsed.to_date() {
            Ok(date) => Some(date),
            Err(_) => default_year(parsed)?.to_date().ok(),
        }
    }

    /// `datetime.strptime(text, pattern)`, aware when the pattern has `%z`.
    pub fn datetime(&self, text: &str) -> Option<Stamp> {
        let parsed = self.parse(text)?;
        let offset = parsed.offset().map(|o| o.seconds());
        let civil = match parsed.to_datetime() {
            Ok(civil) => civil,
            Err(_) => default_year(parsed)?.to_datetime().ok()?,
        };
        Some(Stamp { civil, offset })
    }

    /// `datetime.strptime(text, pattern).timetz()`.
    pub fn time(&self, text: &str) -> Option<(Time, Option<i32>)> {
        let parsed = self.parse(text)?;
        let time = parsed.to_time().ok()?;
        Some((time, parsed.offset().map(|o| o.seconds())))
    }
}

/// A `%z` offset as matched by Python's regex, spelled `±HHMM[SS]` for `jiff`.
fn jiff_offset(offset: &str) -> String {
    if offset == "Z" {
        return "+0000".to_owned();
    }
    let without_fraction = offset.split('.').next().unwrap_or(offset);
    without_fraction.replace(':', "")
}

/// Python's `strptime` fills a missing year with 1900, month and day with 1.
fn default_year(mut filled: jiff::fmt::strtime::BrokenDownTime) -> Option<jiff::fmt::strtime::BrokenDownTime> {
    if filled.year().is_none() {
        filled.set_year(Some(1900)).ok()?;
    }
    if filled.month().is_none() {
        filled.set_month(Some(1)).ok()?;
    }
    if filled.day().is_none() {
        filled.set_day(Some(1)).ok()?;
    }
    Some(filled)
}

/// The regex CPython's `_strptime.TimeRE.pattern` builds for a format (C locale).
fn python_strptime_regex(format: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut offsets = 0;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '%' {
            let directive = chars.next().ok_or_else(|| "stray % in format".to_owned())?;
            let re = directive_regex(directive)?;
            if directive == 'z' {
                // Captured (as tz0, tz1...) to be respelled for jiff.
                out.push_str(&format!("(?P<tz{offsets}>{re})"));
                offsets += 1;
            } else {
                out.push_str(&re);
            }
        } else if c.is_whitespace() {
            while chars.peek().is_some_and(|n| n.is_whitespace()) {
                chars.next();
            }
            out.push_str(r"\s+");
        } else {
            out.push_str(&regex::escape(&c.to_string()));
        }
    }
    Ok(out)
}

/// CPython 3.11's regex for one strptime directive (English/C locale names).
fn directive_regex(directive: char) -> Result<String, String> {
    const DAYS: &str = "monday|tuesday|wednesday|thursday|friday|saturday|sunday";
    const DAYS_ABBR: &str = "mon|tue|wed|thu|fri|sat|sun";
    const MONTHS: &str = "january|february|march|april|may|june|july|august|september|october|november|december";
    const MONTHS_ABBR: &str = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec";
    let re = match directive {
        'd' => "(?:3[0-1]|[1-2][0-9]|0[1-9]|[1-9]| [1-9])",
        'f' => "[0-9]{1,6}",
        'H' => "(?:2[0-3]|[0-1][0-9]|[0-9])",
        'I' => "(?:1[0-2]|0[1-9]|[1-9])",
        'G' | 'Y' => "[0-9]{4}",
        'j' => "(?:36[0-6]|3[0-5][0-9]|[1-2][0-9][0-9]|0[1-9][0-9]|00[1-9]|[1-9][0-9]|0[1-9]|[1-9])",
        'm' => "(?:1[0-2]|0[1-9]|[1-9])",
        'M' => "(?:[0-5][0-9]|[0-9])",
        'S' => "(?:6[0-1]|[0-5][0-9]|[0-9])",
        'U' | 'W' => "(?:5[0-3]|[0-4][0-9]|[0-9])",
        'w' => "[0-6]",
        'u' => "[1-7]",
        'V' => "(?:5[0-3]|0[1-9]|[1-4][0-9]|[0-9])",
        'y' => "[0-9]{2}",
        'z' => r"(?:[+-][0-9]{2}:?[0-5][0-9](?::?[0-5][0-9](?:\.[0-9]{1,6})?)?|(?-i:Z))",
        'A' => DAYS,
        'a' => DAYS_ABBR,
        'B' => MONTHS,
        'b' => MONTHS_ABBR,
        'p' => "am|pm",
        'Z' => "utc|gmt",
        '%' => "%",
        'c' => return Ok(format!("(?:{})", python_strptime_regex("%a %b %d %H:%M:%S %Y")?)),
        'x' => return Ok(format!("(?:{})", python_strptime_regex("%m/%d/%y")?)),
        'X' => return Ok(format!("(?:{})", python_strptime_regex("%H:%M:%S")?)),
        other => return Err(format!("'{other}' is a bad directive in format")),
    };
    Ok(format!("(?:{re})"))
}

/// `dateutil.parser.isoparse` behind frictionless' `datetime/default` guards.
pub fn iso_datetime(text: &str) -> Option<Stamp> {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() < 19 || chars[16] != ':' || !text.is_ascii() {
        return None;
    }
    isoparse(text.as_bytes())
}

/// `isoparse("2000-01-01T" + text).timetz()` behind the `time/default` guards.
pub fn iso_time(text: &str) -> Option<(Time, Option<i32>)> {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() < 8 || chars[5] != ':' || !text.is_ascii() {
        return None;
    }
    let stamp = isoparse(format!("2000-01-01T{text}").as_bytes())?;
    Some((stamp.civil.time(), stamp.offset))
}

/// Port of `dateutil.parser.isoparser().isoparse` (any one-character separator).
fn isoparse(s: &[u8]) -> Option<Stamp> {
    let (date, pos) = iso_date(s)?;
    let mut time = IsoTime::default();
    if s.len() > pos {
        time = iso_time_part(&s[pos + 1..])?;
    }
    let (y, m, d) = date;
    let civil_date = Date::new(y, m, d).ok()?;
    let (hour, next_day) = if time.hour == 24 { (0, true) } else { (time.hour, false) };
    let t = Time::new(hour, time.minute, time.second, time.micros * 1000).ok()?;
    let mut civil = civil_date.to_datetime(t);
    if next_day {
        civil = civil.checked_add(jiff::Span::new().days(1)).ok()?;
    }
    Some(Stamp { civil, offset: time.offset })
}

/// `_parse_isodate`: the common forms first, then ISO week and ordinal dates.
fn iso_date(s: &[u8]) -> Option<((i16, i8, i8), usize)> {
    iso_date_common(s).or_else(|| iso_date_uncommon(s))
}

/// `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `YYYYMMDD`; returns the components and the end.
fn iso_date_common(s: &[u8]) -> Option<((i16, i8, i8), usize)> {
    let year = digits(s, 0, 4)? as i16;
    let mut pos = 4;
    if pos >= s.len() {
        return Some(((year, 1, 1), pos));
    }
    let has_sep = s[pos] == b'-';
    pos += has_sep as usize;
    if s.len() < pos + 2 {
        return None;
    }
    let month = digits(s, pos, 2)? as i8;
    pos += 2;
    if pos >= s.len() {
        return has_sep.then_some(((year, month, 1), pos));
    }
    if has_sep {
        if s[pos] != b'-' {
            return None;
        }
        pos += 1;
    }
    if s.len() < pos + 2 {
        return None;
    }
    let day = digits(s, pos, 2)? as i8;
    Some(((year, month, day), pos + 2))
}

/// `YYYY-Www[-D]`, `YYYYWww[D]`, `YYYY-DDD` or `YYYYDDD`.
fn iso_date_uncommon(s: &[u8]) -> Option<((i16, i8, i8), usize)> {
    let year = digits(s, 0, 4)? as i16;
    let has_sep = s.get(4) == Some(&b'-');
    let mut pos = 4 + has_sep as usize;
    let date = if s.get(pos) == Some(&b'W') {
        pos += 1;
        let week = digits(s, pos, 2)? as i8;
        pos += 2;
        let mut day = 1;
        if s.len() > pos {
            if (s[pos] == b'-') != has_sep {
                return None;
            }
            pos += has_sep as usize;
            day = digits(s, pos, 1)? as i8;
            pos += 1;
        }
        iso_week_date(year, week, day)?
    } else {
        if s.len() < pos + 3 {
            return None;
        }
        let ordinal = digits(s, pos, 3)? as i16;
        pos += 3;
        let first = Date::new(year, 1, 1).ok()?;
        if ordinal < 1 || ordinal > first.days_in_year() {
            return None;
        }
        first.with().day_of_year(ordinal).build().ok()?
    };
    Some(((date.year(), date.month(), date.day()), pos))
}

/// The date of ISO week `week` (1–53), weekday `day` (1 = Monday … 7) of `year`.
fn iso_week_date(year: i16, week: i8, day: i8) -> Option<Date> {
    if !(1..54).contains(&week) || !(1..8).contains(&day) {
        return None;
    }
    let jan4 = Date::new(year, 1, 4).ok()?;
    let week1 = jan4.checked_sub(jiff::Span::new().days(jan4.weekday().to_monday_one_offset() as i64 - 1)).ok()?;
    week1.checked_add(jiff::Span::new().days((week as i64 - 1) * 7 + day as i64 - 1)).ok()
}

/// Time components read by `_parse_isotime`.
#[derive(Default)]
struct IsoTime {
    hour: i8,
    minute: i8,
    second: i8,
    micros: i32,
    offset: Option<i32>,
}

/// Port of `_parse_isotime`: `hh[:mm[:ss[.ffffff]]]` (colons optional but
/// consistent), then an optional `Z` or `±hh[[:]mm]` offset.
fn iso_time_part(s: &[u8]) -> Option<IsoTime> {
    if s.len() < 2 {
        return None;
    }
    let mut out = IsoTime::default();
    let (mut pos, mut comp, mut has_sep) = (0usize, -1i32, false);
    while pos < s.len() && comp < 5 {
        comp += 1;
        if matches!(s[pos], b'-' | b'+' | b'Z' | b'z') {
            out.offset = Some(iso_offset(&s[pos..])?);
            pos = s.len();
            break;
        }
        if comp == 1 && s[pos] == b':' {
            has_sep = true;
            pos += 1;
        } else if comp == 2 && has_sep {
            if s.get(pos) != Some(&b':') {
                return None;
            }
            pos += 1;
        }
        if comp < 3 {
            let value = digits(s, pos, 2)? as i8;
            match comp {
                0 => out.hour = value,
                1 => out.minute = value,
                _ => out.second = value,
            }
            pos += 2;
        }
        if comp == 3 {
            let Some((micros, used)) = iso_fraction(&s[pos..]) else { continue };
            out.micros = micros;
            pos += used;
        }
    }
    if pos < s.len() {
        return None;
    }
    if out.hour == 24 && (out.minute != 0 || out.second != 0 || out.micros != 0) {
        return None;
    }
    Some(out)
}

/// `[.,]digits`, truncated to microseconds; returns the value and the length read.
fn iso_fraction(s: &[u8]) -> Option<(i32, usize)> {
    if !matches!(s.first(), Some(b'.' | b',')) {
        return None;
    }
    let n = s[1..].iter().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 {
        return None;
    }
    let kept = &s[1..1 + n.min(6)];
    let value: i32 = std::str::from_utf8(kept).ok()?.parse().ok()?;
    Some((value * 10i32.pow(6 - kept.len() as u32), n + 1))
}

/// `_parse_tzstr`: `Z`, `±hh`, `±hhmm` or `±hh:mm`, in seconds east of UTC.
fn iso_offset(s: &[u8]) -> Option<i32> {
    if s == b"Z" || s == b"z" {
        return Some(0);
    }
    if ![3, 5, 6].contains(&s.len()) {
        return None;
    }
    let sign = match s[0] {
        b'-' => -1,
        b'+' => 1,
        _ => return None,
    };
    let hours = digits(s, 1, 2)? as i32;
    let minutes = if s.len() == 3 {
        0
    } else {
        let pos = if s[3] == b':' { 4 } else { 3 };
        if s.len() != pos + 2 {
            return None;
        }
        digits(s, pos, 2)? as i32
    };
    if hours == 0 && minutes == 0 {
        return Some(0);
    }
    if minutes > 59 || hours > 23 {
        return None;
    }
    Some(sign * (hours * 60 + minutes) * 60)
}

/// Exactly `n` ASCII digits at `pos`, as a number.
fn digits(s: &[u8], pos: usize, n: usize) -> Option<u32> {
    let part = s.get(pos..pos + n)?;
    if !part.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(part.iter().fold(0, |acc, d| acc * 10 + (d - b'0') as u32))
}

/// An ISO 8601 duration, reduced to what Python compares: months and seconds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IsoDuration {
    /// `years × 12 + months`, signed.
    pub months: Decimal,
    /// Weeks, days, hours, minutes and seconds, in seconds, signed.
    pub seconds: Decimal,
}

/// `isodate.parse_duration`: `[±]PnYnMnWnDTnHnMnS` (fractions with `.` or `,`) or the
/// alternative complete form `PYYYY-MM-DDThh:mm:ss` / `PYYYYMMDDThhmmss`.
pub fn iso_duration(text: &str) -> Option<IsoDuration> {
    static DESIGNATORS: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let re = DESIGNATORS.get_or_init(|| {
        let n = r"([0-9]+(?:[,.][0-9]+)?)";
        Regex::new(&format!(r"\A([+-])?P(?:{n}Y)?(?:{n}M)?(?:{n}W)?(?:{n}D)?(?:T(?:{n}H)?(?:{n}M)?(?:{n}S)?)?\z"))
            .expect("valid duration regex")
    });
    let rest = text.strip_prefix(['+', '-']).unwrap_or(text);
    let after_p = rest.strip_prefix('P')?;
    let word_next = after_p.chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_');
    match re.captures(text) {
        Some(caps) if word_next => Some(designator_duration(&caps)),
        _ => text.strip_prefix('P').and_then(alternative_duration),
    }
}

/// Sums the captured designator components of a duration.
fn designator_duration(caps: &regex::Captures<'_>) -> IsoDuration {
    let part = |i: usize| caps.get(i).and_then(|m| Decimal::parse(&m.as_str().replace(',', ".")));
    let scale = |d: Option<Decimal>, factor: u64| d.map(|d| mul_int(&d, factor)).unwrap_or(zero());
    let months = add(&scale(part(2), 12), &scale(part(3), 1));
    let mut seconds = zero();
    for (i, factor) in [(4, 604_800), (5, 86_400), (6, 3_600), (7, 60), (8, 1)] {
        seconds = add(&seconds, &scale(part(i), factor));
    }
    let negative = caps.get(1).is_some_and(|m| m.as_str() == "-");
    IsoDuration { months: negate_if(months, negative), seconds: negate_if(seconds, negative) }
}

/// `PYYYY-MM-DDThh:mm:ss` or `PYYYYMMDDThhmmss` (isodate's alternative format).
fn alternative_duration(text: &str) -> Option<IsoDuration> {
    static ALT: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let re = ALT.get_or_init(|| {
        Regex::new(
            r"\A(?:(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})|(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2}))\z",
        )
        .expect("valid alternative duration regex")
    });
    let caps = re.captures(text)?;
    let n: Vec<i64> = (1..=12).filter_map(|i| caps.get(i)).filter_map(|m| m.as_str().parse().ok()).collect();
    let [y, mo, d, h, mi, s] = <[i64; 6]>::try_from(n).ok()?;
    Date::new(i16::try_from(y).ok()?, i8::try_from(mo).ok()?, i8::try_from(d).ok()?).ok()?;
    Time::new(i8::try_from(h).ok()?, i8::try_from(mi).ok()?, i8::try_from(s).ok()?, 0).ok()?;
    let months = Decimal::parse_int(&(y * 12 + mo).to_string())?;
    let seconds = Decimal::parse_int(&(d * 86_400 + h * 3_600 + mi * 60 + s).to_string())?;
    Some(IsoDuration { months, seconds })
}

/// Decimal zero.
fn zero() -> Decimal {
    Decimal::parse_int("0").expect("zero")
}

/// Multiplies a non-negative finite decimal by a positive integer, exactly.
fn mul_int(d: &Decimal, factor: u64) -> Decimal {
    let text = d.to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mantissa: u128 = format!("{int}{frac}").parse().unwrap_or(0);
    let product = mantissa.saturating_mul(factor as u128);
    Decimal::parse(&format!("{product}e-{}", frac.len())).unwrap_or_else(zero)
}

/// Exact sum of two non-negative finite decimals.
fn add(a: &Decimal, b: &Decimal) -> Decimal {
    let scale = |d: &Decimal| {
        let text = d.to_string();
        let frac = text.split_once('.').map_or(0, |(_, f)| f.len());
        (text, frac)
    };
    let ((ta, fa), (tb, fb)) = (scale(a), scale(b));
    let frac = fa.max(fb);
    let as_int = |t: &str, f: usize| -> u128 {
        let digits: String = t.chars().filter(char::is_ascii_digit).collect();
        digits.parse::<u128>().unwrap_or(0).saturating_mul(10u128.saturating_pow((frac - f) as u32))
    };
    let sum = as_int(&ta, fa).saturating_add(as_int(&tb, fb));
    Decimal::parse(&format!("{sum}e-{frac}")).unwrap_or_else(zero)
}

/// Flips the sign of a decimal when `negative`.
fn negate_if(d: Decimal, negative: bool) -> Decimal {
    if negative { Decimal::parse(&format!("-{d}")).unwrap_or(d) } else { d }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strptime_is_as_strict_as_python() {
        let ymd = Strptime::new("%Y-%m-%d").unwrap();
        assert!(ymd.date("2016-01-05").is_some());
        assert!(ymd.date("2016-1-5").is_some(), "Python takes one-digit month and day");
        for bad in ["16-01-05", " 2016-01-05", "2016-01-05 ", "2016-02-30", "05/12/2016", "2016-13-01"] {
            assert!(ymd.date(bad).is_none(), "{bad}");
        }
        let fr = Strptime::new("%d/%m/%Y").unwrap();
        assert_eq!(fr.date("05/12/2016"), Some(jiff::civil::date(2016, 12, 5)));
        assert!(Strptime::new("%Q").is_err());
        assert!(Strptime::new("%Y-%").is_err());
    }

    #[test]
    fn isoparse_matches_dateutil() {
        for ok in [
            "2020-05-11T14:08:32Z",
            "2020-05-11 14:08:32",
            "2020-05-11T14:08:32.123456789+02:00",
            "2020-05-11T14:08:32-0130",
            "2020-05-11T24:00:00",
            "2020-W01-1T10:00:00",
        ] {
            assert!(iso_datetime(ok).is_some(), "{ok}");
        }
        for bad in [
            "2020-05-11T14:08",
            "2020-05-11T14:08:61",
            "2020-05-11T14:0832",
            "2020-05-11T24:00:01",
            "2020-02-30T10:00:00",
        ] {
            assert!(iso_datetime(bad).is_none(), "{bad}");
        }
        assert!(iso_time("14:08:32").is_some());
        assert!(iso_time("14:08").is_none());
        assert_eq!(iso_datetime("2020-05-11T14:08:32+02:00").unwrap().offset, Some(7200));
    }

    #[test]
    fn durations_match_isodate() {
        for ok in ["P1Y", "PT1H", "PT", "P1DT", "-P1D", "+P1D", "P1.5D", "P1,5Y", "P1W2D", "P0001-02-03T04:05:06"] {
            assert!(iso_duration(ok).is_some(), "{ok}");
        }
        for bad in ["P", "p1d", "P1D ", "P1M1Y", "1D", ""] {
            assert!(iso_duration(bad).is_none(), "{bad}");
        }
        assert_eq!(iso_duration("PT36H"), iso_duration("P1DT12H"));
        assert_eq!(iso_duration("P1W"), iso_duration("P7D"));
    }
}
