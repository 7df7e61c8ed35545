//! Text that many records hold: one copy, shared.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use arcstr::ArcStr;
use foldhash::HashSet;
use serde::{Serialize, Serializer};

/// An immutable text that clones by reference count: a source id every
/// record of a document carries, a name inherited by the entries below
/// it, advice written the same way under many entries. One copy is kept
/// however many records hold it (a scaled filing guide has 171,000 entries
/// and a handful of distinct advice texts).
///
/// The empty text allocates nothing (`Text::default()`, and every empty
/// text made with `From`): most records leave some fields empty.
///
/// A thin pointer (8 bytes; the length is stored with the text): a record
/// holds seven texts, and `Arc<str>`'s 16 bytes made every record 56 bytes
/// larger (a scaled category list holds 383,000 records).
///
/// Reads as a `str` (`Deref`), compares with `str`, serialises as a string.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(ArcStr);

impl Text {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when `a` and `b` are one copy (for tests of the sharing rules).
    pub fn shares(a: &Text, b: &Text) -> bool {
        ArcStr::ptr_eq(&a.0, &b.0)
    }
}

/// The texts of one document, each kept once: asked for a text equal to
/// one it has given, it gives that one's copy.
///
/// For the fields whose texts a document repeats away from each other
/// (a requirement stated for several categories, a notice's standard
/// notes). Which records share a copy does not depend on the hasher:
/// only equal texts are ever shared, and nothing is read in hash order.
#[derive(Debug, Default)]
pub struct Interner {
    /// foldhash, not SipHash: the texts are the document's own, and SipHash
    /// cost the markdown parser 9% more instructions on the category list.
    texts: HashSet<Text>,
}

impl Interner {
    /// `text` as the one copy of it.
    pub fn text(&mut self, text: &str) -> Text {
        match self.texts.get(text) {
            Some(known) => known.clone(),
            None => self.share(Text::from(text)),
        }
    }

    /// `text` as the one copy of it, for a caller that holds the text
    /// already: the first of equal texts is kept as it is, not copied.
    pub fn share(&mut self, text: Text) -> Text {
        if text.is_empty() {
            return Text::default();
        }
        if let Some(known) = self.texts.get(text.as_str()) {
            return known.clone();
        }
        self.texts.insert(text.clone());
        text
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        // `ArcStr::from("")` is the shared static empty text too.
        Text(ArcStr::from(text))
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text::from(text.as_str())
    }
}

impl From<&String> for Text {
    fn from(text: &String) -> Text {
        Text::from(text.as_str())
    }
}

impl From<Box<str>> for Text {
    fn from(text: Box<str>) -> Text {
        Text::from(&*text)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Text {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Text> for str {
    fn eq(&self, other: &Text) -> bool {
        self == &*other.0
    }
}

impl PartialEq<Text> for &str {
    fn eq(&self, other: &Text) -> bool {
        *self == &*other.0
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_one_copy_and_compare_as_text() {
        let a = Text::from("可选");
        let b = a.clone();
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
        assert_eq!(a, "可选");
        assert_eq!(a.to_string(), "可选");
        assert_eq!(std::mem::size_of::<Text>(), 8);
    }

    #[test]
    fn empty_texts_are_one_static_copy() {
        let empty = [
            Text::default(),
            Text::from(""),
            Text::from(String::new()),
            Text::from(Box::<str>::from("")),
        ];
        for text in &empty {
            assert!(Text::shares(text, &empty[0]));
            assert_eq!(text, "");
        }
    }

    #[test]
    fn an_interner_gives_equal_texts_one_copy() {
        let mut texts = Interner::default();
        let a = texts.text("《营业执照》");
        let b = texts.text(&String::from("《营业执照》"));
        let c = texts.text("《食品经营许可证》");
        assert!(Text::shares(&a, &b));
        assert!(!Text::shares(&a, &c));
        assert_eq!(
            (a.as_str(), c.as_str()),
            ("《营业执照》", "《食品经营许可证》")
        );
        assert!(Text::shares(&texts.text(""), &Text::default()));
        assert!(Text::shares(&texts.share(Text::from("")), &Text::default()));
    }

    #[test]
    fn an_interner_keeps_the_first_text_it_is_given() {
        let mut texts = Interner::default();
        let first = Text::from("《营业执照》");
        let kept = texts.share(first.clone());
        assert!(Text::shares(&kept, &first));
        assert!(Text::shares(
            &texts.share(Text::from("《营业执照》")),
            &first
        ));
        assert!(Text::shares(&texts.text("《营业执照》"), &first));
    }
}
