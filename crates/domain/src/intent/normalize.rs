//! Turns an SMS as typed into comparable tokens.
//!
//! Lower-cases, folds accents (é → e, ñ → n), splits French elisions
//! (m'appeler → m appeler), joins English contractions (don't → dont),
//! collapses stretched letters (helppp → help), expands common texting
//! abbreviations (tmrw, pls, u, a/c), and marks clause breaks (`.`) at
//! sentence punctuation so a negation does not reach across sentences.
//! Emojis are not tokens; the ones that signal alarm are counted.

/// The clause-break token; no pattern contains it.
pub(super) const BREAK: &str = ".";

/// A message ready for matching.
#[derive(Debug, Default)]
pub(super) struct Normalized {
    /// Words, numbers and clause breaks, in order.
    pub tokens: Vec<String>,
    /// An alarm emoji (🚨 💧 🔥 ❄️ 😱 …) appears.
    pub urgent_emoji: bool,
    /// An approving emoji (👍 👌 ✅) appears.
    pub ack_emoji: bool,
    /// A question mark appears.
    pub question: bool,
}

impl Normalized {
    /// The word tokens, without clause breaks.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.tokens
            .iter()
            .map(String::as_str)
            .filter(|t| *t != BREAK)
    }
}

/// Emojis and symbols that signal alarm or urgency.
const URGENT_EMOJI: &[char] = &[
    '🚨', '🆘', '⚠', '🔥', '💧', '💦', '🌊', '❄', '🥶', '🥵', '😱', '😰', '😩', '😫', '😭', '‼',
    '❗', '⏰', '🚒', '🚑', '💥', '🧯', '🪳', '🐀',
];

/// Emojis that only approve or acknowledge.
const ACK_EMOJI: &[char] = &['👍', '👌', '✅', '🆗', '👏'];

/// Texting abbreviations and frequent misspellings, with what they stand for.
const EXPANSIONS: &[(&str, &str)] = &[
    ("pls", "please"),
    ("plz", "please"),
    ("plse", "please"),
    ("pleas", "please"),
    ("tmrw", "tomorrow"),
    ("tmr", "tomorrow"),
    ("tmw", "tomorrow"),
    ("tmrow", "tomorrow"),
    ("tomorow", "tomorrow"),
    ("tommorow", "tomorrow"),
    ("tommorrow", "tomorrow"),
    ("tomorrw", "tomorrow"),
    ("2moro", "tomorrow"),
    ("2morrow", "tomorrow"),
    ("2mrw", "tomorrow"),
    ("tonite", "tonight"),
    ("2nite", "tonight"),
    ("2night", "tonight"),
    ("2day", "today"),
    ("tday", "today"),
    ("todya", "today"),
    ("rn", "right now"),
    ("u", "you"),
    ("yu", "you"),
    ("ur", "your"),
    ("r", "are"),
    ("cn", "can"),
    ("cud", "could"),
    ("cld", "could"),
    ("wud", "would"),
    ("wld", "would"),
    ("shud", "should"),
    ("wanna", "want to"),
    ("gonna", "going to"),
    ("gotta", "got to"),
    ("lemme", "let me"),
    ("gimme", "give me"),
    ("thx", "thanks"),
    ("thnx", "thanks"),
    ("thanx", "thanks"),
    ("ty", "thanks"),
    ("tks", "thanks"),
    ("appt", "appointment"),
    ("appts", "appointment"),
    ("b4", "before"),
    ("wat", "what"),
    ("wht", "what"),
    ("nite", "night"),
    ("msg", "message"),
    ("txt", "text"),
    ("sched", "schedule"),
    ("sked", "schedule"),
    ("furnance", "furnace"),
    ("furnice", "furnace"),
    ("emergancy", "emergency"),
    ("emergeny", "emergency"),
    ("emergncy", "emergency"),
    ("emerg", "emergency"),
    ("urgant", "urgent"),
    ("leek", "leak"),
    ("leeking", "leaking"),
    ("leakin", "leaking"),
    ("plumer", "plumber"),
    ("plummer", "plumber"),
    ("basment", "basement"),
    ("celing", "ceiling"),
    ("cieling", "ceiling"),
    ("availible", "available"),
    ("avail", "available"),
    ("aircon", "ac"),
    ("asp", "asap"),
    ("omw", "on my way"),
    ("nvm", "never mind"),
    ("nevermind", "never mind"),
    ("idk", "i dont know"),
    ("im", "i am"),
    ("ive", "i have"),
    ("id", "i would"),
    ("dnt", "dont"),
    ("didnt", "did not"),
    ("doesnt", "does not"),
    ("isnt", "is not"),
    ("wasnt", "was not"),
    ("arent", "are not"),
    ("havent", "have not"),
    ("hasnt", "has not"),
    ("aint", "is not"),
    ("cant", "cannot"),
    ("couldnt", "could not"),
    ("wont", "will not"),
    ("wouldnt", "would not"),
    ("shouldnt", "should not"),
    ("qd", "quand"),
    ("pcq", "parce que"),
    ("bcp", "beaucoup"),
    ("stp", "s il te plait"),
    ("svp", "s il vous plait"),
    ("auj", "aujourd hui"),
    ("aujourdhui", "aujourd hui"),
    ("xq", "porque"),
    ("pq", "porque"),
    ("q", "que"),
    ("xfa", "por favor"),
    ("porfa", "por favor"),
];

/// Folds one lower-case character to ASCII where it is a Latin letter with an
/// accent; other characters are returned unchanged.
fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ÿ' => 'y',
        '’' | '‘' | '`' | '´' => '\'',
        other => other,
    }
}

/// Normalizes `text` into tokens; see the module documentation.
pub(super) fn normalize(text: &str) -> Normalized {
    let mut out = Normalized {
        tokens: Vec::with_capacity(text.len() / 4),
        ..Normalized::default()
    };
    let lowered = text
        .to_lowercase()
        .replace("a/c", " ac ")
        .replace("w/o", " without ");
    let chars: Vec<char> = lowered.chars().map(fold).collect();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let before = i
            .checked_sub(1)
            .and_then(|j| chars.get(j))
            .copied()
            .unwrap_or(' ');
        let after = chars.get(i + 1).copied().unwrap_or(' ');
        let inside_word = c.is_alphanumeric()
            || (c == '\'' && before.is_alphanumeric() && after.is_alphanumeric())
            || (matches!(c, ':' | '.') && before.is_ascii_digit() && after.is_ascii_digit());
        if inside_word {
            word.push(c);
            continue;
        }
        flush(&mut word, &mut out.tokens);
        if matches!(c, '?' | '¿') {
            out.question = true;
        }
        match c {
            '.' | '!' | '?' | ',' | ';' | ':' | '\n' | '(' | ')' | '¿' | '¡'
                if out.tokens.last().is_some_and(|t| t != BREAK) =>
            {
                out.tokens.push(BREAK.to_owned());
            }
            '#' => push_expanded("number", &mut out.tokens),
            '&' | '+' => push_expanded("and", &mut out.tokens),
            '@' => push_expanded("at", &mut out.tokens),
            _ if URGENT_EMOJI.contains(&c) => out.urgent_emoji = true,
            _ if ACK_EMOJI.contains(&c) => out.ack_emoji = true,
            _ => {}
        }
    }
    flush(&mut word, &mut out.tokens);
    if out.tokens.last().is_some_and(|t| t == BREAK) {
        out.tokens.pop();
    }
    out
}

/// Ends the current word: splits elisions, joins contractions, collapses
/// stretched letters and expands abbreviations.
fn flush(word: &mut String, tokens: &mut Vec<String>) {
    if word.is_empty() {
        return;
    }
    let raw = std::mem::take(word);
    if let Some((head, rest)) = raw.split_once('\'') {
        if matches!(head, "l" | "d" | "j" | "m" | "t" | "s" | "n" | "c" | "qu") && !rest.is_empty()
        {
            tokens.push(head.to_owned());
            push_word(&rest.replace('\'', ""), tokens);
            return;
        }
        push_word(&raw.replace('\'', ""), tokens);
        return;
    }
    push_word(&raw, tokens);
}

fn push_word(word: &str, tokens: &mut Vec<String>) {
    let collapsed = collapse_stretched(word);
    push_expanded(&collapsed, tokens);
}

fn push_expanded(word: &str, tokens: &mut Vec<String>) {
    match EXPANSIONS.iter().find(|(short, _)| *short == word) {
        Some((_, long)) => tokens.extend(long.split(' ').map(str::to_owned)),
        None => tokens.push(word.to_owned()),
    }
}

/// Collapses runs of three or more identical letters to one
/// (`helppp` → `help`, `nooo` → `no`); digits are left alone.
fn collapse_stretched(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let mut out = String::with_capacity(word.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let mut run = 1;
        while chars.get(i + run) == Some(&c) {
            run += 1;
        }
        let keep = if run >= 3 && c.is_alphabetic() {
            1
        } else {
            run
        };
        out.extend(std::iter::repeat_n(c, keep));
        i += run;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        normalize(text).tokens
    }

    #[test]
    fn lowercases_folds_accents_and_marks_clause_breaks() {
        assert_eq!(
            tokens("Fuite d'EAU!! Appelez-moi"),
            ["fuite", "d", "eau", ".", "appelez", "moi"]
        );
        assert_eq!(
            tokens("Sin calefacción, ¿mañana?"),
            ["sin", "calefaccion", ".", "manana"]
        );
    }

    #[test]
    fn joins_contractions_and_expands_abbreviations() {
        assert_eq!(
            tokens("don't call, I'm busy"),
            ["dont", "call", ".", "i", "am", "busy"]
        );
        assert_eq!(
            tokens("pls call tmrw b4 noon"),
            ["please", "call", "tomorrow", "before", "noon"]
        );
        assert_eq!(tokens("u r the best"), ["you", "are", "the", "best"]);
        assert_eq!(tokens("A/C is out"), ["ac", "is", "out"]);
    }

    #[test]
    fn collapses_stretched_letters_but_not_numbers() {
        assert_eq!(tokens("HELPPP asappp 1000"), ["help", "asap", "1000"]);
    }

    #[test]
    fn keeps_times_and_phone_numbers_whole() {
        assert_eq!(
            tokens("call at 5:30, 403.555.0142"),
            ["call", "at", "5:30", ".", "403.555.0142"]
        );
        assert_eq!(tokens("wrong #"), ["wrong", "number"]);
    }

    #[test]
    fn counts_emojis_without_making_tokens() {
        let alarm = normalize("basement 💧💧 🚨");
        assert_eq!(alarm.tokens, ["basement"]);
        assert!(alarm.urgent_emoji);
        let ack = normalize("👍");
        assert!(ack.tokens.is_empty());
        assert!(ack.ack_emoji && !ack.urgent_emoji);
    }
}
