//! `hotline-intent`: splits the corpus, trains the intent model, reports.
//!
//! ```sh
//! hotline-intent split DIR FILE...        # once: merge, dedupe, write DIR/{train,dev,test}.tsv
//! hotline-intent train DIR [--extra FILE]... [--out MODEL]
//! hotline-intent report DIR [--split test|dev|train] [--model MODEL] [--mistakes]
//! ```
//!
//! `DIR` is the corpus folder (`crates/domain/data/intent`); `MODEL`
//! defaults to the model compiled into the scorer's source,
//! `crates/domain/src/intent/model.tsv`. Extra files (admins' verdicts
//! exported from `GET /api/clients/{id}/intent/labels?format=tsv`, the
//! team's older set) join the training split only.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use hotline_domain::{BuiltinIntentScorer, IntentModel, IntentThreshold};
use hotline_intent::labelled::{self, Example};
use hotline_intent::metrics::{Confusion, evaluate};
use hotline_intent::split::{comparable, split};
use hotline_intent::train::{Settings, train};

/// The model file the scorer compiles in.
const DEFAULT_MODEL: &str = "crates/domain/src/intent/model.tsv";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("split") => run_split(&args[1..]),
        Some("train") => run_train(&args[1..]),
        Some("report") => run_report(&args[1..]),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

const USAGE: &str = "usage: hotline-intent split DIR FILE... | train DIR [--extra FILE]... [--out MODEL] | report DIR [--split NAME] [--model MODEL] [--mistakes]";

fn run_split(args: &[String]) -> Result<(), String> {
    let [dir, files @ ..] = args else {
        return Err(USAGE.to_owned());
    };
    if files.is_empty() {
        return Err(USAGE.to_owned());
    }
    let dir = Path::new(dir);
    for part in ["train", "dev", "test"] {
        if dir.join(format!("{part}.tsv")).exists() {
            return Err(format!(
                "{} already holds a split; the corpus is split once",
                dir.display()
            ));
        }
    }
    let mut all = Vec::new();
    for file in files {
        all.extend(read(file)?);
    }
    let split = split(all);
    for (part, examples) in [
        ("train", &split.train),
        ("dev", &split.dev),
        ("test", &split.test),
    ] {
        let path = dir.join(format!("{part}.tsv"));
        std::fs::write(&path, labelled::to_tsv(examples))
            .map_err(|error| format!("{}: {error}", path.display()))?;
        println!(
            "{part}: {} messages ({} hot)",
            examples.len(),
            examples.iter().filter(|e| e.hot).count()
        );
    }
    println!("repeats dropped: {}", split.repeats);
    for text in &split.conflicts {
        println!("dropped, labelled both ways: {text}");
    }
    Ok(())
}

fn run_train(args: &[String]) -> Result<(), String> {
    let (dir, options) = args.split_first().ok_or_else(|| USAGE.to_owned())?;
    let mut out = PathBuf::from(DEFAULT_MODEL);
    let mut train_set = read(&format!("{dir}/train.tsv"))?;
    let dev = read(&format!("{dir}/dev.tsv"))?;
    // Extra data never repeats a dev or test message: that would score the
    // model on what it was trained on.
    let held_out: HashSet<String> = dev
        .iter()
        .chain(read(&format!("{dir}/test.tsv"))?.iter())
        .map(|e| comparable(&e.text))
        .collect();
    let mut rest = options.iter();
    while let Some(option) = rest.next() {
        let value = rest
            .next()
            .ok_or_else(|| format!("{option} needs a value"))?;
        match option.as_str() {
            "--extra" => {
                let (kept, repeated): (Vec<Example>, Vec<Example>) = read(value)?
                    .into_iter()
                    .partition(|e| !held_out.contains(&comparable(&e.text)));
                if !repeated.is_empty() {
                    println!(
                        "{value}: {} messages left out, they repeat dev or test messages",
                        repeated.len()
                    );
                }
                train_set.extend(kept);
            }
            "--out" => out = PathBuf::from(value),
            other => return Err(format!("unknown option {other}; {USAGE}")),
        }
    }
    let trained = train(&train_set, &dev, &Settings::default()).map_err(|e| e.to_string())?;
    std::fs::write(&out, &trained.model_file).map_err(|e| format!("{}: {e}", out.display()))?;
    for (l2, f1) in &trained.tried {
        println!("l2 {l2:<8} dev F1 at its best decision point {f1:.4}");
    }
    println!(
        "chose l2 {}; {} features written to {}",
        trained.l2,
        trained.features,
        out.display()
    );
    print_line("dev", &trained.dev);
    Ok(())
}

fn run_report(args: &[String]) -> Result<(), String> {
    let (dir, options) = args.split_first().ok_or_else(|| USAGE.to_owned())?;
    let mut part = "test".to_owned();
    let mut model_path = PathBuf::from(DEFAULT_MODEL);
    let mut show_mistakes = false;
    let mut rest = options.iter();
    while let Some(option) = rest.next() {
        match option.as_str() {
            "--mistakes" => show_mistakes = true,
            "--split" | "--model" => {
                let value = rest
                    .next()
                    .ok_or_else(|| format!("{option} needs a value"))?;
                if option == "--split" {
                    part = value.clone();
                } else {
                    model_path = PathBuf::from(value);
                }
            }
            other => return Err(format!("unknown option {other}; {USAGE}")),
        }
    }
    let text = std::fs::read_to_string(&model_path)
        .map_err(|e| format!("{}: {e}", model_path.display()))?;
    let model = IntentModel::parse(&text).map_err(|e| format!("{}: {e}", model_path.display()))?;
    let scorer = BuiltinIntentScorer::with_model(IntentThreshold::DEFAULT, Arc::new(model));
    let examples = read(&format!("{dir}/{part}.tsv"))?;
    let evaluation = evaluate(&scorer, &examples);
    println!(
        "{part} split, threshold {}",
        IntentThreshold::DEFAULT.value()
    );
    print_line("all", &evaluation.overall);
    for (title, table) in [
        ("language", &evaluation.by_lang),
        ("trade", &evaluation.by_trade),
        ("kind", &evaluation.by_kind),
    ] {
        println!("\nby {title}:");
        for (key, confusion) in table {
            print_line(key, confusion);
        }
    }
    if show_mistakes {
        println!("\nmistakes:");
        for mistake in &evaluation.mistakes {
            println!(
                "{:9} {:.3} {:18} [{}] {}",
                if mistake.example.hot {
                    "missed"
                } else {
                    "false hot"
                },
                mistake.score,
                mistake.example.kind.as_deref().unwrap_or("-"),
                mistake.signals.join(", "),
                mistake.example.text
            );
        }
    }
    Ok(())
}

fn print_line(name: &str, c: &Confusion) {
    println!(
        "  {name:<20} n {:>4}  hot {:>4}  precision {:.3}  recall {:.3}  F1 {:.3}  (tp {} fp {} fn {} tn {})",
        c.n(),
        c.tp + c.fn_,
        c.precision(),
        c.recall(),
        c.f1(),
        c.tp,
        c.fp,
        c.fn_,
        c.tn
    );
}

fn read(path: &str) -> Result<Vec<Example>, String> {
    labelled::read_file(Path::new(path)).map_err(|error| error.to_string())
}
