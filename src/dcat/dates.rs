//! ISO 8601 dates as the exports need them: the XSD datatype of a full or
//! partial date, the first and last day of a partial one, an Atom time stamp.

/// A checked date, full or partial.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Date<'a> {
    Year(i32),
    YearMonth(i32, u32),
    Day(i32, u32, u32),
    /// A full date-time (`2024-03-01T10:00:00Z`), kept as written.
    DateTime(&'a str),
}

fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Parses `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ss[.f](Z|±hh:mm)`.
pub fn parse(text: &str) -> Option<Date<'_>> {
    let text = text.trim();
    let (date, time) = match text.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let year = digits(parts.next()?, 4)? as i32;
    let month = parts.next().map(|m| digits(m, 2).filter(|m| (1..=12).contains(m)));
    let day = parts.next().map(|d| digits(d, 2));
    if parts.next().is_some() {
        return None;
    }
    let parsed = match (month, day) {
        (None, None) => Date::Year(year),
        (Some(Some(m)), None) => Date::YearMonth(year, m),
        (Some(Some(m)), Some(Some(d))) if d >= 1 && d <= days_in_month(year, m) => Date::Day(year, m, d),
        _ => return None,
    };
    match (parsed, time) {
        (p, None) => Some(p),
        (Date::Day(..), Some(t)) if valid_time(t) => Some(Date::DateTime(text)),
        _ => None,
    }
}

fn valid_time(t: &str) -> bool {
    let (clock, zone_ok) = if let Some(c) = t.strip_suffix('Z') {
        (c, true)
    } else if let Some(pos) = t.rfind(['+', '-']) {
        let zone = &t[pos + 1..];
        let ok = zone.len() == 5
            && zone.as_bytes()[2] == b':'
            && digits(&zone[..2], 2).is_some()
            && digits(&zone[3..], 2).is_some();
        (&t[..pos], ok)
    } else {
        (t, true)
    };
    let clock = clock.split('.').next().unwrap_or("");
    let mut it = clock.split(':');
    let ok = [24, 60, 61].iter().all(|&max| it.next().and_then(|p| digits(p, 2)).is_some_and(|v| v < max));
    ok && it.next().is_none() && zone_ok
}

impl Date<'_> {
    /// The local name of the XSD datatype.
    pub fn xsd_type(&self) -> &'static str {
        match self {
            Date::Year(_) => "gYear",
            Date::YearMonth(..) => "gYearMonth",
            Date::Day(..) => "date",
            Date::DateTime(_) => "dateTime",
        }
    }

    /// The lexical form, normalised.
    pub fn lexical(&self) -> String {
        match *self {
            Date::Year(y) => format!("{y:04}"),
            Date::YearMonth(y, m) => format!("{y:04}-{m:02}"),
            Date::Day(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
            Date::DateTime(s) => s.to_string(),
        }
    }

    /// The first day of the period (`YYYY-MM-DD`).
    pub fn first_day(&self) -> String {
        match *self {
            Date::Year(y) => format!("{y:04}-01-01"),
            Date::YearMonth(y, m) => format!("{y:04}-{m:02}-01"),
            Date::Day(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
            Date::DateTime(s) => s[..10].to_string(),
        }
    }

    /// The last day of the period (`YYYY-MM-DD`).
    pub fn last_day(&self) -> String {
        match *self {
            Date::Year(y) => format!("{y:04}-12-31"),
            Date::YearMonth(y, m) => format!("{y:04}-{m:02}-{:02}", days_in_month(y, m)),
            _ => self.first_day(),
        }
    }

    /// An RFC 3339 time stamp (Atom `updated`): midnight UTC of the first
    /// day, or the date-time as written.
    pub fn rfc3339(&self) -> String {
        match *self {
            Date::DateTime(s) => s.to_string(),
            _ => format!("{}T00:00:00Z", self.first_day()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse("2024"), Some(Date::Year(2024)));
        assert_eq!(parse("2024-02").unwrap().last_day(), "2024-02-29");
        assert_eq!(parse("2023-02").unwrap().last_day(), "2023-02-28");
        assert_eq!(parse("2024-03-05").unwrap().xsd_type(), "date");
        assert_eq!(parse("2024-03-05T10:00:00Z").unwrap().xsd_type(), "dateTime");
        assert_eq!(parse("2024-03-05T10:00:00+02:00").unwrap().rfc3339(), "2024-03-05T10:00:00+02:00");
        assert!(parse("2024-03-05T10:00").is_none());
        assert!(parse("2024-02-30").is_none());
        assert!(parse("2024-13").is_none());
        assert!(parse("24-01-01").is_none());
        assert!(parse("2024-03-05T25:00:00Z").is_none());
        assert!(parse("hier").is_none());
        assert_eq!(parse("2021").unwrap().rfc3339(), "2021-01-01T00:00:00Z");
    }
}
