//! [`ReleaseDate`]: a release date as precise as Spotify knows it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ReleaseDatePrecision;

/// A release date: a year, a month or a day (Spotify's `release_date`, whose precision
/// its `release_date_precision` member repeats).
///
/// ```
/// use spotkit_model::ReleaseDate;
///
/// let date: ReleaseDate = "1981-12".parse().unwrap();
/// assert_eq!((date.year, date.month, date.day), (1981, Some(12), None));
/// assert_eq!(date.to_string(), "1981-12");
/// assert_eq!(date.to_date(), None); // no day: not a calendar date
/// assert_eq!("1981-12-15".parse::<ReleaseDate>().unwrap().to_date().map(|d| d.day()), Some(15));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ReleaseDate {
    /// The year (`0` where Spotify knows none and sends `0000`).
    pub year: i32,
    /// The month, 1–12, when known.
    pub month: Option<u8>,
    /// The day of the month, when known (only with a month).
    pub day: Option<u8>,
}

/// A string that is not `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a release date (YYYY, YYYY-MM or YYYY-MM-DD)")]
pub struct InvalidReleaseDate(String);

impl ReleaseDate {
    /// How precise the date is.
    pub fn precision(&self) -> ReleaseDatePrecision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => ReleaseDatePrecision::Day,
            (Some(_), None) => ReleaseDatePrecision::Month,
            _ => ReleaseDatePrecision::Year,
        }
    }

    /// The calendar date, when the day is known and valid.
    pub fn to_date(&self) -> Option<time::Date> {
        let month = time::Month::try_from(self.month?).ok()?;
        time::Date::from_calendar_date(self.year, month, self.day?).ok()
    }
}

impl FromStr for ReleaseDate {
    type Err = InvalidReleaseDate;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let invalid = || InvalidReleaseDate(s.to_owned());
        let mut parts = s.trim().split('-');
        let number =
            |part: Option<&str>, digits: usize| -> Result<Option<u32>, InvalidReleaseDate> {
                match part {
                    None => Ok(None),
                    Some(p) if p.len() == digits && p.bytes().all(|b| b.is_ascii_digit()) => {
                        p.parse().map(Some).map_err(|_| invalid())
                    }
                    Some(_) => Err(invalid()),
                }
            };
        let year = number(parts.next(), 4)?.ok_or_else(invalid)?;
        let month = number(parts.next(), 2)?;
        let day = number(parts.next(), 2)?;
        if parts.next().is_some()
            || month.is_some_and(|m| !(1..=12).contains(&m))
            || day.is_some_and(|d| !(1..=31).contains(&d))
        {
            return Err(invalid());
        }
        Ok(ReleaseDate {
            year: i32::try_from(year).map_err(|_| invalid())?,
            month: month.and_then(|m| u8::try_from(m).ok()),
            day: day.and_then(|d| u8::try_from(d).ok()),
        })
    }
}

impl fmt::Display for ReleaseDate {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as Spotify writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

impl Serialize for ReleaseDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ReleaseDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A release date member: `None` for `null` or a string that is not a date (Spotify sends
/// such values rarely, and one odd album must not fail a page).
pub(crate) fn lenient<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<ReleaseDate>, D::Error> {
    crate::de::parsed(deserializer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_precisions_round_trip() {
        for (text, precision) in [
            ("1981", ReleaseDatePrecision::Year),
            ("1981-12", ReleaseDatePrecision::Month),
            ("1981-12-15", ReleaseDatePrecision::Day),
            ("0000", ReleaseDatePrecision::Year),
        ] {
            let date: ReleaseDate = text.parse().unwrap();
            assert_eq!(date.precision(), precision);
            assert_eq!(date.to_string(), text);
        }
    }

    #[test]
    fn other_strings_are_refused() {
        for text in [
            "",
            "81",
            "1981-13",
            "1981-1-5",
            "1981-12-15T00:00:00Z",
            "soon",
        ] {
            assert!(text.parse::<ReleaseDate>().is_err(), "{text}");
        }
    }
}
