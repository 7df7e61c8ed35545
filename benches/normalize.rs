//! The normaliser alone — `leimu::pipeline::normalize_sources` on the extractions of
//! raw/ as it is and scaled ×10 and ×100 (`benches/scale/mod.rs`): reading
//! the requirements, deciding, comparing, the registry and the history.
//! Parsing and rendering are outside the timing (see `pipeline` for the
//! whole ingest). `cargo bench --bench normalize`.

mod scale;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use leimu_normalize::Aliases;

const SCALES: [usize; 3] = [1, 10, 100];

fn normalize(c: &mut Criterion) {
    leimu::allocator::tune(); // as the `leimu` command runs
    let mut group = c.benchmark_group("normalize");
    for times in SCALES {
        let root = tempfile::tempdir().expect("temporary directory");
        let bytes = scale::write_corpus(root.path(), times).expect("scaled raw/ written");
        let generated = leimu::pipeline::generate(root.path()).expect("scaled raw/ ingests");
        let aliases_text = std::fs::read_to_string(root.path().join("raw/aliases.toml"))
            .expect("aliases readable");
        let aliases = Aliases::parse(&aliases_text).expect("aliases parse");
        group.throughput(Throughput::Bytes(bytes));
        group.sample_size(10);
        group.bench_function(BenchmarkId::from_parameter(format!("x{times}")), |b| {
            b.iter(|| leimu::pipeline::normalize_sources(&generated.sources, &aliases))
        });
    }
    group.finish();
}

criterion_group!(benches, normalize);
criterion_main!(benches);
