//! The learned model: a bias and one weight per feature, read from a small
//! text file.
//!
//! The file Hotline ships, `model.tsv` beside this module, is written by
//! `hotline-intent-train` (see `docs/intent.md`) and compiled into the
//! binary. Its first line is `hotline-intent-model 1`; lines starting with
//! `#` are notes; every other line is a feature name (see [`super::features`])
//! or `bias`, a tab, and a weight. A message's log-odds of being hot are the
//! bias plus the weight times the value of each of its features.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, LazyLock};

use super::features::key_of_name;

/// The first line of a model file.
const HEADER: &str = "hotline-intent-model 1";

/// The model compiled into Hotline.
const SHIPPED: &str = include_str!("model.tsv");

static SHIPPED_MODEL: LazyLock<Arc<IntentModel>> = LazyLock::new(|| {
    // The shipped file is checked by `the_shipped_model_parses` below.
    Arc::new(IntentModel::parse(SHIPPED).expect("the shipped intent model parses"))
});

/// A model file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntentModelError {
    /// The first line is not `hotline-intent-model 1`.
    #[error("not a Hotline intent model: the first line must be `{HEADER}`")]
    NotAModel,
    /// A line is not a name, a tab and a finite number.
    #[error("line {line}: expected a feature name, a tab and a finite weight")]
    BadLine {
        /// The line number, from 1.
        line: usize,
    },
    /// A feature is given twice.
    #[error("line {line}: `{name}` is given twice")]
    Repeated {
        /// The line number, from 1.
        line: usize,
        /// The feature.
        name: String,
    },
    /// No `bias` line.
    #[error("the model has no `bias` line")]
    NoBias,
}

/// A logistic-regression model over message features.
#[derive(Debug, Clone)]
pub struct IntentModel {
    bias: f32,
    weights: HashMap<u64, f32, BuildHasherDefault<KeyHasher>>,
}

impl IntentModel {
    /// The model compiled into Hotline.
    pub fn shipped() -> Arc<Self> {
        Arc::clone(&SHIPPED_MODEL)
    }

    /// Reads a model file.
    ///
    /// # Errors
    ///
    /// Returns [`IntentModelError`] naming the first line that is not a
    /// feature, a tab and a finite weight, a repeated feature, or a missing
    /// header or bias.
    pub fn parse(text: &str) -> Result<Self, IntentModelError> {
        let mut lines = text.lines().enumerate();
        if lines.next().map(|(_, l)| l.trim_end()) != Some(HEADER) {
            return Err(IntentModelError::NotAModel);
        }
        let mut bias = None;
        let mut weights = HashMap::default();
        for (index, line) in lines {
            let line_number = index + 1;
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, weight) = line
                .split_once('\t')
                .and_then(|(name, weight)| Some((name, weight.trim().parse::<f32>().ok()?)))
                .filter(|(name, weight)| !name.is_empty() && weight.is_finite())
                .ok_or(IntentModelError::BadLine { line: line_number })?;
            let repeated = if name == "bias" {
                bias.replace(weight).is_some()
            } else {
                weights.insert(key_of_name(name), weight).is_some()
            };
            if repeated {
                return Err(IntentModelError::Repeated {
                    line: line_number,
                    name: name.to_owned(),
                });
            }
        }
        Ok(Self {
            bias: bias.ok_or(IntentModelError::NoBias)?,
            weights,
        })
    }

    /// The log-odds of a message with no known feature.
    pub fn bias(&self) -> f32 {
        self.bias
    }

    /// How many features carry a weight.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// Whether no feature carries a weight.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// The weight of the feature with this key; 0 for an unknown one.
    pub(super) fn weight(&self, key: u64) -> f32 {
        self.weights.get(&key).copied().unwrap_or(0.0)
    }
}

/// Keys are already FNV hashes: use them as they are.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_model_parses() {
        let model = IntentModel::parse(SHIPPED);
        assert!(model.as_ref().is_ok_and(|m| m.len() > 1000), "{model:?}");
    }

    #[test]
    fn a_model_file_is_a_header_a_bias_and_weights() {
        let model =
            IntentModel::parse("hotline-intent-model 1\n# note\nbias\t-1.5\nw:leak\t2.25\n");
        let model = model.expect("parses");
        assert_eq!(model.bias(), -1.5);
        assert_eq!(model.weight(key_of_name("w:leak")), 2.25);
        assert_eq!(model.weight(key_of_name("w:roof")), 0.0);
    }

    #[test]
    fn a_bad_model_file_names_its_problem() {
        let parse = IntentModel::parse;
        assert_eq!(parse("bias\t1").err(), Some(IntentModelError::NotAModel));
        assert_eq!(
            parse("hotline-intent-model 1\nbias\t1\nw:a 2\n").err(),
            Some(IntentModelError::BadLine { line: 3 })
        );
        assert_eq!(
            parse("hotline-intent-model 1\nbias\t1\nw:a\tNaN\n").err(),
            Some(IntentModelError::BadLine { line: 3 })
        );
        assert_eq!(
            parse("hotline-intent-model 1\nbias\t1\nw:a\t1\nw:a\t2\n").err(),
            Some(IntentModelError::Repeated {
                line: 4,
                name: "w:a".to_owned()
            })
        );
        assert_eq!(
            parse("hotline-intent-model 1\nw:a\t1\n").err(),
            Some(IntentModelError::NoBias)
        );
    }
}
