//! The hours page as people see it: what is wrong, the week at a glance,
//! the form, and the "test a time" box.

use hotline_domain::routing::model::Client;
use hotline_domain::{Timestamp, WeeklySchedule};
use maud::{Markup, html};

use super::super::session::Viewer;
use super::TestAnswer;
use super::calendar_view::{holiday_rows, special_rows};
use super::form::{ClosureRow, HoursForm, ShiftRow, WEEK, day_name};

/// How many days the page's preview shows.
const PREVIEW_DAYS: u32 = 14;

/// IANA zone names, from the time zone database, for the selector; the
/// database is listed once per process.
fn zone_names(current: &str) -> Vec<String> {
    static KNOWN: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let mut names = KNOWN.get_or_init(known_zone_names).clone();
    if !current.is_empty() && !names.iter().any(|n| n == current) {
        names.push(current.to_owned());
        names.sort();
    }
    names
}

fn known_zone_names() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|name| name.to_string())
        .filter(|name| {
            name == "UTC"
                || (name.contains('/')
                    && !name.starts_with("posix/")
                    && !name.starts_with("right/")
                    && !name.starts_with("Etc/")
                    && !name.starts_with("SystemV/")
                    && name.chars().next().is_some_and(char::is_uppercase))
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

fn time_input(n: usize, part: &str, label: &str, value: &str, invalid: bool, day: u8) -> Markup {
    let id = format!("shift{n}_{part}");
    html! {
        label.visually-hidden for=(id) { (day_name(day)) " " (label) }
        input.time type="text" id=(id) name=(id) value=(value) inputmode="numeric"
            placeholder="HH:MM"
            maxlength="5" autocomplete="off" aria-invalid=[invalid.then_some("true")]
            aria-describedby=[invalid.then(|| format!("shift{n}_error"))];
    }
}

/// The whole page body.
pub(super) fn render(
    viewer: &Viewer,
    client: &Client,
    form: &HoursForm,
    saved_schedule: Option<&WeeklySchedule>,
    saved: bool,
    at: Option<&str>,
    test: Option<TestAnswer>,
) -> Markup {
    let action = format!("/clients/{}/hours", client.id);
    html! {
        (open_now(saved_schedule))
        @if saved {
            p.notice role="status" { "Saved." }
        }
        (error_summary(form))
        (warnings(form, client))
        div.hours-overview {
            (open_hours(form))
            (preview_calendar(saved_schedule))
        }
        form.card method="post" action=(action) novalidate {
            input type="hidden" name="csrf" value=(viewer.csrf_token);
            div.inline {
                div {
                    label for="timezone" { "Time zone" }
                    select #timezone name="timezone" aria-invalid=[form.timezone_error.is_some().then_some("true")] {
                        @for name in zone_names(&form.timezone) {
                            option value=(name) selected[name == form.timezone] { (name) }
                        }
                    }
                    @if let Some(message) = &form.timezone_error {
                        p.field-error { (message) }
                    }
                }
            }
            h2 { "Weekly shifts" }
            p.hint { "Times are HH:MM in the client's time zone. An end at or before the start runs past midnight into the next day; 24:00 ends at midnight. Clear both times to remove a shift." }
            (weekly_shifts(form))
            (copy_day())
            p { button.primary type="submit" { "Save business hours" } }
            details.section #holidays-section open[form.holiday_error.is_some() || !form.new_holiday.rule.is_empty()] {
                summary { h2 #holidays { "Holidays " span.count { "(" (form.holidays.iter().filter(|h| !h.remove).count()) ")" } } }
                p.hint { "Holidays come back every year and close the whole day. A shift that starts the evening before still runs into the holiday." }
                (holiday_rows(form))
            }
            details.section #special-hours-section open[form.specials.iter().any(|s| s.error.is_some())] {
                summary { h2 #special-hours { "Special hours " span.count { "(" (form.specials.iter().filter(|s| !s.is_blank()).count()) ")" } } }
                p.hint { "Different hours on one date, such as Christmas Eve. They replace the day's shifts, closure or holiday. Tick “Closed all day” to close it." }
                (special_rows(form))
            }
            details.section #closures-section open[form.closures.iter().any(|c| c.error.is_some())] {
                summary { h2 #closures { "Closures " span.count { "(" (form.closures.iter().filter(|c| !c.date.is_empty()).count()) ")" } } }
                p.hint { "One-off days the business is closed. A shift that starts the evening before still runs into the closed day." }
                (closure_rows(form))
            }
            p { button.primary type="submit" { "Save all business hours" } }
        }
        (test_a_time_box(client, form, at, test))
    }
}

/// The number each shift of the form gets on the page (its inputs are
/// `shift{n}_start`), in the order [`weekly_shifts`] lists them.
fn rendered_shift_ids(form: &HoursForm) -> Vec<Option<usize>> {
    let mut ids = vec![None; form.shifts.len()];
    let mut n = 0usize;
    for day in WEEK {
        let mut listed = 0usize;
        for (i, shift) in form.shifts.iter().enumerate() {
            if shift.day == day && (!shift.is_blank() || shift.error.is_some()) {
                ids[i] = Some(n);
                n += 1;
                listed += 1;
            }
        }
        n += if listed == 0 { 2 } else { 1 };
    }
    ids
}

/// Minutes of a shift from the start of its day: `(start, end)`, the end
/// past 1440 when it runs into the next day.
fn shift_minutes(shift: &ShiftRow) -> Option<(u32, u32)> {
    let start = hotline_domain::schedule::WallTime::parse(&shift.start)?;
    let end = hotline_domain::schedule::WallTime::parse(&shift.end)?;
    let (start, end) = (u32::from(start.minutes()), u32::from(end.minutes()));
    Some((start, if end <= start { end + 1440 } else { end }))
}

/// Things that are saved but worth a second look: shifts of one day that
/// overlap, closures and special hours already past.
fn warnings(form: &HoursForm, client: &Client) -> Markup {
    let mut notes = Vec::new();
    for day in WEEK {
        let shifts: Vec<&ShiftRow> = form
            .shifts
            .iter()
            .filter(|s| s.day == day && s.active && !s.is_blank() && s.error.is_none())
            .collect();
        for (i, a) in shifts.iter().enumerate() {
            for b in &shifts[i + 1..] {
                if let (Some((a0, a1)), Some((b0, b1))) = (shift_minutes(a), shift_minutes(b))
                    && a0 < b1
                    && b0 < a1
                {
                    notes.push(format!(
                        "{}: the shifts {} to {} and {} to {} overlap (they count as one).",
                        day_name(day),
                        a.start,
                        a.end,
                        b.start,
                        b.end
                    ));
                }
            }
        }
    }
    let zone =
        jiff::tz::TimeZone::get(&form.timezone).unwrap_or_else(|_| client.timezone.zone().clone());
    let today = zone.to_datetime(Timestamp::now()).date();
    for closure in &form.closures {
        if let Ok(date) = closure.date.parse::<jiff::civil::Date>()
            && date < today
        {
            notes.push(format!(
                "The closure on {date} is in the past; it can be removed."
            ));
        }
    }
    for special in &form.specials {
        if let Ok(date) = special.date.parse::<jiff::civil::Date>()
            && date < today
        {
            notes.push(format!(
                "The special hours on {date} are in the past; they can be removed."
            ));
        }
    }
    html! {
        @if !notes.is_empty() {
            div.warnings role="note" {
                p { strong { "Worth a look:" } }
                ul { @for note in &notes { li { (note) } } }
            }
        }
    }
}

/// Every problem of a refused save, above the form.
fn error_summary(form: &HoursForm) -> Markup {
    html! {
    @if form.has_errors() {
        // Focused (and so scrolled to) when the page opens: each problem
        // links to its field.
        div.alert #problems role="alert" tabindex="-1" autofocus {
            p { strong { "Nothing was saved. Please fix:" } }
            ul {
                @if let Some(message) = &form.timezone_error {
                    li { a href="#timezone" { "Time zone" } ": " (message) }
                }
                @for (shift, id) in form.shifts.iter().zip(rendered_shift_ids(form)) {
                    @if let Some((part, message)) = &shift.error {
                        @let field = if part == "end_time" { "end" } else { "start" };
                        li {
                            @match id {
                                Some(n) => { a href={ "#shift" (n) "_" (field) } { (day_name(shift.day)) ", " (part_label(part)) } },
                                None => { (day_name(shift.day)) ", " (part_label(part)) },
                            }
                            ": " (message)
                        }
                    }
                }
                @for closure in &form.closures {
                    @if let Some(message) = &closure.error {
                        li { a href="#closures" { "Closure " (closure.date) } ": " (message) }
                    }
                }
                @if let Some(message) = &form.holiday_error {
                    li { a href="#holidays" { "Holidays" } ": " (message) }
                }
                @for special in &form.specials {
                    @if let Some(message) = &special.error {
                        li { a href="#special-hours" { "Special hours " (special.date) } ": " (message) }
                    }
                }
                @if let Some(message) = &form.general_error {
                    li { (message) }
                }
            }
        }
    }
    }
}

/// A day's active shifts as `08:00–12:00` (or `20:00 to Sat 08:00` when
/// it runs past midnight), in start order.
fn day_shifts(form: &HoursForm, day: u8) -> Vec<String> {
    let mut shifts: Vec<&ShiftRow> = form
        .shifts
        .iter()
        .filter(|s| s.day == day && s.active && s.error.is_none() && !s.is_blank())
        .collect();
    shifts.sort_by(|a, b| a.start.cmp(&b.start));
    shifts
        .into_iter()
        .filter_map(|s| {
            let span = s.span()?;
            // "Mon 09:00 to 17:00" without its weekday: "09:00 to 17:00".
            Some(
                span.split_once(' ')
                    .map_or(span.clone(), |(_, rest)| rest.to_owned()),
            )
        })
        .collect()
}

/// The active shifts of the week in words, days with the same shifts
/// grouped: "Mon–Fri 08:00 to 12:00, 13:00 to 17:00".
fn open_hours(form: &HoursForm) -> Markup {
    let mut groups: Vec<(u8, u8, Vec<String>)> = Vec::new();
    for day in WEEK {
        let shifts = day_shifts(form, day);
        match groups.last_mut() {
            Some((_, last, same)) if *same == shifts && !shifts.is_empty() => *last = day,
            _ => groups.push((day, day, shifts)),
        }
    }
    let short = |day: u8| &day_name(day)[..3];
    let lines: Vec<String> = groups
        .into_iter()
        .filter(|(_, _, shifts)| !shifts.is_empty())
        .map(|(first, last, shifts)| {
            let days = if first == last {
                short(first).to_owned()
            } else {
                format!("{}–{}", short(first), short(last))
            };
            format!("{days} {}", shifts.join(", "))
        })
        .collect();
    html! {
    section.card aria-labelledby="week-summary" {
        h2 #week-summary { "Open hours" }
        @if lines.is_empty() {
            p.hint { "No open hours: every hot lead is escalated to the team by text." }
        } @else {
            ul #open-hours {
                @for line in &lines { li { (line) } }
            }
        }
    }
    }
}

/// "Open now, closes 17:00" or "Closed now, opens Mon 09:00", from the
/// saved hours.
fn open_now(schedule: Option<&WeeklySchedule>) -> Markup {
    let Some(schedule) = schedule else {
        return html! {};
    };
    let now = Timestamp::now();
    let zone = schedule.timezone().zone();
    let today = zone.to_datetime(now).date();
    let when = |t: Timestamp| {
        let local = zone.to_datetime(t);
        if local.date() == today {
            local.strftime("%H:%M").to_string()
        } else {
            local.strftime("%a %d %b %H:%M").to_string()
        }
    };
    let status = schedule.status(now);
    html! {
        p.status-line #open-now role="status" {
            @if status.open {
                span.badge.open { "Open now" }
                @if let Some(close) = status.next_close { " closes " (when(close)) }
            } @else {
                span.badge { "Closed now" }
                @match status.next_open {
                    Some(open) => { " opens " (when(open)) },
                    None => { " no opening ahead" },
                }
            }
        }
    }
}

/// The next 14 days of the saved hours, each with what decided it.
fn preview_calendar(schedule: Option<&WeeklySchedule>) -> Markup {
    let Some(schedule) = schedule else {
        return html! {};
    };
    let zone = schedule.timezone().zone();
    let today = schedule.local_date_at(Timestamp::now());
    let clock = |t: Timestamp| zone.to_datetime(t).strftime("%H:%M").to_string();
    html! {
    section.card aria-labelledby="next-days" {
        h2 #next-days { "Next 14 days" }
        ol.preview #preview {
            @for day in schedule.preview(today, PREVIEW_DAYS) {
                li.closed[day.open.is_empty()] {
                    span.date { (day.date.strftime("%a %d %b")) }
                    span.hours {
                        @if day.open.is_empty() {
                            "Closed"
                        } @else {
                            (day.open.iter().map(|(s, e)| format!("{}–{}", clock(*s), clock(*e))).collect::<Vec<_>>().join(", "))
                        }
                    }
                    @if let Some(note) = &day.note { span.note { (note) } }
                }
            }
        }
    }
    }
}

/// "Copy a day's shifts to other days", applied when the form is saved.
fn copy_day() -> Markup {
    html! {
    fieldset.copy {
        legend { "Copy a day's shifts" }
        label for="copy_from" { "Copy the shifts of" }
        select #copy_from name="copy_from" {
            option value="" { "(choose a day)" }
            @for day in WEEK { option value=(day) { (day_name(day)) } }
        }
        span { " to:" }
        @for day in WEEK {
            label.check {
                input type="checkbox" name={ "copy_to_" (day) } aria-label={ "Copy to " (day_name(day)) };
                " " (&day_name(day)[..3])
            }
        }
        p.hint { "On save, the ticked days get the chosen day's shifts instead of their own." }
    }
    }
}

fn blank_shift(day: u8) -> ShiftRow {
    ShiftRow {
        day,
        active: true,
        ..ShiftRow::default()
    }
}

/// One block per weekday, Monday first: its shifts and two blank ones to
/// add (a split day in one save).
fn weekly_shifts(form: &HoursForm) -> Markup {
    let mut n = 0usize;
    html! {
    @for day in WEEK {
        @let rows: Vec<&ShiftRow> = form.shifts.iter().filter(|s| s.day == day && (!s.is_blank() || s.error.is_some())).collect();
        @let open = rows.iter().any(|s| s.active);
        div.day data-day=(day) {
            h3 { (day_name(day)) " " @if open { span.badge.open { "Open" } } @else { span.badge { "Closed" } } }
            div {
                @let blanks = if rows.is_empty() { 2 } else { 1 };
                @let blank = blank_shift(day);
                @for (k, row) in rows.iter().copied().chain(std::iter::repeat_n(&blank, blanks)).enumerate() {
                    @let i = { let i = n; n += 1; i };
                    @let is_new = row.is_blank() && row.error.is_none();
                    @let bad_start = row.error.as_ref().is_some_and(|(p, _)| p == "start_time");
                    @let bad_end = row.error.as_ref().is_some_and(|(p, _)| p == "end_time");
                    div.shift data-row=(i) {
                        input type="hidden" name={ "shift" (i) "_day" } value=(row.day);
                        (time_input(i, "start", if is_new { "new shift start time" } else { "start time" }, &row.start, bad_start, day))
                        span { "to" }
                        (time_input(i, "end", if is_new { "new shift end time" } else { "end time" }, &row.end, bad_end, day))
                        @if is_new {
                            input type="hidden" name={ "shift" (i) "_active" } value="on";
                            span.hint { "add a shift" }
                        } @else {
                            label.check {
                                input type="checkbox" name={ "shift" (i) "_active" } checked[row.active]
                                    aria-label={ (day_name(day)) " shift " (k + 1) " active" };
                                " Active"
                            }
                        }
                        @if let Some(span) = row.span() {
                            span.span { (span) }
                        }
                        @if let Some((part, message)) = &row.error {
                            p.field-error id={ "shift" (i) "_error" } data-field=(part) { (part_label(part)) ": " (message) }
                        }
                    }
                }
            }
        }
    }
    }
}

/// The closures, and two blank rows to add more.
fn closure_rows(form: &HoursForm) -> Markup {
    let mut closure_n = 0usize;
    html! {
    @for row in form.closures.iter().filter(|c| !c.date.is_empty() || c.error.is_some()).chain([ClosureRow::default(), ClosureRow::default()].iter()) {
        @let i = { let i = closure_n; closure_n += 1; i };
        div.closure {
            label for={ "closure" (i) "_date" } { "Date" }
            @if row.date.is_empty() && !row.reason.is_empty() { span.visually-hidden { "missing" } }
            input type="date" id={ "closure" (i) "_date" } name={ "closure" (i) "_date" } value=(row.date)
                aria-invalid=[row.error.is_some().then_some("true")];
            label for={ "closure" (i) "_reason" } { "Reason" }
            input type="text" id={ "closure" (i) "_reason" } name={ "closure" (i) "_reason" } value=(row.reason) placeholder="Christmas Day" maxlength="200";
            @if let Some(message) = &row.error {
                p.field-error { (message) }
            }
        }
    }
    }
}

/// The "test a time" box and its answer.
fn test_a_time_box(
    client: &Client,
    form: &HoursForm,
    at: Option<&str>,
    test: Option<TestAnswer>,
) -> Markup {
    let form_zone =
        jiff::tz::TimeZone::get(&form.timezone).unwrap_or_else(|_| client.timezone.zone().clone());
    let now = form_zone.to_datetime(Timestamp::now());
    let (date, time) = at
        .and_then(|at| at.trim().split_once([' ', 'T']))
        .map(|(d, t)| (d.to_owned(), t.to_owned()))
        .unwrap_or_else(|| {
            (
                now.strftime("%Y-%m-%d").to_string(),
                now.strftime("%H:%M").to_string(),
            )
        });
    html! {
    section.card aria-labelledby="test-time" {
        h2 #test-time { "Test a time" }
        form.inline method="get" action=(format!("/clients/{}/hours", client.id)) {
            div {
                label for="test-date" { "Date" }
                input #test-date type="date" name="date" value=(date);
            }
            div {
                label for="test-time-of-day" { "Time in " (form.timezone) }
                input #test-time-of-day type="time" name="time" value=(time);
            }
            button type="submit" { "Test" }
            button type="submit" name="now" value="1" { "Test now" }
        }
        @if let Some(answer) = test {
            div #test-answer role="status" {
                @match answer {
                    TestAnswer::Open { at, closes, why } => {
                        p { strong.open-answer { "Open" } " on " (at) "." }
                        p.why { (why) }
                        @if let Some(closes) = closes { p { "Closes " (closes) "." } }
                    }
                    TestAnswer::Closed { at, opens, why } => {
                        p { strong.closed-answer { "Closed" } " on " (at) "." }
                        p.why { (why) }
                        @match opens {
                            Some(opens) => p { "Next opening: " (opens) "." },
                            None => p { "It does not open again." },
                        }
                    }
                    TestAnswer::NoHours => p { "No business hours are saved yet." },
                    TestAnswer::BadInput(problem) => p.field-error { (problem) },
                }
            }
        }
    }
    }
}

fn part_label(part: &str) -> &str {
    match part {
        "start_time" => "start time",
        "end_time" => "end time",
        "day_of_week" => "day",
        _ => "shift",
    }
}
