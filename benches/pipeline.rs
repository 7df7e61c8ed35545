//! The whole of `ingest` in memory (read raw/, parse the five documents,
//! normalise, render every file), and the markdown span recovery alone.
//! `cargo bench --bench pipeline`.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};

fn pipeline(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    c.bench_function("generate normalized/ from raw/", |b| {
        b.iter(|| leimu::pipeline::generate(root).expect("raw/ ingests"))
    });
    let text =
        std::fs::read_to_string(root.join("raw/service-categories.md")).expect("raw document");
    let doc = leimu_model::DocumentInfo {
        source: "service-categories".into(),
        file: "service-categories.md".into(),
        default_subject: None,
    };
    c.bench_function("markdown-tables: service-categories.md", |b| {
        b.iter(|| leimu_markdown::parse(&doc, &text).expect("parses"))
    });
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
