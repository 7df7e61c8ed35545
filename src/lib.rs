//! leimu: the WeChat Mini Program service categories and their required
//! licences, from scattered documents to one canonical dataset.
//!
//! This crate is the pipeline and the `leimu` command. It reads
//! `raw/sources.toml`, runs each document's parser (one crate per format,
//! see `crates/`), and writes `normalized/`. It knows no document format
//! itself. The readers of `normalized/` (`dataset`, `query`, `export`,
//! `report_html`) answer questions from the written files without
//! re-ingesting. See ARCHITECTURE.md for the map.

pub mod allocator;
pub mod commands;
pub mod datapackage;
pub mod dataset;
pub mod decode;
pub mod diff;
pub mod export;
pub mod manifest;
pub mod output;
pub mod parsers;
pub mod pipeline;
pub mod query;
pub mod report_html;
pub mod write;
