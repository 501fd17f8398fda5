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

/// Seconds since the Unix epoch of a timestamp in exactly the shape [`cognito_timestamp`] writes (right
/// weekday, day not zero-padded, two-digit time, four-digit year); `None` for anything else. The local
/// server checks PASSWORD_VERIFIER answers with it, as Cognito does.
pub fn parse_cognito_timestamp(text: &str) -> Option<i64> {
    let mut parts = text.split(' ');
    let (_weekday, month, day, time, utc, year) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || utc != "UTC" {
        return None;
    }
    let number = |s: &str, len: usize| -> Option<i64> {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
    };
    let month = MONTHS.iter().position(|m| *m == month)? as i64 + 1;
    let day = match day.len() {
        1 | 2 => number(day, day.len())?,
        _ => return None,
    };
    let mut hms = time.split(':');
    let (h, m, sec) = (number(hms.next()?, 2)?, number(hms.next()?, 2)?, number(hms.next()?, 2)?);
    if hms.next().is_some() || !(1..=31).contains(&day) || h > 23 || m > 59 || sec > 59 {
        return None;
    }
    let year = number(year, 4)?;
    // Days-from-civil (H. Hinnant), the inverse of the calendar above.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let seconds = days * 86_400 + h * 3_600 + m * 60 + sec;
    // Checks what the numbers alone cannot: the weekday, a padded day, a day past the month's end.
    (cognito_timestamp(seconds) == text).then_some(seconds)
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
    fn timestamps_are_read_back_only_in_the_exact_shape() {
        for t in [0, 1_767_603_787, 951_782_400, 4_107_542_399, 4_107_542_400, 1_704_067_200 + 45_296] {
            assert_eq!(parse_cognito_timestamp(&cognito_timestamp(t)), Some(t));
        }
        for bad in [
            "Mon Jan 05 09:03:07 UTC 2026", // zero-padded day
            "Tue Jan 5 09:03:07 UTC 2026",  // wrong weekday
            "Mon Jan 5 9:03:07 UTC 2026",   // one-digit hour
            "Thu Feb 30 09:03:07 UTC 2026", // no such day
            "Mon Jan 5 09:03:07 GMT 2026",
            "Mon Jan 5 09:03:07 UTC 2026 ",
            "Mon Jan  5 09:03:07 UTC 2026",
            "Mon Jan 5 09:03:60 UTC 2026",
            "",
        ] {
            assert_eq!(parse_cognito_timestamp(bad), None, "{bad:?}");
        }
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
