//! HTML parsers: `html-tables` (category grid tables with rowspan/colspan)
//! and `html-sections` (one key–value requirement card per category).
//!
//! Built on html5ever's tokenizer and tree builder, which build a lean tree
//! of their own ([`dom`]): entities are decoded, markup inside cells is
//! ignored, `<br>` is a line break ([`text`]). Tables are laid out the way a
//! browser lays them out, malformed spans included ([`grid`]). Lines come
//! from the same parse: the tree builder tells its sink the line of every
//! element it creates ([`locate`]). `html-tables` reads each table row as
//! soon as the parse has closed it and removes it from the tree
//! ([`locate::parse_document_by_rows`], [`grid::RowLayout`], [`tables`]),
//! so that a long table costs its records, not its tree.
//!
//! Nothing is dropped silently: cells outside the columns a parser reads,
//! tables with a header and no rows, HTML between cards, and what the end of
//! the input closed (an unclosed `<table>` or comment) are reported. Limits:
//! [`leimu_model::MAX_TABLE_ROWS`] rows per table and
//! [`leimu_model::MAX_NESTING_DEPTH`] levels of elements, else an error with
//! the line. NUL characters are removed first, with a note per line.
//!
//! What this crate does not do: compare sources, canonicalise names, or
//! interpret requirements.
//!
//! ```
//! use leimu_model::{DocumentInfo, Subject};
//!
//! let doc = DocumentInfo { source: "page".into(), file: "page.html".into(), default_subject: None };
//! let page = "<h2>个人主体小程序开放的服务类目</h2>\n<table>\n\
//!             <tr><th>一级分类</th><th>二级分类</th><th>三级分类</th><th>法务建议的资质文件</th></tr>\n\
//!             <tr><td rowspan=2>生活服务</td><td rowspan=2>丽人</td><td>美甲</td><td rowspan=2>/</td></tr>\n\
//!             <tr><td>美容</td></tr>\n</table>";
//! let out = leimu_html::parse_tables(&doc, page).unwrap();
//! assert_eq!(out.records[1].path.to_string(), "生活服务 › 丽人 › 美容");
//! assert_eq!(out.records[1].subject, Some(Subject::Personal));
//! assert_eq!(out.records[1].provenance.line, 5);
//! ```

pub mod dom;
pub mod grid;
pub mod locate;
pub mod sections;
pub mod tables;
pub mod text;

pub use sections::parse_sections;
pub use tables::parse_tables;
