//! Turns a byte stream in some encoding into UTF-8 chunks for the parser,
//! noting where bytes were invalid.
//!
//! UTF-8 input is validated in place and never copied through a decoder;
//! other encodings go through an `encoding_rs` decoder. We drive
//! `encoding_rs::Decoder` directly rather than `encoding_rs_io` because we
//! need to know where each malformed sequence was (to report its line and
//! column) and to switch decoders mid-stream (see [`Marker::Switched`]).

use std::io::{self, Read};
use std::sync::OnceLock;

use encoding_rs::{Decoder, DecoderResult, Encoding, UTF_8, WINDOWS_1252};

const RAW_CAPACITY: usize = 256 * 1024;
const OUT_CAPACITY: usize = 512 * 1024;
const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const REPLACEMENT: &[u8] = "\u{FFFD}".as_bytes();

/// A position of interest in the current chunk.
#[derive(Clone, Copy, Debug)]
pub(super) enum Marker {
    /// An invalid sequence starting with `byte`. In UTF-8 input the bytes
    /// are left in place; decoded input has U+FFFD there instead.
    Invalid { at: usize, byte: u8 },
    /// From here on the input is read as windows-1252, not UTF-8.
    Switched { at: usize },
}

impl Marker {
    pub fn at(&self) -> usize {
        match self {
            Marker::Invalid { at, .. } | Marker::Switched { at } => *at,
        }
    }
}

enum Mode {
    /// UTF-8, validated in place. When `adaptive`, the first invalid byte
    /// switches to windows-1252 if no non-ASCII byte came before it.
    Utf8 {
        adaptive: bool,
        seen_non_ascii: bool,
    },
    Decode {
        decoder: Transcoder,
        done: bool,
    },
}

/// What turns other encodings into UTF-8.
enum Transcoder {
    /// Our own windows-1252 table: faster than `encoding_rs` on French
    /// text, where accented letters keep breaking its ASCII fast path.
    Windows1252,
    EncodingRs(Box<Decoder>),
}

impl Transcoder {
    fn new(encoding: &'static Encoding) -> Self {
        if encoding == WINDOWS_1252 {
            Transcoder::Windows1252
        } else {
            Transcoder::EncodingRs(Box::new(encoding.new_decoder_with_bom_removal()))
        }
    }
}

/// Where the current chunk lives.
#[derive(Clone, Copy)]
enum Chunk {
    Raw(usize, usize),
    Out(usize),
}

/// Produces the input as UTF-8 chunks that never end with `\r` (except the
/// last), so that the parser never sees a `\r\n` split in two.
pub(super) struct TextSource<R> {
    inner: R,
    mode: Mode,
    raw: Vec<u8>,
    raw_pos: usize,
    raw_len: usize,
    out: Vec<u8>,
    out_len: usize,
    chunk: Chunk,
    markers: Vec<Marker>,
    pending_switch: bool,
    switched: bool,
    eof: bool,
    started: bool,
}

impl<R: Read> TextSource<R> {
    /// Reads `inner` as `encoding`; a leading BOM of that encoding is skipped.
    pub fn new(inner: R, encoding: &'static Encoding, adaptive: bool) -> Self {
        let mode = if encoding == UTF_8 {
            Mode::Utf8 { adaptive, seen_non_ascii: false }
        } else {
            Mode::Decode { decoder: Transcoder::new(encoding), done: false }
        };
        TextSource {
            inner,
            mode,
            raw: vec![0; RAW_CAPACITY],
            raw_pos: 0,
            raw_len: 0,
            out: Vec::new(),
            out_len: 0,
            chunk: Chunk::Raw(0, 0),
            markers: Vec::new(),
            pending_switch: false,
            switched: false,
            eof: false,
            started: false,
        }
    }

    /// The current chunk.
    pub fn chunk(&self) -> &[u8] {
        match self.chunk {
            Chunk::Raw(start, end) => &self.raw[start..end],
            Chunk::Out(end) => &self.out[..end],
        }
    }

    /// Markers of the current chunk, by increasing offset.
    pub fn markers(&self) -> &[Marker] {
        &self.markers
    }

    /// True once the input switched from UTF-8 to windows-1252.
    pub fn switched(&self) -> bool {
        self.switched
    }

    /// Moves to the next chunk; false at the end of the input. A chunk may
    /// be empty (it may still carry markers).
    pub fn next_chunk(&mut self) -> io::Result<bool> {
        self.markers.clear();
        if std::mem::take(&mut self.pending_switch) {
            self.markers.push(Marker::Switched { at: 0 });
        }
        match self.mode {
            Mode::Utf8 { .. } => self.next_utf8_chunk(),
            Mode::Decode { .. } => self.next_decoded_chunk(),
        }
    }

    /// Compacts the raw buffer and reads until it is full or the input ends.
    fn fill_raw(&mut self) -> io::Result<()> {
        if self.raw_pos > 0 {
            self.raw.copy_within(self.raw_pos..self.raw_len, 0);
            self.raw_len -= self.raw_pos;
            self.raw_pos = 0;
        }
        while !self.eof && self.raw_len < self.raw.len() {
            match self.inner.read(&mut self.raw[self.raw_len..]) {
                Ok(0) => self.eof = true,
                Ok(n) => self.raw_len += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn next_utf8_chunk(&mut self) -> io::Result<bool> {
        self.fill_raw()?;
        let mut start = 0;
        if !self.started {
            self.started = true;
            if self.raw[..self.raw_len].starts_with(UTF8_BOM) {
                start = UTF8_BOM.len();
            }
        }
        if start == self.raw_len {
            self.chunk = Chunk::Raw(start, start);
            return Ok(false);
        }
        let mut end = self.raw_len;
        if !self.eof && self.raw[end - 1] == b'\r' {
            end -= 1;
        }
        let end = self.validate_utf8(start, end);
        self.chunk = Chunk::Raw(start, end);
        self.raw_pos = end;
        Ok(true)
    }

    /// Validates `raw[start..end]` as UTF-8, recording invalid sequences.
    /// Returns where the chunk must end: before an incomplete character at
    /// the end of the buffer, or where the input switched encoding.
    fn validate_utf8(&mut self, start: usize, end: usize) -> usize {
        let Mode::Utf8 { adaptive, mut seen_non_ascii } = self.mode else { unreachable!("not in UTF-8 mode") };
        let mut p = start;
        let chunk_end = loop {
            match std::str::from_utf8(&self.raw[p..end]) {
                Ok(_) => {
                    seen_non_ascii = seen_non_ascii || !self.raw[p..end].is_ascii();
                    break end;
                }
                Err(e) => {
                    let bad = p + e.valid_up_to();
                    seen_non_ascii = seen_non_ascii || !self.raw[p..bad].is_ascii();
                    match e.error_len() {
                        None if !self.eof => break bad,
                        None => {
                            self.markers.push(Marker::Invalid { at: bad - start, byte: self.raw[bad] });
                            break end;
                        }
                        Some(_) if adaptive && !seen_non_ascii => {
                            self.mode = Mode::Decode { decoder: Transcoder::Windows1252, done: false };
                            self.switched = true;
                            self.pending_switch = true;
                            return bad;
                        }
                        Some(len) => {
                            self.markers.push(Marker::Invalid { at: bad - start, byte: self.raw[bad] });
                            p = bad + len;
                        }
                    }
                }
            }
        };
        self.mode = Mode::Utf8 { adaptive, seen_non_ascii };
        chunk_end
    }

    fn next_decoded_chunk(&mut self) -> io::Result<bool> {
        if self.out.is_empty() {
            self.out = vec![0; OUT_CAPACITY];
        }
        // Bring back a `\r` held at the end of the previous chunk.
        let held = match self.chunk {
            Chunk::Out(end) => {
                self.out.copy_within(end..self.out_len, 0);
                self.out_len - end
            }
            Chunk::Raw(..) => 0,
        };
        self.out_len = held;
        loop {
            let done = self.decode_some()?;
            let mut end = self.out_len;
            if !done && end > 0 && self.out[end - 1] == b'\r' {
                end -= 1;
            }
            self.chunk = Chunk::Out(end);
            if end > 0 || !self.markers.is_empty() {
                return Ok(true);
            }
            if done {
                return Ok(false);
            }
        }
    }

    /// Decodes into `out` until it is nearly full or the raw buffer is
    /// consumed; returns true once the decoder has seen the end of input.
    fn decode_some(&mut self) -> io::Result<bool> {
        loop {
            if let Mode::Decode { done: true, .. } = self.mode {
                return Ok(true);
            }
            if self.raw_pos == self.raw_len && !self.eof {
                self.fill_raw()?;
            }
            let dst_end = self.out.len() - REPLACEMENT.len();
            if self.out_len >= dst_end {
                return Ok(false);
            }
            let Mode::Decode { decoder, done } = &mut self.mode else { unreachable!("not decoding") };
            let last = self.eof;
            let src = &self.raw[self.raw_pos..self.raw_len];
            let dst = &mut self.out[self.out_len..dst_end];
            let (result, read, written) = match decoder {
                Transcoder::EncodingRs(decoder) => decoder.decode_to_utf8_without_replacement(src, dst, last),
                Transcoder::Windows1252 => {
                    let read = src.len().min(dst.len().saturating_sub(1) / 3);
                    let written = windows_1252_to_utf8(&src[..read], dst);
                    let result = if read < src.len() { DecoderResult::OutputFull } else { DecoderResult::InputEmpty };
                    (result, read, written)
                }
            };
            self.raw_pos += read;
            self.out_len += written;
            match result {
                DecoderResult::Malformed(bad, extra) => {
                    let first = self.raw_pos.saturating_sub(bad as usize + extra as usize);
                    let byte = self.raw.get(first).copied().unwrap_or(0);
                    self.markers.push(Marker::Invalid { at: self.out_len, byte });
                    self.out[self.out_len..self.out_len + REPLACEMENT.len()].copy_from_slice(REPLACEMENT);
                    self.out_len += REPLACEMENT.len();
                }
                DecoderResult::OutputFull => return Ok(false),
                DecoderResult::InputEmpty if last => {
                    *done = true;
                    return Ok(true);
                }
                DecoderResult::InputEmpty if self.out_len > 0 => return Ok(false),
                DecoderResult::InputEmpty => {}
            }
        }
    }
}

/// UTF-8 of each windows-1252 byte (up to 3 bytes, little-endian in a
/// `u32`) and its length, taken from `encoding_rs` so that it is the WHATWG
/// mapping.
fn windows_1252_table() -> &'static [(u32, u8); 256] {
    static TABLE: OnceLock<[(u32, u8); 256]> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [(0, 0); 256];
        for (byte, entry) in (0..=255u8).zip(table.iter_mut()) {
            let input = [byte];
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(&input);
            let mut bytes = [0; 4];
            bytes[..text.len()].copy_from_slice(text.as_bytes());
            *entry = (u32::from_le_bytes(bytes), text.len() as u8);
        }
        table
    })
}

/// Transcodes windows-1252 `src` into `dst`, which must hold 3 bytes per
/// input byte plus one; returns the number of bytes written. ASCII goes 8
/// bytes at a time, other bytes through the table without branching.
fn windows_1252_to_utf8(src: &[u8], dst: &mut [u8]) -> usize {
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let table = windows_1252_table();
    let mut o = 0;
    let mut words = src.chunks_exact(8);
    for word in &mut words {
        if u64::from_le_bytes(word.try_into().expect("8 bytes")) & HIGH_BITS == 0 {
            dst[o..o + 8].copy_from_slice(word);
            o += 8;
        } else {
            o = transcode_bytes(word, dst, o, table);
        }
    }
    transcode_bytes(words.remainder(), dst, o, table)
}

fn transcode_bytes(src: &[u8], dst: &mut [u8], mut o: usize, table: &[(u32, u8); 256]) -> usize {
    for &byte in src {
        let (bytes, len) = table[usize::from(byte)];
        dst[o..o + 4].copy_from_slice(&bytes.to_le_bytes());
        o += usize::from(len);
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_like_encoding_rs() {
        let src: Vec<u8> = (0..=255u8).chain(b"ASCII only run, then \xE9t\xE9 \x80 \x9C".iter().copied()).collect();
        let mut dst = vec![0; src.len() * 3 + 1];
        let written = windows_1252_to_utf8(&src, &mut dst);
        let (expected, _) = WINDOWS_1252.decode_without_bom_handling(&src);
        assert_eq!(std::str::from_utf8(&dst[..written]).unwrap(), expected);
    }
}
