//! Proleptic Gregorian dates and wall-clock date-times, without time zones.

use std::fmt;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// Days in `month` of `year`.
fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// A date, or `None` when the day does not exist (31 April, 29 February 2011…)
    /// or the year is outside 1000..=9999.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1000..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        let month = month as u8;
        if day == 0 || day > u32::from(days_in_month(year, month)) {
            return None;
        }
        Some(Date { year, month, day: day as u8 })
    }

    /// Year.
    pub fn year(&self) -> i32 {
        self.year
    }
    /// Month, 1..=12.
    pub fn month(&self) -> u32 {
        u32::from(self.month)
    }
    /// Day of month, 1..=31.
    pub fn day(&self) -> u32 {
        u32::from(self.day)
    }

    /// The first moment of this day.
    pub fn at_midnight(self) -> DateTime {
        DateTime { date: self, hour: 0, minute: 0, second: 0 }
    }

    /// Days since 1970-01-01 (Arrow's `Date32`), by Howard Hinnant's
    /// `days_from_civil` algorithm.
    pub fn days_since_epoch(&self) -> i32 {
        let y = if self.month <= 2 { self.year - 1 } else { self.year };
        let m = i32::from(self.month);
        let d = i32::from(self.day);
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01, by Howard Hinnant's
    /// `civil_from_days` (the inverse of [`Date::days_since_epoch`]).
    pub fn from_days_since_epoch(days: i32) -> Date {
        let z = i64::from(days) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A date with a wall-clock time (as printed on the page; no time zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    /// The date.
    pub date: Date,
    hour: u8,
    minute: u8,
    second: u8,
}

impl DateTime {
    /// A date-time, or `None` when the time is out of range.
    pub fn new(date: Date, hour: u32, minute: u32, second: u32) -> Option<DateTime> {
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        Some(DateTime { date, hour: hour as u8, minute: minute as u8, second: second as u8 })
    }

    /// Microseconds since 1970-01-01T00:00:00 (Arrow's `Timestamp(Microsecond)`).
    pub fn micros_since_epoch(&self) -> i64 {
        let days = i64::from(self.date.days_since_epoch());
        let secs = days * 86_400 + i64::from(self.hour) * 3_600 + i64::from(self.minute) * 60 + i64::from(self.second);
        secs * 1_000_000
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}T{:02}:{:02}:{:02}", self.date, self.hour, self.minute, self.second)
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn days_since_epoch_round_trips() {
        for days in [-719_468, -1, 0, 11_016, 15_371, 2_932_896] {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days, "{days}");
        }
        assert_eq!(Date::from_days_since_epoch(15_371), Date::from_ymd(2012, 2, 1).expect("a date"));
    }
    use super::*;

    #[test]
    fn epoch_days_match_known_values() {
        let check = |y, m, d, days| assert_eq!(Date::from_ymd(y, m, d).map(|x| x.days_since_epoch()), Some(days), "{y}-{m}-{d}");
        check(1970, 1, 1, 0);
        check(2000, 3, 1, 11_017);
        check(2010, 8, 26, 14_847);
        check(1969, 12, 31, -1);
    }

    #[test]
    fn invalid_dates_are_refused() {
        assert!(Date::from_ymd(2011, 2, 29).is_none());
        assert!(Date::from_ymd(2012, 2, 29).is_some());
        assert!(Date::from_ymd(2012, 4, 31).is_none());
        assert!(Date::from_ymd(2012, 13, 1).is_none());
        assert!(Date::from_ymd(12, 1, 1).is_none());
    }

    #[test]
    fn datetimes_format_and_convert() {
        let d = Date::from_ymd(2012, 4, 26).expect("valid");
        let t = DateTime::new(d, 15, 2, 0).expect("valid");
        assert_eq!(t.to_string(), "2012-04-26T15:02:00");
        assert_eq!(t.micros_since_epoch(), (15_456 * 86_400 + 15 * 3600 + 120) * 1_000_000);
        assert!(DateTime::new(d, 24, 0, 0).is_none());
    }
}
