//! Benchmark: `cargo bench --bench validate`.
//!
//! Prints how long the embedded AWS model takes to load (its header), to
//! inflate one service, and to parse the customizations, and how long
//! checking the repository's book takes, warm and cold. Figures are medians
//! of repeated runs, measured in the same process so their ratios hold on a
//! noisy machine. This is a measurement, not a test: nothing here fails on
//! a number.

use mdbook_runbook::aws::custom::Customizations;
use mdbook_runbook::aws::model::Model;
use std::path::Path;
use std::time::{Duration, Instant};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let samples = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    median(samples)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let book = Path::new(env!("CARGO_MANIFEST_DIR"));
    let header = time(50, || Model::load_embedded().unwrap());
    let first_service = time(20, || {
        let model = Model::load_embedded().unwrap();
        model.service("ecs").map(|s| s.operation_names().count())
    });
    let ec2 = time(10, || {
        let model = Model::load_embedded().unwrap();
        model.service("ec2").map(|s| s.operation_names().count())
    });
    let customizations = time(50, || {
        Customizations::parse(include_str!("../../src/aws/data/customizations.json")).unwrap()
    });
    // Warm: the process-wide model already holds the services the guide uses.
    let load_book = time(20, || mdbook_runbook::pipeline::check(book).unwrap());
    let loaded = mdbook_runbook::pipeline::check(book).unwrap();
    let rules =
        || mdbook_runbook::rules::check(&loaded.guide, &loaded.analysis, &loaded.config).len();
    let check_warm = time(20, rules);
    let findings = loaded.diagnostics.len();

    println!(
        "embedded AWS model: {} services",
        Model::get().service_names().count()
    );
    println!(
        "  load (header only)              {:>9.3} ms   (target ≤ 20 ms)",
        ms(header)
    );
    println!(
        "  load + inflate ecs              {:>9.3} ms",
        ms(first_service)
    );
    println!("  load + inflate ec2 (largest)    {:>9.3} ms", ms(ec2));
    println!(
        "  parse customizations.json       {:>9.3} ms",
        ms(customizations)
    );
    println!(
        "repository book ({} chapters, {findings} findings)",
        loaded.guide.chapters.len()
    );
    println!(
        "  check: load, preprocess, analyse {:>8.3} ms",
        ms(load_book)
    );
    println!(
        "  run every rule (warm model)     {:>9.3} ms",
        ms(check_warm)
    );
    println!("ratios (same run)");
    println!(
        "  rules / model header load       {:>9.1}x",
        check_warm.as_secs_f64() / header.as_secs_f64()
    );
    println!(
        "  ec2 inflate / ecs inflate       {:>9.1}x",
        ec2.as_secs_f64() / first_service.as_secs_f64()
    );
}
