//! Timestamps as the server writes them: Kubernetes/Go RFC 3339 and Jenkins' own layout.

use crate::{Error, ErrorKind};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;

/// A point in time that remembers the exact text it was read from, so re-encoding gives the
/// same bytes back. Accepts RFC 3339 (`2024-05-01T10:00:00Z`, `2024-05-01T10:00:00.5+02:00`)
/// and Jenkins' layout (`2016-05-24T13:42:07.833+0200`). Go's zero time
/// (`0001-01-01T00:00:00Z`) is read as "no time": [`Timestamp::epoch_millis`] gives `None`.
/// JSON `null` is handled by the `Option<Timestamp>` fields that hold it.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Timestamp {
    text: String,
    millis: i64,
}

/// Epoch milliseconds of 0001-01-01T00:00:00Z, Go's `time.Time{}`.
const GO_ZERO_MILLIS: i64 = -62_135_596_800_000;

impl Timestamp {
    /// Reads RFC 3339 or Jenkins text; the error names the text and the accepted forms.
    pub fn parse(text: &str) -> Result<Self, Error> {
        match parse_millis(text) {
            Some(millis) => Ok(Timestamp {
                text: text.to_owned(),
                millis,
            }),
            None => Err(Error::new(
                ErrorKind::Decode,
                format!(
                    "timestamp: `{text}` is neither RFC 3339 (2024-05-01T10:00:00Z) \
                     nor Jenkins form (2016-05-24T13:42:07.833+0200)"
                ),
            )
            .with_field("timestamp")),
        }
    }

    /// A server text in neither form (an empty string, say): kept byte for byte so a
    /// read-modify-write loses nothing, and read as "no time" like Go's zero time.
    fn unreadable(text: String) -> Self {
        Timestamp {
            text,
            millis: GO_ZERO_MILLIS,
        }
    }

    /// RFC 3339 in UTC, with milliseconds only when they are not zero.
    pub fn from_epoch_millis(millis: i64) -> Self {
        let civil = Civil::of(millis);
        let fraction = if civil.milli == 0 {
            String::new()
        } else {
            format!(".{:03}", civil.milli)
        };
        Timestamp {
            text: format!("{}{fraction}Z", civil.date_time()),
            millis,
        }
    }

    /// RFC 3339 in UTC to the second, as Kubernetes writes `metav1.Time`
    /// (`2024-05-01T10:00:00Z`); milliseconds are dropped.
    pub fn kubernetes_from_epoch_millis(millis: i64) -> Self {
        let seconds = millis.div_euclid(1000) * 1000;
        let civil = Civil::of(seconds);
        Timestamp {
            text: format!("{}Z", civil.date_time()),
            millis: seconds,
        }
    }

    /// Jenkins' layout in UTC, as BlueOcean writes run and node times
    /// (`2016-05-24T13:42:07.833+0000`).
    pub fn jenkins_from_epoch_millis(millis: i64) -> Self {
        let civil = Civil::of(millis);
        Timestamp {
            text: format!("{}.{:03}+0000", civil.date_time(), civil.milli),
            millis,
        }
    }

    /// The text exactly as read (or as built by [`Timestamp::from_epoch_millis`]).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Milliseconds since the Unix epoch; `None` for Go's zero time.
    pub fn epoch_millis(&self) -> Option<i64> {
        (!self.is_zero()).then_some(self.millis)
    }

    /// Whether this is Go's zero time, which the server writes for "not set", or a text that
    /// is no time at all.
    pub fn is_zero(&self) -> bool {
        self.millis == GO_ZERO_MILLIS
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> Ordering {
        self.millis
            .cmp(&other.millis)
            .then_with(|| self.text.cmp(&other.text))
    }
}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({:?})", self.text)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for Timestamp {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self, Error> {
        Timestamp::parse(text)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(Timestamp::parse(&text).unwrap_or_else(|_| Timestamp::unreadable(text)))
    }
}

/// `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm|±hhmm)`; `t`, `z` and a space separator accepted.
fn parse_millis(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() < 20 {
        return None;
    }
    let year = digits(b, 0, 4)?;
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    let second = digits(b, 17, 2)?;
    let separators_ok = b[4] == b'-'
        && b[7] == b'-'
        && matches!(b[10], b'T' | b't' | b' ')
        && b[13] == b':'
        && b[16] == b':';
    if !separators_ok
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }

    let mut pos = 19;
    let mut milli = 0;
    if b[pos] == b'.' {
        let start = pos + 1;
        pos = start;
        while pos < b.len() && b[pos].is_ascii_digit() {
            pos += 1;
        }
        if pos == start {
            return None;
        }
        // Milliseconds from the first three fraction digits; finer digits are truncated.
        for i in 0..3 {
            let digit = b.get(start + i).filter(|_| start + i < pos);
            milli = milli * 10 + digit.map_or(0, |d| i64::from(d - b'0'));
        }
    }

    let offset_minutes = match &b[pos..] {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let (oh, om) = match rest.len() {
                5 if rest[2] == b':' => (digits(rest, 0, 2)?, digits(rest, 3, 2)?),
                4 => (digits(rest, 0, 2)?, digits(rest, 2, 2)?),
                _ => return None,
            };
            if oh > 23 || om > 59 {
                return None;
            }
            let minutes = oh * 60 + om;
            if *sign == b'-' {
                -minutes
            } else {
                minutes
            }
        }
        _ => return None,
    };

    let days = days_from_civil(year, month, day);
    let local_seconds = days * 86_400 + hour * 3600 + minute * 60 + second;
    Some((local_seconds - offset_minutes * 60) * 1000 + milli)
}

fn digits(b: &[u8], start: usize, len: usize) -> Option<i64> {
    let slice = b.get(start..start + len)?;
    slice.iter().try_fold(0i64, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + i64::from(c - b'0'))
    })
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The UTC calendar fields of an instant.
struct Civil {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    milli: i64,
}

impl Civil {
    fn of(millis: i64) -> Self {
        let in_day = millis.rem_euclid(86_400_000);
        let (year, month, day) = civil_from_days(millis.div_euclid(86_400_000));
        Civil {
            year,
            month,
            day,
            hour: in_day / 3_600_000,
            minute: in_day / 60_000 % 60,
            second: in_day / 1000 % 60,
            milli: in_day % 1000,
        }
    }

    /// `YYYY-MM-DDThh:mm:ss`.
    fn date_time(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn millis(text: &str) -> Option<i64> {
        Timestamp::parse(text).unwrap().epoch_millis()
    }

    #[test]
    fn reads_rfc3339_in_utc_and_with_offsets() {
        assert_eq!(millis("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(millis("2024-05-01T10:00:00Z"), Some(1_714_557_600_000));
        assert_eq!(millis("2024-05-01T12:00:00+02:00"), Some(1_714_557_600_000));
        assert_eq!(
            millis("2024-05-01T10:00:00.123456789Z"),
            Some(1_714_557_600_123)
        );
        assert_eq!(
            millis("2024-05-01t09:30:00.5-00:30"),
            Some(1_714_557_600_500)
        );
    }

    #[test]
    fn reads_jenkins_layout() {
        // 2016-05-24T11:42:07.833Z
        assert_eq!(
            millis("2016-05-24T13:42:07.833+0200"),
            Some(1_464_090_127_833)
        );
        assert_eq!(
            millis("2021-09-15T11:12:44.989+0000"),
            Some(1_631_704_364_989)
        );
        assert_eq!(
            millis("2016-03-16T09:02:26.492-0700"),
            Some(1_458_144_146_492)
        );
    }

    #[test]
    fn go_zero_time_has_no_epoch_value() {
        let zero = Timestamp::parse("0001-01-01T00:00:00Z").unwrap();
        assert!(zero.is_zero());
        assert_eq!(zero.epoch_millis(), None);
        assert_eq!(zero.as_str(), "0001-01-01T00:00:00Z");
    }

    #[test]
    fn rejects_malformed_text_naming_it() {
        for bad in [
            "",
            "yesterday",
            "2024-05-01",
            "2024-05-01T10:00:00",
            "2024-13-01T10:00:00Z",
            "2023-02-29T10:00:00Z",
            "2024-05-01T24:00:00Z",
            "2024-05-01T10:00:00.Z",
            "2024-05-01T10:00:00+2:00",
            "2024-05-01T10:00:00Zjunk",
            "2024-05-01X10:00:00Z",
        ] {
            let err = Timestamp::parse(bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Decode, "{bad:?}");
            assert!(err.message().contains(&format!("`{bad}`")), "{bad:?}");
        }
        assert!(Timestamp::parse("2024-02-29T10:00:00Z").is_ok());
    }

    #[test]
    fn formats_epoch_millis_as_rfc3339_utc() {
        for ms in [0, 1_714_557_600_000, 1_464_090_127_833, -1, 951_782_400_000] {
            let ts = Timestamp::from_epoch_millis(ms);
            assert_eq!(
                Timestamp::parse(ts.as_str()).unwrap().epoch_millis(),
                Some(ms)
            );
        }
        assert_eq!(
            Timestamp::from_epoch_millis(1_714_557_600_000).as_str(),
            "2024-05-01T10:00:00Z"
        );
        assert_eq!(
            Timestamp::from_epoch_millis(1_464_090_127_833).as_str(),
            "2016-05-24T11:42:07.833Z"
        );
    }

    #[test]
    fn formats_epoch_millis_as_kubernetes_and_jenkins_write_them() {
        // 2016-05-24T11:42:07.833Z
        let ms = 1_464_090_127_833;
        let kube = Timestamp::kubernetes_from_epoch_millis(ms);
        assert_eq!(kube.as_str(), "2016-05-24T11:42:07Z");
        assert_eq!(kube.epoch_millis(), Some(1_464_090_127_000));
        let jenkins = Timestamp::jenkins_from_epoch_millis(ms);
        assert_eq!(jenkins.as_str(), "2016-05-24T11:42:07.833+0000");
        assert_eq!(
            Timestamp::parse(jenkins.as_str()).unwrap().epoch_millis(),
            Some(ms)
        );
        assert_eq!(
            Timestamp::kubernetes_from_epoch_millis(0).as_str(),
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(
            Timestamp::kubernetes_from_epoch_millis(1_709_208_000_000).as_str(),
            "2024-02-29T12:00:00Z"
        );
        assert_eq!(
            Timestamp::jenkins_from_epoch_millis(-1).as_str(),
            "1969-12-31T23:59:59.999+0000"
        );
    }

    #[test]
    fn keeps_the_original_text_on_reencode() {
        let text = "\"2016-05-24T13:42:07.833+0200\"";
        let ts: Timestamp = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&ts).unwrap(), text);
        let ordered = Timestamp::parse("2016-05-24T12:42:07.834+0100").unwrap();
        assert!(ts < ordered);
    }

    #[test]
    fn a_server_text_that_is_no_time_decodes_as_no_time_and_survives_reencode() {
        for text in ["\"\"", "\"yesterday\""] {
            let ts: Timestamp = serde_json::from_str(text).unwrap();
            assert_eq!(ts.epoch_millis(), None, "{text}");
            assert_eq!(serde_json::to_string(&ts).unwrap(), text);
        }
    }
}
