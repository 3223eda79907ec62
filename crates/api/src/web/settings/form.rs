//! The settings form: its fields as typed, read from a submitted form or
//! from the stored client, turned into the admin service's changes, and
//! drawn with the problem of a refused save next to its field.

use hotline_domain::PhoneNumber;
use hotline_domain::admin::{ClientChanges, FollowThroughChanges};
use hotline_domain::routing::model::{Client, RingStrategyKind};
use maud::{Markup, html};

use super::ReplyPreview;
use crate::web::form::FormFields;
use crate::web::session::Viewer;

/// Time zones offered as suggestions; any IANA name is taken.
const ZONES: [&str; 20] = [
    "America/St_Johns",
    "America/Halifax",
    "America/Toronto",
    "America/New_York",
    "America/Chicago",
    "America/Winnipeg",
    "America/Regina",
    "America/Denver",
    "America/Edmonton",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Vancouver",
    "America/Anchorage",
    "Pacific/Honolulu",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "Australia/Sydney",
    "UTC",
];

/// The settings as the form holds them (text as typed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SettingsForm {
    /// The business's name.
    pub name: String,
    /// Its Twilio number, as typed.
    pub twilio_number: String,
    /// Its IANA time zone.
    pub timezone: String,
    /// Reply to hot leads who text while closed.
    pub reply_on: bool,
    /// That reply, `{next_open}` for the next opening.
    pub reply: String,
    /// How the team rings (`simultaneous`…).
    pub ring_strategy: String,
    /// For tiers, seconds before the next tier joins.
    pub tier_delay_seconds: String,
    /// The reply to a lead whose ring group starts.
    pub lead_ack_reply: String,
    /// The text to a lead nobody accepted.
    pub lead_missed_text: String,
    /// Minutes before an unclaimed escalation's reminder.
    pub reminder_minutes: String,
    /// The manager's phone, as typed.
    pub manager_phone: String,
    /// Minutes before the manager is texted.
    pub manager_minutes: String,
    /// Record the bridged call.
    pub record_calls: bool,
}

/// Why a save was refused: the input to fix and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    /// The form input's id.
    pub input: &'static str,
    /// The input's label.
    pub label: &'static str,
    /// What is wrong, in words.
    pub message: String,
}

/// The input of each field the service names: (service field, input id,
/// label).
const INPUTS: [(&str, &str, &str); 11] = [
    ("name", "name", "Business name"),
    ("twilio_number", "twilio_number", "Twilio number"),
    ("timezone", "timezone", "Time zone"),
    ("out_of_hours_reply", "reply", "Reply while closed"),
    ("ring_strategy", "ring_strategy", "How the team rings"),
    (
        "tier_delay_seconds",
        "tier_delay_seconds",
        "Seconds between tiers",
    ),
    ("lead_ack_reply", "lead_ack_reply", "Reply while ringing"),
    (
        "lead_missed_text",
        "lead_missed_text",
        "Text when nobody answers",
    ),
    (
        "escalation_reminder_seconds",
        "reminder_minutes",
        "Remind the team after",
    ),
    (
        "escalation_manager_phone",
        "manager_phone",
        "Manager's phone",
    ),
    (
        "escalation_manager_after_seconds",
        "manager_minutes",
        "Text the manager after",
    ),
];

/// The refusal of the service's `field` with `message`.
pub(crate) fn refusal(field: &str, message: &str) -> Refusal {
    let (_, input, label) = INPUTS
        .iter()
        .find(|(name, _, _)| *name == field)
        .copied()
        .unwrap_or(("", "name", "Settings"));
    let message = match input {
        "reminder_minutes" | "manager_minutes" => {
            "must be a number of minutes, more than 0 and at most 1440 (a day)".to_owned()
        }
        _ => message.to_owned(),
    };
    Refusal {
        input,
        label,
        message,
    }
}

fn minutes_of(seconds: Option<u32>) -> String {
    seconds.map_or_else(String::new, |s| {
        if s % 60 == 0 {
            (s / 60).to_string()
        } else {
            format!("{:.2}", f64::from(s) / 60.0)
                .trim_end_matches('0')
                .to_owned()
        }
    })
}

/// Minutes as typed to seconds; `None` when empty.
fn seconds_of(minutes: &str, field: &str) -> Result<Option<i64>, Refusal> {
    let minutes = minutes.trim();
    if minutes.is_empty() {
        return Ok(None);
    }
    match minutes.parse::<f64>() {
        Ok(m) if m.is_finite() && m > 0.0 && m <= 1440.0 => Ok(Some((m * 60.0).round() as i64)),
        _ => Err(refusal(field, "")),
    }
}

/// `None` for an empty text, else the text.
fn optional(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// A phone typed in the country of `home`; the text as typed when it
/// is empty (the service says what is missing).
fn phone_in(text: &str, home: &PhoneNumber, field: &str) -> Result<String, Refusal> {
    if text.trim().is_empty() {
        return Ok(String::new());
    }
    PhoneNumber::parse_in_country_of(text, home)
        .map(|p| p.as_str().to_owned())
        .map_err(|_| {
            refusal(
                field,
                &format!(
                    "{text:?} is not a phone number; type it as (780) 555-0142 or +17805550142"
                ),
            )
        })
}

impl SettingsForm {
    /// The stored settings of `client`.
    pub fn of(client: &Client) -> Self {
        let follow = &client.follow_through;
        let home = &client.twilio_number;
        Self {
            name: client.name.clone(),
            twilio_number: client.twilio_number.national_format(home),
            timezone: client.timezone.to_string(),
            reply_on: client.out_of_hours_reply.is_some(),
            reply: client.out_of_hours_reply.clone().unwrap_or_default(),
            ring_strategy: client.ring_strategy.as_str().to_owned(),
            tier_delay_seconds: client.tier_delay_seconds.to_string(),
            lead_ack_reply: follow.lead_ack_reply.clone().unwrap_or_default(),
            lead_missed_text: follow.lead_missed_text.clone().unwrap_or_default(),
            reminder_minutes: minutes_of(follow.reminder_after_seconds),
            manager_phone: follow
                .manager_phone
                .as_ref()
                .map(|p| p.national_format(home))
                .unwrap_or_default(),
            manager_minutes: minutes_of(follow.manager_after_seconds),
            record_calls: client.record_calls,
        }
    }

    /// The form as submitted.
    pub fn from_fields(fields: &FormFields) -> Self {
        Self {
            name: fields.text("name"),
            twilio_number: fields.text("twilio_number"),
            timezone: fields.text("timezone"),
            reply_on: fields.checked("reply_on"),
            reply: fields.text("reply"),
            ring_strategy: fields.text("ring_strategy"),
            tier_delay_seconds: fields.text("tier_delay_seconds"),
            lead_ack_reply: fields.text("lead_ack_reply"),
            lead_missed_text: fields.text("lead_missed_text"),
            reminder_minutes: fields.text("reminder_minutes"),
            manager_phone: fields.text("manager_phone"),
            manager_minutes: fields.text("manager_minutes"),
            record_calls: fields.checked("record_calls"),
        }
    }

    /// The changes this form asks of the service; phones are read in the
    /// country of `home` (the client's current number).
    ///
    /// # Errors
    ///
    /// The [`Refusal`] of a field the service could not read.
    pub fn changes(&self, home: &PhoneNumber) -> Result<ClientChanges, Refusal> {
        let tier_delay = self.tier_delay_seconds.trim();
        let tier_delay = if tier_delay.is_empty() {
            None
        } else {
            Some(tier_delay.parse::<i64>().map_err(|_| {
                refusal(
                    "tier_delay_seconds",
                    "must be a whole number of seconds from 0 to 600",
                )
            })?)
        };
        let reply =
            if self.reply_on {
                Some(optional(&self.reply).unwrap_or_else(|| {
                    hotline_domain::admin::DEFAULT_OUT_OF_HOURS_REPLY.to_owned()
                }))
            } else {
                None
            };
        let manager_phone = optional(&phone_in(
            &self.manager_phone,
            home,
            "escalation_manager_phone",
        )?);
        Ok(ClientChanges {
            name: Some(self.name.trim().to_owned()),
            twilio_number: Some(phone_in(&self.twilio_number, home, "twilio_number")?),
            timezone: Some(self.timezone.trim().to_owned()),
            out_of_hours_reply: Some(reply),
            record_calls: Some(self.record_calls),
            ring_strategy: Some(self.ring_strategy.trim().to_owned()),
            tier_delay_seconds: tier_delay,
            follow_through: FollowThroughChanges {
                lead_ack_reply: Some(optional(&self.lead_ack_reply)),
                lead_missed_text: Some(optional(&self.lead_missed_text)),
                escalation_reminder_seconds: Some(seconds_of(
                    &self.reminder_minutes,
                    "escalation_reminder_seconds",
                )?),
                escalation_manager_phone: Some(manager_phone),
                escalation_manager_after_seconds: Some(seconds_of(
                    &self.manager_minutes,
                    "escalation_manager_after_seconds",
                )?),
            },
        })
    }
}

/// A text input with its label, hint and, when refused, its problem.
fn input(
    id: &'static str,
    label: &str,
    value: &str,
    hint: Option<&str>,
    refusal: Option<&Refusal>,
    kind: &str,
) -> Markup {
    let bad = refusal.is_some_and(|r| r.input == id);
    html! {
        div.field {
            label for=(id) { (label) }
            input type=(kind) id=(id) name=(id) value=(value) maxlength="500"
                aria-invalid=[bad.then_some("true")] autofocus[bad]
                aria-describedby=[bad.then(|| format!("{id}-error"))];
            @if let Some(hint) = hint { p.hint { (hint) } }
            @if let Some(r) = refusal.filter(|_| bad) {
                p.field-error id={ (id) "-error" } { (r.message) }
            }
        }
    }
}

/// A textarea with its label, hint and, when refused, its problem.
fn text_area(
    id: &'static str,
    label: &str,
    value: &str,
    hint: &str,
    refusal: Option<&Refusal>,
) -> Markup {
    let bad = refusal.is_some_and(|r| r.input == id);
    html! {
        div.field {
            label for=(id) { (label) }
            textarea id=(id) name=(id) rows="3" maxlength="500"
                aria-invalid=[bad.then_some("true")] autofocus[bad] { (value) }
            p.hint { (hint) }
            @if let Some(r) = refusal.filter(|_| bad) {
                p.field-error id={ (id) "-error" } { (r.message) }
            }
        }
    }
}

fn strategy_label(kind: RingStrategyKind) -> &'static str {
    match kind {
        RingStrategyKind::Simultaneous => "Everyone at once",
        RingStrategyKind::Sequential => "One at a time, by priority",
        RingStrategyKind::Tiered => "In tiers: same priority together, next tier after a delay",
        RingStrategyKind::LeadFirst => "Call the lead first, then ring everyone",
    }
}

/// The whole settings form.
pub(crate) fn settings_form(
    viewer: &Viewer,
    client: &Client,
    form: &SettingsForm,
    refusal: Option<&Refusal>,
    preview: &ReplyPreview,
) -> Markup {
    let action = format!("/clients/{}/settings", client.id);
    html! {
        form.settings method="post" action=(action) #settings {
            input type="hidden" name="csrf" value=(viewer.csrf_token);
            section.card aria-labelledby="business-title" {
                h2 #business-title { "Business" }
                (input("name", "Business name", &form.name, Some("Said to agents when a lead rings and used in texts."), refusal, "text"))
                (input("twilio_number", "Twilio number", &form.twilio_number, Some("The number leads text. Calls to the team come from it."), refusal, "tel"))
                div.field {
                    label for="timezone" { "Time zone" }
                    input type="text" id="timezone" name="timezone" value=(form.timezone) list="zones"
                        aria-invalid=[refusal.is_some_and(|r| r.input == "timezone").then_some("true")]
                        autofocus[refusal.is_some_and(|r| r.input == "timezone")];
                    datalist #zones { @for zone in ZONES { option value=(zone) {} } }
                    p.hint { "Business hours and the times in texts are read in it." }
                    @if let Some(r) = refusal.filter(|r| r.input == "timezone") { p.field-error { (r.message) } }
                }
            }
            section.card aria-labelledby="reply-title" #out-of-hours {
                h2 #reply-title { "When a hot lead texts while you're closed" }
                div.check {
                    input type="checkbox" id="reply_on" name="reply_on" checked[form.reply_on];
                    label for="reply_on" { "Reply to them right away" }
                }
                (text_area("reply", "Reply while closed", &form.reply, "{next_open} becomes your next opening, such as \u{201c}tomorrow at 9:00 AM\u{201d}. Empty: the standard reply.", refusal))
                div.preview #reply-preview {
                    @if form.reply_on && preview.never_closed {
                        p.hint { "Your hours never close, so no lead gets this reply. It would read:" }
                        p.sms { (preview.sentence) }
                    } @else if form.reply_on {
                        p.hint { "A lead texting " (preview.when) " reads:" }
                        p.sms { (preview.sentence) }
                    } @else {
                        p.hint { "Off: a lead texting while you're closed gets no reply (the team is still texted). Saving with this off removes the text above; ticking it again starts from the standard reply." }
                    }
                }
            }
            section.card aria-labelledby="ring-title" {
                h2 #ring-title { "How the team rings" }
                fieldset {
                    legend { "When a hot lead texts during business hours" }
                    @for kind in [RingStrategyKind::Simultaneous, RingStrategyKind::Sequential, RingStrategyKind::Tiered, RingStrategyKind::LeadFirst] {
                        div.check {
                            input type="radio" id={ "strategy-" (kind.as_str()) } name="ring_strategy" value=(kind.as_str())
                                checked[form.ring_strategy == kind.as_str()];
                            label for={ "strategy-" (kind.as_str()) } { (strategy_label(kind)) }
                        }
                    }
                }
                (input("tier_delay_seconds", "Seconds between tiers", &form.tier_delay_seconds, Some("In tiers: how long a tier rings alone before the next joins (0 to 600)."), refusal, "number"))
                div.check {
                    input type="checkbox" id="record_calls" name="record_calls" checked[form.record_calls];
                    label for="record_calls" { "Record the call between agent and lead" }
                }
            }
            section.card aria-labelledby="follow-title" {
                h2 #follow-title { "Following a lead through" }
                (text_area("lead_ack_reply", "Reply while ringing", &form.lead_ack_reply, "Sent to the lead when the team starts ringing, such as \u{201c}Thanks, we're calling you right now\u{201d}. Empty: none.", refusal))
                (text_area("lead_missed_text", "Text when nobody answers", &form.lead_missed_text, "Sent to the lead when nobody accepted. Empty: none.", refusal))
                (input("reminder_minutes", "Remind the team after (minutes)", &form.reminder_minutes, Some("A lead still unclaimed this long: every available member is texted once more. Empty: no reminder."), refusal, "text"))
                (input("manager_phone", "Manager's phone", &form.manager_phone, Some("Texted once about a lead still unclaimed after the minutes below."), refusal, "tel"))
                (input("manager_minutes", "Text the manager after (minutes)", &form.manager_minutes, None, refusal, "text"))
            }
            p.actions { button.primary type="submit" { "Save settings" } }
        }
    }
}
