//! The client at scale, part of `cargo xtask bench` (alone: `cargo xtask bench --scale`):
//!
//! - 50 finished runs' logs (about 2 MiB each) followed at once by one process through
//!   `Client::follow_log`, against one plain reqwest GET of each whole log, all at once,
//!   from another process: aggregate MB/s, their ratio and each process's peak RSS;
//! - waiting for 50 runs to finish, `Client::wait` with the PipelineRun watch stream against
//!   the client's own polling (`watch_runs` off): requests and response bytes per run, from
//!   the simulator's `/_sim/stats`, for runs of 20 and of 80 simulated minutes, so requests
//!   that grow with the time waited show.
//!
//! Both against one release `ksdevops-sim` process at a fast clock; the measuring program is
//! core/examples/client_scale.rs. Samples run interleaved, each pair in alternating order;
//! a ratio is taken within each repetition.

use crate::bench::record::Figure;
use crate::bench::stats::Stat;
use crate::bench::{number, result_fields, Fields};
use crate::{cmd, paths};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const RUNS: &str = "50";
/// Simulated seconds per real second: a 20-minute run takes 4 s.
const SPEED: &str = "300";
const MIB: f64 = 1024.0 * 1024.0;
const COMMAND: &str = "cargo xtask bench --scale";

/// A simulator started for the bench, stopped when dropped.
struct SimProcess {
    child: Child,
    url: String,
}

impl SimProcess {
    fn start(binary: &Path, scenario: &Path) -> Result<Self, String> {
        let mut child = Command::new(binary)
            .arg("--scenario")
            .arg(scenario)
            .args(["--speed", SPEED])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let mut url = String::new();
        if let Some(out) = child.stdout.take() {
            let _ = BufReader::new(out).read_line(&mut url);
        }
        let url = url.trim().to_owned();
        let sim = SimProcess { child, url };
        if !sim.url.starts_with("http://") {
            return Err("the simulator printed no URL".into());
        }
        Ok(sim)
    }
}

impl Drop for SimProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn build() -> Result<(PathBuf, PathBuf), String> {
    let cargo = || {
        let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cmd.current_dir(paths::root());
        cmd
    };
    cmd::run(cargo().args([
        "build",
        "--release",
        "-p",
        "ksdevops-sim",
        "--bin",
        "ksdevops-sim",
    ]))?;
    cmd::run(cargo().args([
        "build",
        "--release",
        "-p",
        "ksdevops",
        "--features",
        "reqwest",
        "--example",
        "client_scale",
    ]))?;
    let release = paths::target_dir().join("release");
    let exe = std::env::consts::EXE_SUFFIX;
    Ok((
        release.join(format!("ksdevops-sim{exe}")),
        release.join("examples").join(format!("client_scale{exe}")),
    ))
}

/// Runs the example with `args`; the fields of the `bench NAME …` line it printed.
fn sample(example: &Path, args: &[&str], name: &str) -> Result<Fields, String> {
    let out = Command::new(example)
        .args(args)
        .output()
        .map_err(|e| format!("cannot start {}: {e}", example.display()))?;
    if !out.status.success() {
        return Err(format!(
            "client_scale {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    result_fields(&String::from_utf8_lossy(&out.stdout), name)
}

fn stat(samples: &[Fields], f: impl Fn(&Fields) -> Result<f64, String>) -> Result<Stat, String> {
    let values = samples.iter().map(f).collect::<Result<Vec<_>, _>>()?;
    Stat::of(&values).ok_or("no repetition was measured".into())
}

fn paired(
    a: &[Fields],
    b: &[Fields],
    f: impl Fn(&Fields, &Fields) -> Result<f64, String>,
) -> Result<Stat, String> {
    let values = a
        .iter()
        .zip(b)
        .map(|(a, b)| f(a, b))
        .collect::<Result<Vec<_>, _>>()?;
    Stat::of(&values).ok_or("no repetition was measured".into())
}

/// The same logs, byte for byte, or the comparison means nothing.
fn check_same_logs(follow: &Fields, plain: &Fields) -> Result<(), String> {
    for key in ["runs", "bytes", "digest"] {
        if follow.get(key) != plain.get(key) {
            return Err(format!(
                "follow_log and the plain download read different logs: {key} {:?} vs {:?}",
                follow.get(key),
                plain.get(key)
            ));
        }
    }
    Ok(())
}

fn logs_figure(follow: &[Fields], plain: &[Fields]) -> Result<Figure, String> {
    let mb = |f: &Fields, key: &str| Ok(number(f, key)? / MIB);
    let bytes = number(&follow[0], "bytes")?;
    Ok(Figure {
        name: "client_follow_logs",
        title: "50 run logs followed at once (Client::follow_log) against 50 plain downloads",
        command: COMMAND.into(),
        facts: vec![
            ("runs", follow[0].get("runs").cloned().unwrap_or_default()),
            ("log_mib", format!("{:.1}", bytes / MIB)),
            ("repetitions", follow.len().to_string()),
        ],
        measured: vec![
            (
                "ratio",
                "aggregate throughput, follow_log / plain",
                paired(follow, plain, |f, p| {
                    Ok(number(f, "mbps")? / number(p, "mbps")?)
                })?,
                2,
            ),
            ("follow_mbps", "follow_log: MB/s, all runs together", stat(follow, |f| number(f, "mbps"))?, 1),
            ("plain_mbps", "plain GETs: MB/s, all runs together", stat(plain, |f| number(f, "mbps"))?, 1),
            ("follow_peak_mb", "follow_log: peak RSS of the process, MiB", stat(follow, |f| mb(f, "peak_rss_bytes"))?, 1),
            ("plain_peak_mb", "plain GETs: peak RSS of the process, MiB", stat(plain, |f| mb(f, "peak_rss_bytes"))?, 1),
        ],
        after: Vec::new(),
        note: Some(
            "Finished runs, so the figure is the client's cost, not the pipelines' pace. One process per sample \
             (core/examples/client_scale.rs, the follower on one Client), the simulator in its own process; \
             both read the same bytes (checked by digest). Targets: ratio ≥ 0.9, follower below 64 MiB."
                .into(),
        ),
    })
}

/// One length of run, both ways of waiting.
struct WaitSamples {
    length: &'static str,
    watch: Vec<Fields>,
    poll: Vec<Fields>,
}

fn wait_figure(s: &WaitSamples) -> Result<Figure, String> {
    let per_run = |key: &'static str| move |f: &Fields| Ok(number(f, key)? / number(f, "runs")?);
    let kib_per_run = |f: &Fields| Ok(number(f, "response_bytes")? / number(f, "runs")? / 1024.0);
    let first = &s.watch[0];
    let (name, title) = match s.length {
        "short" => (
            "client_wait_short",
            "Waiting for 50 runs (short runs): watch against polling",
        ),
        _ => (
            "client_wait_long",
            "Waiting for 50 runs (4× longer runs): watch against polling",
        ),
    };
    Ok(Figure {
        name,
        title,
        command: COMMAND.into(),
        facts: vec![
            ("runs", first.get("runs").cloned().unwrap_or_default()),
            ("run_sim_seconds", first.get("run_sim_seconds").cloned().unwrap_or_default()),
            ("sim_speed", SPEED.into()),
            ("repetitions", s.watch.len().to_string()),
        ],
        measured: vec![
            ("watch_requests_per_run", "watch: requests per run", stat(&s.watch, per_run("requests"))?, 1),
            ("poll_requests_per_run", "polling: requests per run", stat(&s.poll, per_run("requests"))?, 1),
            ("watch_streams_per_run", "watch: watch requests per run", stat(&s.watch, per_run("watch_requests"))?, 2),
            ("watch_get_run_per_run", "watch: run reads per run", stat(&s.watch, per_run("get_run_requests"))?, 1),
            ("watch_max_open", "watch: most streams open at once", stat(&s.watch, |f| number(f, "max_open_watches"))?, 0),
            ("watch_kib_per_run", "watch: KiB received per run", stat(&s.watch, kib_per_run)?, 1),
            ("poll_kib_per_run", "polling: KiB received per run", stat(&s.poll, kib_per_run)?, 1),
            ("watch_seconds", "watch: seconds until all finished", stat(&s.watch, |f| number(f, "seconds"))?, 2),
            ("poll_seconds", "polling: seconds until all finished", stat(&s.poll, |f| number(f, "seconds"))?, 2),
        ],
        after: Vec::new(),
        note: Some(format!(
            "Counted by the simulator (GET /_sim/stats) from after the runs were started until every wait returned; \
             default client settings (polling backs off from 0.5 s to 10 s). Wall time per run: {} s.",
            number(first, "run_sim_seconds")? / SPEED.parse::<f64>().unwrap_or(1.0)
        )),
    })
}

/// Measures and gives the figures; prints each sample's line as it goes.
pub fn figures(repetitions: usize) -> Result<Vec<Figure>, String> {
    let (sim_binary, example) = build()?;
    let dir = paths::target_dir().join("bench");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let scenario = dir.join("scale-scenario.json");
    let runs_file = dir.join("scale-runs.txt");
    let (scenario_arg, runs_arg) = (path_arg(&scenario)?, path_arg(&runs_file)?);
    sample_unit(&example, &["scenario", scenario_arg])?;
    let sim = SimProcess::start(&sim_binary, &scenario)?;
    let url = sim.url.as_str();
    eprintln!("==> client at scale: {RUNS} big logs, on {url}");
    sample_unit(&example, &["prepare", url, runs_arg, RUNS])?;

    let (mut follow, mut plain) = (Vec::new(), Vec::new());
    for i in 0..repetitions {
        eprintln!("==> logs repetition {} of {repetitions}", i + 1);
        let one = |mode: &str| sample(&example, &[mode, url, runs_arg], "logs");
        let (f, p) = if i % 2 == 0 {
            let f = one("follow")?;
            (f, one("plain")?)
        } else {
            let p = one("plain")?;
            (one("follow")?, p)
        };
        check_same_logs(&f, &p)?;
        println!("sample follow {}", fields_text(&f));
        println!("sample plain {}", fields_text(&p));
        follow.push(f);
        plain.push(p);
    }

    let mut waits = [
        WaitSamples {
            length: "short",
            watch: Vec::new(),
            poll: Vec::new(),
        },
        WaitSamples {
            length: "long",
            watch: Vec::new(),
            poll: Vec::new(),
        },
    ];
    for i in 0..repetitions {
        eprintln!("==> wait repetition {} of {repetitions}", i + 1);
        for w in &mut waits {
            let modes = if i % 2 == 0 {
                ["watch", "poll"]
            } else {
                ["poll", "watch"]
            };
            for mode in modes {
                let f = sample(&example, &["wait", url, w.length, RUNS, mode], "wait")?;
                check_started_in_time(&f)?;
                println!("sample wait {}", fields_text(&f));
                match mode {
                    "watch" => w.watch.push(f),
                    _ => w.poll.push(f),
                }
            }
        }
    }
    drop(sim);
    let mut figures = vec![logs_figure(&follow, &plain)?];
    for w in &waits {
        figures.push(wait_figure(w)?);
    }
    Ok(figures)
}

/// A wait means little if the runs were nearly done before it began: starting them must
/// take under half a run.
fn check_started_in_time(wait: &Fields) -> Result<(), String> {
    let run_seconds = number(wait, "run_sim_seconds")? / SPEED.parse::<f64>().unwrap_or(1.0);
    let start_seconds = number(wait, "start_seconds")?;
    if start_seconds > run_seconds / 2.0 {
        return Err(format!(
            "starting the runs took {start_seconds:.2} s of their {run_seconds:.1} s: the machine is too busy to measure the wait"
        ));
    }
    Ok(())
}

/// A step of the example that prints no figure.
fn sample_unit(example: &Path, args: &[&str]) -> Result<(), String> {
    let status = Command::new(example)
        .args(args)
        .status()
        .map_err(|e| format!("cannot start {}: {e}", example.display()))?;
    if !status.success() {
        return Err(format!("client_scale {} failed", args.join(" ")));
    }
    Ok(())
}

fn path_arg(path: &Path) -> Result<&str, String> {
    path.to_str()
        .ok_or(format!("{} is not valid UTF-8", path.display()))
}

fn fields_text(fields: &Fields) -> String {
    let parts: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
    parts.join(" ")
}

/// `cargo xtask bench --scale`: these figures alone, printed (BENCHMARKS.md is written by a
/// whole `cargo xtask bench` only).
pub fn run(repetitions: usize) -> Result<(), String> {
    let figures = figures(repetitions)?;
    println!();
    for figure in &figures {
        println!("==> {}", figure.title);
        for (_, what, stat, decimals) in &figure.measured {
            println!("    {what:<48} {}", stat.text(*decimals));
        }
    }
    println!();
    for figure in &figures {
        println!("{}", figure.line());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn logs_that_differ_are_an_error() {
        let follow = fields(&[("runs", "50"), ("bytes", "10"), ("digest", "ab")]);
        assert_eq!(check_same_logs(&follow, &follow.clone()), Ok(()));
        let mut plain = follow.clone();
        plain.insert("digest".into(), "cd".into());
        let error = check_same_logs(&follow, &plain).unwrap_err();
        assert!(error.contains("digest"), "{error}");
    }

    #[test]
    fn runs_started_too_slowly_for_their_length_are_an_error() {
        // 1200 simulated seconds at the bench speed: 4 s of wall time per run.
        let wait = |start: &str| fields(&[("run_sim_seconds", "1200"), ("start_seconds", start)]);
        assert_eq!(check_started_in_time(&wait("1.5")), Ok(()));
        let error = check_started_in_time(&wait("2.5")).unwrap_err();
        assert!(error.contains("too busy"), "{error}");
    }

    #[test]
    fn the_throughput_ratio_is_taken_within_each_repetition() {
        let run = |mbps: &str| {
            fields(&[
                ("runs", "50"),
                ("bytes", "1048576"),
                ("mbps", mbps),
                ("peak_rss_bytes", "1048576"),
            ])
        };
        let follow = [run("90"), run("200"), run("50")];
        let plain = [run("100"), run("100"), run("100")];
        let figure = logs_figure(&follow, &plain).unwrap();
        let ratio = figure.measured[0].2;
        assert_eq!((ratio.median, ratio.min, ratio.max), (0.9, 0.5, 2.0));
        assert!(
            figure
                .line()
                .starts_with("bench client_follow_logs runs=50 log_mib=1.0"),
            "{}",
            figure.line()
        );
    }
}
