//! t2s conversion of the real notice, per backend, and the whole parse.
//! `cargo bench -p leimu-notice` (add `--features opencc-cpp` for the C++ backend).

use criterion::{criterion_group, criterion_main, Criterion};
use leimu_notice::convert::{FerrousOpenCC, ToSimplified};

fn notice() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../raw/notice-2025q1.txt");
    std::fs::read_to_string(path).expect("raw notice")
}

fn conversion(c: &mut Criterion) {
    let text = notice();
    let pure = FerrousOpenCC::new().expect("ferrous-opencc loads");
    c.bench_function("t2s ferrous-opencc", |b| b.iter(|| pure.convert(&text)));
    #[cfg(feature = "opencc-cpp")]
    {
        let cpp = leimu_notice::convert::CppOpenCC::new().expect("system OpenCC loads");
        c.bench_function("t2s opencc-rust (system OpenCC)", |b| {
            b.iter(|| cpp.convert(&text))
        });
    }
    let doc = leimu_model::DocumentInfo {
        source: "notice-2025q1".into(),
        file: "notice-2025q1.txt".into(),
        default_subject: None,
    };
    c.bench_function("parse notice (ferrous-opencc)", |b| {
        b.iter(|| leimu_notice::parse_with(&pure, &doc, &text).expect("parses"))
    });
}

criterion_group!(benches, conversion);
criterion_main!(benches);
