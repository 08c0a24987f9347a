//! Times `parse_jenkinsfile` over the conformance corpus (every Jenkinsfile of
//! the external corpus (`$KSDEVOPS_SHARED/conformance/jenkinsfiles/<dir>/`), not the `.json`/`.md` files nor `expected/`,
//! `notes/`), the same method as `bindings-wasm/bench/parse_corpus.mjs` uses in Node:
//! warm-up passes, then timed passes with each parse timed on its own.
//!
//! ```text
//! cargo run --release -p ksdevops --example parse_corpus -- [--passes N] [--warmup N]
//!     [--list-files] [--files LIST]
//! ```
//!
//! `--list-files` prints the corpus paths, one a line, and stops; `--files LIST` parses the
//! files named in LIST (one path a line) instead of the corpus. Prints a human summary and a
//! `bench native …` line of `key=value` fields for `cargo xtask bench`; built with the
//! `bench-phases` feature, also a `bench native_phases …` line: the same measure of each
//! phase (lex, parse, extract, validate = the whole call), each including the ones before it.
//! Measurements only.

#[path = "../benches/support/corpus.rs"]
mod corpus;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use ksdevops::jenkinsfile::{parse_jenkinsfile, JenkinsfileReport};

struct Options {
    passes: usize,
    warmup: usize,
    list_files: bool,
    files: Option<PathBuf>,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        passes: 50,
        warmup: 5,
        list_files: false,
        files: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--passes" => options.passes = count("--passes", &value("--passes")?)?,
            "--warmup" => options.warmup = count("--warmup", &value("--warmup")?)?,
            "--files" => options.files = Some(PathBuf::from(value("--files")?)),
            "--list-files" => options.list_files = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if options.passes == 0 {
        return Err("--passes must be at least 1, got 0".into());
    }
    Ok(options)
}

fn count(name: &str, text: &str) -> Result<usize, String> {
    text.parse()
        .map_err(|_| format!("{name} must be a whole number, got {text:?}"))
}

fn listed_paths(list: &Path) -> Result<Vec<PathBuf>, String> {
    let text = std::fs::read_to_string(list)
        .map_err(|e| format!("cannot read the file list {}: {e}", list.display()))?;
    Ok(text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(PathBuf::from)
        .collect())
}

/// What the parses found over one pass: printed by both benches, so that a wasm build that
/// parses differently shows up as different totals.
#[derive(Default)]
struct Totals {
    parameters: usize,
    input_blocks: usize,
    diagnostics: usize,
    accepted: usize,
}

impl Totals {
    fn add(&mut self, report: &JenkinsfileReport) {
        self.parameters += report.parameters().len();
        self.input_blocks += report.input_parameters().len();
        self.diagnostics += report.diagnostics().len();
        self.accepted += usize::from(report.accepted());
    }
}

#[derive(Clone, Copy)]
struct Timing {
    median_us: f64,
    mb_per_s: f64,
}

/// Warm-up passes, then `passes` timed passes; the median is over every single parse.
fn measure(texts: &[String], options: &Options, work: impl Fn(&str)) -> Timing {
    for _ in 0..options.warmup {
        for text in texts {
            work(text);
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut samples = Vec::with_capacity(texts.len() * options.passes);
    let mut total = 0.0;
    for _ in 0..options.passes {
        for text in texts {
            let start = Instant::now();
            work(std::hint::black_box(text));
            let took = start.elapsed().as_secs_f64();
            total += took;
            samples.push(took * 1e6);
        }
    }
    samples.sort_by(f64::total_cmp);
    Timing {
        median_us: median(&samples),
        mb_per_s: (bytes * options.passes) as f64 / total / 1e6,
    }
}

fn median(sorted: &[f64]) -> f64 {
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 0 {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

fn run() -> Result<(), String> {
    let options = parse_options()?;
    let paths = match &options.files {
        Some(list) => listed_paths(list)?,
        None => corpus::paths()?,
    };
    if options.list_files {
        for path in &paths {
            println!("{}", path.display());
        }
        return Ok(());
    }
    let texts = corpus::read_all(&paths)?;
    let bytes: usize = texts.iter().map(String::len).sum();

    let mut totals = Totals::default();
    for text in &texts {
        totals.add(&parse_jenkinsfile(text));
    }
    let parse = measure(&texts, &options, |text| {
        std::hint::black_box(parse_jenkinsfile(text));
    });
    // What the bindings hand over: the report as a JSON value too.
    let parse_json = measure(&texts, &options, |text| {
        std::hint::black_box(parse_jenkinsfile(text).to_json());
    });

    println!(
        "native: {} files, {bytes} bytes, {} warm passes: parse median {:.1} µs per file, \
         {:.1} MB/s; parse + to_json median {:.1} µs, {:.1} MB/s",
        texts.len(),
        options.passes,
        parse.median_us,
        parse.mb_per_s,
        parse_json.median_us,
        parse_json.mb_per_s
    );
    println!(
        "bench native files={} bytes={bytes} passes={} median_us={:.3} mbps={:.3} \
         json_median_us={:.3} json_mbps={:.3} parameters={} input_blocks={} diagnostics={} \
         accepted={}",
        texts.len(),
        options.passes,
        parse.median_us,
        parse.mb_per_s,
        parse_json.median_us,
        parse_json.mb_per_s,
        totals.parameters,
        totals.input_blocks,
        totals.diagnostics,
        totals.accepted
    );
    #[cfg(feature = "bench-phases")]
    print_phases(&texts, &options, parse);
    Ok(())
}

/// The `bench native_phases …` line; `whole` is the measure of the whole call.
#[cfg(feature = "bench-phases")]
fn print_phases(texts: &[String], options: &Options, whole: Timing) {
    use ksdevops::jenkinsfile::phases;
    let bytes: usize = texts.iter().map(String::len).sum();
    let lex = measure(texts, options, |text| {
        std::hint::black_box(phases::lex(text));
    });
    let parse = measure(texts, options, |text| {
        std::hint::black_box(phases::parse(text));
    });
    let extract = measure(texts, options, |text| {
        std::hint::black_box(phases::extract(text));
    });
    println!(
        "bench native_phases files={} bytes={bytes} passes={} lex_us={:.3} lex_mbps={:.3} \
         parse_us={:.3} parse_mbps={:.3} extract_us={:.3} extract_mbps={:.3} \
         validate_us={:.3} validate_mbps={:.3}",
        texts.len(),
        options.passes,
        lex.median_us,
        lex.mb_per_s,
        parse.median_us,
        parse.mb_per_s,
        extract.median_us,
        extract.mb_per_s,
        whole.median_us,
        whole.mb_per_s
    );
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("parse_corpus: {message}");
            ExitCode::from(2)
        }
    }
}
