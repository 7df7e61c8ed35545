//! The whole of `ingest` in memory — read raw/, parse the five documents,
//! normalise, render every file — on raw/ as it is and scaled ×10 and ×100
//! (`benches/scale/mod.rs`; written to a temporary directory first, outside the timing);
//! and `check`, the same run streamed into a comparison with the files on disk.
//! `cargo bench --bench pipeline`.

mod scale;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use leimu::pipeline::{self, DiskComparison};

const SCALES: [usize; 3] = [1, 10, 100];

fn ingest(c: &mut Criterion) {
    leimu::allocator::tune(); // as the `leimu` command runs
    let mut group = c.benchmark_group("ingest");
    for times in SCALES {
        let root = tempfile::tempdir().expect("temporary directory");
        let bytes = scale::write_corpus(root.path(), times).expect("scaled raw/ written");
        group.throughput(Throughput::Bytes(bytes));
        group.sample_size(10);
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("x{times}")),
            root.path(),
            |b, root| b.iter(|| pipeline::generate(root).expect("scaled raw/ ingests")),
        );
    }
    group.finish();
}

fn check(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    for times in SCALES {
        let root = tempfile::tempdir().expect("temporary directory");
        let bytes = scale::write_corpus(root.path(), times).expect("scaled raw/ written");
        let generated = pipeline::generate(root.path()).expect("scaled raw/ ingests");
        pipeline::write(root.path(), &generated).expect("normalized/ written");
        drop(generated);
        group.throughput(Throughput::Bytes(bytes));
        group.sample_size(10);
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("x{times}")),
            root.path(),
            |b, root| {
                b.iter(|| {
                    let (_, comparison) =
                        pipeline::generate_into(root, || DiskComparison::open(root))
                            .expect("scaled raw/ ingests");
                    let differences = comparison.finish().expect("normalized/ is read");
                    assert!(differences.is_empty(), "normalized/ is up to date");
                })
            },
        );
    }
    group.finish();
}

criterion_group!(benches, ingest, check);
criterion_main!(benches);
