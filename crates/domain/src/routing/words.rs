//! Every sentence a lead or a team member hears or reads from Hotline, in
//! one place: the whisper an agent hears, the texts to the team, the
//! replies to claims, the out-of-hours reply.

use jiff::Timestamp;

use super::model::{Client, EscalationReason};
use crate::phone::PhoneNumber;

/// An agent who pressed 1 after someone else took the lead.
pub(super) const LEAD_TAKEN: &str = "Thanks. Another team member already took this lead. Goodbye.";
/// An agent who pressed 1 after the group ended with nobody accepting.
pub(super) const TOO_LATE: &str =
    "Sorry, this lead was not accepted in time and was sent to the team by text. Goodbye.";
/// An agent who pressed something other than 1.
pub(super) const NOT_ACCEPTED: &str = "Okay, not accepted. Goodbye.";
/// An agent whose leg is no longer needed (the group ended).
pub(super) const NO_LONGER_NEEDED: &str = "This call is no longer needed. Goodbye.";
/// An agent who pressed nothing.
pub(super) const NO_ANSWER_RECEIVED: &str = "No answer received. Goodbye.";
/// The winner, right before the bridge.
pub(super) const CONNECTING: &str = "Connecting you to the lead now.";
/// What the whisper asks.
pub(super) const PRESS_ONE: &str = "Press 1 to take this lead now.";
/// A team member's CLAIM with no open escalation to take.
pub(super) const NOTHING_TO_CLAIM: &str = "Hotline: no open lead to claim.";

/// What an agent hears when their phone is answered, sentence by sentence.
pub(super) fn whisper(client: &Client, lead: &PhoneNumber, last_message: &str) -> Vec<String> {
    let mut prompt = vec![format!(
        "Hot lead for {}. Phone number {}.",
        client.name,
        spoken_digits(lead.as_str())
    )];
    if !last_message.is_empty() {
        prompt.push(format!("They wrote: {}", excerpt(last_message, 200)));
    }
    prompt.push(PRESS_ONE.to_owned());
    prompt
}

/// The text each team member gets when a lead is escalated.
pub(super) fn escalation_text(
    client: &Client,
    lead: &PhoneNumber,
    reason: EscalationReason,
    last_message: &str,
) -> String {
    let why = match reason {
        EscalationReason::OutOfHours => "after hours",
        EscalationReason::NoAnswer => "nobody answered",
        EscalationReason::NoTeam => "nobody to ring",
    };
    format!(
        "Hotline: hot lead {} for {} ({why}): \"{}\". Reply CLAIM {} to take it.",
        lead,
        client.name,
        excerpt(last_message, 120),
        last_four(lead)
    )
}

/// The text the rest of the team gets once someone claimed.
pub(super) fn claim_announcement(owner_name: &str, lead: &PhoneNumber) -> String {
    format!("Hotline: {owner_name} claimed the lead {lead}.")
}

/// The reply to the member whose claim won.
pub(super) fn claim_won(lead: &PhoneNumber) -> String {
    format!("Hotline: the lead {lead} is yours. Call them now.")
}

/// The reply to a member who claimed too late.
pub(super) fn claim_lost(owner_name: &str, lead: &PhoneNumber) -> String {
    format!("Hotline: {owner_name} already claimed the lead {lead}.")
}

/// The client's out-of-hours text with `{next_open}` filled in, in the
/// client's time zone: "today at 5:00 PM", "tomorrow at 9:00 AM",
/// "Monday at 9:00 AM".
pub(super) fn out_of_hours_reply(
    client: &Client,
    next_open: Option<Timestamp>,
    now: Timestamp,
) -> Option<String> {
    let template = client.out_of_hours_reply.as_ref()?;
    Some(fill_out_of_hours_reply(
        template,
        next_open,
        now,
        client.timezone.zone(),
    ))
}

/// An out-of-hours reply as a lead texting at `now` reads it: `{next_open}`
/// replaced by the opening at `next_open` in `zone`, or "soon" when none is
/// known.
pub fn fill_out_of_hours_reply(
    template: &str,
    next_open: Option<Timestamp>,
    now: Timestamp,
    zone: &jiff::tz::TimeZone,
) -> String {
    let when = next_open.map_or_else(|| "soon".to_owned(), |at| describe_opening(at, now, zone));
    template.replace("{next_open}", &when)
}

/// Names an opening relative to now, in `zone`.
pub fn describe_opening(at: Timestamp, now: Timestamp, zone: &jiff::tz::TimeZone) -> String {
    let local = zone.to_datetime(at);
    let today = zone.to_datetime(now).date();
    let hour = local.hour();
    let (h12, meridiem) = match hour {
        0 => (12, "AM"),
        1..=11 => (hour, "AM"),
        12 => (12, "PM"),
        _ => (hour - 12, "PM"),
    };
    let clock = format!("{h12}:{:02} {meridiem}", local.minute());
    let day = if local.date() == today {
        "today".to_owned()
    } else if today.tomorrow().ok() == Some(local.date()) {
        "tomorrow".to_owned()
    } else {
        format!("{:?}", local.weekday())
    };
    format!("{day} at {clock}")
}

/// The last four digits of a phone, as a claim names a lead.
pub(super) fn last_four(phone: &PhoneNumber) -> &str {
    let s = phone.as_str();
    &s[s.len().saturating_sub(4)..]
}

/// Digits spoken one by one ("4 0 3 …"), so text-to-speech reads a number.
fn spoken_digits(phone: &str) -> String {
    let digits: Vec<String> = phone
        .chars()
        .filter(char::is_ascii_digit)
        .map(|c| c.to_string())
        .collect();
    digits.join(" ")
}

/// At most `max_chars` of `text`, without control characters, with `…`
/// when cut.
fn excerpt(text: &str, max_chars: usize) -> String {
    let clean: String = text.chars().filter(|c| !c.is_control()).collect();
    if clean.chars().count() <= max_chars {
        clean
    } else {
        let cut: String = clean.chars().take(max_chars).collect();
        format!("{cut}…")
    }
}

/// What a lead who did not reach anyone hears before the call ends.
pub(super) const NOBODY_AVAILABLE: &str =
    "Sorry, nobody could take your call right now. We will call you back shortly.";

/// What a lead hears when they answer Hotline's call (`lead_first`).
pub(super) fn lead_first_intro(client: &Client) -> String {
    format!(
        "Hi, this is {}, returning your message. Connecting you now, please hold.",
        client.name
    )
}

/// The reply to a member who texted AWAY or OFF.
pub(super) const OFF_DUTY: &str =
    "Hotline: you are off duty. You will not be rung or texted for hot leads until you text BACK.";

/// The reply to a member who texted BACK or ON.
pub(super) const BACK_ON_DUTY: &str =
    "Hotline: you are back on duty. Hot leads will ring you again.";

/// Whole minutes of `waited`, at least 1.
fn minutes(waited: jiff::SignedDuration) -> i64 {
    (waited.as_secs() / 60).max(1)
}

/// The reminder of an unclaimed escalation, to each available member.
pub(super) fn reminder_text(
    client: &Client,
    lead: &PhoneNumber,
    waited: jiff::SignedDuration,
) -> String {
    format!(
        "Hotline: the hot lead {lead} for {} has waited {} min and nobody has claimed it. \
         Reply CLAIM {} to take it.",
        client.name,
        minutes(waited),
        last_four(lead)
    )
}

/// The manager's text about an escalation still unclaimed.
pub(super) fn manager_text(
    client: &Client,
    lead: &PhoneNumber,
    waited: jiff::SignedDuration,
) -> String {
    format!(
        "Hotline: the hot lead {lead} for {} has waited {} min and nobody on the team has claimed it.",
        client.name,
        minutes(waited)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_cut_with_an_ellipsis_and_digits_spoken_one_by_one() {
        assert_eq!(excerpt("short", 10), "short");
        assert_eq!(excerpt("abcdef", 3), "abc…");
        assert_eq!(spoken_digits("+1 403"), "1 4 0 3");
    }
}
