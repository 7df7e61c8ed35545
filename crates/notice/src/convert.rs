//! Traditional → simplified Chinese with OpenCC's `t2s` configuration.
//!
//! Two backends behind [`ToSimplified`]: [`FerrousOpenCC`] (pure Rust,
//! dictionaries built in; the default, so a fresh machine needs nothing
//! installed) and, with the `opencc-cpp` feature, [`CppOpenCC`], the binding
//! to the system OpenCC 1.1 library. Conversion maps characters and phrases
//! only; line breaks are kept, so line numbers stay valid.
//!
//! **Line by line is the same as all at once.** Every key and every value of
//! the `t2s` dictionaries (TSPhrases, TSCharacters; ferrous-opencc 0.4's and
//! OpenCC 1.1.6's alike) is a run of CJK letters (Unicode category `Lo`):
//! no key holds a line break, a space, ASCII or punctuation. So a match never
//! spans such a character, which is copied unchanged, and conversion
//! commutes with cutting the text at line breaks and with trimming
//! whitespace; text without a non-ASCII character is left as it is.
//! [`simplified_line`] relies on this, and so does [`FerrousOpenCC`], which
//! puts only the runs of non-ASCII text through the dictionaries; the tests
//! (`per_line_is_whole_text`, `runs_are_whole_text`) and the `notice` fuzz
//! target check both against whole-text conversion.

use std::borrow::Cow;

/// The conversion could not be set up.
#[derive(Debug, thiserror::Error)]
#[error("OpenCC ({backend}) could not load t2s: {message}")]
pub struct ConvertError {
    pub backend: &'static str,
    pub message: String,
}

/// A traditional → simplified converter.
pub trait ToSimplified {
    /// Backend name, for messages.
    fn name(&self) -> &'static str;
    fn convert(&self, text: &str) -> String;
}

/// ferrous-opencc, pure Rust.
pub struct FerrousOpenCC(ferrous_opencc::OpenCC);

impl FerrousOpenCC {
    pub fn new() -> Result<FerrousOpenCC, ConvertError> {
        ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::T2s)
            .map(FerrousOpenCC)
            .map_err(|e| ConvertError {
                backend: "ferrous-opencc",
                message: e.to_string(),
            })
    }
}

impl FerrousOpenCC {
    /// The whole of `text` through ferrous-opencc's dictionary scan, ASCII
    /// included: what [`ToSimplified::convert`] must equal (the tests and
    /// the `notice` fuzz invariant compare them).
    pub fn convert_unsplit(&self, text: &str) -> String {
        self.0.convert(text)
    }
}

impl ToSimplified for FerrousOpenCC {
    fn name(&self) -> &'static str {
        "ferrous-opencc"
    }

    /// Only the runs of non-ASCII text go through the dictionaries; ASCII
    /// (spaces, line breaks, markup, digits), which no key contains, is
    /// copied as it is. The scan of a run starts where the whole-text scan
    /// would: after an ASCII character, which no match covers.
    fn convert(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for (ascii, rest) in ascii_runs(text) {
            out.push_str(ascii);
            if !rest.is_empty() {
                out.push_str(&self.0.convert(rest));
            }
        }
        out
    }
}

/// `text` cut into pairs (ASCII run, non-ASCII run that follows it), either
/// possibly empty; together, in order, they are `text`.
fn ascii_runs(text: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        // ASCII bytes are whole characters, so both cuts are char boundaries.
        let ascii_end = rest
            .bytes()
            .position(|b| !b.is_ascii())
            .unwrap_or(rest.len());
        let (ascii, after) = rest.split_at(ascii_end);
        let other_end = after
            .bytes()
            .position(|b| b.is_ascii())
            .unwrap_or(after.len());
        let (other, after) = after.split_at(other_end);
        rest = after;
        Some((ascii, other))
    })
}

/// One line (or any text without a key across its ends) in simplified
/// Chinese: borrowed when it is ASCII, which no dictionary key contains.
pub fn simplified_line<'a>(converter: &dyn ToSimplified, line: &'a str) -> Cow<'a, str> {
    if line.is_ascii() {
        Cow::Borrowed(line)
    } else {
        Cow::Owned(converter.convert(line))
    }
}

/// opencc-rust 1.1, binding the system OpenCC 1.1 C++ library.
#[cfg(feature = "opencc-cpp")]
pub struct CppOpenCC(opencc_rust::OpenCC);

#[cfg(feature = "opencc-cpp")]
impl CppOpenCC {
    pub fn new() -> Result<CppOpenCC, ConvertError> {
        opencc_rust::OpenCC::new(opencc_rust::DefaultConfig::T2S)
            .map(CppOpenCC)
            .map_err(|e| ConvertError {
                backend: "opencc-rust",
                message: e.to_string(),
            })
    }
}

#[cfg(feature = "opencc-cpp")]
impl ToSimplified for CppOpenCC {
    fn name(&self) -> &'static str {
        "opencc-rust (system OpenCC)"
    }

    fn convert(&self, text: &str) -> String {
        self.0.convert(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_and_keeps_lines() {
        let c = FerrousOpenCC::new().unwrap();
        let out = c.convert("類目調整\n    非個人主體\n#【醫療服務-藥品資訊】");
        assert_eq!(out, "类目调整\n    非个人主体\n#【医疗服务-药品资讯】");
    }

    /// Converting each trimmed line equals converting the whole text, then
    /// cutting and trimming: on the real notice, and where a phrase (乾坤,
    /// whose 乾 alone becomes 干) is cut by a line break, a space, ASCII or a NUL.
    #[test]
    fn per_line_is_whole_text() {
        let c = FerrousOpenCC::new().unwrap();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../raw/notice-2025q1.txt");
        let notice = std::fs::read_to_string(path).unwrap();
        let cut = "乾坤 乾\n坤\r\n  乾\0坤\t乾a坤 龍鍾\n\u{3000}乾坤\u{3000}\n";
        for text in [notice.as_str(), cut] {
            let whole = c.convert(text);
            let whole: Vec<&str> = whole.lines().map(str::trim).collect();
            let per_line: Vec<Cow<str>> = text
                .lines()
                .map(|l| simplified_line(&c, l.trim()))
                .collect();
            assert_eq!(whole, per_line);
        }
        assert_eq!(simplified_line(&c, "乾坤 乾\0坤"), "乾坤 干\0坤");
    }

    /// Converting only the non-ASCII runs equals the dictionary scan over
    /// the whole text: phrases cut by ASCII, at either end, empty text.
    #[test]
    fn runs_are_whole_text() {
        let c = FerrousOpenCC::new().unwrap();
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../raw/notice-2025q1.txt");
        let notice = std::fs::read_to_string(path).unwrap();
        let cuts = [
            "",
            "a",
            "乾",
            "乾坤",
            "乾坤 乾\n坤a龍鍾\0乾坤",
            " 乾坤",
            "乾坤 ",
            "「乾坤」（乾）乾坤。",
            "x1、乾坤2選1y",
        ];
        for text in cuts.iter().copied().chain([notice.as_str()]) {
            assert_eq!(c.convert(text), c.convert_unsplit(text), "{text:?}");
        }
        let runs: Vec<_> = ascii_runs(" a乾坤 b坤").collect();
        assert_eq!(runs, [(" a", "乾坤"), (" b", "坤")]);
    }
}
