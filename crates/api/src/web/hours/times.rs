//! Times of day as people type them on the hours page.

/// A time as people type it, as `HH:MM`: `8`, `8:00`, `8.30`, `0800`,
/// `8am`, `5 pm`, `12:30am`, `17:00` and `24:00`; `None` when it is not one.
pub(super) fn normalize_time(text: &str) -> Option<String> {
    if !text.is_ascii() {
        return None;
    }
    let compact: String = text
        .trim()
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let (digits, meridiem) = if let Some(rest) = compact
        .strip_suffix("am")
        .or_else(|| compact.strip_suffix('a'))
    {
        (rest, Some(false))
    } else if let Some(rest) = compact
        .strip_suffix("pm")
        .or_else(|| compact.strip_suffix('p'))
    {
        (rest, Some(true))
    } else {
        (compact.as_str(), None)
    };
    let (hour, minute) = match digits.split_once([':', '.', 'h']) {
        Some((hour, minute)) => (hour, if minute.is_empty() { "0" } else { minute }),
        None if digits.len() >= 3 => digits.split_at(digits.len() - 2),
        None => (digits, "0"),
    };
    if hour.is_empty()
        || hour.len() > 2
        || minute.len() > 2
        || !hour
            .bytes()
            .chain(minute.bytes())
            .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let mut hour: u32 = hour.parse().ok()?;
    let minute: u32 = minute.parse().ok()?;
    if minute > 59 {
        return None;
    }
    if let Some(pm) = meridiem {
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour = match (hour, pm) {
            (12, false) => 0,
            (12, true) => 12,
            (h, true) => h + 12,
            (h, false) => h,
        };
    }
    if hour > 24 || (hour == 24 && minute != 0) {
        return None;
    }
    Some(format!("{hour:02}:{minute:02}"))
}

/// The time as typed, normalised when it reads as one.
pub(super) fn forgiving(text: &str) -> String {
    normalize_time(text).unwrap_or_else(|| text.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::normalize_time;

    #[test]
    fn times_are_read_as_people_type_them() {
        for (typed, read) in [
            ("8", "08:00"),
            ("8:00", "08:00"),
            ("08:00", "08:00"),
            ("0800", "08:00"),
            ("800", "08:00"),
            ("8.30", "08:30"),
            ("8am", "08:00"),
            ("8 AM", "08:00"),
            ("5 pm", "17:00"),
            ("5:45pm", "17:45"),
            ("12am", "00:00"),
            ("12pm", "12:00"),
            ("12:30 am", "00:30"),
            ("17:00", "17:00"),
            ("17", "17:00"),
            ("24:00", "24:00"),
            ("0:00", "00:00"),
        ] {
            assert_eq!(normalize_time(typed).as_deref(), Some(read), "{typed}");
        }
        for refused in [
            "",
            "25:00",
            "24:30",
            "13pm",
            "0am",
            "8:75",
            "noon",
            "8:0:0",
            "123456",
            "9–5",
            "€",
            "9am–5pm",
        ] {
            assert_eq!(normalize_time(refused), None, "{refused}");
        }
    }
}
