//! Properties of `Timestamp`: parsing never panics, and the RFC 3339 and Jenkins spellings of
//! one instant read as the same epoch milliseconds.

use ksdevops::model::Timestamp;
use proptest::prelude::*;

proptest! {
    #[test]
    fn parsing_any_text_never_panics(text in "\\PC{0,40}") {
        let _ = Timestamp::parse(&text);
    }

    #[test]
    fn near_miss_text_never_panics(text in "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}[.0-9]{0,4}[-+Zz:0-9]{0,7}") {
        if let Ok(ts) = Timestamp::parse(&text) {
            prop_assert_eq!(ts.as_str(), text.as_str());
        }
    }

    #[test]
    fn formatted_millis_parse_back(millis in -62_135_596_799_999i64..253_402_300_799_999i64) {
        let ts = Timestamp::from_epoch_millis(millis);
        prop_assert_eq!(Timestamp::parse(ts.as_str()).unwrap().epoch_millis(), Some(millis));
    }

    #[test]
    fn jenkins_and_rfc3339_spellings_agree(
        millis in 0i64..4_102_444_800_000i64,
        offset_minutes in -840i64..=840i64,
    ) {
        let utc = Timestamp::from_epoch_millis(millis);
        let local = Timestamp::from_epoch_millis(millis + offset_minutes * 60_000);
        // local wall clock: "YYYY-MM-DDThh:mm:ss" from the shifted instant
        let wall = &local.as_str()[..19];
        let milli = millis.rem_euclid(1000);
        let sign = if offset_minutes < 0 { '-' } else { '+' };
        let (oh, om) = (offset_minutes.abs() / 60, offset_minutes.abs() % 60);
        let jenkins = format!("{wall}.{milli:03}{sign}{oh:02}{om:02}");
        let rfc = format!("{wall}.{milli:03}{sign}{oh:02}:{om:02}");
        let expected = utc.epoch_millis();
        prop_assert_eq!(Timestamp::parse(&jenkins).unwrap().epoch_millis(), expected);
        prop_assert_eq!(Timestamp::parse(&rfc).unwrap().epoch_millis(), expected);
    }
}
