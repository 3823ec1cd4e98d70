//! The personal data guard: finds e-mail addresses, phone numbers, French
//! social security numbers (NIR, key checked), IBANs (checksum checked) in
//! cells, and columns whose names identify people (first and last name,
//! birth date, home address). Values are never reported in full: examples
//! are masked (`j***@***.fr`).
//!
//! To keep false positives low on ordinary public data:
//! - NIRs and IBANs must pass their checksums;
//! - a phone number must be a whole cell;
//! - a name column alone is not personal (a list of first names given at
//!   birth, a facility's `nom`): it takes a first name with a last name, or
//!   a name with a birth date or a personal address.

use std::sync::LazyLock;

use regex::Regex;

/// What kind of personal data was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    Email,
    Phone,
    Nir,
    Iban,
    /// Columns naming people (first and last names, or a name with a birth
    /// date or an address).
    PersonColumns,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::Nir => "nir",
            Kind::Iban => "iban",
            Kind::PersonColumns => "person-columns",
        }
    }
}

/// A kind of personal data found in one column.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Finding {
    pub kind: Kind,
    /// The column's name (for `PersonColumns`, the names joined with `, `).
    pub column: String,
    /// 0-based index of the column (the first one for `PersonColumns`).
    pub column_index: usize,
    /// Cells found (0 for `PersonColumns`, which is about the header).
    pub count: u64,
    /// 1-based line of the first cell found (the header line for
    /// `PersonColumns`).
    pub line: u64,
    /// The first value found, masked.
    pub example: String,
}

static EMAIL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}").unwrap());
static PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:(?:\+|00)33[\s.\-]?(?:\(0\))?[\s.\-]?|0)[1-9](?:[\s.\-]?\d{2}){4}$").unwrap());

/// Folds a column name for matching: lowercase ASCII letters and digits only.
fn fold(name: &str) -> String {
    crate::util::slugify(name).replace('-', "")
}

fn is_first_name(f: &str) -> bool {
    ["prenom", "firstname", "givenname", "forename"].iter().any(|k| f.contains(k))
}

fn is_last_name(f: &str) -> bool {
    matches!(f, "nom" | "name" | "lastname" | "surname" | "familyname" | "patronyme")
        || ["nomdefamille", "nomdenaissance", "nomusage", "nomdusage", "nompatronymique"].iter().any(|k| f.contains(k))
}

fn is_birth_date(f: &str) -> bool {
    ["datedenaissance", "datenaissance", "naissance", "birthdate", "dateofbirth", "dob"].iter().any(|k| f.contains(k))
        || f == "ddn"
}

/// Only an address that says it is a person's: a facility's `adresse` is
/// public.
fn is_personal_address(f: &str) -> bool {
    ["domicile", "adressepersonnelle", "homeaddress", "adresseperso"].iter().any(|k| f.contains(k))
}

/// Checks a NIR (13 characters, Corsica `2A`/`2B` allowed, then a 2-digit
/// key): key = 97 − (number mod 97).
pub fn is_nir(text: &str) -> bool {
    let s: String = text.chars().filter(|c| !c.is_whitespace() && *c != '.' && *c != '-').collect();
    if s.len() != 15 || !s.is_ascii() {
        return false;
    }
    let (body, key) = s.split_at(13);
    let b = body.as_bytes();
    if !matches!(b[0], b'1' | b'2' | b'3' | b'4' | b'7' | b'8') {
        return false;
    }
    let digits = match &body[5..7] {
        "2A" | "2a" => format!("{}19{}", &body[..5], &body[7..]),
        "2B" | "2b" => format!("{}18{}", &body[..5], &body[7..]),
        _ => body.to_string(),
    };
    let (Ok(n), Ok(k)) = (digits.parse::<u64>(), key.parse::<u64>()) else { return false };
    // Months 20-42 and 50-99 are used for people born abroad or unknown.
    let month: u32 = body[3..5].parse().unwrap_or(0);
    let month_ok = (1..=12).contains(&month) || (20..=42).contains(&month) || (50..=99).contains(&month);
    month_ok && k == 97 - n % 97
}

/// Checks an IBAN: country letters, check digits, then mod-97 = 1.
pub fn is_iban(text: &str) -> bool {
    let s: String = text.chars().filter(|c| !c.is_whitespace() && *c != '-').collect::<String>().to_ascii_uppercase();
    if !(15..=34).contains(&s.len()) || !s.is_ascii() {
        return false;
    }
    let b = s.as_bytes();
    if !(b[0].is_ascii_uppercase() && b[1].is_ascii_uppercase() && b[2].is_ascii_digit() && b[3].is_ascii_digit()) {
        return false;
    }
    if !b.iter().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let rearranged = s[4..].bytes().chain(s[..4].bytes());
    let mut rem: u32 = 0;
    for c in rearranged {
        let v = if c.is_ascii_digit() { (c - b'0') as u32 } else { (c - b'A') as u32 + 10 };
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    rem == 1
}

/// Masks a value, keeping just enough to recognise it.
pub fn mask(kind: Kind, value: &str) -> String {
    let v = value.trim();
    match kind {
        Kind::Email => {
            let (user, host) = v.split_once('@').unwrap_or((v, ""));
            let tld = host.rsplit_once('.').map(|(_, t)| t).unwrap_or("");
            format!("{}***@***.{tld}", user.chars().next().unwrap_or('*'))
        }
        Kind::Phone | Kind::Nir | Kind::Iban => {
            let chars: Vec<char> = v.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '+').collect();
            let keep = 2.min(chars.len() / 4);
            let head: String = chars[..keep].iter().collect();
            let tail: String = chars[chars.len() - keep..].iter().collect();
            format!("{head}{}{tail}", "*".repeat(chars.len() - 2 * keep))
        }
        Kind::PersonColumns => "***".into(),
    }
}

/// Scans a table cell by cell; memory is one counter per column and kind.
pub struct Scanner {
    header: Vec<String>,
    header_line: u64,
    /// Per column: findings by kind.
    found: Vec<Vec<Finding>>,
}

impl Scanner {
    pub fn new(header: &[String], header_line: u64) -> Self {
        Scanner { header: header.to_vec(), header_line, found: vec![Vec::new(); header.len()] }
    }

    /// Looks at one row's cells. Cheap tests come first (one search for
    /// `@` in the whole row, then each cell's length and first byte): most
    /// cells of ordinary data never reach a digit count, a regular
    /// expression or a checksum.
    /// `record` is the row's text (cells and separators).
    pub fn row(&mut self, line: u64, cells: &[&str], record: &str) {
        let at = memchr::memchr(b'@', record.as_bytes()).is_some();
        for (column, cell) in cells.iter().enumerate() {
            self.look(line, column, cell, at);
        }
    }

    /// Looks at one cell.
    pub fn cell(&mut self, line: u64, column: usize, value: &str) {
        self.look(line, column, value, true);
    }

    /// `maybe_email`: false when the cell is known to hold no `@`.
    fn look(&mut self, line: u64, column: usize, value: &str, maybe_email: bool) {
        let b = value.as_bytes();
        if b.len() < 6 || column >= self.found.len() {
            return;
        }
        let plain = |c: u8| c > b' ' && c.is_ascii();
        let v = if plain(b[0]) && plain(b[b.len() - 1]) { value } else { value.trim() };
        let bytes = v.as_bytes();
        if bytes.len() < 6 {
            return;
        }
        if maybe_email
            && bytes.contains(&b'@')
            && let Some(m) = EMAIL.find(v)
        {
            self.record(Kind::Email, line, column, m.as_str());
        }
        // A phone number starts with `+`, `00` or `0` (see `PHONE`), a NIR
        // with its sex digit (see `is_nir`), an IBAN with a country code
        // then check digits; phone numbers and NIRs hold nothing but digits,
        // spaces, `.`, `-`, `+`, `()` (and `A`/`B` for Corsica).
        let mut phone = matches!(bytes[0], b'+' | b'0') && (10..=20).contains(&v.len());
        let mut nir = matches!(bytes[0], b'1'..=b'4' | b'7' | b'8') && (13..=21).contains(&v.len());
        let iban = v.len() >= 15
            && bytes[0].is_ascii_alphabetic()
            && bytes[1].is_ascii_alphabetic()
            && matches!(bytes[2], b'0'..=b'9' | b' ' | b'-');
        if (phone || nir)
            && !bytes.iter().all(|&b| {
                !b.is_ascii()
                    || matches!(
                        b,
                        b'0'..=b'9' | b' ' | b'\t' | b'.' | b'-' | b'+' | b'(' | b')' | b'A' | b'B' | b'a' | b'b'
                    )
            })
        {
            (phone, nir) = (false, false);
        }
        if !(phone || nir || iban) {
            return;
        }
        let digits = bytes.iter().filter(|b| b.is_ascii_digit()).count();
        if phone && (10..=15).contains(&digits) && PHONE.is_match(v) {
            self.record(Kind::Phone, line, column, v);
        }
        if nir && digits >= 13 && is_nir(v) {
            self.record(Kind::Nir, line, column, v);
        }
        if iban && digits >= 8 && is_iban(v) {
            self.record(Kind::Iban, line, column, v);
        }
    }

    fn record(&mut self, kind: Kind, line: u64, column: usize, value: &str) {
        let list = &mut self.found[column];
        match list.iter_mut().find(|f| f.kind == kind) {
            Some(f) => f.count += 1,
            None => list.push(Finding {
                kind,
                column: self.header[column].clone(),
                column_index: column,
                count: 1,
                line,
                example: mask(kind, value),
            }),
        }
    }

    /// The findings: column-name ones first, then cell ones by column.
    pub fn finish(self) -> Vec<Finding> {
        let mut out = Vec::new();
        if let Some(f) = person_columns(&self.header, self.header_line) {
            out.push(f);
        }
        out.extend(self.found.into_iter().flatten());
        out
    }
}

/// The columns that, together, name people.
pub fn person_columns(header: &[String], line: u64) -> Option<Finding> {
    let folded: Vec<String> = header.iter().map(|h| fold(h)).collect();
    let idx = |pred: fn(&str) -> bool| folded.iter().position(|f| pred(f));
    let first = idx(is_first_name);
    let last = idx(is_last_name);
    let birth = idx(is_birth_date);
    let address = idx(is_personal_address);
    let named = first.is_some() || last.is_some();
    let identifying = (first.is_some() && last.is_some()) || (named && (birth.is_some() || address.is_some()));
    if !identifying {
        return None;
    }
    let mut cols: Vec<usize> = [first, last, birth, address].into_iter().flatten().collect();
    cols.sort_unstable();
    cols.dedup();
    Some(Finding {
        kind: Kind::PersonColumns,
        column: cols.iter().map(|&i| header[i].as_str()).collect::<Vec<_>>().join(", "),
        column_index: cols[0],
        count: 0,
        line,
        example: String::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(header: &[&str], rows: &[&[&str]]) -> Vec<Finding> {
        let header: Vec<String> = header.iter().map(|s| s.to_string()).collect();
        let mut by_row = Scanner::new(&header, 1);
        let mut by_cell = Scanner::new(&header, 1);
        for (i, row) in rows.iter().enumerate() {
            let record: String = row.iter().map(|c| format!("{c}\u{1f}")).collect();
            by_row.row(i as u64 + 2, row, &record);
            for (c, v) in row.iter().enumerate() {
                by_cell.cell(i as u64 + 2, c, v);
            }
        }
        let found = by_row.finish();
        assert_eq!(found, by_cell.finish(), "row and cell scans disagree");
        found
    }

    #[test]
    fn separators_spaces_and_neighbours() {
        let body = 2_690_599_123_456u64;
        let key = 97 - body % 97;
        let nir = format!("2 69 05 99 123 456 {key:02}");
        let found = scan(
            &["a", "b", "c", "d"],
            &[
                &["06\u{a0}12\u{a0}34\u{a0}56\u{a0}78", " 01.23.45.67.89 ", &nir, "x@y"],
                &["05/12/2018", "1 575 775,94", "toiture école façade", "mairie@valmorin.fr"],
            ],
        );
        let kinds: Vec<_> = found.iter().map(|f| (f.kind, f.column.as_str(), f.count)).collect();
        assert_eq!(kinds, [(Kind::Phone, "a", 1), (Kind::Phone, "b", 1), (Kind::Nir, "c", 1), (Kind::Email, "d", 1)]);
    }

    #[test]
    fn checksums() {
        // A valid NIR built for the test: key = 97 - (1850775123456 mod 97).
        let body = 1_850_775_123_456u64;
        let key = 97 - body % 97;
        assert!(is_nir(&format!("{body}{key:02}")));
        assert!(is_nir(&format!("1 85 07 75 123 456 {key:02}")));
        assert!(!is_nir(&format!("{body}{:02}", (key + 1) % 97)));
        assert!(!is_nir("123456789012345"));
        assert!(is_iban("FR76 3000 6000 0112 3456 7890 189"));
        assert!(is_iban("DE89370400440532013000"));
        assert!(!is_iban("FR76 3000 6000 0112 3456 7890 188"));
        assert!(!is_iban("FR7630006000"));
    }

    #[test]
    fn finds_and_masks() {
        let found = scan(
            &["id", "contact", "tel", "iban"],
            &[
                &["1", "jeanne.dupont@exemple.fr", "06 12 34 56 78", "FR7630006000011234567890189"],
                &["2", "", "+33 6 12 34 56 78", ""],
            ],
        );
        let kinds: Vec<_> = found.iter().map(|f| (f.kind, f.column.as_str(), f.count, f.line)).collect();
        assert_eq!(kinds, [(Kind::Email, "contact", 1, 2), (Kind::Phone, "tel", 2, 2), (Kind::Iban, "iban", 1, 2)]);
        assert_eq!(found[0].example, "j***@***.fr");
        assert_eq!(found[1].example, "06******78");
        assert!(!found[2].example.contains("3000600001"));
    }

    #[test]
    fn ordinary_public_data_is_not_personal() {
        // First names given at birth, facilities with a name, amounts, SIRET, dates.
        assert!(scan(&["annee", "prenom", "sexe", "nombre"], &[&["2025", "Louise", "F", "12"]]).is_empty());
        assert!(
            scan(
                &["nom", "adresse", "siret", "montant", "date"],
                &[&["Gymnase", "2 rue des Lilas", "21990123400017", "1234567.89", "2026-03-01"]],
            )
            .is_empty()
        );
        assert!(scan(&["code"], &[&["0612345678901"]]).is_empty());
    }

    #[test]
    fn person_columns_need_a_combination() {
        let f = scan(&["Prénom", "Nom", "Commune"], &[]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].kind, Kind::PersonColumns);
        assert_eq!(f[0].column, "Prénom, Nom");
        assert_eq!(scan(&["nom", "date_de_naissance"], &[]).len(), 1);
        assert!(scan(&["prenom", "effectif"], &[]).is_empty());
    }
}
