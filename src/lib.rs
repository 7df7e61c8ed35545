//! leimu: the WeChat Mini Program service categories and their required
//! licences, from scattered documents to one canonical dataset.
//!
//! This crate is the pipeline and the `leimu` command. It reads
//! `raw/sources.toml`, runs each document's parser (one crate per format,
//! see `crates/`), and writes `normalized/`. It knows no document format
//! itself. See ARCHITECTURE.md for the map.

pub mod commands;
pub mod datapackage;
pub mod diff;
pub mod manifest;
pub mod output;
pub mod parsers;
pub mod pipeline;
