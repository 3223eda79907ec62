//! Benchmark of the built-in intent scorer on a 160-character SMS: the whole
//! assessment, and its rule signals alone.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use hotline_domain::BuiltinIntentScorer;

/// A typical lead SMS, exactly 160 characters.
const SMS: &str = "Hi, water is leaking through our kitchen ceiling since this morning, \
                   can someone come out today? Not sure how bad it is. Pls call me at 403 555 0142 asap thx!!!";

fn bench_intent(c: &mut Criterion) {
    assert_eq!(SMS.chars().count(), 160);
    let scorer = BuiltinIntentScorer::default();
    c.bench_function("intent/assess_160_chars", |b| {
        b.iter(|| scorer.assess(black_box(SMS)))
    });
    // The rule signals alone: the part of the cost that is not the model.
    c.bench_function("intent/rule_signals_160_chars", |b| {
        b.iter(|| scorer.rule_signals(black_box(SMS)))
    });
}

criterion_group!(benches, bench_intent);
criterion_main!(benches);
