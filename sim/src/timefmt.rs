//! Timestamp formats the server speaks: RFC 3339 UTC for Kubernetes objects and v1alpha3 JSON,
//! Jenkins' `2016-05-24T13:42:07.833+0000` for BlueOcean passthrough.

/// (year, month, day, hour, minute, second, millisecond) of a Unix time in ms, UTC.
fn civil(ms: i64) -> (i64, u32, u32, u32, u32, u32, u32) {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000) as u32;
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400) as u32;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year,
        month,
        day,
        sod / 3600,
        sod / 60 % 60,
        sod % 60,
        millis,
    )
}

/// `2024-05-01T10:00:00Z` (seconds precision, as Kubernetes writes metav1.Time).
pub fn rfc3339(ms: i64) -> String {
    let (y, mo, d, h, mi, s, _) = civil(ms);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

/// `2016-05-24T13:42:07.833+0000` (Jenkins/BlueOcean, always UTC here).
pub fn jenkins(ms: i64) -> String {
    let (y, mo, d, h, mi, s, milli) = civil(ms);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{milli:03}+0000")
}

/// `Fri Nov 27 00:00:00 UTC 2026`, as Jenkins' branch indexing log prints dates.
pub fn java_date(ms: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, mo, d, h, mi, s, _) = civil(ms);
    let weekday = DAYS[ms.div_euclid(86_400_000).rem_euclid(7) as usize];
    let month = MONTHS[(mo - 1) as usize];
    format!("{weekday} {month} {d:02} {h:02}:{mi:02}:{s:02} UTC {y}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        // 2016-05-24T11:42:07.833Z
        let ms = 1_464_090_127_833;
        assert_eq!(rfc3339(ms), "2016-05-24T11:42:07Z");
        assert_eq!(jenkins(ms), "2016-05-24T11:42:07.833+0000");
        assert_eq!(java_date(ms), "Tue May 24 11:42:07 UTC 2016");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        // A leap day.
        assert_eq!(rfc3339(1_709_208_000_000), "2024-02-29T12:00:00Z");
    }
}
