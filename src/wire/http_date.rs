//! HTTP dates, the second form of `Retry-After` (RFC 9110, 5.6.7 and 10.2.3).
//!
//! A recipient must accept all three formats: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`),
//! the obsolete RFC 850 form (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime
//! (`Sun Nov  6 08:49:37 1994`). In all three the day comes before the year, the month is named
//! and the time has colons, so one reader takes the parts in that order.

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// The Unix time in milliseconds of an HTTP date, or `None` if `text` is not one.
pub fn parse(text: &str) -> Option<u64> {
    let (mut month, mut time, mut numbers) = (None, None, Vec::new());
    for part in text.split([' ', ',', '-']).filter(|p| !p.is_empty()) {
        if part.contains(':') {
            time = Some(clock(part)?);
        } else if part.bytes().all(|b| b.is_ascii_digit()) {
            numbers.push((part.parse::<u64>().ok()?, part.len()));
        } else if let Some(m) = MONTHS.iter().position(|m| part.eq_ignore_ascii_case(m)) {
            month = Some(m as u64 + 1);
        }
    }
    let [(day, _), (year, digits)] = numbers[..] else {
        return None;
    };
    // RFC 850's two-digit years: 70 to 99 are 19xx, the rest 20xx.
    let year = match (digits, year) {
        (2, y) if y >= 70 => 1900 + y,
        (2, y) => 2000 + y,
        (4, y) if y >= 1970 => y,
        _ => return None,
    };
    if !(1..=31).contains(&day) {
        return None;
    }
    let days = days_since_epoch(year, month?, day);
    Some((days * 86_400 + time?) * 1000)
}

/// `hh:mm:ss` as seconds since midnight.
fn clock(part: &str) -> Option<u64> {
    let mut fields = part.split(':').map(|f| f.parse::<u64>().ok());
    let (h, m, s) = (fields.next()??, fields.next()??, fields.next()??);
    (fields.next().is_none() && h < 24 && m < 60 && s <= 60).then_some(h * 3600 + m * 60 + s)
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (from 1970 on).
fn days_since_epoch(year: u64, month: u64, day: u64) -> u64 {
    // March-based years put the leap day last (the civil-from-days method).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let year_of_era = y - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_three_formats() {
        let cases = [
            ("Sun, 06 Nov 1994 08:49:37 GMT", Some(784_111_777_000)),
            ("Sunday, 06-Nov-94 08:49:37 GMT", Some(784_111_777_000)),
            ("Sun Nov  6 08:49:37 1994", Some(784_111_777_000)),
            ("Thu, 01 Jan 1970 00:00:00 GMT", Some(0)),
            ("Tue, 29 Feb 2028 12:00:00 GMT", Some(1_835_438_400_000)),
            ("Wed, 25 Nov 2026 20:00:05 GMT", Some(1_795_636_805_000)),
            ("Wed, 25 Nov 2026 25:00:00 GMT", None),
            ("Wed, 25 Nov 2026 GMT", None),
            ("Wed, 25 Foo 2026 20:00:05 GMT", None),
            ("Wed, 45 Nov 2026 20:00:05 GMT", None),
            ("120", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text), want, "{text}");
        }
    }
}
