//! Dates: the calendar dates and date-times of front matter, the site's time zone and "today".
//! Civil-date arithmetic is done by hand (Howard Hinnant's algorithms) because the portal needs
//! only two zones, and a time-zone database would be the heaviest dependency of the build.

use serde::Deserialize;

/// A date or date-time from front matter (TOML `2026-05-01` or `2026-05-01T10:00:00+02:00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ContentDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    /// Hour, minute, second and UTC offset in minutes, when a time was given.
    pub time: Option<(u8, u8, u8, i32)>,
}

impl ContentDate {
    /// `2026-05-01` or `2026-05-01T10:00:00+02:00`.
    pub(crate) fn iso(&self) -> String {
        let date = format!("{:04}-{:02}-{:02}", self.year, self.month, self.day);
        match self.time {
            None => date,
            Some((h, m, s, offset)) => {
                format!("{date}T{h:02}:{m:02}:{s:02}{}", format_offset(offset))
            }
        }
    }

    /// RFC 3339 with a time, as Atom and sitemaps want (midnight UTC for a bare date).
    pub(crate) fn rfc3339(&self) -> String {
        match self.time {
            None => format!("{:04}-{:02}-{:02}T00:00:00Z", self.year, self.month, self.day),
            Some(_) => self.iso(),
        }
    }

    /// Seconds since 1970-01-01 UTC, for sorting.
    pub(crate) fn timestamp(&self) -> i64 {
        let days = days_from_civil(self.year, self.month, self.day);
        let (h, m, s, offset) = self.time.unwrap_or((0, 0, 0, 0));
        days * 86_400 + i64::from(h) * 3600 + i64::from(m) * 60 + i64::from(s) - i64::from(offset) * 60
    }

    /// Parses the leading `YYYY-MM-DD` of an ISO string.
    pub(crate) fn parse_ymd(text: &str) -> Option<(i32, u8, u8)> {
        let b = text.as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        Some((text[..4].parse().ok()?, text[5..7].parse().ok()?, text[8..10].parse().ok()?))
    }

    /// Today's date in the site's time zone, from the system clock, or from
    /// `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds convention) when set.
    pub(crate) fn today(zone: TimeZone) -> (i32, u8, u8) {
        let epoch = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok());
        let secs = epoch.unwrap_or_else(|| {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
        });
        zone.date_at(secs)
    }
}

/// The site's time zone (`time_zone` in config.toml), which decides what "today" is for
/// `reviewed` and other dates. Only the zones the portal needs are known, so that no time-zone
/// database is needed: `Europe/Warsaw` (the default) follows the EU rule, in force since 1996 and
/// unchanged since: CET (UTC+1), and CEST (UTC+2) from 01:00 UTC on the last Sunday of March to
/// 01:00 UTC on the last Sunday of October. Dates before 1996 use the same rule (they are only
/// ever compared with "today").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum TimeZone {
    #[default]
    EuropeWarsaw,
    Utc,
}

impl TimeZone {
    pub(crate) const NAMES: [&'static str; 2] = ["Europe/Warsaw", "UTC"];

    pub(crate) fn parse(name: &str) -> Option<TimeZone> {
        match name {
            "Europe/Warsaw" => Some(TimeZone::EuropeWarsaw),
            "UTC" | "Etc/UTC" => Some(TimeZone::Utc),
            _ => None,
        }
    }

    /// Minutes east of UTC at the instant `secs` (seconds since 1970-01-01 UTC).
    pub(crate) fn offset_minutes(self, secs: i64) -> i32 {
        match self {
            TimeZone::Utc => 0,
            TimeZone::EuropeWarsaw => {
                let (year, _, _) = civil_from_days(secs.div_euclid(86_400));
                // Last Sunday of a 31-day month; 1970-01-01 was a Thursday (weekday 4, Sunday 0).
                let last_sunday = |month: u8| {
                    let d = days_from_civil(year, month, 31);
                    d - (d + 4).rem_euclid(7)
                };
                let start = last_sunday(3) * 86_400 + 3600;
                let end = last_sunday(10) * 86_400 + 3600;
                if (start..end).contains(&secs) { 120 } else { 60 }
            }
        }
    }

    /// The calendar date in this zone at the instant `secs`.
    pub(crate) fn date_at(self, secs: i64) -> (i32, u8, u8) {
        civil_from_days((secs + i64::from(self.offset_minutes(secs)) * 60).div_euclid(86_400))
    }
}

impl<'de> Deserialize<'de> for TimeZone {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        TimeZone::parse(&name).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown time zone `{name}`, expected one of {}",
                TimeZone::NAMES.map(|n| format!("`{n}`")).join(", ")
            ))
        })
    }
}

fn format_offset(minutes: i32) -> String {
    if minutes == 0 {
        return "Z".to_string();
    }
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.abs();
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i32, month: u8, day: u8) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(month) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        for (y, m, d) in [(1970, 1, 1), (2024, 2, 29), (2026, 11, 22), (2000, 3, 1)] {
            assert_eq!(civil_from_days(days_from_civil(y, m, d)), (y, m, d));
        }
        let date = ContentDate { year: 2019, month: 1, day: 1, time: Some((8, 0, 0, 60)) };
        assert_eq!(date.timestamp(), 1_546_326_000);
    }

    #[test]
    fn warsaw_time_follows_the_eu_summer_time_rule() {
        let at = |y, m, d, h: i64, min: i64| days_from_civil(y, m, d) * 86_400 + h * 3600 + min * 60;
        let tz = TimeZone::EuropeWarsaw;
        // Last Sundays of March and October, 2024–2027, switching at 01:00 UTC.
        for (y, march, october) in [(2024, 31, 27), (2025, 30, 26), (2026, 29, 25), (2027, 28, 31)] {
            assert_eq!(tz.offset_minutes(at(y, 3, march, 0, 59)), 60, "{y}-03-{march}");
            assert_eq!(tz.offset_minutes(at(y, 3, march, 1, 0)), 120, "{y}-03-{march}");
            assert_eq!(tz.offset_minutes(at(y, 10, october, 0, 59)), 120, "{y}-10-{october}");
            assert_eq!(tz.offset_minutes(at(y, 10, october, 1, 0)), 60, "{y}-10-{october}");
        }
        // Just after midnight in Poland it is still yesterday in UTC.
        assert_eq!(tz.date_at(at(2026, 6, 30, 22, 30)), (2026, 7, 1));
        assert_eq!(TimeZone::Utc.date_at(at(2026, 6, 30, 22, 30)), (2026, 6, 30));
        assert_eq!(tz.date_at(at(2026, 6, 30, 21, 59)), (2026, 6, 30));
        assert_eq!(tz.date_at(at(2026, 12, 31, 23, 0)), (2027, 1, 1));
        assert_eq!(tz.date_at(at(2026, 12, 31, 22, 59)), (2026, 12, 31));
        assert_eq!(TimeZone::parse("Europe/Warsaw"), Some(TimeZone::EuropeWarsaw));
        assert_eq!(TimeZone::parse("Europe/Berlin"), None);
    }
}
