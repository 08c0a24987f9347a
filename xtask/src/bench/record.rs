//! Figures as `bench NAME key=value…` lines and as BENCHMARKS.md, with the machine and commit
//! they were measured on.

use super::stats::Stat;
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

/// One measured figure: a `bench <name> …` line and a section of BENCHMARKS.md.
pub struct Figure {
    pub name: &'static str,
    pub title: &'static str,
    /// The command that reproduces the figure.
    pub command: String,
    /// Plain `key=value` fields (counts, sizes), before the measured ones.
    pub facts: Vec<(&'static str, String)>,
    /// Measured values: (key, what it is, repetitions' median and range, decimals).
    pub measured: Vec<(&'static str, &'static str, Stat, usize)>,
    /// Plain fields after the measured ones (sizes).
    pub after: Vec<(&'static str, String)>,
    /// A sentence under the table (how to read it).
    pub note: Option<String>,
}

impl Figure {
    /// `bench NAME facts… key=median key_min=… key_max=…`: the median of the repetitions is
    /// the figure; the range shows the noise.
    pub fn line(&self) -> String {
        let mut line = format!("bench {}", self.name);
        for (key, value) in &self.facts {
            let _ = write!(line, " {key}={value}");
        }
        for (key, _, stat, decimals) in &self.measured {
            let d = decimals + 1;
            let _ = write!(
                line,
                " {key}={:.d$} {key}_min={:.d$} {key}_max={:.d$}",
                stat.median, stat.min, stat.max
            );
        }
        for (key, value) in &self.after {
            let _ = write!(line, " {key}={value}");
        }
        line
    }

    fn markdown(&self, out: &mut String) {
        let _ = writeln!(out, "## {}\n", self.title);
        let _ = writeln!(out, "`{}`\n", self.command);
        if !self.facts.is_empty() || !self.after.is_empty() {
            let facts: Vec<String> = self
                .facts
                .iter()
                .chain(&self.after)
                .map(|(k, v)| format!("{k} {v}"))
                .collect();
            let _ = writeln!(out, "{}\n", facts.join(", "));
        }
        if !self.measured.is_empty() {
            let _ = writeln!(out, "| figure | median | min | max |");
            let _ = writeln!(out, "|---|---:|---:|---:|");
        }
        for (_, what, stat, d) in &self.measured {
            let d = *d;
            let _ = writeln!(
                out,
                "| {what} | {:.d$} | {:.d$} | {:.d$} |",
                stat.median, stat.min, stat.max
            );
        }
        if let Some(note) = &self.note {
            let _ = writeln!(out, "\n{note}");
        }
        out.push('\n');
    }
}

/// The CPU model and the number of cores the figures were measured on.
pub fn machine() -> String {
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| format!("unknown CPU ({})", std::env::consts::ARCH));
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{model}, {cores} cores available")
}

/// The 1-, 5- and 15-minute load averages (other work on the machine skews the figures).
pub fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".into())
}

/// The commit measured, `-dirty` when the work tree has changes.
pub fn commit(root: &Path) -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(root)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    let Some(head) = git(&["rev-parse", "--short=12", "HEAD"]) else {
        return "unknown (not a git checkout)".into();
    };
    let dirty =
        git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    if dirty {
        format!("{head}-dirty")
    } else {
        head
    }
}

/// BENCHMARKS.md: how the figures were taken, the machine and commit, every figure.
pub fn markdown(
    machine: &str,
    load: &str,
    commit: &str,
    repetitions: usize,
    figures: &[Figure],
) -> String {
    let mut out = String::from("# Benchmarks\n\n");
    let _ = writeln!(
        out,
        "Written by `cargo xtask bench`; measurements, never pass/fail. Every figure is the \
         median of {repetitions} repetitions, each run interleaved with what it is compared to \
         (A, B, A, B, …), with the lowest and highest repetition; a ratio is computed within each repetition, \
         then summarised the same way.\n"
    );
    let _ = writeln!(out, "- machine: {machine}");
    let _ = writeln!(out, "- load average at the start: {load}");
    let _ = writeln!(out, "- commit: {commit}\n");
    for figure in figures {
        figure.markdown(&mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure() -> Figure {
        Figure {
            name: "native",
            title: "Native",
            command: "cargo xtask bench".into(),
            facts: vec![("files", "2".into())],
            measured: vec![(
                "mbps",
                "MB/s",
                Stat {
                    median: 2.0,
                    min: 1.0,
                    max: 3.0,
                },
                1,
            )],
            after: vec![("size", "9".into())],
            note: None,
        }
    }

    #[test]
    fn a_figure_line_has_facts_then_median_and_range() {
        assert_eq!(
            figure().line(),
            "bench native files=2 mbps=2.00 mbps_min=1.00 mbps_max=3.00 size=9"
        );
    }

    #[test]
    fn the_markdown_names_machine_commit_and_command() {
        let md = markdown(
            "CPU X, 2 cores available",
            "0.10 0.20 0.30",
            "abc123",
            5,
            &[figure()],
        );
        assert!(md.contains("- machine: CPU X"), "{md}");
        assert!(md.contains("- commit: abc123"), "{md}");
        assert!(md.contains("- load average at the start: 0.10"), "{md}");
        assert!(md.contains("`cargo xtask bench`"), "{md}");
        assert!(md.contains("| MB/s | 2.0 | 1.0 | 3.0 |"), "{md}");
    }
}
