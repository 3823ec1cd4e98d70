//! How a file is written (encoding, delimiter, quote, header line, decimal
//! mark, line endings), guessed from its first bytes.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, REPLACEMENT, UTF_8, UTF_16BE, UTF_16LE};
use serde::{Deserialize, Deserializer, Serialize};

use super::infer::parse_number;
use super::parse::{Parser, RawRecord};

/// How many bytes [`sniff`] should be given (more is fine, less works).
pub const SAMPLE_LEN: usize = 64 * 1024;

/// Records looked at to choose the delimiter.
const DELIMITER_RECORDS: usize = 100;
/// Records looked at for the header line and the decimal mark.
const SNIFF_RECORDS: usize = 500;
/// At most this many title lines are skipped above a header.
const MAX_TITLE_LINES: usize = 10;
const DELIMITERS: [u8; 4] = [b';', b',', b'\t', b'|'];

/// What the user says about a file (from its sidecar); each `Some` wins over
/// detection.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DialectOptions {
    /// An encoding label (`"latin1"`, `"windows-1252"`, `"utf-8"`…), as
    /// understood by [`resolve_encoding`]. Unknown labels are ignored (the
    /// profile reports [`super::Issue::UnknownEncoding`]).
    pub encoding: Option<String>,
    pub delimiter: Option<u8>,
    /// `b'.'` or `b','`.
    pub decimal: Option<u8>,
}

/// How lines end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineEnding {
    /// `\n`, also the answer when no line ends at all.
    Lf,
    CrLf,
    /// Lone `\r` (old Mac exports).
    Cr,
    Mixed,
}

/// A WHATWG encoding name (`&'static str`; an alias so that serde does not
/// try to borrow it from the input).
pub type EncodingName = &'static str;

/// How a file is written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dialect {
    /// WHATWG encoding name: `"UTF-8"`, `"windows-1252"`, `"UTF-16LE"`…
    /// (ISO-8859-1 is read as windows-1252, as WHATWG says).
    #[serde(deserialize_with = "deserialize_encoding")]
    pub encoding: EncodingName,
    /// The file starts with a byte order mark (skipped when reading).
    pub bom: bool,
    pub delimiter: u8,
    pub quote: u8,
    /// 0-based line index of the header: lines above it (titles) are skipped.
    pub header_row: usize,
    /// Decimal mark of numbers: `b'.'` or `b','`.
    pub decimal: u8,
    pub line_ending: LineEnding,
}

impl Default for Dialect {
    /// RFC 4180: UTF-8, comma, double quote, header on the first line.
    fn default() -> Self {
        Dialect {
            encoding: UTF_8.name(),
            bom: false,
            delimiter: b',',
            quote: b'"',
            header_row: 0,
            decimal: b'.',
            line_ending: LineEnding::Lf,
        }
    }
}

impl Dialect {
    /// The `encoding_rs` encoding (UTF-8 when the name is unknown).
    pub(super) fn encoding_rs(&self) -> &'static Encoding {
        Encoding::for_label(self.encoding.as_bytes()).unwrap_or(UTF_8)
    }
}

fn deserialize_encoding<'de, D: Deserializer<'de>>(deserializer: D) -> Result<&'static str, D::Error> {
    let label = String::deserialize(deserializer)?;
    resolve_encoding(&label).ok_or_else(|| serde::de::Error::custom(format!("unknown encoding {label:?}")))
}

/// The WHATWG name of an encoding label (`"latin1"` → `"windows-1252"`),
/// or `None` if the label is unknown.
pub fn resolve_encoding(label: &str) -> Option<&'static str> {
    find_encoding(label).map(|encoding| encoding.name())
}

fn find_encoding(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes()).filter(|&encoding| encoding != REPLACEMENT)
}

/// Guesses how `sample` (the first bytes of a file, ideally [`SAMPLE_LEN`])
/// is written; `opts` win over the guesses.
pub fn sniff(sample: &[u8], opts: &DialectOptions) -> Dialect {
    let (encoding, bom) = detect_encoding(sample, opts.encoding.as_deref());
    let text = decode_sample(sample, encoding);
    let text = text.as_bytes();
    let delimiter = opts.delimiter.unwrap_or_else(|| detect_delimiter(text, b'"'));
    let quote = detect_quote(text, delimiter);
    let complete = sample.len() < SAMPLE_LEN;
    let (records, parser) = parse_sample(text, delimiter, quote, SNIFF_RECORDS, complete);
    let header = header_index(&records);
    let header_row = records.get(header).map_or(0, |rec| (rec.line - 1) as usize);
    let decimal = opts.decimal.unwrap_or_else(|| detect_decimal(records.get(header + 1..).unwrap_or(&[]), delimiter));
    Dialect {
        encoding: encoding.name(),
        bom,
        delimiter,
        quote,
        header_row,
        decimal,
        line_ending: parser.lines.ending(),
    }
}

/// The encoding and whether the sample starts with its BOM.
fn detect_encoding(sample: &[u8], label: Option<&str>) -> (&'static Encoding, bool) {
    let bom = Encoding::for_bom(sample);
    if let Some(encoding) = label.and_then(find_encoding) {
        return (encoding, bom.is_some_and(|(found, _)| found == encoding));
    }
    if let Some((encoding, _)) = bom {
        return (encoding, true);
    }
    if let Some(encoding) = utf16_without_bom(sample) {
        return (encoding, false);
    }
    if is_utf8(sample) || mostly_utf8(sample) {
        return (UTF_8, false);
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(&non_ascii_words(sample, DETECTOR_BYTES), false);
    (detector.guess(Some(b"fr"), Utf8Detection::Allow), false)
}

/// What the encoding detector is fed at most. It tells encodings apart by
/// their non-ASCII bytes and the letters beside them, and reads about
/// 30 MB/s, so feeding it whole samples made it the most costly step of
/// reading a catalogue of small files; whole lines holding a non-ASCII
/// byte (8 KB of them) still made it a fifth of the profile stage.
const DETECTOR_BYTES: usize = 2 * 1024;

/// The words of `sample` that hold a non-ASCII byte, separated by spaces,
/// up to about `max` bytes: what the detector weighs (pairs of letters
/// within a word), without the numbers, codes and ASCII words around them,
/// so that a small feed holds as much evidence as a large one of lines. A
/// word is a run of ASCII letters and digits and non-ASCII bytes; the byte
/// after a non-ASCII byte belongs to its word when it may be the second
/// byte of a double-byte character (Shift_JIS, Big5, GBK: `0x40..=0x7E`,
/// which holds ASCII punctuation), so that such a character is never cut.
/// Delimiters, spaces and line ends are all below `0x40`.
fn non_ascii_words(sample: &[u8], max: usize) -> Vec<u8> {
    let in_word = |i: usize| {
        let b = sample[i];
        let trail = i > 0 && sample[i - 1] >= 0x80 && (0x40..=0x7E).contains(&b);
        b >= 0x80 || b.is_ascii_alphanumeric() || trail
    };
    let mut fed = Vec::with_capacity(max + 64);
    let mut i = 0;
    while i < sample.len() && fed.len() < max {
        let start = i;
        while i < sample.len() && in_word(i) {
            i += 1;
        }
        let word = &sample[start..i];
        if !word.is_ascii() {
            push_word(&mut fed, word, max);
        }
        // Past the byte that ended the word.
        i += 1;
    }
    fed
}

/// Appends `word` and a space to `fed`, or only what `max` leaves of
/// `word`, and then no space: the feed ends there, and the detector, told
/// that more may come, does not count a character cut at its end against
/// an encoding.
fn push_word(fed: &mut Vec<u8>, word: &[u8], max: usize) {
    let room = max.saturating_sub(fed.len());
    if word.len() < room {
        fed.extend_from_slice(word);
        fed.push(b' ');
    } else {
        fed.extend_from_slice(&word[..room]);
    }
}

/// Valid UTF-8, except maybe for a character cut at the end of the sample.
fn is_utf8(sample: &[u8]) -> bool {
    match std::str::from_utf8(sample) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none(),
    }
}

/// UTF-8 with a few stray bytes (a cell pasted from another file): at least
/// as many valid multi-byte characters as invalid bytes. A Windows-1252
/// French text is full of lone accented bytes, so it never passes. The
/// stray bytes are then reported where they are, and the rest of the text
/// is read right.
fn mostly_utf8(sample: &[u8]) -> bool {
    let (mut multibyte, mut invalid) = (0usize, 0usize);
    let mut rest = sample;
    loop {
        match std::str::from_utf8(rest) {
            Ok(text) => {
                multibyte += text.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(e) => {
                let valid = std::str::from_utf8(&rest[..e.valid_up_to()]).unwrap_or_default();
                multibyte += valid.chars().filter(|c| !c.is_ascii()).count();
                match e.error_len() {
                    None => break,
                    Some(n) => {
                        invalid += 1;
                        rest = &rest[e.valid_up_to() + n..];
                    }
                }
            }
        }
    }
    multibyte > 0 && invalid <= multibyte
}

/// UTF-16 text without BOM has a NUL byte in most ASCII characters.
fn utf16_without_bom(sample: &[u8]) -> Option<&'static Encoding> {
    let sample = &sample[..sample.len().min(4096) & !1];
    let pairs = sample.len() / 2;
    if pairs < 2 {
        return None;
    }
    let even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd * 10 >= pairs * 4 && even * 20 < pairs {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 4 && odd * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// True when `sample` is not text: NUL bytes (outside UTF-16) or more than
/// 10% of control bytes other than tab, line breaks, form feed and DOS EOF.
pub(super) fn is_binary(sample: &[u8], encoding: &str) -> bool {
    if encoding.starts_with("UTF-16") {
        return false;
    }
    let mut controls = 0;
    for &b in sample {
        match b {
            0 => return true,
            b'\t' | b'\n' | b'\r' | 0x0C | 0x1A => {}
            0x01..=0x1F => controls += 1,
            _ => {}
        }
    }
    controls * 10 > sample.len()
}

fn decode_sample<'a>(sample: &'a [u8], encoding: &'static Encoding) -> std::borrow::Cow<'a, str> {
    encoding.decode_with_bom_removal(sample).0
}

/// Parses up to `max` records of the sample. Unless the sample is the
/// `complete` file, a last record without line break may be cut: it is
/// dropped when others exist.
fn parse_sample(text: &[u8], delimiter: u8, quote: u8, max: usize, complete: bool) -> (Vec<RawRecord>, Parser) {
    let mut records = Vec::new();
    let parser = each_sample_record(text, delimiter, quote, max, complete, |rec| records.push(rec.clone()));
    (records, parser)
}

/// Shows `found` each record [`parse_sample`] would return, in turn,
/// without keeping them.
fn each_sample_record(
    text: &[u8],
    delimiter: u8,
    quote: u8,
    max: usize,
    complete: bool,
    mut found: impl FnMut(&RawRecord),
) -> Parser {
    let mut parser = Parser::new(delimiter, quote);
    let mut rec = RawRecord::default();
    let mut pos = 0;
    let mut count = 0;
    while count < max {
        if parser.parse(text, &mut pos, text.len(), &mut rec) {
            found(&rec);
            count += 1;
        } else {
            if parser.finish(&mut rec) && (complete || count == 0) {
                found(&rec);
            }
            break;
        }
    }
    parser
}

/// The most frequent value (the larger one on ties) and its frequency.
fn mode(counts: &[usize]) -> (usize, usize) {
    let mut sorted = counts.to_vec();
    sorted.sort_unstable();
    let mut best = (0, 0);
    for run in sorted.chunk_by(|a, b| a == b) {
        if run.len() >= best.1 {
            best = (run[0], run.len());
        }
    }
    best
}

/// The candidate giving the most consistent number of fields (more than
/// one), more fields on ties, `;` first; `,` when none splits lines.
fn detect_delimiter(text: &[u8], quote: u8) -> u8 {
    let mut best: Option<(f64, usize, u8)> = None;
    for delimiter in DELIMITERS {
        let mut counts = Vec::with_capacity(DELIMITER_RECORDS);
        each_sample_record(text, delimiter, quote, DELIMITER_RECORDS, false, |rec| counts.push(rec.len()));
        let (fields, frequency) = mode(&counts);
        if fields < 2 {
            continue;
        }
        let consistency = frequency as f64 / counts.len() as f64;
        let better = match best {
            None => true,
            Some((c, f, _)) => consistency > c + 1e-9 || (consistency > c - 1e-9 && fields > f),
        };
        if better {
            best = Some((consistency, fields, delimiter));
        }
    }
    best.map_or(b',', |(_, _, delimiter)| delimiter)
}

/// `"`, unless the sample has none and at least 30% of its non-empty
/// fields are enclosed in `'`.
fn detect_quote(text: &[u8], delimiter: u8) -> u8 {
    if text.contains(&b'"') || !text.contains(&b'\'') {
        return b'"';
    }
    let (mut quoted, mut non_empty) = (0usize, 0usize);
    each_sample_record(text, delimiter, b'\'', DELIMITER_RECORDS, false, |rec| {
        quoted += rec.quoted as usize;
        non_empty += rec.non_empty();
    });
    if quoted > 0 && quoted * 10 >= non_empty * 3 { b'\'' } else { b'"' }
}

/// Index of the header among the sample records: leading title records
/// (no more than one non-empty field, the first one) are skipped when the
/// table has at least two columns and a record with more fields follows.
fn header_index(records: &[RawRecord]) -> usize {
    let counts: Vec<usize> = records.iter().map(RawRecord::len).collect();
    if mode(&counts).0 < 2 {
        return 0;
    }
    let is_title = |rec: &RawRecord| {
        let non_empty = rec.non_empty();
        non_empty == 0 || (non_empty == 1 && !rec.field(0).trim_ascii().is_empty())
    };
    let titles = records.iter().take(MAX_TITLE_LINES).take_while(|rec| is_title(rec)).count();
    if titles < records.len() { titles } else { 0 }
}

/// `,` when cells look like French numbers (`1 234,5`, `12,5`) more often
/// than like `12.5`; always `.` when the delimiter is `,`.
fn detect_decimal(records: &[RawRecord], delimiter: u8) -> u8 {
    if delimiter == b',' {
        return b'.';
    }
    let (mut comma, mut dot) = (0usize, 0usize);
    for cell in records.iter().flat_map(RawRecord::fields).map(<[u8]>::trim_ascii) {
        let french = cell.contains(&b',') || cell.contains(&b' ') || cell.contains(&0xA0) || cell.contains(&0xAF);
        if french {
            comma += usize::from(parse_number(cell, b',').is_some());
        } else if cell.contains(&b'.') {
            dot += usize::from(parse_number(cell, b'.').is_some());
        }
    }
    if comma > dot { b',' } else { b'.' }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sniff_str(text: &str) -> Dialect {
        sniff(text.as_bytes(), &DialectOptions::default())
    }

    #[test]
    fn windows_1252() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode("commune;hauteur\r\nCôte-d'Or;élevée\r\n");
        let dialect = sniff(&bytes, &DialectOptions::default());
        assert_eq!(dialect.encoding, "windows-1252");
        assert!(!dialect.bom);
        assert_eq!(dialect.delimiter, b';');
        assert_eq!(dialect.line_ending, LineEnding::CrLf);
    }

    #[test]
    fn the_detector_sees_accented_lines_past_a_long_ascii_start() {
        let mut text = String::from("code;libellé;montant\n");
        for i in 0..3000 {
            text.push_str(&format!("{i};ligne {i};{i},5\n"));
        }
        text.push_str("9999;Côte-d'Or, élevée;1\n");
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&text);
        let sample = &bytes[..bytes.len().min(SAMPLE_LEN)];
        assert!(sample.len() > 32 * 1024);
        assert_eq!(sniff(sample, &DialectOptions::default()).encoding, "windows-1252");
        let cyrillic = "город;население\nМосква;13000000\n".repeat(400);
        let (cyrillic, _, _) = encoding_rs::WINDOWS_1251.encode(&cyrillic);
        assert_eq!(sniff(&cyrillic, &DialectOptions::default()).encoding, "windows-1251");
    }

    #[test]
    fn the_detector_is_fed_the_non_ascii_words_up_to_a_bound() {
        let fed = non_ascii_words(b"a;b\r\n\xe9t\xe9;1\r\nx;2\nC\xf4te-d'Or;r\xe0 3\n\xe0", 100);
        assert_eq!(fed, b"\xe9t\xe9 C\xf4te r\xe0 \xe0 ");
        // A double-byte character is kept whole, whatever its second byte.
        assert_eq!(non_ascii_words(b"1;\x95\\;\x83\x5b\x83\x58;2", 100), b"\x95\\ \x83[\x83X ");
        let long = vec![0xE9u8; 50_000];
        assert_eq!(non_ascii_words(&long, 2048).len(), 2048);
        let many = b"\xe9\xe9\xe9\xe9\n".repeat(10_000);
        assert!(non_ascii_words(&many, 2048).len() <= 2048 + 5);
        assert!(non_ascii_words(b"only;ascii\n1;2\n", 100).is_empty());
    }

    /// The detector gives the same answer from the non-ASCII words of a
    /// CSV sample as from the whole sample, for each family of legacy
    /// encodings (a town's budget lines in each language, with codes,
    /// amounts and dates around them), and the right one where the whole
    /// sample gives it. (With the `fr` hint, chardetng takes Central
    /// European and Turkish texts for windows-1252 whatever it is fed.)
    #[test]
    fn the_detector_answers_from_the_words_as_from_the_whole_sample() {
        let cases: [(&Encoding, &str, bool); 12] = [
            (encoding_rs::WINDOWS_1252, "réfection de la façade de l'école élémentaire, crèche, théâtre", true),
            (encoding_rs::WINDOWS_1250, "oprava střechy základní školy, údržba veřejného osvětlení, náměstí", false),
            (encoding_rs::ISO_8859_2, "remont dachu szkoły podstawowej, oświetlenie ulic, żłobek miejski", false),
            (encoding_rs::WINDOWS_1251, "ремонт крыши начальной школы, уличное освещение, детский сад", true),
            (encoding_rs::KOI8_U, "ремонт даху початкової школи, вуличне освітлення, дитячий садок, їжа", true),
            (encoding_rs::WINDOWS_1253, "επισκευή στέγης δημοτικού σχολείου, δημοτικός φωτισμός", true),
            (encoding_rs::WINDOWS_1254, "ilkokul çatısının onarımı, sokak aydınlatması, belediye kreşi", false),
            (encoding_rs::WINDOWS_1255, "תיקון גג בית הספר היסודי, תאורת רחובות, גן ילדים עירוני", true),
            (encoding_rs::SHIFT_JIS, "小学校の屋根の修理、街路灯の設置、市立保育園の運営費、図書館", true),
            (encoding_rs::EUC_KR, "초등학교 지붕 수리, 가로등 설치, 시립 어린이집 운영비, 도서관", true),
            (encoding_rs::GBK, "小学屋顶维修，路灯安装，市立幼儿园运营费用，图书馆建设", true),
            (encoding_rs::BIG5, "小學屋頂維修，路燈安裝，市立幼兒園營運費用，圖書館建設", true),
        ];
        let whole = |sample: &[u8]| {
            let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
            detector.feed(sample, true);
            detector.guess(Some(b"fr"), Utf8Detection::Allow)
        };
        for (encoding, words, told) in cases {
            let mut text = String::from("code;libelle;montant;date\n");
            for i in 0..200 {
                text.push_str(&format!("{i:05};{words} {i};{},{:02};2024-{:02}-01\n", i * 37, i % 100, i % 12 + 1));
            }
            let (bytes, _, unmappable) = encoding.encode(&text);
            assert!(!unmappable, "{}", encoding.name());
            for sample in [&bytes[..], &bytes[..400]] {
                let (found, _) = detect_encoding(sample, None);
                let name = encoding.name();
                assert_eq!(found, whole(sample), "{name}, sample of {} bytes", sample.len());
                assert!(!told || found == encoding, "{name}, sample of {} bytes: {}", sample.len(), found.name());
            }
        }
    }

    #[test]
    fn latin1_label_is_windows_1252() {
        let opts = DialectOptions { encoding: Some("ISO-8859-1".into()), ..Default::default() };
        assert_eq!(sniff(b"a,b\n1,2\n", &opts).encoding, "windows-1252");
        assert_eq!(resolve_encoding("latin1"), Some("windows-1252"));
        assert_eq!(resolve_encoding("klingon"), None);
    }

    #[test]
    fn utf8_bom() {
        let dialect = sniff(b"\xEF\xBB\xBFnom,valeur\n\xC3\xA9t\xC3\xA9,1\n", &DialectOptions::default());
        assert_eq!((dialect.encoding, dialect.bom, dialect.delimiter), ("UTF-8", true, b','));
    }

    #[test]
    fn utf8_cut_at_the_end_of_the_sample() {
        let text = "nom;ville\nA;Besançon\n".repeat(10);
        let cut = &text.as_bytes()[..text.find('ç').unwrap() + 1];
        assert_eq!(sniff(cut, &DialectOptions::default()).encoding, "UTF-8");
    }

    #[test]
    fn utf16le_bom_and_without() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "nom\tvaleur\r\nété\t1\r\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let dialect = sniff(&bytes, &DialectOptions::default());
        assert_eq!((dialect.encoding, dialect.bom, dialect.delimiter), ("UTF-16LE", true, b'\t'));
        let dialect = sniff(&bytes[2..], &DialectOptions::default());
        assert_eq!((dialect.encoding, dialect.bom, dialect.delimiter), ("UTF-16LE", false, b'\t'));
    }

    #[test]
    fn semicolon_and_decimal_comma() {
        let dialect = sniff_str("libellé;montant;taux\nécole, cantine;1 234,56;0,5\nvoirie;12,5;1,25\nparc;3;2,0\n");
        assert_eq!((dialect.delimiter, dialect.decimal), (b';', b','));
        let dialect = sniff_str("libellé;montant\nécole;1234.5\nvoirie;12.5\n");
        assert_eq!((dialect.delimiter, dialect.decimal), (b';', b'.'));
        let dialect = sniff_str("a,b\n\"1,5\",2\n");
        assert_eq!((dialect.delimiter, dialect.decimal), (b',', b'.'));
    }

    #[test]
    fn tab_and_pipe() {
        assert_eq!(sniff_str("a\tb\tc\n1\t2\t3\n").delimiter, b'\t');
        assert_eq!(sniff_str("a|b|c\n1|2|3\n").delimiter, b'|');
    }

    #[test]
    fn quotes_are_respected() {
        let dialect = sniff_str("nom,adresse\n\"Mairie\",\"1; place; de la Mairie\"\n\"Poste\",\"2; rue\"\n");
        assert_eq!(dialect.delimiter, b',');
        let dialect = sniff_str("nom,adresse\n'Mairie','1 place, centre'\n'Poste','2 rue, nord'\n");
        assert_eq!((dialect.delimiter, dialect.quote), (b',', b'\''));
        assert_eq!(sniff_str("nom;avis\nA;l'école\nB;c'est\n").quote, b'"');
    }

    #[test]
    fn title_lines_above_header() {
        let dialect =
            sniff_str("Budget 2025;;;\n;;;\nchapitre;libellé;prévu;réalisé\n011;Charges;1,5;2\n012;Personnel;3;4\n");
        assert_eq!(dialect.header_row, 2);
        assert_eq!(dialect.decimal, b',');
        let dialect = sniff_str("Commune de Trifouilly\n\nnom;valeur\na;1\nb;2\n");
        assert_eq!(dialect.header_row, 2);
        // A first unnamed column is not a title.
        assert_eq!(sniff_str(";x\n1;2\n3;4\n").header_row, 0);
        // A single-column file has no title.
        assert_eq!(sniff_str("nom\nA\nB\n").header_row, 0);
    }

    #[test]
    fn user_options_win() {
        let opts = DialectOptions { encoding: Some("utf-8".into()), delimiter: Some(b','), decimal: Some(b',') };
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode("a;b\né;1,5\n");
        let dialect = sniff(&bytes, &opts);
        assert_eq!((dialect.encoding, dialect.delimiter, dialect.decimal), ("UTF-8", b',', b','));
    }

    #[test]
    fn binary_junk() {
        let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00";
        let dialect = sniff(png, &DialectOptions::default());
        assert!(is_binary(png, dialect.encoding));
        assert!(!is_binary(b"a;b\r\n1;2\r\n", "UTF-8"));
    }

    #[test]
    fn empty_sample() {
        assert_eq!(sniff(b"", &DialectOptions::default()), Dialect::default());
    }

    #[test]
    fn line_endings() {
        assert_eq!(sniff_str("a;b\r1;2\r").line_ending, LineEnding::Cr);
        assert_eq!(sniff_str("a;b\n1;2\r\n").line_ending, LineEnding::Mixed);
        assert_eq!(sniff_str("a;b\n\"1\r\n2\";2\n").line_ending, LineEnding::Lf);
    }
}

#[cfg(test)]
mod stray_byte_tests {
    use super::*;

    #[test]
    fn utf8_with_a_stray_byte_stays_utf8_but_windows_1252_does_not() {
        assert!(mostly_utf8(b"nom;ville\nA;Besan\xc3\xa7on\nB;Cr\xe9teil\n"));
        assert!(!mostly_utf8(b"nom;ville\nA;Besan\xe7on\nB;Cr\xe9teil\nC;\xc9vry\n"));
        assert!(!mostly_utf8(b"plain ascii"));
    }
}
