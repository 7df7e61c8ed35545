//! Category identity: when two spellings name one category, and the stable
//! id of a category.
//!
//! Names are compared in one normal form ([`identity_name`]):
//!
//! * Unicode compatibility (NFKC): full-width brackets, letters and digits
//!   become their ASCII forms, `（非处方药）` and `(非处方药)` agree;
//! * whitespace removed;
//! * the separators between names, `/`, `／` and `、`, all become `/`
//!   (`美妆/洗护`, `美妆／洗护`, `美妆、洗护`).
//!
//! The key of a category is its subject and the normal forms of its three
//! levels ([`CategoryKey`]); the displayed names are the newest official
//! source's spelling and are kept apart from the key.

use std::fmt;

use leimu_model::{CategoryPath, Subject, Text};
use serde::Serialize;
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

/// The canonical key of a category: subject and path, each level in the
/// normal form of [`identity_name`] (display names live elsewhere).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct CategoryKey {
    pub subject: Subject,
    pub path: CategoryPath,
}

impl CategoryKey {
    /// The key of `path` as written: every level in normal form.
    pub fn of(subject: Subject, path: &CategoryPath) -> CategoryKey {
        CategoryKey {
            subject,
            path: CategoryPath {
                level1: identity_name(&path.level1).into(),
                level2: identity_name(&path.level2).into(),
                level3: identity_name(&path.level3).into(),
            },
        }
    }

    /// The stable id: `c` and the first 12 hex digits of the SHA-256 of the
    /// key (subject and the three normal-form levels, separated by U+001F).
    ///
    /// It depends on the key alone, so a category keeps its id across
    /// ingests, source orders and new documents; a curated alias that maps a
    /// name onto another gives the other category's id.
    ///
    /// ```
    /// use leimu_model::{CategoryPath, Subject};
    /// use leimu_normalize::CategoryKey;
    /// let path = |l2: &str| CategoryPath { level1: "医疗服务".into(), level2: l2.into(), level3: Default::default() };
    /// let a = CategoryKey::of(Subject::Enterprise, &path("药品（非处方药）销售"));
    /// let b = CategoryKey::of(Subject::Enterprise, &path("药品(非处方药)销售"));
    /// assert_eq!(a.id(), b.id());
    /// assert_eq!(a.id().len(), 13);
    /// ```
    pub fn id(&self) -> String {
        let mut hash = Sha256::new();
        for part in [
            self.subject.as_str(),
            &self.path.level1,
            &self.path.level2,
            &self.path.level3,
        ] {
            hash.update(part.as_bytes());
            hash.update([0x1f]);
        }
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let digest = hash.finalize();
        let mut id = String::with_capacity(13);
        id.push('c');
        for byte in &digest[..6] {
            id.push(char::from(HEX[usize::from(byte >> 4)]));
            id.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
        id
    }

    /// The deepest level that is set (`体育培训` of 体育 › 体育培训).
    pub fn last_level(&self) -> &str {
        [&self.path.level3, &self.path.level2, &self.path.level1]
            .into_iter()
            .map(Text::as_str)
            .find(|l| !l.is_empty())
            .unwrap_or_default()
    }

    /// The levels that are set, in order.
    pub fn levels(&self) -> Vec<&str> {
        [&self.path.level1, &self.path.level2, &self.path.level3]
            .into_iter()
            .map(Text::as_str)
            .filter(|l| !l.is_empty())
            .collect()
    }
}

impl fmt::Display for CategoryKey {
    /// `enterprise · 社交 › 直播`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} · {}", self.subject, self.path)
    }
}

/// The normal form in which names are compared (see the module docs).
///
/// ```
/// use leimu_normalize::identity_name;
/// assert_eq!(identity_name("药品（非处方药）销售"), identity_name("药品(非处方药)销售"));
/// assert_eq!(identity_name("美妆、洗护"), identity_name("美妆／洗护"));
/// assert_eq!(identity_name(" ＩＴ 科技 "), "IT科技");
/// ```
pub fn identity_name(name: &str) -> String {
    name.nfkc()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == '、' { '/' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(subject: Subject, l1: &str, l2: &str, l3: &str) -> CategoryKey {
        CategoryKey::of(
            subject,
            &CategoryPath {
                level1: l1.into(),
                level2: l2.into(),
                level3: l3.into(),
            },
        )
    }

    #[test]
    fn width_whitespace_and_separators_do_not_change_identity() {
        let a = key(Subject::Enterprise, "商家自营", "美妆/洗护", "");
        let b = key(Subject::Enterprise, "商家自营", "美妆、洗护", "");
        let c = key(Subject::Enterprise, " 商家自营", "美妆 ／ 洗护", "");
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(a.id(), c.id());
    }

    #[test]
    fn ids_differ_by_subject_and_by_level() {
        let e = key(Subject::Enterprise, "社交", "直播", "");
        let p = key(Subject::Personal, "社交", "直播", "");
        // The separator keeps 社交直播 at level 1 apart from 社交 › 直播.
        let joined = key(Subject::Enterprise, "社交直播", "", "");
        assert_ne!(e.id(), p.id());
        assert_ne!(e.id(), joined.id());
    }

    #[test]
    fn ids_are_fixed_functions_of_the_key() {
        // Pinned: an id must never change between releases for the same key.
        let k = key(Subject::Enterprise, "社交", "直播", "");
        assert_eq!(k.id(), k.clone().id());
        assert!(k.id().starts_with('c'));
        assert!(k.id()[1..].chars().all(|c| c.is_ascii_hexdigit()));
    }
}
