//! IANA time zone names.
//!
//! A [`TimeZoneName`] is a name that resolves in the time zone database
//! (`America/Edmonton`, `Australia/Adelaide`), kept together with the
//! resolved rules so that evaluating a schedule never looks the zone up again.
//! The database is the system's `/usr/share/zoneinfo` when present, with a
//! copy bundled into the binary as the fallback, so a minimal container
//! still knows every zone.

use std::fmt;

use jiff::tz::TimeZone;

/// The name given is not a time zone the database knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone {0:?}: expected an IANA name such as \"America/Edmonton\"")]
pub struct UnknownTimeZone(pub String);

/// A validated IANA time zone name with its rules.
#[derive(Debug, Clone)]
pub struct TimeZoneName {
    name: String,
    zone: TimeZone,
}

impl TimeZoneName {
    /// Looks `name` up in the time zone database.
    ///
    /// The stored name is the database's own spelling, so
    /// `america/edmonton` becomes `America/Edmonton`.
    ///
    /// # Errors
    ///
    /// Returns [`UnknownTimeZone`] when the database has no zone of that name
    /// (fixed offsets such as `+05:00` are not names and are refused too).
    pub fn parse(name: &str) -> Result<Self, UnknownTimeZone> {
        let unknown = || UnknownTimeZone(name.to_owned());
        if name.is_empty() || name.len() > 64 {
            return Err(unknown());
        }
        let zone = TimeZone::get(name).map_err(|_| unknown())?;
        let canonical = zone.iana_name().unwrap_or(name).to_owned();
        Ok(Self {
            name: canonical,
            zone,
        })
    }

    /// The IANA name, such as `America/Edmonton`.
    pub fn as_str(&self) -> &str {
        &self.name
    }

    /// The zone's rules, for converting between instants and wall-clock times.
    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }
}

impl PartialEq for TimeZoneName {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for TimeZoneName {}

impl fmt::Display for TimeZoneName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_names_resolve_and_keep_their_spelling() {
        for name in [
            "America/Edmonton",
            "Australia/Adelaide",
            "Asia/Kolkata",
            "UTC",
        ] {
            assert_eq!(
                TimeZoneName::parse(name).map(|tz| tz.to_string()),
                Ok(name.to_owned())
            );
        }
    }

    #[test]
    fn unknown_names_are_refused() {
        for name in ["", "Mars/Olympus_Mons", "+05:00", "America/Edmonton "] {
            assert_eq!(
                TimeZoneName::parse(name),
                Err(UnknownTimeZone(name.to_owned())),
                "{name}"
            );
        }
    }
}
