//! A small phrase matcher over normalized tokens.
//!
//! A pattern is written as space-separated pieces:
//! - `word` matches that token exactly;
//! - `stem*` matches any token starting with `stem`;
//! - `a|an|the` matches any of the alternatives (each may be a stem);
//! - `~` skips zero to two tokens, never across a clause break.
//!
//! Patterns are indexed by their first piece, so matching a message costs a
//! hash lookup per token plus a scan of the few stem-first patterns.

use std::collections::HashMap;

use super::normalize::BREAK;

/// The most tokens a `~` gap may skip.
const MAX_GAP: usize = 2;

#[derive(Debug, Clone)]
enum Atom {
    Exact(&'static str),
    Stem(&'static str),
}

impl Atom {
    fn parse(text: &'static str) -> Self {
        match text.strip_suffix('*') {
            Some(stem) => Self::Stem(stem),
            None => Self::Exact(text),
        }
    }

    fn matches(&self, token: &str) -> bool {
        match self {
            Self::Exact(word) => token == *word,
            Self::Stem(stem) => token.starts_with(stem) && token != BREAK,
        }
    }
}

#[derive(Debug, Clone)]
enum Piece {
    AnyOf(Vec<Atom>),
    Gap,
}

/// One compiled pattern.
#[derive(Debug, Clone)]
struct Pattern<T> {
    pieces: Vec<Piece>,
    tag: T,
}

impl<T> Pattern<T> {
    /// The end of a match starting at `start`, if the pattern matches there.
    fn match_at(&self, tokens: &[String], start: usize) -> Option<usize> {
        match_pieces(&self.pieces, tokens, start)
    }
}

fn match_pieces(pieces: &[Piece], tokens: &[String], at: usize) -> Option<usize> {
    let Some((first, rest)) = pieces.split_first() else {
        return Some(at);
    };
    match first {
        Piece::AnyOf(atoms) => {
            let token = tokens.get(at)?;
            if atoms.iter().any(|atom| atom.matches(token)) {
                match_pieces(rest, tokens, at + 1)
            } else {
                None
            }
        }
        Piece::Gap => (0..=MAX_GAP).find_map(|skip| {
            let skipped = tokens.get(at..at + skip)?;
            if skipped.iter().any(|t| t == BREAK) {
                return None;
            }
            match_pieces(rest, tokens, at + skip)
        }),
    }
}

/// Where a pattern matched: its tag and the token span `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Found<T> {
    pub tag: T,
    pub start: usize,
    pub end: usize,
}

/// A set of tagged patterns, indexed for matching.
#[derive(Debug, Clone)]
pub(super) struct PatternSet<T> {
    patterns: Vec<Pattern<T>>,
    by_first_word: HashMap<&'static str, Vec<usize>>,
    stem_first: Vec<(&'static str, usize)>,
}

impl<T: Copy> PatternSet<T> {
    /// Compiles `(tag, patterns)` groups; empty patterns are skipped.
    pub fn new(groups: &[(T, &[&'static str])]) -> Self {
        let mut set = Self {
            patterns: Vec::new(),
            by_first_word: HashMap::new(),
            stem_first: Vec::new(),
        };
        for (tag, texts) in groups {
            for text in *texts {
                let pieces: Vec<Piece> = text
                    .split_whitespace()
                    .map(|piece| match piece {
                        "~" => Piece::Gap,
                        _ => Piece::AnyOf(piece.split('|').map(Atom::parse).collect()),
                    })
                    .collect();
                let Some(Piece::AnyOf(first)) = pieces.first().cloned() else {
                    continue;
                };
                let index = set.patterns.len();
                set.patterns.push(Pattern { pieces, tag: *tag });
                for atom in first {
                    match atom {
                        Atom::Exact(word) => set.by_first_word.entry(word).or_default().push(index),
                        Atom::Stem(stem) => set.stem_first.push((stem, index)),
                    }
                }
            }
        }
        set
    }

    /// Every match in `tokens`, the longest per pattern and start position.
    pub fn find_all(&self, tokens: &[String], mut visit: impl FnMut(Found<T>)) {
        for (start, token) in tokens.iter().enumerate() {
            if token == BREAK {
                continue;
            }
            let exact = self
                .by_first_word
                .get(token.as_str())
                .into_iter()
                .flatten()
                .copied();
            let stems = self
                .stem_first
                .iter()
                .filter(|(stem, _)| token.starts_with(stem))
                .map(|(_, index)| *index);
            for index in exact.chain(stems) {
                if let Some(pattern) = self.patterns.get(index)
                    && let Some(end) = pattern.match_at(tokens, start)
                {
                    visit(Found {
                        tag: pattern.tag,
                        start,
                        end,
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        text.split(' ').map(str::to_owned).collect()
    }

    fn matches(pattern: &'static str, text: &str) -> Vec<(usize, usize)> {
        let patterns: &[&'static str] = &[pattern];
        let set = PatternSet::new(&[((), patterns)]);
        let mut found = Vec::new();
        set.find_all(&tokens(text), |f| found.push((f.start, f.end)));
        found
    }

    #[test]
    fn words_stems_and_alternatives() {
        assert_eq!(matches("call me", "please call me now"), [(1, 3)]);
        assert_eq!(matches("leak*", "it is leaking"), [(2, 3)]);
        assert_eq!(matches("no heat|ac", "we have no ac"), [(2, 4)]);
        assert!(matches("call me", "called me").is_empty());
    }

    #[test]
    fn gaps_skip_up_to_two_tokens_within_a_clause() {
        assert_eq!(matches("can ~ call me", "can you please call me"), [(0, 5)]);
        assert_eq!(matches("can ~ call me", "can call me"), [(0, 3)]);
        assert!(matches("can ~ call me", "can you please just call me").is_empty());
        assert!(matches("can ~ call me", "can you . call me").is_empty());
    }
}
