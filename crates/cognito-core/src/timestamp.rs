//! The `TIMESTAMP` of a `PASSWORD_VERIFIER` answer: `EEE MMM d HH:mm:ss UTC yyyy` in English, UTC, with the
//! day of month **not** zero-padded (`Mon Jan 5 09:03:07 UTC 2026`). Cognito rejects other shapes.

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A calendar date and time of day in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UtcDateTime {
    pub year: i64,
    /// 1..=12
    pub month: u32,
    /// 1..=31
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// 0 = Sunday
    pub weekday: u32,
}

impl UtcDateTime {
    /// From seconds since the Unix epoch (negative allowed), on the proleptic Gregorian calendar.
    pub fn from_unix_seconds(seconds: i64) -> Self {
        let days = seconds.div_euclid(86_400);
        let secs_of_day = seconds.rem_euclid(86_400) as u32;
        // Civil-from-days over 400-year eras (H. Hinnant's algorithm).
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        UtcDateTime {
            year,
            month,
            day,
            hour: secs_of_day / 3_600,
            minute: secs_of_day / 60 % 60,
            second: secs_of_day % 60,
            weekday: (days + 4).rem_euclid(7) as u32, // 1970-01-01 was a Thursday
        }
    }
}

/// The Cognito timestamp for a moment given in seconds since the Unix epoch.
pub fn cognito_timestamp(unix_seconds: i64) -> String {
    let t = UtcDateTime::from_unix_seconds(unix_seconds);
    format!(
        "{} {} {} {:02}:{:02}:{:02} UTC {}",
        WEEKDAYS[t.weekday as usize],
        MONTHS[(t.month - 1) as usize],
        t.day,
        t.hour,
        t.minute,
        t.second,
        t.year
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_moments() {
        assert_eq!(cognito_timestamp(0), "Thu Jan 1 00:00:00 UTC 1970");
        assert_eq!(cognito_timestamp(1_767_603_787), "Mon Jan 5 09:03:07 UTC 2026");
        assert_eq!(cognito_timestamp(951_782_400), "Tue Feb 29 00:00:00 UTC 2000");
        assert_eq!(cognito_timestamp(4_107_542_399), "Sun Feb 28 23:59:59 UTC 2100");
        assert_eq!(cognito_timestamp(4_107_542_400), "Mon Mar 1 00:00:00 UTC 2100");
        assert_eq!(cognito_timestamp(-1), "Wed Dec 31 23:59:59 UTC 1969");
    }

    #[test]
    fn every_day_of_a_leap_year_round_trips_through_the_calendar() {
        // 2024-01-01 00:00:00 UTC, a Monday.
        let start = 1_704_067_200;
        let mut expected = (2024, 1, 1, 1u32);
        let month_len = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        for day in 0..366 {
            let t = UtcDateTime::from_unix_seconds(start + day * 86_400 + 45_296);
            assert_eq!((t.year, t.month, t.day, t.weekday), expected);
            assert_eq!((t.hour, t.minute, t.second), (12, 34, 56));
            let (y, m, d, w) = expected;
            expected = if d == month_len[m as usize - 1] {
                if m == 12 {
                    (y + 1, 1, 1, (w + 1) % 7)
                } else {
                    (y, m + 1, 1, (w + 1) % 7)
                }
            } else {
                (y, m, d + 1, (w + 1) % 7)
            };
        }
    }
}
