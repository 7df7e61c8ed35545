//! Each parser on its real document and on the document scaled ×10 and ×100
//! (rows, tables, sections or entries repeated: `benches/scale/mod.rs`), with throughput
//! in bytes. The notice includes its t2s conversion.
//! `cargo bench --bench parsers [-- <parser>]`.

mod scale;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use leimu_model::ParserKind;
use scale::Document;

const SCALES: [usize; 3] = [1, 10, 100];

fn parsers(c: &mut Criterion) {
    leimu::allocator::tune(); // as the `leimu` command runs
    for kind in ParserKind::ALL {
        let document = Document::of(kind);
        let doc = document.info();
        let mut group = c.benchmark_group(kind.as_str());
        for times in SCALES {
            let text = document.scaled(times);
            group.throughput(Throughput::Bytes(text.len() as u64));
            group.sample_size(if times >= 100 { 10 } else { 30 });
            group.bench_with_input(
                BenchmarkId::from_parameter(format!("x{times}")),
                &text,
                |b, text| {
                    b.iter(|| {
                        leimu::parsers::extract(kind, &doc, text).expect("scaled document parses")
                    })
                },
            );
        }
        group.finish();
    }
}

criterion_group!(benches, parsers);
criterion_main!(benches);
