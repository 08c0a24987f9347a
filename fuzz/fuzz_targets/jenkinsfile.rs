//! Lexer + parser + extraction on arbitrary text: must never panic, and the report must
//! serialize. Run: `cargo +nightly fuzz run jenkinsfile -- -max_total_time=600`
//! (seed it with the external Jenkinsfile corpus, see fuzz/README.md).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let report = ksdevops::jenkinsfile::parse_jenkinsfile(&text);
    let json = serde_json::to_string(&report).expect("report serializes");
    assert!(json.starts_with('{'));
    if let Some(p) = report.pipeline() {
        let _ = p.walk_stages();
    }
});
