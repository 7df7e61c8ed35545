//! Reading one document from disk: the size limit, the encoding, UTF-8 text.
//!
//! A document may arrive as UTF-8 (with or without a byte-order mark),
//! UTF-16 with a byte-order mark, GBK (simplified Chinese) or Big5
//! (traditional Chinese). [`read_document`] finds which, decodes it, and says
//! so in [`Decoded::note`]; everything leimu writes is UTF-8. It fails, naming
//! the file and line, when:
//!
//! - the document is larger than [`MAX_DOCUMENT_BYTES`] (checked before it is
//!   read into memory);
//! - bytes are malformed in the encoding the byte-order mark names;
//! - the document is mostly UTF-8 with a few invalid bytes (a damaged file,
//!   not another encoding);
//! - the detector (chardetng) is not confident, or guesses an encoding that is
//!   not one of the above. The error names the likely encoding and the `iconv`
//!   command that converts the file.
//!
//! What it does not do: guess UTF-16 without a byte-order mark (it reports it
//! instead), or repair bytes.

use std::io::Read;
use std::path::Path;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{DecoderResult, Encoding, BIG5, GBK, UTF_8};
use leimu_model::{Diagnostic, DiagnosticKind, ParseError};

/// The largest document leimu reads: 64 MiB. The largest real document
/// (the category list) is about 100 KiB; the limit only stops runaway inputs
/// before they are read into memory.
pub const MAX_DOCUMENT_BYTES: u64 = 64 * 1024 * 1024;

/// Legacy encodings leimu decodes when detected: the two Chinese ones the
/// platform's documents are published in. Others are reported, not guessed.
const DETECTABLE: [&Encoding; 2] = [GBK, BIG5];

/// A document as UTF-8 text, and how it was found to be encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    pub how: Detection,
}

/// How the encoding of a document was established.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detection {
    /// Valid UTF-8 without a byte-order mark: the normal case.
    Utf8,
    /// A byte-order mark named the encoding.
    ByteOrderMark,
    /// No byte-order mark and not UTF-8; the detector recognised it.
    Detected,
}

impl Decoded {
    /// A `note` naming the encoding, unless the document was plain UTF-8.
    pub fn note(&self, file: &str) -> Option<Diagnostic> {
        let message = match self.how {
            Detection::Utf8 => return None,
            Detection::ByteOrderMark if self.encoding == UTF_8 => {
                "UTF-8 with a byte-order mark; the mark was dropped".to_string()
            }
            Detection::ByteOrderMark => format!(
                "decoded from {} (byte-order mark); the output is UTF-8",
                self.encoding.name()
            ),
            Detection::Detected => format!(
                "decoded from {} (detected: no byte-order mark and not UTF-8); the output is UTF-8",
                self.encoding.name()
            ),
        };
        Some(Diagnostic {
            file: file.to_string(),
            line: 1,
            kind: DiagnosticKind::Note,
            message,
        })
    }
}

/// Reads the document at `path` (called `label` in errors) and decodes it.
pub fn read_document(path: &Path, label: &str) -> Result<Decoded, ParseError> {
    let bytes = read_bounded(path, label)?;
    decode(bytes, label)
}

/// Reads at most [`MAX_DOCUMENT_BYTES`]; a larger file is an error before
/// its contents are read (and, for files whose size is not known in
/// advance, as soon as the limit is passed).
fn read_bounded(path: &Path, label: &str) -> Result<Vec<u8>, ParseError> {
    let error = |message: String| ParseError {
        file: label.to_string(),
        line: 0,
        message,
    };
    let file = std::fs::File::open(path).map_err(|e| error(format!("cannot read: {e}")))?;
    let size = file
        .metadata()
        .map_err(|e| error(format!("cannot read: {e}")))?
        .len();
    if size > MAX_DOCUMENT_BYTES {
        return Err(error(too_large(size)));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(MAX_DOCUMENT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| error(format!("cannot read: {e}")))?;
    if bytes.len() as u64 > MAX_DOCUMENT_BYTES {
        return Err(error(too_large(bytes.len() as u64)));
    }
    Ok(bytes)
}

fn too_large(size: u64) -> String {
    format!(
        "document too large: {size} bytes, more than the limit of {MAX_DOCUMENT_BYTES} bytes \
         (64 MiB) for one document"
    )
}

/// Decodes a document's bytes to UTF-8 text (see the module docs).
pub fn decode(mut bytes: Vec<u8>, label: &str) -> Result<Decoded, ParseError> {
    if let Some((encoding, bom_length)) = Encoding::for_bom(&bytes) {
        let malformed = |line| ParseError {
            file: label.to_string(),
            line,
            message: format!(
                "malformed {} although the byte-order mark announces it",
                encoding.name()
            ),
        };
        let text = if encoding == UTF_8 {
            // In place: no second copy of the document.
            bytes.drain(..bom_length);
            String::from_utf8(bytes)
                .map_err(|e| malformed(line_at(e.as_bytes(), e.utf8_error().valid_up_to())))?
        } else {
            decode_strictly(encoding, &bytes[bom_length..]).map_err(malformed)?
        };
        return Ok(Decoded {
            text,
            encoding,
            how: Detection::ByteOrderMark,
        });
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text,
            encoding: UTF_8,
            how: Detection::Utf8,
        }),
        Err(e) => decode_detected(e.as_bytes(), e.utf8_error().valid_up_to(), label),
    }
}

/// Decodes bytes that are not UTF-8 and carry no byte-order mark, if the
/// detector is confident; otherwise says what they probably are.
fn decode_detected(bytes: &[u8], valid_up_to: usize, label: &str) -> Result<Decoded, ParseError> {
    let not_utf8 = |advice: String| ParseError {
        file: label.to_string(),
        line: line_at(bytes, valid_up_to),
        message: format!("not UTF-8 (invalid byte at offset {valid_up_to}); {advice}"),
    };
    if let Some(utf16) = utf16_without_bom(bytes) {
        return Err(not_utf8(format!(
            "it looks like {} without a byte-order mark; {}",
            utf16.name(),
            convert_with(utf16, label)
        )));
    }
    if mostly_utf8(bytes) {
        return Err(not_utf8(
            "the rest of the file is UTF-8, so the file is damaged rather than in another encoding"
                .to_string(),
        ));
    }
    let guess = confident_guess(bytes);
    let encoding = match guess {
        Guess::Confident(encoding) if DETECTABLE.contains(&encoding) => encoding,
        Guess::Confident(encoding) => {
            return Err(not_utf8(format!(
                "it looks like {}, which leimu does not decode (it reads UTF-8, UTF-16 with a \
                 byte-order mark, GBK and Big5); if that is right, {}",
                encoding.name(),
                convert_with(encoding, label)
            )))
        }
        Guess::Unsure(likely) => {
            return Err(not_utf8(format!(
                "it is probably {}, but the detector is not confident; if that is right, {}",
                likely.name(),
                convert_with(likely, label)
            )))
        }
    };
    let text = decode_strictly(encoding, bytes).map_err(|line| ParseError {
        file: label.to_string(),
        line,
        message: format!(
            "not UTF-8 and malformed as {}, the likely encoding; {}",
            encoding.name(),
            convert_with(encoding, label)
        ),
    })?;
    Ok(Decoded {
        text,
        encoding,
        how: Detection::Detected,
    })
}

fn convert_with(encoding: &'static Encoding, label: &str) -> String {
    format!(
        "convert it to UTF-8 first: iconv -f {} -t UTF-8 '{label}' > converted",
        encoding.name()
    )
}

/// What the detector makes of bytes that are not UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Guess {
    Confident(&'static Encoding),
    /// The most likely encoding, but the evidence does not settle it.
    Unsure(&'static Encoding),
}

/// Non-ASCII bytes the detector needs to see before its guess is trusted;
/// about a hundred Chinese characters.
const MIN_NON_ASCII_EVIDENCE: usize = 200;

/// The detector reads at most the first 1 MiB: ample evidence, and bounded
/// time on a large document.
const DETECTION_SAMPLE_BYTES: usize = 1024 * 1024;

/// chardetng gives a guess, not a confidence. The guess counts as confident
/// when the sample has enough non-ASCII text to judge
/// ([`MIN_NON_ASCII_EVIDENCE`]) and the detector makes the same guess for
/// each half of the sample as for the whole. (The caller then decodes the
/// whole document strictly, which rejects a guess the bytes contradict.)
fn confident_guess(bytes: &[u8]) -> Guess {
    let sample = &bytes[..bytes.len().min(DETECTION_SAMPLE_BYTES)];
    let complete = sample.len() == bytes.len();
    let likely = guess(sample, complete);
    let enough_evidence = sample.iter().filter(|b| !b.is_ascii()).count() >= MIN_NON_ASCII_EVIDENCE;
    let stable = split_in_half(sample).is_some_and(|(first, second)| {
        guess(first, true) == likely && guess(second, complete) == likely
    });
    if enough_evidence && stable {
        Guess::Confident(likely)
    } else {
        Guess::Unsure(likely)
    }
}

/// The detector's guess; `complete` when `bytes` run to the end of the
/// document (otherwise a character cut at the end is not held against it).
fn guess(bytes: &[u8], complete: bool) -> &'static Encoding {
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, complete);
    detector.guess(None, Utf8Detection::Deny)
}

/// Splits near the middle, before a byte below `@` (0x40): such a byte is
/// never the second byte of a GBK or Big5 character, so no character is cut.
fn split_in_half(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let middle = bytes.len() / 2;
    let offset = bytes[middle..].iter().position(|&b| b < 0x40)?;
    Some(bytes.split_at(middle + offset))
}

/// True when nine in ten non-ASCII bytes form valid UTF-8: a damaged UTF-8
/// file. Text in GBK or Big5 forms valid UTF-8 sequences only by accident,
/// for a share of its characters far below that.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid_non_ascii, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid_non_ascii += chunk.valid().bytes().filter(|b| !b.is_ascii()).count();
        invalid += chunk.invalid().len();
    }
    valid_non_ascii >= 9 * invalid
}

/// UTF-16 without a byte-order mark shows as zero bytes in every other
/// position (the high byte of ASCII characters) and none in the others.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    let zeros_at = |parity: usize| {
        sample
            .iter()
            .skip(parity)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (even, odd) = (zeros_at(0), zeros_at(1));
    let many = |zeros: usize| zeros * 10 >= sample.len() / 2;
    match (even, odd) {
        (0, odd) if many(odd) => Some(encoding_rs::UTF_16LE),
        (even, 0) if many(even) => Some(encoding_rs::UTF_16BE),
        _ => None,
    }
}

/// Decodes `bytes` as `encoding` without replacement characters; the error
/// is the line of the first malformed sequence. The text grows as needed
/// rather than being sized for the worst case, which for some encodings is
/// three times the input.
fn decode_strictly(encoding: &'static Encoding, bytes: &[u8]) -> Result<String, u32> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(bytes.len());
    let mut rest = bytes;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut text, true);
        rest = &rest[read..];
        match result {
            DecoderResult::InputEmpty => return Ok(text),
            // Room for at least one more character (four bytes of UTF-8).
            DecoderResult::OutputFull => text.reserve(rest.len().max(4)),
            DecoderResult::Malformed(..) => return Err(line_of(&text)),
        }
    }
}

fn line_of(text: &str) -> u32 {
    u32::try_from(text.matches('\n').count() + 1).unwrap_or(u32::MAX)
}

fn line_at(bytes: &[u8], offset: usize) -> u32 {
    let newlines = bytes[..offset.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(bytes: &[u8]) -> String {
        decode(bytes.to_vec(), "doc.md").unwrap_err().to_string()
    }

    #[test]
    fn plain_utf8_needs_no_note() {
        let decoded = decode("| 社交 |\n".as_bytes().to_vec(), "doc.md").unwrap();
        assert_eq!(decoded.how, Detection::Utf8);
        assert_eq!(decoded.note("doc.md"), None);
    }

    #[test]
    fn a_damaged_utf8_file_is_not_decoded_as_something_else() {
        let text = "| 社交 | 熟人交友 |\n| 工具 | 直播 |\n";
        let mut damaged = text.as_bytes().to_vec();
        damaged.insert(text.find("直播").unwrap(), 0xff);
        let err = error(&damaged);
        assert!(err.starts_with("doc.md:2: not UTF-8"), "{err}");
        assert!(err.contains("damaged"), "{err}");
    }

    #[test]
    fn utf16_without_a_byte_order_mark_is_named() {
        let le: Vec<u8> = "| a | b |\n|---|---|\n| 社交 | 工具 |\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let err = error(&le);
        assert!(err.contains("UTF-16LE without a byte-order mark"), "{err}");
        assert!(err.contains("iconv -f UTF-16LE -t UTF-8"), "{err}");
        let be: Vec<u8> = le.chunks(2).flat_map(|p| [p[1], p[0]]).collect();
        assert!(error(&be).contains("UTF-16BE without"));
    }

    #[test]
    fn malformed_bytes_after_a_byte_order_mark_name_their_line() {
        let mut bytes: Vec<u8> = vec![0xff, 0xfe];
        bytes.extend("a\nb\n".encode_utf16().flat_map(u16::to_le_bytes));
        bytes.extend([0x00, 0xd8, b'c', 0x00]); // a lone high surrogate
        let err = error(&bytes);
        assert!(
            err.starts_with("doc.md:3: malformed UTF-16LE although the byte-order mark"),
            "{err}"
        );
    }

    #[test]
    fn a_utf8_byte_order_mark_is_dropped_and_damage_after_it_named() {
        let decoded = decode(b"\xef\xbb\xbf| a |\n".to_vec(), "doc.md").unwrap();
        assert_eq!(
            (decoded.text.as_str(), decoded.how),
            ("| a |\n", Detection::ByteOrderMark)
        );
        let err = error(b"\xef\xbb\xbf| a |\n| \xff |\n");
        assert!(
            err.starts_with("doc.md:2: malformed UTF-8 although"),
            "{err}"
        );
    }

    #[test]
    fn bytes_that_contradict_a_confident_guess_name_their_line() {
        // Confident GBK in the detector's sample, a malformed pair after it.
        let line = "| 社交 | 熟人交友 | 《增值电信业务经营许可证》 |\n";
        let lines = DETECTION_SAMPLE_BYTES / GBK.encode(line).0.len() + 10;
        let text = line.repeat(lines);
        let (gbk, _, _) = GBK.encode(&text);
        let bytes = [&gbk[..], b"| \x81\x20 |\n"].concat();
        let err = error(&bytes);
        let expected = format!("doc.md:{}: not UTF-8 and malformed as GBK", lines + 1);
        assert!(err.starts_with(&expected), "{err}");
        assert!(err.contains("iconv -f GBK -t UTF-8"), "{err}");
    }

    #[test]
    fn a_confident_guess_outside_the_chinese_encodings_is_refused() {
        // Enough windows-1252 text for the detector to be sure.
        let french = "Catégorie: éducation, santé, société, véhicules électriques. ".repeat(40);
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&french);
        let err = error(&bytes);
        assert!(err.contains("looks like windows-1252"), "{err}");
        assert!(err.contains("iconv -f windows-1252 -t UTF-8"), "{err}");
    }

    #[test]
    fn a_document_above_the_limit_fails_before_it_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.md");
        // Sparse: the size is there, the bytes are never written or read.
        let file = std::fs::File::create(&path).unwrap();
        file.set_len(MAX_DOCUMENT_BYTES + 1).unwrap();
        let err = read_document(&path, "huge.md").unwrap_err();
        assert_eq!(err.line, 0);
        assert!(
            err.message
                .starts_with("document too large: 67108865 bytes, more than the limit"),
            "{err}"
        );
        file.set_len(MAX_DOCUMENT_BYTES).unwrap();
        // At the limit it is read (and decoded: zero bytes are ASCII).
        assert_eq!(
            read_document(&path, "huge.md").unwrap().text.len() as u64,
            MAX_DOCUMENT_BYTES
        );
    }
}
