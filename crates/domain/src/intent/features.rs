//! The features the learned scorer weighs, read from a normalized message.
//!
//! Five kinds, each named by a prefix in the model file:
//! - `s:` a rule signal (`s:urgent_problem`);
//! - `x:` a shape of the message (`x:words_1`, `x:question`);
//! - `w:` a word (`w:hired`);
//! - `p:` two words in a row within a clause, `^` and `$` marking the
//!   message's first and last word (`p:go ahead`, `p:^ call`);
//! - `c:` three to five letters of one word, `<` and `>` marking its start
//!   and end (`c:<hir`, `c:red>`), so typos and unseen forms still count.
//!
//! Digits are read as `0` ("3pm" and "5pm" are one feature). A feature's key
//! is the 64-bit FNV-1a hash of its name, computed without building the name,
//! so scoring allocates almost nothing.

use std::borrow::Cow;
use std::fmt;

use super::Signal;
use super::normalize::{BREAK, Normalized};

/// Shortest and longest letter runs read from a word.
const CHAR_GRAMS: std::ops::RangeInclusive<usize> = 3..=5;

/// The value of each letter-run feature; a word yields many, so each
/// counts for less than a whole word.
const CHAR_GRAM_VALUE: f32 = 0.4;

/// What a feature was read from, so its weight can be credited to a part of
/// the message people recognise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Origin {
    /// A rule signal.
    Rule(Signal),
    /// The message's shape.
    Shape(&'static str),
    /// The word at this index of [`MessageFeatures::words`].
    Word(usize),
    /// The words at this index and the next.
    Pair(usize),
}

/// One feature of a message.
#[derive(Debug, Clone, Copy)]
pub(super) enum Feature<'a> {
    /// A rule signal.
    Signal(Signal),
    /// A shape of the message.
    Shape(&'static str),
    /// A word.
    Word(&'a str),
    /// Two words in a row.
    Pair(&'a str, &'a str),
    /// A run of letters inside a word, with whether it touches the word's
    /// start and end.
    Chars {
        /// The letters.
        text: &'a str,
        /// The run starts the word.
        first: bool,
        /// The run ends the word.
        last: bool,
    },
}

impl Feature<'_> {
    /// How much the feature counts when present.
    pub fn value(&self) -> f32 {
        match self {
            Self::Chars { .. } => CHAR_GRAM_VALUE,
            _ => 1.0,
        }
    }

    /// The 64-bit FNV-1a hash of the feature's name.
    pub fn key(&self) -> u64 {
        let mut hash = Fnv::new();
        self.write_name(&mut |part| hash.write(part));
        hash.finish()
    }

    /// Writes the feature's name in pieces.
    fn write_name(&self, sink: &mut impl FnMut(&str)) {
        match self {
            Self::Signal(signal) => {
                sink("s:");
                sink(signal.as_str());
            }
            Self::Shape(shape) => {
                sink("x:");
                sink(shape);
            }
            Self::Word(word) => {
                sink("w:");
                sink(word);
            }
            Self::Pair(first, second) => {
                sink("p:");
                sink(first);
                sink(" ");
                sink(second);
            }
            Self::Chars { text, first, last } => {
                sink("c:");
                if *first {
                    sink("<");
                }
                sink(text);
                if *last {
                    sink(">");
                }
            }
        }
    }
}

impl fmt::Display for Feature<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut result = Ok(());
        self.write_name(&mut |part| {
            if result.is_ok() {
                result = f.write_str(part);
            }
        });
        result
    }
}

/// The key of a feature given by its name, as written in the model file.
pub(super) fn key_of_name(name: &str) -> u64 {
    let mut hash = Fnv::new();
    hash.write(name);
    hash.finish()
}

/// A message's words, ready to be read as features.
#[derive(Debug)]
pub(super) struct MessageFeatures<'a> {
    /// The words, digits read as `0`; `None` stands for a clause break.
    words: Vec<Option<Cow<'a, str>>>,
    /// The rule signals found.
    signals: &'a [Signal],
    /// Shapes of the message.
    shapes: Vec<&'static str>,
}

impl<'a> MessageFeatures<'a> {
    /// Prepares the features of `message`, whose rule signals are `signals`.
    pub fn new(message: &'a Normalized, signals: &'a [Signal]) -> Self {
        let words: Vec<Option<Cow<'a, str>>> = message
            .tokens
            .iter()
            .map(|token| (token != BREAK).then(|| digits_as_zero(token)))
            .collect();
        let count = words.iter().flatten().count();
        let mut shapes = vec![match count {
            0 => "words_0",
            1 => "words_1",
            2..=3 => "words_2_3",
            4..=8 => "words_4_8",
            9..=20 => "words_9_20",
            _ => "words_21_up",
        }];
        if message.question {
            shapes.push("question");
        }
        if message.urgent_emoji {
            shapes.push("urgent_emoji");
        }
        if message.ack_emoji {
            shapes.push("ack_emoji");
        }
        Self {
            words,
            signals,
            shapes,
        }
    }

    /// The word at `index`, or `""` for a clause break.
    pub fn word(&self, index: usize) -> &str {
        self.words
            .get(index)
            .and_then(|w| w.as_deref())
            .unwrap_or("")
    }

    /// Calls `visit` with every feature and where it came from, in a stable
    /// order; a feature may come more than once.
    pub fn for_each(&self, mut visit: impl FnMut(Feature<'_>, Origin)) {
        for signal in self.signals {
            visit(Feature::Signal(*signal), Origin::Rule(*signal));
        }
        for shape in &self.shapes {
            visit(Feature::Shape(shape), Origin::Shape(shape));
        }
        let first_word = self.words.iter().position(Option::is_some);
        let last_word = self.words.iter().rposition(Option::is_some);
        for (index, word) in self.words.iter().enumerate() {
            let Some(word) = word.as_deref() else {
                continue;
            };
            visit(Feature::Word(word), Origin::Word(index));
            for_each_char_gram(word, |gram| visit(gram, Origin::Word(index)));
            if Some(index) == first_word {
                visit(Feature::Pair("^", word), Origin::Word(index));
            }
            if Some(index) == last_word {
                visit(Feature::Pair(word, "$"), Origin::Word(index));
            }
            if let Some(Some(next)) = self.words.get(index + 1) {
                visit(Feature::Pair(word, next), Origin::Pair(index));
            }
        }
    }
}

/// Calls `visit` with every run of three to five letters of `word`.
fn for_each_char_gram<'w>(word: &'w str, mut visit: impl FnMut(Feature<'w>)) {
    // Byte offsets of each letter; an ASCII word (most, once folded) needs no table.
    let bounds: Vec<usize> = if word.is_ascii() {
        Vec::new()
    } else {
        word.char_indices()
            .map(|(i, _)| i)
            .chain(std::iter::once(word.len()))
            .collect()
    };
    let offset = |letter: usize| bounds.get(letter).copied().unwrap_or(letter);
    let chars = if word.is_ascii() {
        word.len()
    } else {
        bounds.len() - 1
    };
    // With its start and end marks a word of n letters has n + 2 positions.
    let marked = chars + 2;
    for length in CHAR_GRAMS {
        if length > marked {
            break;
        }
        for start in 0..=marked - length {
            let end = start + length;
            let first = start == 0;
            let last = end == marked;
            let from = if first { 0 } else { start - 1 };
            let to = if last { chars } else { end - 1 };
            if from >= to {
                continue;
            }
            visit(Feature::Chars {
                text: &word[offset(from)..offset(to)],
                first,
                last,
            });
        }
    }
}

fn digits_as_zero(token: &str) -> Cow<'_, str> {
    if token.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        Cow::Owned(
            token
                .chars()
                .map(|c| if c.is_ascii_digit() { '0' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(token)
    }
}

/// 64-bit FNV-1a, fed in pieces.
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, text: &str) {
        for byte in text.bytes() {
            self.0 ^= u64::from(byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::super::normalize::normalize;
    use super::*;

    fn names(text: &str, signals: &[Signal]) -> Vec<String> {
        let message = normalize(text);
        let features = MessageFeatures::new(&message, signals);
        let mut names = Vec::new();
        features.for_each(|feature, _| names.push(feature.to_string()));
        names
    }

    #[test]
    fn a_message_yields_words_pairs_letters_shapes_and_signals() {
        let names = names("Call me at 3pm?", &[Signal::CallRequest]);
        for expected in [
            "s:call_request",
            "x:words_4_8",
            "x:question",
            "w:call",
            "p:^ call",
            "p:call me",
            "p:at 0pm",
            "p:0pm $",
            "c:<ca",
            "c:<cal",
            "c:all>",
            "c:<me>",
        ] {
            assert!(
                names.contains(&expected.to_owned()),
                "{expected} not in {names:?}"
            );
        }
        assert!(!names.iter().any(|n| n.contains('3')), "{names:?}");
    }

    #[test]
    fn pairs_stop_at_a_clause_break() {
        let names = names("no. call me", &[]);
        assert!(!names.contains(&"p:no call".to_owned()), "{names:?}");
        assert!(names.contains(&"p:call me".to_owned()), "{names:?}");
    }

    #[test]
    fn a_feature_key_is_the_hash_of_its_name() {
        let message = normalize("Héllo, tomorrow 9am ça marche");
        let signals = [Signal::TimeUrgency];
        let features = MessageFeatures::new(&message, &signals);
        let mut checked = 0;
        features.for_each(|feature, _| {
            assert_eq!(
                feature.key(),
                key_of_name(&feature.to_string()),
                "{feature}"
            );
            checked += 1;
        });
        assert!(checked > 20, "{checked}");
    }

    #[test]
    fn letter_runs_cover_short_and_accented_words() {
        let mut grams = Vec::new();
        for_each_char_gram("a", |g| grams.push(g.to_string()));
        assert_eq!(grams, ["c:<a>"]);
        grams.clear();
        for_each_char_gram("né", |g| grams.push(g.to_string()));
        assert_eq!(grams, ["c:<né", "c:né>", "c:<né>"]);
    }
}
