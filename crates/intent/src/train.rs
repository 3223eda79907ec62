//! Fits the intent model: L2-regularised logistic regression over the
//! features the scorer reads ([`BuiltinIntentScorer::features`]).
//!
//! 1. Every training message's features are read by the scorer itself, so
//!    training and scoring cannot disagree on what a feature is. Opt-outs are
//!    left out: the scorer never asks the model about them.
//! 2. Features seen in fewer than `min_count` training messages are dropped
//!    (rule signals and shapes are always kept).
//! 3. The mean log-loss plus `l2 / 2 · |w|²` is minimised by full-batch
//!    gradient descent with Adam steps; the bias is not regularised.
//! 4. Each `l2` of the grid is fitted and judged on the dev split at its best
//!    decision point; the best one wins. Its bias is then shifted so that the
//!    server's threshold (0.7 by default) falls on that decision point.
//!
//! Deterministic: the same data gives the same model file.

use std::collections::HashMap;
use std::sync::Arc;

use hotline_domain::{BuiltinIntentScorer, IntentModel, IntentThreshold};

use crate::labelled::Example;
use crate::metrics::{Confusion, evaluate};

/// How a model is fitted.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The L2 strengths tried.
    pub l2_grid: Vec<f64>,
    /// Gradient steps per fit.
    pub steps: usize,
    /// Adam's step size.
    pub learning_rate: f64,
    /// Fewest training messages a word, pair or letter run must appear in.
    pub min_count: usize,
    /// The threshold the server uses; the decision point is moved onto it.
    pub threshold: IntentThreshold,
    /// Weights smaller than this are left out of the file.
    pub prune_below: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            l2_grid: vec![3e-4, 1e-3, 3e-3, 1e-2],
            steps: 600,
            learning_rate: 0.05,
            min_count: 2,
            threshold: IntentThreshold::DEFAULT,
            prune_below: 1e-3,
        }
    }
}

/// A fitted model and how it did on dev.
#[derive(Debug, Clone)]
pub struct Trained {
    /// The model file's text.
    pub model_file: String,
    /// The model's verdicts on the dev split, at the server's threshold.
    pub dev: Confusion,
    /// The L2 strength chosen.
    pub l2: f64,
    /// Features with a weight in the file.
    pub features: usize,
    /// Each L2 strength tried, with its dev F1 at its best decision point.
    pub tried: Vec<(f64, f64)>,
}

/// A training set that cannot be fitted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrainError {
    /// Training needs both hot and not-hot messages.
    #[error("the training set needs both hot and not-hot messages")]
    OneClass,
    /// The dev split is empty.
    #[error("the dev split is empty")]
    NoDev,
    /// The written model did not read back (a bug).
    #[error("the written model does not read back: {0}")]
    Unreadable(String),
}

/// Messages as rows of (feature index, value).
struct Matrix {
    rows: Vec<Vec<(usize, f64)>>,
    labels: Vec<f64>,
}

/// Fits a model on `train`, choosing its settings on `dev`.
///
/// # Errors
///
/// Returns [`TrainError`] when a split lacks what fitting needs.
pub fn train(
    train: &[Example],
    dev: &[Example],
    settings: &Settings,
) -> Result<Trained, TrainError> {
    if dev.is_empty() {
        return Err(TrainError::NoDev);
    }
    let reader = BuiltinIntentScorer::default();
    let read = |examples: &[Example]| -> Vec<(Vec<(String, f32)>, bool)> {
        examples
            .iter()
            .filter_map(|e| reader.features(&e.text).map(|f| (f, e.hot)))
            .collect()
    };
    let train_rows = read(train);
    let dev_rows = read(dev);
    let hot = train_rows.iter().filter(|(_, hot)| *hot).count();
    if hot == 0 || hot == train_rows.len() {
        return Err(TrainError::OneClass);
    }
    let vocabulary = vocabulary(&train_rows, settings.min_count);
    let train_matrix = matrix(&train_rows, &vocabulary);
    let dev_matrix = matrix(&dev_rows, &vocabulary);

    let mut best: Option<(f64, f64, Vec<f64>, f64)> = None;
    let mut tried = Vec::new();
    for &l2 in &settings.l2_grid {
        let weights = fit(&train_matrix, vocabulary.len(), l2, settings);
        let (cut, f1) = best_cut(&dev_matrix, &weights);
        tried.push((l2, f1));
        if best.as_ref().is_none_or(|(_, best_f1, _, _)| f1 > *best_f1) {
            best = Some((l2, f1, weights, cut));
        }
    }
    let Some((l2, _, mut weights, cut)) = best else {
        return Err(TrainError::NoDev);
    };
    let bias_at = vocabulary.len();
    weights[bias_at] += logit(settings.threshold.value()) - cut;

    let mut names: Vec<(&str, usize)> = vocabulary.iter().map(|(n, i)| (n.as_str(), *i)).collect();
    names.sort_by(|a, b| {
        weights[b.1]
            .abs()
            .total_cmp(&weights[a.1].abs())
            .then(a.0.cmp(b.0))
    });
    let kept: Vec<(&str, f64)> = names
        .into_iter()
        .map(|(name, index)| (name, weights[index]))
        .filter(|(_, weight)| weight.abs() >= settings.prune_below)
        .collect();
    let mut file = String::from("hotline-intent-model 1\n");
    file.push_str(&format!(
        "# Logistic regression over rule signals, shapes, words, word pairs and letter runs.\n\
         # Written by `hotline-intent train`; see docs/intent.md. {} training messages, \
         {} dev messages, l2 {l2}, {} steps, features seen in at least {} messages.\n",
        train_rows.len(),
        dev_rows.len(),
        settings.steps,
        settings.min_count
    ));
    file.push_str(&format!("bias\t{:.5}\n", weights[bias_at]));
    for (name, weight) in &kept {
        file.push_str(&format!("{name}\t{weight:.5}\n"));
    }

    let model =
        IntentModel::parse(&file).map_err(|error| TrainError::Unreadable(error.to_string()))?;
    let scorer = BuiltinIntentScorer::with_model(settings.threshold, Arc::new(model));
    Ok(Trained {
        dev: evaluate(&scorer, dev).overall,
        model_file: file,
        l2,
        features: kept.len(),
        tried,
    })
}

fn vocabulary(rows: &[(Vec<(String, f32)>, bool)], min_count: usize) -> HashMap<String, usize> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for (features, _) in rows {
        let mut seen: Vec<&str> = features.iter().map(|(n, _)| n.as_str()).collect();
        seen.sort_unstable();
        seen.dedup();
        for name in seen {
            *counts.entry(name).or_default() += 1;
        }
    }
    let mut names: Vec<&str> = counts
        .into_iter()
        .filter(|(name, count)| {
            *count >= min_count || name.starts_with("s:") || name.starts_with("x:")
        })
        .map(|(name, _)| name)
        .collect();
    names.sort_unstable();
    names
        .into_iter()
        .enumerate()
        .map(|(index, name)| (name.to_owned(), index))
        .collect()
}

fn matrix(rows: &[(Vec<(String, f32)>, bool)], vocabulary: &HashMap<String, usize>) -> Matrix {
    let mut matrix = Matrix {
        rows: Vec::with_capacity(rows.len()),
        labels: Vec::with_capacity(rows.len()),
    };
    for (features, hot) in rows {
        let mut row: HashMap<usize, f64> = HashMap::new();
        for (name, value) in features {
            if let Some(&index) = vocabulary.get(name) {
                *row.entry(index).or_default() += f64::from(*value);
            }
        }
        let mut row: Vec<(usize, f64)> = row.into_iter().collect();
        row.sort_unstable_by_key(|(index, _)| *index);
        matrix.rows.push(row);
        matrix.labels.push(if *hot { 1.0 } else { 0.0 });
    }
    matrix
}

/// Weights for every feature, the bias last.
fn fit(matrix: &Matrix, features: usize, l2: f64, settings: &Settings) -> Vec<f64> {
    let bias_at = features;
    let mut weights = vec![0.0; features + 1];
    let (mut m, mut v) = (vec![0.0; features + 1], vec![0.0; features + 1]);
    let (beta1, beta2, epsilon) = (0.9_f64, 0.999_f64, 1e-8);
    let n = matrix.rows.len() as f64;
    for step in 1..=settings.steps {
        let mut gradient: Vec<f64> = weights.iter().map(|w| l2 * w).collect();
        gradient[bias_at] = 0.0;
        for (row, label) in matrix.rows.iter().zip(&matrix.labels) {
            let error = sigmoid(log_odds(row, &weights)) - label;
            for (index, value) in row {
                gradient[*index] += error * value / n;
            }
            gradient[bias_at] += error / n;
        }
        let step = i32::try_from(step).unwrap_or(i32::MAX);
        let (correct1, correct2) = (1.0 - beta1.powi(step), 1.0 - beta2.powi(step));
        for i in 0..weights.len() {
            m[i] = beta1 * m[i] + (1.0 - beta1) * gradient[i];
            v[i] = beta2 * v[i] + (1.0 - beta2) * gradient[i] * gradient[i];
            weights[i] -=
                settings.learning_rate * (m[i] / correct1) / ((v[i] / correct2).sqrt() + epsilon);
        }
    }
    weights
}

/// The log-odds cut that gives the best F1 on `matrix`, and that F1.
fn best_cut(matrix: &Matrix, weights: &[f64]) -> (f64, f64) {
    let mut scored: Vec<(f64, bool)> = matrix
        .rows
        .iter()
        .zip(&matrix.labels)
        .map(|(row, label)| (log_odds(row, weights), *label > 0.5))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let hot_total = scored.iter().filter(|(_, hot)| *hot).count();
    let (mut best_f1, mut best_cut) = (-1.0, 0.0);
    let mut confusion = Confusion {
        fn_: u32::try_from(hot_total).unwrap_or(u32::MAX),
        tn: u32::try_from(scored.len() - hot_total).unwrap_or(u32::MAX),
        ..Confusion::default()
    };
    // Calling the top k hot, for every k; the cut lies between k-th and k+1-th.
    for k in 0..scored.len() {
        if scored[k].1 {
            confusion.tp += 1;
            confusion.fn_ -= 1;
        } else {
            confusion.fp += 1;
            confusion.tn -= 1;
        }
        let next = scored.get(k + 1).map_or(scored[k].0 - 1.0, |s| s.0);
        if next == scored[k].0 {
            continue;
        }
        let f1 = confusion.f1();
        if f1 > best_f1 {
            best_f1 = f1;
            best_cut = (scored[k].0 + next) / 2.0;
        }
    }
    (best_cut, best_f1)
}

fn log_odds(row: &[(usize, f64)], weights: &[f64]) -> f64 {
    let bias = weights[weights.len() - 1];
    row.iter()
        .fold(bias, |sum, (index, value)| sum + weights[*index] * value)
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn logit(p: f64) -> f64 {
    (p / (1.0 - p)).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(hot: bool, text: &str) -> Example {
        Example {
            hot,
            trade: None,
            lang: None,
            kind: None,
            text: text.into(),
        }
    }

    #[test]
    fn a_model_learns_words_it_was_never_given_as_rules() {
        let mut train_set = Vec::new();
        for i in 0..30 {
            train_set.push(example(true, &format!("zorblat the fence {i}")));
            train_set.push(example(false, &format!("quimble the fence {i}")));
        }
        let dev = vec![example(true, "zorblat it"), example(false, "quimble it")];
        let settings = Settings {
            l2_grid: vec![1e-3],
            steps: 200,
            ..Settings::default()
        };
        let trained = train(&train_set, &dev, &settings).expect("trains");
        assert_eq!(
            (trained.dev.tp, trained.dev.tn),
            (1, 1),
            "{:?}",
            trained.dev
        );
        let model = IntentModel::parse(&trained.model_file).expect("reads back");
        let scorer = BuiltinIntentScorer::with_model(IntentThreshold::DEFAULT, Arc::new(model));
        let hot = scorer.assess("zorblat");
        assert!(hot.hot, "{hot:?}");
        assert!(
            hot.signals.iter().any(|s| s.to_string() == "word:zorblat"),
            "{hot:?}"
        );
        assert!(!scorer.assess("quimble").hot);
    }

    #[test]
    fn one_class_or_no_dev_is_refused() {
        let only_hot = vec![example(true, "leak"), example(true, "flood")];
        assert_eq!(
            train(&only_hot, &only_hot, &Settings::default()).err(),
            Some(TrainError::OneClass)
        );
        assert_eq!(
            train(&only_hot, &[], &Settings::default()).err(),
            Some(TrainError::NoDev)
        );
    }

    #[test]
    fn the_best_cut_separates_the_dev_scores() {
        let matrix = Matrix {
            rows: vec![
                vec![(0, 3.0)],
                vec![(0, 1.0)],
                vec![(0, -1.0)],
                vec![(0, -3.0)],
            ],
            labels: vec![1.0, 1.0, 0.0, 0.0],
        };
        let (cut, f1) = best_cut(&matrix, &[1.0, 0.0]);
        assert_eq!((cut, f1), (0.0, 1.0));
    }
}
