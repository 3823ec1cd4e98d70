//! The language a site speaks: it chooses the language of diagnostics, of the
//! interface strings of the theme and of date and number formatting.

use serde::Serialize;

/// A language kiosque can speak. French is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Lang {
    /// Parses a language code (`fr`, `en`, case-insensitive, region ignored).
    pub fn parse(code: &str) -> Option<Lang> {
        let base = code.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        match base.as_str() {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// Picks the French or the English text.
    pub fn pick<'a>(self, fr: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Fr => fr,
            Lang::En => en,
        }
    }

    /// Formats an ISO date (`2026-11-23`) for humans: `23/11/2026` in French,
    /// `2026-11-23` (unambiguous) in English. Anything that is not a plain ISO
    /// date is returned unchanged.
    /// A plain number (`-1234.50`, see [`crate::tabular::plain_number`])
    /// grouped and with the decimal mark of the language: `-1 234,50` /
    /// `-1,234.50`. Exponents are left as they are.
    pub fn format_plain_number(self, plain: &str) -> String {
        if plain.contains(['e', 'E']) {
            return plain.replace('.', self.pick(",", "."));
        }
        let (sign, digits) = plain.strip_prefix('-').map(|d| ("-", d)).unwrap_or(("", plain.trim_start_matches('+')));
        let (int, frac) = digits.split_once('.').map(|(i, f)| (i, Some(f))).unwrap_or((digits, None));
        let mut out = String::from(sign);
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i).is_multiple_of(3) {
                out.push_str(self.pick("\u{202f}", ","));
            }
            out.push(c);
        }
        if let Some(frac) = frac {
            out.push_str(self.pick(",", "."));
            out.push_str(frac);
        }
        out
    }

    pub fn format_date(self, iso: &str) -> String {
        let date = iso.get(..10).unwrap_or(iso);
        match (self, date.parse::<jiff::civil::Date>()) {
            (Lang::Fr, Ok(d)) => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
            (Lang::En, Ok(d)) => format!("{} {}, {}", MONTHS_EN[d.month() as usize - 1], d.day(), d.year()),
            _ => iso.to_string(),
        }
    }

    /// Formats a byte count with a unit (`1,2 Mo` / `1.2 MB`).
    pub fn format_bytes(self, bytes: u64) -> String {
        let units_fr = ["o", "Ko", "Mo", "Go", "To"];
        let units_en = ["B", "KB", "MB", "GB", "TB"];
        let units = if self == Lang::Fr { units_fr } else { units_en };
        if bytes < 1000 {
            return format!("{bytes}\u{a0}{}", units[0]);
        }
        let mut value = bytes as f64;
        let mut unit = 0;
        while value >= 1000.0 && unit < units.len() - 1 {
            value /= 1000.0;
            unit += 1;
        }
        let text = format!("{value:.1}");
        let text = if self == Lang::Fr { text.replace('.', ",") } else { text };
        format!("{text}\u{a0}{}", units[unit])
    }
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_codes() {
        assert_eq!(Lang::parse("fr"), Some(Lang::Fr));
        assert_eq!(Lang::parse("EN-gb"), Some(Lang::En));
        assert_eq!(Lang::parse("de"), None);
    }

    #[test]
    fn formats_dates_and_sizes() {
        assert_eq!(Lang::Fr.format_date("2026-11-23"), "23/11/2026");
        assert_eq!(Lang::En.format_date("2026-11-23"), "November 23, 2026");
        assert_eq!(Lang::Fr.format_date("bientôt"), "bientôt");
        assert_eq!(Lang::Fr.format_bytes(999), "999\u{a0}o");
        assert_eq!(Lang::Fr.format_bytes(1_234_567), "1,2\u{a0}Mo");
        assert_eq!(Lang::En.format_bytes(1_234_567), "1.2\u{a0}MB");
    }
}

#[cfg(test)]
mod number_tests {
    use super::Lang;
    use crate::tabular::plain_number;

    #[test]
    fn numbers_in_each_language() {
        let plain = |cell, decimal| plain_number(cell, decimal).unwrap();
        assert_eq!(plain("1 234,50", b','), "1234.50");
        assert_eq!(plain("-12.5", b'.'), "-12.5");
        assert_eq!(plain_number("01053", b'.'), None);
        assert_eq!(Lang::Fr.format_plain_number("1234.50"), "1\u{202f}234,50");
        assert_eq!(Lang::Fr.format_plain_number("-1234567"), "-1\u{202f}234\u{202f}567");
        assert_eq!(Lang::En.format_plain_number("1234.5"), "1,234.5");
        assert_eq!(Lang::Fr.format_plain_number("123"), "123");
        assert_eq!(Lang::Fr.format_plain_number("1.5e3"), "1,5e3");
    }
}
