//! Splits the corpus once into train, dev and test.
//!
//! Messages are merged, and repeats (the same text once lower-cased and its
//! spaces collapsed) dropped; a text given both labels is dropped whole and
//! reported. Within each label and language the messages are ordered by a
//! hash of their text and cut 70 / 15 / 15, so the split is stratified,
//! independent of file order and the same on every run.

use std::collections::{BTreeMap, HashMap};

use crate::labelled::Example;

/// The three parts of the corpus.
#[derive(Debug, Default)]
pub struct Split {
    /// For fitting weights.
    pub train: Vec<Example>,
    /// For choosing settings and the decision point.
    pub dev: Vec<Example>,
    /// Scored only to report.
    pub test: Vec<Example>,
    /// Texts dropped because they were given both labels.
    pub conflicts: Vec<String>,
    /// Repeats dropped.
    pub repeats: usize,
}

/// Merges `examples`, drops repeats and splits them; see the module docs.
pub fn split(examples: Vec<Example>) -> Split {
    let mut result = Split::default();
    let mut by_text: HashMap<String, (usize, bool)> = HashMap::new();
    let mut kept: Vec<Option<Example>> = Vec::new();
    for example in examples {
        let key = comparable(&example.text);
        match by_text.get(&key) {
            Some(&(_, hot)) if hot == example.hot => result.repeats += 1,
            Some(&(index, _)) => {
                if kept[index].take().is_some() {
                    result.conflicts.push(example.text.clone());
                }
            }
            None => {
                by_text.insert(key, (kept.len(), example.hot));
                kept.push(Some(example));
            }
        }
    }
    let mut strata: BTreeMap<(bool, String), Vec<Example>> = BTreeMap::new();
    for example in kept.into_iter().flatten() {
        let lang = example.lang.clone().unwrap_or_default();
        strata.entry((example.hot, lang)).or_default().push(example);
    }
    for (_, mut stratum) in strata {
        stratum.sort_by_key(|e| (fnv(&comparable(&e.text)), e.text.clone()));
        let n = stratum.len();
        let train_end = n * 70 / 100;
        let dev_end = n * 85 / 100;
        for (index, example) in stratum.into_iter().enumerate() {
            if index < train_end {
                result.train.push(example);
            } else if index < dev_end {
                result.dev.push(example);
            } else {
                result.test.push(example);
            }
        }
    }
    result
}

/// Lower case with runs of white space made one space: how texts are
/// compared for repeats.
pub fn comparable(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(hot: bool, text: &str) -> Example {
        Example {
            hot,
            trade: None,
            lang: Some("en".into()),
            kind: None,
            text: text.into(),
        }
    }

    #[test]
    fn repeats_go_conflicts_are_dropped_and_the_cut_is_seventy_fifteen_fifteen() {
        let mut examples: Vec<Example> = (0..100)
            .map(|i| example(i % 2 == 0, &format!("message {i}")))
            .collect();
        examples.push(example(true, "MESSAGE   0"));
        examples.push(example(false, "message 2"));
        let split = split(examples);
        assert_eq!(split.repeats, 1);
        assert_eq!(split.conflicts, ["message 2"]);
        assert_eq!(split.train.len() + split.dev.len() + split.test.len(), 99);
        assert_eq!(split.train.iter().filter(|e| e.hot).count(), 34);
        assert_eq!(split.train.iter().filter(|e| !e.hot).count(), 35);
        assert_eq!(split.test.iter().filter(|e| !e.hot).count(), 8);
    }

    #[test]
    fn the_split_does_not_depend_on_file_order() {
        let examples: Vec<Example> = (0..40)
            .map(|i| example(i % 3 == 0, &format!("text {i}")))
            .collect();
        let mut reversed = examples.clone();
        reversed.reverse();
        let (a, b) = (split(examples), split(reversed));
        let texts = |v: &[Example]| {
            let mut t: Vec<String> = v.iter().map(|e| e.text.clone()).collect();
            t.sort();
            t
        };
        assert_eq!(texts(&a.test), texts(&b.test));
        assert_eq!(texts(&a.dev), texts(&b.dev));
    }
}
