//! TwiML: the XML Twilio fetches to learn what a call or message does next.
//!
//! Renders the domain's [`VoiceResponse`] and [`SmsReply`]. Every text and
//! attribute value is XML-escaped, so a lead's name or message can never
//! change the document's structure.

use std::fmt::Write;

use hotline_domain::routing::voice::{SmsReply, VoiceResponse, VoiceVerb};

/// Escapes `&`, `<`, `>`, `"` and `'` for text and attribute values, and
/// drops characters XML 1.0 does not allow.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

const HEADER: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

/// The TwiML answer to an inbound SMS: `<Response/>` or one `<Message>`.
pub fn messaging(reply: &SmsReply) -> String {
    match &reply.message {
        None => format!("{HEADER}<Response/>"),
        Some(text) => format!(
            "{HEADER}<Response><Message>{}</Message></Response>",
            escape(text)
        ),
    }
}

/// The TwiML of a voice response.
pub fn voice(response: &VoiceResponse) -> String {
    let mut out = format!("{HEADER}<Response>");
    for verb in &response.verbs {
        render_verb(&mut out, verb);
    }
    out.push_str("</Response>");
    out
}

fn render_verb(out: &mut String, verb: &VoiceVerb) {
    // Writing to a String cannot fail.
    let _ = match verb {
        VoiceVerb::Say(text) => write!(out, "<Say>{}</Say>", escape(text)),
        VoiceVerb::Pause(seconds) => write!(out, r#"<Pause length="{seconds}"/>"#),
        VoiceVerb::Hangup => write!(out, "<Hangup/>"),
        VoiceVerb::Gather {
            num_digits,
            action,
            timeout_seconds,
            prompt,
        } => {
            let _ = write!(
                out,
                r#"<Gather numDigits="{num_digits}" action="{}" method="POST" timeout="{timeout_seconds}">"#,
                escape(action)
            );
            for line in prompt {
                let _ = write!(out, "<Say>{}</Say>", escape(line));
            }
            write!(out, "</Gather>")
        }
        VoiceVerb::Dial {
            number,
            caller_id,
            timeout_seconds,
            action,
            answer_on_bridge,
            record,
        } => {
            let record = if *record {
                r#" record="record-from-answer""#
            } else {
                ""
            };
            write!(
                out,
                r#"<Dial callerId="{}" timeout="{timeout_seconds}" action="{}" method="POST" answerOnBridge="{answer_on_bridge}"{record}><Number>{}</Number></Dial>"#,
                escape(caller_id),
                escape(action),
                escape(number)
            )
        }
        VoiceVerb::DialNumbers {
            caller_id,
            timeout_seconds,
            action,
            answer_on_bridge,
            record,
            numbers,
        } => {
            let record = if *record {
                r#" record="record-from-answer""#
            } else {
                ""
            };
            let _ = write!(
                out,
                r#"<Dial callerId="{}" timeout="{timeout_seconds}" action="{}" method="POST" answerOnBridge="{answer_on_bridge}"{record}>"#,
                escape(caller_id),
                escape(action)
            );
            for number in numbers {
                let _ = write!(
                    out,
                    r#"<Number url="{}" method="POST" statusCallback="{}" statusCallbackMethod="POST" statusCallbackEvent="initiated ringing answered completed">{}</Number>"#,
                    escape(&number.url),
                    escape(&number.status_callback),
                    escape(&number.number)
                );
            }
            write!(out, "</Dial>")
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_message_replies() {
        assert_eq!(
            messaging(&SmsReply::default()),
            format!("{HEADER}<Response/>")
        );
        let reply = SmsReply {
            message: Some("We're closed & open Mon <9AM> \"soon\"".to_owned()),
        };
        assert_eq!(
            messaging(&reply),
            format!(
                "{HEADER}<Response><Message>We&apos;re closed &amp; open Mon &lt;9AM&gt; &quot;soon&quot;</Message></Response>"
            )
        );
    }

    #[test]
    fn voice_verbs_render_with_escaped_attributes_and_text() {
        let response = VoiceResponse {
            verbs: vec![
                VoiceVerb::Gather {
                    num_digits: 1,
                    action: "https://h.test/accept?a=1&b=\"2\"".to_owned(),
                    timeout_seconds: 10,
                    prompt: vec!["Lead <Bob & Co> wrote: it's leaking".to_owned()],
                },
                VoiceVerb::Pause(1),
                VoiceVerb::Dial {
                    number: "+14035550142".to_owned(),
                    caller_id: "+15875550100".to_owned(),
                    timeout_seconds: 30,
                    action: "https://h.test/bridged".to_owned(),
                    answer_on_bridge: true,
                    record: true,
                },
                VoiceVerb::Say("Bye".to_owned()),
                VoiceVerb::Hangup,
            ],
        };
        assert_eq!(
            voice(&response),
            format!(
                "{HEADER}<Response>\
                 <Gather numDigits=\"1\" action=\"https://h.test/accept?a=1&amp;b=&quot;2&quot;\" method=\"POST\" timeout=\"10\">\
                 <Say>Lead &lt;Bob &amp; Co&gt; wrote: it&apos;s leaking</Say></Gather>\
                 <Pause length=\"1\"/>\
                 <Dial callerId=\"+15875550100\" timeout=\"30\" action=\"https://h.test/bridged\" method=\"POST\" answerOnBridge=\"true\" record=\"record-from-answer\"><Number>+14035550142</Number></Dial>\
                 <Say>Bye</Say><Hangup/></Response>"
            )
        );
    }

    #[test]
    fn a_dial_of_several_numbers_whispers_each_and_reports_each_leg() {
        let twiml = voice(&VoiceResponse {
            verbs: vec![VoiceVerb::DialNumbers {
                caller_id: "+15875550100".into(),
                timeout_seconds: 30,
                action: "https://h.test/lead/g/dial".into(),
                answer_on_bridge: true,
                record: false,
                numbers: vec![
                    hotline_domain::routing::voice::DialNumber {
                        number: "+17805550001".into(),
                        url: "https://h.test/answer/a?x=1&y=2".into(),
                        status_callback: "https://h.test/status?attempt=a".into(),
                    },
                    hotline_domain::routing::voice::DialNumber {
                        number: "+17805550002".into(),
                        url: "https://h.test/answer/b".into(),
                        status_callback: "https://h.test/status?attempt=b".into(),
                    },
                ],
            }],
        });
        assert!(twiml.contains(
            r#"<Dial callerId="+15875550100" timeout="30" action="https://h.test/lead/g/dial" method="POST" answerOnBridge="true">"#
        ), "{twiml}");
        assert!(twiml.contains(
            r#"<Number url="https://h.test/answer/a?x=1&amp;y=2" method="POST" statusCallback="https://h.test/status?attempt=a" statusCallbackMethod="POST" statusCallbackEvent="initiated ringing answered completed">+17805550001</Number>"#
        ), "{twiml}");
        assert_eq!(twiml.matches("<Number ").count(), 2);
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(escape("a\u{0}b\u{1b}c\nd"), "abc\nd");
    }
}
