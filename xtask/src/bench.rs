//! `cargo xtask bench`: the Jenkinsfile corpus parsed natively (whole and phase by phase) and
//! through the wasm build in Node, with the same method (core/examples/parse_corpus.rs and
//! bindings-wasm/bench/parse_corpus.mjs). Each program runs `--repetitions` times, interleaved
//! (native, wasm, native, wasm, …); every figure is the median of the repetitions with the
//! min–max, a ratio is taken within each repetition. Prints `bench NAME key=value…` lines and
//! a summary, and writes BENCHMARKS.md. `--criterion` runs the criterion benches afterwards.
//! Measurements only: the run fails only when a step fails or the two builds parse the corpus
//! differently.
//!
//! Adding a figure: measure it in [`Repetitions`] (one more program per repetition), and
//! write one `…_figure` function that turns the repetitions into a [`Figure`].

pub(crate) mod record;
pub(crate) mod stats;

use crate::cmd;
use crate::paths;
use record::Figure;
use stats::Stat;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const WASM_PROFILE: &str = "wasm-release";

const USAGE: &str =
    "cargo xtask bench [--repetitions N] [--passes N] [--warmup N] [--criterion [ARGS…]] | cargo xtask bench --memory [--repetitions N] | cargo xtask bench --scale [--repetitions N]";

/// The `key=value` fields of one `bench NAME …` line.
pub(crate) type Fields = BTreeMap<String, String>;

struct Options {
    repetitions: usize,
    passes: String,
    warmup: String,
    /// `Some(args for cargo bench)` when the criterion benches run too.
    criterion: Option<Vec<String>>,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        repetitions: 5,
        passes: "30".into(),
        warmup: "5".into(),
        criterion: None,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--passes" | "--warmup" | "--repetitions" => {
                let value = args
                    .next()
                    .filter(|v| v.parse::<u32>().is_ok_and(|n| n > 0))
                    .ok_or(format!("{arg} needs a whole number above 0 ({USAGE})"))?;
                match arg.as_str() {
                    "--passes" => options.passes = value.clone(),
                    "--warmup" => options.warmup = value.clone(),
                    _ => options.repetitions = value.parse().unwrap_or(5),
                }
            }
            "--criterion" => {
                options.criterion = Some(args.by_ref().cloned().collect());
            }
            other => return Err(format!("unknown argument {other:?} ({USAGE})")),
        }
    }
    Ok(options)
}

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(paths::root());
    cmd
}

/// The `key=value` fields of the `bench NAME …` line that a bench program printed.
pub(crate) fn result_fields(output: &str, name: &str) -> Result<Fields, String> {
    let prefix = format!("bench {name} ");
    let line = output
        .lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .ok_or(format!("the {name} bench printed no `{prefix}…` line"))?;
    Ok(line
        .split_whitespace()
        .filter_map(|field| field.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect())
}

pub(crate) fn number(fields: &Fields, key: &str) -> Result<f64, String> {
    let text = fields
        .get(key)
        .ok_or(format!("the bench result has no {key}"))?;
    text.parse()
        .map_err(|_| format!("the bench result's {key} is not a number: {text:?}"))
}

/// Runs a bench program (output shown live) and returns what it printed.
fn run_program(cmd: &mut Command, name: &str) -> Result<String, String> {
    let (success, output) = cmd::run_and_keep(cmd)?;
    if !success {
        return Err(format!("the {name} bench failed"));
    }
    Ok(output)
}

fn file_size(path: &Path) -> Result<u64, String> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The corpus's paths as the native example lists them, written to `list` for Node.
fn write_corpus_list(example: &Path, list: &Path) -> Result<(), String> {
    let output = Command::new(example)
        .arg("--list-files")
        .output()
        .map_err(|e| format!("cannot start {}: {e}", example.display()))?;
    if !output.status.success() {
        return Err(format!(
            "listing the corpus failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    std::fs::write(list, &output.stdout)
        .map_err(|e| format!("cannot write {}: {e}", list.display()))
}

/// The npm binaryen's wasm-opt (never Debian's: it breaks wasm-bindgen output), installed
/// from bindings-wasm/bench/package-lock.json when missing; None if npm cannot install it.
fn wasm_opt() -> Option<PathBuf> {
    let dir = paths::root().join("bindings-wasm/bench");
    let tool = dir.join("node_modules/.bin/wasm-opt");
    if !tool.exists() {
        let installed = cmd::run(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&dir),
        );
        if let Err(e) = installed {
            eprintln!("bench: no wasm-opt ({e}); the wasm is measured without it");
            return None;
        }
    }
    Some(tool)
}

struct WasmPackage {
    dir: PathBuf,
    /// Raw sizes along the way: (stage, bytes).
    stages: Vec<(&'static str, u64)>,
}

/// Release wasm build (the `wasm-release` profile), wasm-bindgen for Node, then wasm-opt -Oz.
fn build_wasm(out: &Path) -> Result<WasmPackage, String> {
    cmd::run(cargo().args([
        "build",
        "-p",
        "ksdevops-wasm",
        "--target",
        WASM_TARGET,
        "--profile",
        WASM_PROFILE,
    ]))?;
    let cargo_wasm = paths::target_dir()
        .join(WASM_TARGET)
        .join(WASM_PROFILE)
        .join("ksdevops_wasm.wasm");
    let dir = out.join("wasm-node");
    let _ = std::fs::remove_dir_all(&dir);
    cmd::run(
        Command::new("wasm-bindgen")
            .args(["--target", "nodejs", "--out-dir"])
            .arg(&dir)
            .arg(&cargo_wasm),
    )?;
    let bindgen_wasm = dir.join("ksdevops_wasm_bg.wasm");
    let mut stages = vec![
        ("cargo (wasm-release)", file_size(&cargo_wasm)?),
        ("wasm-bindgen", file_size(&bindgen_wasm)?),
    ];
    if let Some(tool) = wasm_opt() {
        cmd::run(
            Command::new(tool)
                .arg("-Oz")
                .arg(&bindgen_wasm)
                .arg("-o")
                .arg(&bindgen_wasm),
        )?;
        stages.push(("wasm-opt -Oz", file_size(&bindgen_wasm)?));
    }
    Ok(WasmPackage { dir, stages })
}

/// The two builds must have parsed the same files into the same totals.
fn check_same_corpus(native: &Fields, wasm: &Fields) -> Result<(), String> {
    for key in [
        "files",
        "bytes",
        "passes",
        "parameters",
        "input_blocks",
        "diagnostics",
        "accepted",
    ] {
        match (native.get(key), wasm.get(key)) {
            (Some(a), Some(b)) if a == b => {}
            (a, b) => return Err(format!("native and wasm disagree on {key}: {a:?} vs {b:?}")),
        }
    }
    for key in ["wasm_bytes", "wasm_gzip_bytes", "glue_bytes"] {
        if !wasm.contains_key(key) {
            return Err(format!("the wasm bench result has no {key}"));
        }
    }
    Ok(())
}

/// What each repetition's programs printed, in the order they ran.
#[derive(Default)]
struct Repetitions {
    native: Vec<Fields>,
    phases: Vec<Fields>,
    wasm: Vec<Fields>,
}

impl Repetitions {
    /// The median and range of `f` over the repetitions of one program.
    fn stat(runs: &[Fields], f: impl Fn(&Fields) -> Result<f64, String>) -> Result<Stat, String> {
        let samples = runs.iter().map(f).collect::<Result<Vec<f64>, String>>()?;
        Stat::of(&samples).ok_or("no repetition was measured".into())
    }

    /// The same, of `f` applied to each repetition's (native, wasm) pair.
    fn ratio(&self, f: impl Fn(&Fields, &Fields) -> Result<f64, String>) -> Result<Stat, String> {
        let samples = self
            .native
            .iter()
            .zip(&self.wasm)
            .map(|(n, w)| f(n, w))
            .collect::<Result<Vec<f64>, String>>()?;
        Stat::of(&samples).ok_or("no repetition was measured".into())
    }
}

fn facts(fields: &Fields, keys: &[&'static str]) -> Vec<(&'static str, String)> {
    keys.iter()
        .filter_map(|k| fields.get(*k).map(|v| (*k, v.clone())))
        .collect()
}

const CORPUS_FACTS: &[&str] = &[
    "files",
    "bytes",
    "passes",
    "parameters",
    "input_blocks",
    "diagnostics",
    "accepted",
];

fn native_command(options: &Options) -> String {
    format!(
        "cargo run --release -p ksdevops --features bench-phases --example parse_corpus -- --passes {} --warmup {}",
        options.passes, options.warmup
    )
}

fn native_figure(reps: &Repetitions, options: &Options) -> Result<Figure, String> {
    let stat = |key: &str| Repetitions::stat(&reps.native, |f| number(f, key));
    let mut facts = facts(&reps.native[0], CORPUS_FACTS);
    facts.push(("repetitions", reps.native.len().to_string()));
    Ok(Figure {
        name: "native",
        title: "Native parse_jenkinsfile over the corpus",
        command: native_command(options),
        facts,
        measured: vec![
            (
                "median_us",
                "µs per file (median file)",
                stat("median_us")?,
                1,
            ),
            ("mbps", "MB/s", stat("mbps")?, 1),
            (
                "json_median_us",
                "parse + to_json: µs per file",
                stat("json_median_us")?,
                1,
            ),
            ("json_mbps", "parse + to_json: MB/s", stat("json_mbps")?, 1),
        ],
        after: Vec::new(),
        note: None,
    })
}

fn phases_figure(reps: &Repetitions, options: &Options) -> Result<Figure, String> {
    let stat = |key: &str| Repetitions::stat(&reps.phases, |f| number(f, key));
    let mbps = ["lex_mbps", "parse_mbps", "extract_mbps", "validate_mbps"].map(stat);
    let [lex, parse, extract, validate] = mbps;
    let (lex, parse, extract, validate) = (lex?, parse?, extract?, validate?);
    let us = ["lex_us", "parse_us", "extract_us", "validate_us"].map(stat);
    let [lex_us, parse_us, extract_us, validate_us] = us;
    let (lex_us, parse_us, extract_us, validate_us) =
        (lex_us?, parse_us?, extract_us?, validate_us?);
    // Median µs per file of each cumulative phase (steadier than MB/s on a busy machine); a
    // phase costs the difference to the one before.
    let cost = [lex_us, parse_us, extract_us, validate_us].map(|s| s.median);
    let share = |i: usize| {
        let before = if i == 0 { 0.0 } else { cost[i - 1] };
        100.0 * (cost[i] - before) / cost[3]
    };
    Ok(Figure {
        name: "native_phases",
        title: "Where the native time goes (each phase includes the ones before it)",
        command: native_command(options),
        facts: facts(&reps.phases[0], &["files", "bytes", "passes"]),
        measured: vec![
            ("lex_mbps", "1. unicode decode + lex: MB/s", lex, 1),
            ("parse_mbps", "2. + parse to a syntax tree: MB/s", parse, 1),
            ("extract_mbps", "3. + extract parameters and inputs: MB/s", extract, 1),
            ("validate_mbps", "4. + validate (= parse_jenkinsfile): MB/s", validate, 1),
            ("lex_us", "1. lex: µs per file (median file)", lex_us, 1),
            ("parse_us", "2. + parse: µs per file", parse_us, 1),
            ("extract_us", "3. + extract: µs per file", extract_us, 1),
            ("validate_us", "4. + validate: µs per file", validate_us, 1),
        ],
        after: Vec::new(),
        note: Some(format!(
            "Share of the time by phase (from the µs medians): lex {:.0}%, parse {:.0}%, extract {:.0}%, validate {:.0}%.",
            share(0),
            share(1),
            share(2),
            share(3)
        )),
    })
}

fn wasm_figure(reps: &Repetitions, options: &Options) -> Result<Figure, String> {
    let stat = |key: &str| Repetitions::stat(&reps.wasm, |f| number(f, key));
    Ok(Figure {
        name: "wasm",
        title: "wasm parseJenkinsfile in Node over the corpus",
        command: format!(
            "cargo xtask bench (wasm-release build, wasm-bindgen --target nodejs, wasm-opt -Oz; then node bindings-wasm/bench/parse_corpus.mjs --pkg target/bench/wasm-node --files target/bench/corpus-files.txt --passes {} --warmup {})",
            options.passes, options.warmup
        ),
        facts: facts(&reps.wasm[0], CORPUS_FACTS),
        measured: vec![
            ("median_us", "µs per file (median file)", stat("median_us")?, 1),
            ("mbps", "MB/s", stat("mbps")?, 1),
        ],
        after: facts(&reps.wasm[0], &["wasm_bytes", "wasm_gzip_bytes", "glue_bytes"]),
        note: Some(
            "A call includes copying the text into wasm memory and building the report as JavaScript objects.".into(),
        ),
    })
}

fn ratio_figure(reps: &Repetitions) -> Result<Figure, String> {
    Ok(Figure {
        name: "wasm_native_ratio",
        title: "wasm in Node against native, within each repetition",
        command: "cargo xtask bench".into(),
        facts: vec![("repetitions", reps.native.len().to_string())],
        measured: vec![
            (
                "per_byte",
                "time per byte, wasm / native parse",
                reps.ratio(|n, w| Ok(number(n, "mbps")? / number(w, "mbps")?))?,
                2,
            ),
            (
                "per_file",
                "median time per file, wasm / native parse",
                reps.ratio(|n, w| Ok(number(w, "median_us")? / number(n, "median_us")?))?,
                2,
            ),
            (
                "per_byte_vs_json",
                "time per byte, wasm / native parse + to_json",
                reps.ratio(|n, w| Ok(number(n, "json_mbps")? / number(w, "mbps")?))?,
                2,
            ),
        ],
        after: Vec::new(),
        note: Some(
            "wasm's call builds JavaScript objects: its fair native peer is parse + to_json."
                .into(),
        ),
    })
}

fn print_summary(figures: &[Figure]) {
    println!();
    for figure in figures {
        println!("==> {}", figure.title);
        if figure.measured.is_empty() {
            let facts: Vec<String> = figure
                .facts
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect();
            println!("    {}", facts.join(", "));
        }
        for (_, what, stat, decimals) in &figure.measured {
            println!("    {what:<48} {}", stat.text(*decimals));
        }
        if let Some(note) = &figure.note {
            println!("    {note}");
        }
    }
}

fn print_stages(package: &WasmPackage) {
    let stages: Vec<String> = package
        .stages
        .iter()
        .map(|(stage, bytes)| format!("{stage} {bytes}"))
        .collect();
    println!("wasm raw bytes by stage: {}", stages.join(", "));
}

/// The parser over the corpus, natively (whole and phase by phase) and through wasm in Node,
/// with the wasm package's size by stage.
fn parser_figures(options: &Options) -> Result<Vec<Figure>, String> {
    let out = paths::target_dir().join("bench");
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    cmd::run(cargo().args([
        "build",
        "--release",
        "-p",
        "ksdevops",
        "--features",
        "bench-phases",
        "--example",
        "parse_corpus",
    ]))?;
    let example = paths::target_dir()
        .join("release/examples")
        .join(format!("parse_corpus{}", std::env::consts::EXE_SUFFIX));
    let list = out.join("corpus-files.txt");
    write_corpus_list(&example, &list)?;
    let package = build_wasm(&out)?;
    let mut reps = Repetitions::default();
    for i in 0..options.repetitions {
        eprintln!("==> repetition {} of {}", i + 1, options.repetitions);
        repeat(&mut reps, &example, &list, &package, options)?;
    }
    print_stages(&package);
    Ok(vec![
        native_figure(&reps, options)?,
        phases_figure(&reps, options)?,
        wasm_figure(&reps, options)?,
        ratio_figure(&reps)?,
    ])
}

/// One repetition: the native program (whole and phases), then the wasm one.
fn repeat(
    reps: &mut Repetitions,
    example: &Path,
    list: &Path,
    package: &WasmPackage,
    options: &Options,
) -> Result<(), String> {
    let timing = ["--passes", &options.passes, "--warmup", &options.warmup];
    let native = run_program(
        Command::new(example).args(timing).arg("--files").arg(list),
        "native",
    )?;
    let script = paths::root().join("bindings-wasm/bench/parse_corpus.mjs");
    let wasm = run_program(
        Command::new("node")
            .arg(&script)
            .args(timing)
            .arg("--pkg")
            .arg(&package.dir)
            .arg("--files")
            .arg(list),
        "wasm",
    )?;
    let (native_fields, wasm_fields) = (
        result_fields(&native, "native")?,
        result_fields(&wasm, "wasm")?,
    );
    check_same_corpus(&native_fields, &wasm_fields)?;
    reps.native.push(native_fields);
    reps.phases.push(result_fields(&native, "native_phases")?);
    reps.wasm.push(wasm_fields);
    Ok(())
}

pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(("--memory", rest)) = args.split_first().map(|(a, r)| (a.as_str(), r)) {
        return crate::bench_memory::run(parse_options(rest)?.repetitions);
    }
    if let Some(("--scale", rest)) = args.split_first().map(|(a, r)| (a.as_str(), r)) {
        return crate::bench_scale::run(parse_options(rest)?.repetitions);
    }
    let options = parse_options(args)?;
    let root = paths::root();
    // What was measured: the machine's load and the commit when the run began.
    let (load, commit) = (record::load(), record::commit(&root));
    let mut figures = match paths::reference() {
        Some(_) => parser_figures(&options)?,
        None => {
            eprintln!("skipped: the Jenkinsfile parser benches (no corpus: KSDEVOPS_SHARED names no reference folder)");
            Vec::new()
        }
    };
    figures.extend(crate::bench_scale::figures(options.repetitions)?);
    figures.extend(crate::bench_memory::figures(options.repetitions)?);
    // ksdevops.Client against hand-written httpx code (xtask/src/python.rs).
    figures.push(crate::python::bench(options.repetitions)?);
    figures.push(crate::wasm_size::report()?);
    print_summary(&figures);
    println!();
    for figure in &figures {
        println!("{}", figure.line());
    }
    let markdown = record::markdown(
        &record::machine(),
        &load,
        &commit,
        options.repetitions,
        &figures,
    );
    let md = root.join("BENCHMARKS.md");
    std::fs::write(&md, markdown).map_err(|e| format!("cannot write {}: {e}", md.display()))?;
    println!("wrote {}", md.display());

    if let Some(extra) = options.criterion {
        crate::demo::bench(&extra)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const NATIVE: &str = "native: 2 files\n\
        bench native files=2 bytes=10 passes=5 median_us=1.5 mbps=3.0 parameters=4 \
        input_blocks=0 diagnostics=1 accepted=2\n";

    #[test]
    fn reads_the_fields_of_the_named_result_line() {
        let fields = result_fields(NATIVE, "native").unwrap();
        assert_eq!(fields["files"], "2");
        assert_eq!(number(&fields, "median_us").unwrap(), 1.5);
        let missing = result_fields(NATIVE, "wasm").unwrap_err();
        assert!(missing.contains("bench wasm"), "{missing}");
    }

    #[test]
    fn builds_that_parse_differently_are_an_error() {
        let native = result_fields(NATIVE, "native").unwrap();
        let mut wasm = native.clone();
        for (key, value) in [
            ("wasm_bytes", "9"),
            ("wasm_gzip_bytes", "5"),
            ("glue_bytes", "3"),
        ] {
            wasm.insert(key.into(), value.into());
        }
        assert_eq!(check_same_corpus(&native, &wasm), Ok(()));
        wasm.insert("parameters".into(), "3".into());
        let error = check_same_corpus(&native, &wasm).unwrap_err();
        assert!(error.contains("parameters"), "{error}");
    }

    #[test]
    fn ratios_are_taken_within_each_repetition() {
        let run = |mbps: &str| {
            let mut f = Fields::new();
            f.insert("mbps".into(), mbps.into());
            f
        };
        let reps = Repetitions {
            native: vec![run("100"), run("50"), run("200")],
            phases: Vec::new(),
            wasm: vec![run("50"), run("50"), run("50")],
        };
        let per_byte = reps
            .ratio(|n, w| Ok(number(n, "mbps")? / number(w, "mbps")?))
            .unwrap();
        assert_eq!(
            (per_byte.median, per_byte.min, per_byte.max),
            (2.0, 1.0, 4.0)
        );
    }

    #[test]
    fn options_reject_zero_and_unknown_arguments() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            parse_options(&args(&["--repetitions", "7"]))
                .unwrap()
                .repetitions,
            7
        );
        assert!(parse_options(&args(&["--repetitions", "0"])).is_err());
        assert!(parse_options(&args(&["--fast"])).is_err());
    }
}
