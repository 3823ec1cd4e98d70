//! Colours a site may choose (`colors:` in `site.yaml`) and the WCAG 2.1
//! contrast check they must pass (success criterion 1.4.3: 4.5:1 for text).

/// The contrast text needs against its background (WCAG 2.1 AA).
pub const AA_TEXT: f64 = 4.5;

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

pub const WHITE: Rgb = Rgb(255, 255, 255);

impl Rgb {
    /// `#rgb` or `#rrggbb` (case ignored).
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.trim().strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize, len: usize| u8::from_str_radix(&hex[i..i + len], 16).ok();
        match hex.len() {
            3 => Some(Rgb(digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17)),
            6 => Some(Rgb(digit(0, 2)?, digit(2, 2)?, digit(4, 2)?)),
            _ => None,
        }
    }

    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Relative luminance (WCAG 2.1 definition).
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    /// The contrast ratio of two colours, from 1 to 21.
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (hi, lo) = if a > b { (a, b) } else { (b, a) };
        (hi + 0.05) / (lo + 0.05)
    }

    /// The colour mixed with black: `amount` 0 keeps it, 1 gives black.
    pub fn darken(self, amount: f64) -> Rgb {
        let f = |c: u8| (f64::from(c) * (1.0 - amount)).round() as u8;
        Rgb(f(self.0), f(self.1), f(self.2))
    }

    /// The lightest darker shade of this colour that reaches `ratio` against
    /// `background` (itself when it already does).
    pub fn darkened_to(self, background: Rgb, ratio: f64) -> Rgb {
        (0..=100)
            .map(|i| self.darken(f64::from(i) / 100.0))
            .find(|c| c.contrast(background) >= ratio)
            .unwrap_or(Rgb(0, 0, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_measures_contrast() {
        assert_eq!(Rgb::parse("#FFF"), Some(WHITE));
        assert_eq!(Rgb::parse("#000091"), Some(Rgb(0, 0, 0x91)));
        assert_eq!(Rgb::parse("000091"), None);
        assert_eq!(Rgb::parse("#12345"), None);
        assert_eq!(Rgb::parse("#gggggg"), None);
        assert!((Rgb(0, 0, 0).contrast(WHITE) - 21.0).abs() < 1e-9);
        // The French state's blue, on white: about 14.9:1.
        assert!((Rgb(0, 0, 0x91).contrast(WHITE) - 14.9).abs() < 0.1);
        // A light orange fails, and a darker shade of it passes.
        let orange = Rgb::parse("#ff9900").unwrap();
        assert!(orange.contrast(WHITE) < AA_TEXT);
        let fixed = orange.darkened_to(WHITE, AA_TEXT);
        assert!(fixed.contrast(WHITE) >= AA_TEXT);
        assert!(fixed.darken(-0.02).contrast(WHITE) < AA_TEXT + 0.5, "{}", fixed.hex());
        assert_eq!(Rgb(0, 0, 0x91).darkened_to(WHITE, AA_TEXT), Rgb(0, 0, 0x91));
    }
}
