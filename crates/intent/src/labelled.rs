//! Labelled message files: TSV with a header row, or JSON lines.
//!
//! A TSV file's header names its columns; `label` (`hot` or `not`) and
//! `text` are required, and `trade`, `lang` and `kind` are read when
//! present (the corpus has all five). A JSON-lines file holds one object
//! per line with `text` (string) and `hot` (bool), and optionally `trade`,
//! `lang` and `kind`. Blank lines are skipped.

use std::path::Path;

use serde::Deserialize;

/// One message with its verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// Whether a person labelled it hot.
    pub hot: bool,
    /// The trade it was written for, when known.
    pub trade: Option<String>,
    /// Its language (`en`, `fr`, `es`), when known.
    pub lang: Option<String>,
    /// What kind of message it is (`accept_quote`, `vendor`…), when known.
    pub kind: Option<String>,
    /// The SMS as typed.
    pub text: String,
}

/// A labelled file that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum LabelledError {
    /// The file cannot be opened or is not UTF-8.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// A TSV header without a `label` or `text` column.
    #[error("{path}: the header row needs `label` and `text` columns")]
    Header {
        /// The file.
        path: String,
    },
    /// A line that is not a labelled message.
    #[error("{path}:{line}: {reason}")]
    Line {
        /// The file.
        path: String,
        /// The line number, from 1.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// No message at all.
    #[error("{path}: no labelled message")]
    Empty {
        /// The file.
        path: String,
    },
}

/// Reads a labelled file, TSV or JSON lines (told apart by a first
/// character of `{`).
///
/// # Errors
///
/// Returns [`LabelledError`] naming the file, and the line when one is bad.
pub fn read_file(path: &Path) -> Result<Vec<Example>, LabelledError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| LabelledError::Io {
        path: name.clone(),
        source,
    })?;
    parse(&name, &text)
}

/// Parses the text of a labelled file; `name` is used in errors.
///
/// # Errors
///
/// As [`read_file`].
pub fn parse(name: &str, text: &str) -> Result<Vec<Example>, LabelledError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let examples = if text.trim_start().starts_with('{') {
        parse_json_lines(name, text)?
    } else {
        parse_tsv(name, text)?
    };
    if examples.is_empty() {
        return Err(LabelledError::Empty {
            path: name.to_owned(),
        });
    }
    Ok(examples)
}

fn parse_tsv(name: &str, text: &str) -> Result<Vec<Example>, LabelledError> {
    let mut lines = text.lines().enumerate();
    let header: Vec<&str> = lines
        .next()
        .map(|(_, line)| line.split('\t').map(str::trim).collect())
        .unwrap_or_default();
    let column = |wanted: &str| header.iter().position(|name| *name == wanted);
    let (Some(label_at), Some(text_at)) = (column("label"), column("text")) else {
        return Err(LabelledError::Header {
            path: name.to_owned(),
        });
    };
    let (trade_at, lang_at, kind_at) = (column("trade"), column("lang"), column("kind"));
    let mut examples = Vec::new();
    for (index, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |reason: String| LabelledError::Line {
            path: name.to_owned(),
            line: index + 1,
            reason,
        };
        let fields: Vec<&str> = line.split('\t').collect();
        if fields.len() != header.len() {
            return Err(bad(format!(
                "{} fields where the header has {}",
                fields.len(),
                header.len()
            )));
        }
        let hot = match fields[label_at].trim().to_ascii_lowercase().as_str() {
            "hot" => true,
            "not" => false,
            other => return Err(bad(format!("label must be hot or not, got `{other}`"))),
        };
        let text = fields[text_at].trim();
        if text.is_empty() {
            return Err(bad("empty text".to_owned()));
        }
        let optional = |at: Option<usize>| at.map(|i| fields[i].trim().to_owned());
        examples.push(Example {
            hot,
            trade: optional(trade_at),
            lang: optional(lang_at),
            kind: optional(kind_at),
            text: text.to_owned(),
        });
    }
    Ok(examples)
}

/// One line of a JSON-lines file.
#[derive(Deserialize)]
struct JsonExample {
    text: String,
    hot: bool,
    #[serde(default)]
    trade: Option<String>,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    kind: Option<String>,
}

fn parse_json_lines(name: &str, text: &str) -> Result<Vec<Example>, LabelledError> {
    let mut examples = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let example: JsonExample =
            serde_json::from_str(line).map_err(|error| LabelledError::Line {
                path: name.to_owned(),
                line: index + 1,
                reason: error.to_string(),
            })?;
        examples.push(Example {
            hot: example.hot,
            trade: example.trade,
            lang: example.lang,
            kind: example.kind,
            text: example.text,
        });
    }
    Ok(examples)
}

/// Writes examples as the corpus's TSV (`label trade lang kind text`), tabs
/// and line breaks inside a text turned into spaces.
pub fn to_tsv(examples: &[Example]) -> String {
    let mut out = String::from("label\ttrade\tlang\tkind\ttext\n");
    for example in examples {
        let clean = |field: &Option<String>| {
            field
                .as_deref()
                .unwrap_or("")
                .replace(['\t', '\n', '\r'], " ")
        };
        out.push_str(if example.hot { "hot" } else { "not" });
        for field in [&example.trade, &example.lang, &example.kind] {
            out.push('\t');
            out.push_str(&clean(field));
        }
        out.push('\t');
        out.push_str(&example.text.replace(['\t', '\n', '\r'], " "));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tsv_by_its_header_in_any_column_order() {
        let examples = parse("f", "text\tlabel\ncall me\thot\n\nok thanks\tNOT\n").expect("parses");
        assert_eq!(examples.len(), 2);
        assert!(examples[0].hot && examples[0].text == "call me");
        assert!(!examples[1].hot && examples[1].lang.is_none());
    }

    #[test]
    fn reads_json_lines() {
        let text = "{\"text\": \"leak!\", \"hot\": true, \"lang\": \"en\"}\n{\"text\": \"hi\", \"hot\": false}\n";
        let examples = parse("f", text).expect("parses");
        assert_eq!(examples.len(), 2);
        assert_eq!(examples[0].lang.as_deref(), Some("en"));
    }

    #[test]
    fn a_bad_file_names_the_line() {
        let error = parse("f", "label\ttext\nmaybe\tcall me\n").expect_err("bad label");
        assert_eq!(
            error.to_string(),
            "f:2: label must be hot or not, got `maybe`"
        );
        let error = parse("f", "label\ttext\nhot\n").expect_err("short line");
        assert!(error.to_string().starts_with("f:2: 1 fields"), "{error}");
        let error = parse("f", "kind\ttext\nx\ty\n").expect_err("no label column");
        assert!(matches!(error, LabelledError::Header { .. }));
        let error = parse("f", "{\"text\": 1}\n").expect_err("bad json");
        assert!(error.to_string().starts_with("f:1: "), "{error}");
        assert!(matches!(
            parse("f", "label\ttext\n"),
            Err(LabelledError::Empty { .. })
        ));
    }

    #[test]
    fn tsv_written_reads_back() {
        let examples = vec![Example {
            hot: true,
            trade: Some("roofing".into()),
            lang: Some("en".into()),
            kind: Some("urgent_problem".into()),
            text: "leak\tin the\nroof".into(),
        }];
        let back = parse("f", &to_tsv(&examples)).expect("parses");
        assert_eq!(back[0].text, "leak in the roof");
        assert_eq!(back[0].kind.as_deref(), Some("urgent_problem"));
    }
}
