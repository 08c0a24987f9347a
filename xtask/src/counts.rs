//! Test counts read from the output of the three test runners.

use std::ops::AddAssign;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
}

impl Counts {
    pub fn total(self) -> u64 {
        self.passed + self.failed
    }
}

impl AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        self.passed += other.passed;
        self.failed += other.failed;
    }
}

/// The number before `label` in `text`, e.g. `number_before("3 passed; 0 failed", " failed")`.
fn number_before(text: &str, label: &str) -> Option<u64> {
    let end = text.find(label)?;
    let digits = text[..end]
        .rsplit(|c: char| !c.is_ascii_digit())
        .next()
        .filter(|d| !d.is_empty())?;
    digits.parse().ok()
}

/// Sums every `test result: ok. 3 passed; 1 failed; ...` line of `cargo test` (unit,
/// integration and doc tests alike).
pub fn cargo_test(output: &str) -> Counts {
    let mut counts = Counts::default();
    for line in output.lines() {
        if let Some(rest) = line.trim().strip_prefix("test result: ") {
            counts += Counts {
                passed: number_before(rest, " passed").unwrap_or(0),
                failed: number_before(rest, " failed").unwrap_or(0),
            };
        }
    }
    counts
}

/// The summary of `node --test --test-reporter=tap`: `# pass N`, `# fail N`, `# cancelled N`
/// (a cancelled test did not pass, so it counts as failed).
pub fn node_tap(output: &str) -> Counts {
    let mut counts = Counts::default();
    for line in output.lines() {
        let mut words = line.split_whitespace();
        if words.next() != Some("#") {
            continue;
        }
        let (Some(label), Some(number), None) = (words.next(), words.next(), words.next()) else {
            continue;
        };
        let Ok(number) = number.parse::<u64>() else {
            continue;
        };
        match label {
            "pass" => counts.passed += number,
            "fail" | "cancelled" => counts.failed += number,
            _ => {}
        }
    }
    counts
}

/// pytest's last summary line, e.g. `==== 2 failed, 40 passed, 1 error in 0.52s ====`
/// (errors in fixtures or collection count as failed).
pub fn pytest(output: &str) -> Counts {
    let Some(summary) = output
        .lines()
        .rev()
        .map(|line| line.trim().trim_matches('=').trim())
        .find(|line| {
            line.contains(" in ")
                && line
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit() || c == 'n')
        })
    else {
        return Counts::default();
    };
    let mut counts = Counts::default();
    for part in summary.split(" in ").next().unwrap_or("").split(", ") {
        let part = part.trim();
        let number = number_before(part, " ").unwrap_or(0);
        let label = part.split_whitespace().nth(1).unwrap_or("");
        match label {
            "passed" | "xpassed" => counts.passed += number,
            "failed" | "error" | "errors" => counts.failed += number,
            _ => {}
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_test_sums_every_result_line() {
        let output = "\
running 2 tests
test a ... ok
test b ... FAILED
test result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s

running 0 tests
test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s
   Doc-tests ksdevops
test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.31s
";
        assert_eq!(
            cargo_test(output),
            Counts {
                passed: 13,
                failed: 1
            }
        );
    }

    #[test]
    fn cargo_test_without_result_lines_counts_nothing() {
        assert_eq!(
            cargo_test("error[E0425]: cannot find value `x`"),
            Counts::default()
        );
    }

    #[test]
    fn node_tap_reads_the_summary_and_counts_cancelled_as_failed() {
        let output = "\
TAP version 13
# Subtest: list_pipelines__v4.json
ok 1 - list_pipelines__v4.json
not ok 2 - get_pipeline__v3.json
1..2
# tests 4
# suites 0
# pass 41
# fail 2
# cancelled 1
# skipped 0
# duration_ms 120.5
";
        assert_eq!(
            node_tap(output),
            Counts {
                passed: 41,
                failed: 3
            }
        );
    }

    #[test]
    fn node_tap_ignores_comments_that_are_not_counts() {
        assert_eq!(node_tap("# pass the salt\n# fail\n"), Counts::default());
    }

    #[test]
    fn pytest_reads_the_last_summary_line() {
        let output = "\
tests/test_vectors.py ..F.
FAILED tests/test_vectors.py::test_request[x] - AssertionError: passed 3 in total
=================== 2 failed, 40 passed, 1 skipped, 1 error in 0.52s ===================
";
        assert_eq!(
            pytest(output),
            Counts {
                passed: 40,
                failed: 3
            }
        );
        assert_eq!(
            pytest("12 passed in 0.10s\n"),
            Counts {
                passed: 12,
                failed: 0
            }
        );
    }

    #[test]
    fn pytest_with_no_tests_counts_nothing() {
        assert_eq!(pytest("no tests ran in 0.01s\n"), Counts::default());
        assert_eq!(pytest(""), Counts::default());
    }
}
