//! `cargo xtask setup | test | demo | bench`: the project's build and test plumbing.

mod bench;
mod bench_memory;
mod bench_scale;
mod cmd;
mod counts;
mod demo;
mod fuzz;
mod paths;
mod python;
mod setup;
mod test;
mod wasm_pkg;
mod wasm_size;
mod web_demo;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  setup   install what the tests need (apt chromium + chromium-driver, the wasm32 target,
          the wasm-bindgen CLI matching Cargo.lock, .venv with maturin + pytest, npm packages);
          [--fuzz] also the nightly toolchain and cargo-fuzz, for the targets in fuzz/
  test    fmt check, clippy, native tests, wasm32 build, wasm tests in Node, Python tests;
          ends with a line `N passed, M failed`
  wasm-pkg  build the npm package `ksdevops` into bindings-wasm/pkg/ (web glue, wasm-opt -Oz);
          [--dev] for a quick debug build; [--test] also runs its Node and Chromium tests
  demo    show what ksdevops does
  bench   the Jenkinsfile corpus parsed natively and through the wasm build in Node (release,
          same method): median µs per file, MB/s, the wasm/native ratio, the wasm size;
          and the peak memory of decoding a big pipeline list, per MB of body, before/after
          (`--memory`: only that);
          then the Python client against httpx on the simulator (1,000 runs listed, a 50 MB
          log followed; medians of 5 interleaved repetitions, as ratios);
          then the npm package's wasm, raw and gzip -9, and its largest contributors;
          and the client at scale on the simulator: 50 logs followed at once against plain
          downloads, waiting for 50 runs with the watch against polling (`--scale`: only that);
          [--passes N] [--warmup N]; `--criterion [ARGS…]` also runs `cargo bench -p ksdevops ARGS…`
  web-demo  build web-demo/dist/ and serve it with the simulator on one origin, printing the
          URL; [--build-only] [--listen ADDR] [--speed N]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if matches!(
        args.first().map(String::as_str),
        Some("test" | "bench" | "wasm-pkg")
    ) {
        paths::export_reference();
    }
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::run().and_then(|()| {
            if args.iter().any(|a| a == "--fuzz") {
                fuzz::setup()
            } else {
                Ok(())
            }
        }),
        // Nothing may follow the summary's last line `N passed, M failed`.
        Some("test") => {
            return if test::run() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Some("demo") => demo::run(),
        Some("bench") => bench::run(&args[1..]),
        Some("wasm-pkg") => wasm_pkg::run(&args[1..]),
        Some("web-demo") => web_demo::run(&args[1..]),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
