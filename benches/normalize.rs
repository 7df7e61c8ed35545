//! The normaliser alone — `leimu_normalize::normalize` on the extractions of
//! raw/ as it is and scaled ×10 and ×100 (`benches/scale/mod.rs`): reading
//! the requirements, deciding, comparing, the registry and the history.
//! Parsing and rendering are outside the timing (see `pipeline` for the
//! whole ingest). `cargo bench --bench normalize`.

mod scale;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use leimu::parsers::Extracted;
use leimu::pipeline::SourceOutcome;
use leimu_normalize::{Aliases, Mention, SourceInput};

const SCALES: [usize; 3] = [1, 10, 100];

fn normalize(c: &mut Criterion) {
    let mut group = c.benchmark_group("normalize");
    for times in SCALES {
        let root = tempfile::tempdir().expect("temporary directory");
        let bytes = scale::write_corpus(root.path(), times).expect("scaled raw/ written");
        let generated = leimu::pipeline::generate(root.path()).expect("scaled raw/ ingests");
        let aliases_text = std::fs::read_to_string(root.path().join("raw/aliases.toml"))
            .expect("aliases readable");
        let aliases = Aliases::parse(&aliases_text).expect("aliases parse");
        let files: Vec<String> = generated
            .sources
            .iter()
            .map(|o| format!("raw/{}", o.source.file))
            .collect();
        let inputs = inputs(&generated.sources, &files);
        let mentions = mentions(&generated.sources);
        group.throughput(Throughput::Bytes(bytes));
        group.sample_size(10);
        group.bench_function(BenchmarkId::from_parameter(format!("x{times}")), |b| {
            b.iter(|| leimu_normalize::normalize(&inputs, &mentions, &aliases))
        });
    }
    group.finish();
}

/// The category sources as the pipeline hands them to the normaliser.
fn inputs<'a>(sources: &'a [SourceOutcome], files: &'a [String]) -> Vec<SourceInput<'a>> {
    sources
        .iter()
        .zip(files)
        .filter_map(|(o, file)| match &o.extraction {
            Some(Extracted::Categories(extraction)) => Some(SourceInput {
                id: &o.source.id,
                file,
                as_of: &o.source.as_of,
                authority: o.source.authority,
                series: o.source.series.as_deref(),
                extraction,
            }),
            _ => None,
        })
        .collect()
}

/// The filing guide's texts, which name licences.
fn mentions(sources: &[SourceOutcome]) -> Vec<Mention<'_>> {
    sources
        .iter()
        .filter_map(|o| match &o.extraction {
            Some(Extracted::Filing(guide)) => Some((o.source.id.as_str(), guide)),
            _ => None,
        })
        .flat_map(|(id, guide)| {
            guide.entries.iter().flat_map(move |e| {
                [&e.description, &e.remark].map(|text| Mention { source: id, text })
            })
        })
        .collect()
}

criterion_group!(benches, normalize);
criterion_main!(benches);
