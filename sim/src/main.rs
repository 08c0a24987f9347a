//! `ksdevops-sim`: runs the simulator until interrupted. Prints the base URL on the first
//! line of stdout.

use ksdevops_sim::{ApiLayout, Scenario, Sim, SimConfig};
use std::process::ExitCode;

const USAGE: &str =
    "usage: ksdevops-sim [--listen 127.0.0.1:PORT] [--layout v4|v3] [--scenario FILE|demo]
                    [--speed N] [--serve-dir DIR] [--cors] [--seed N] [--cluster NAME]...

  --listen     address to bind (port 0 picks a free one; default 127.0.0.1:0)
  --layout     API generation: v4 (KubeSphere 4.x, default) or v3
  --scenario   a scenario JSON file, or `demo` (default)
  --speed      run the simulated clock N times faster (default 1)
  --serve-dir  serve the files of DIR at / on the same origin
  --cors       answer CORS preflights and add CORS headers
  --seed       seed for generated names (default 42)
  --cluster    a member cluster that cluster-prefixed paths may name, besides `host`
               (repeatable; every cluster serves the same simulated DevOps)";

fn parse(args: &[String]) -> Result<SimConfig, String> {
    let mut config = SimConfig::demo();
    let mut i = 0;
    while i < args.len() {
        let flag = args[i].as_str();
        let mut value = || {
            i += 1;
            args.get(i)
                .cloned()
                .ok_or_else(|| format!("{flag}: a value is required"))
        };
        match flag {
            "--listen" => {
                let v = value()?;
                config.listen = v.parse().map_err(|_| {
                    format!("--listen: {v:?} is not an address like 127.0.0.1:8080")
                })?;
            }
            "--layout" => {
                let v = value()?;
                config.layout = v
                    .parse::<ApiLayout>()
                    .map_err(|e| format!("--layout: {e}"))?;
            }
            "--scenario" => {
                let v = value()?;
                config.scenario = if v == "demo" {
                    ksdevops_sim::demo::demo()
                } else {
                    Scenario::from_file(std::path::Path::new(&v))
                        .map_err(|e| format!("--scenario: {e}"))?
                };
            }
            "--speed" => {
                let v = value()?;
                config.speed = v
                    .parse::<f64>()
                    .ok()
                    .filter(|s| s.is_finite() && *s > 0.0)
                    .ok_or_else(|| format!("--speed: {v:?} is not a positive number"))?;
            }
            "--serve-dir" => {
                let v = value()?;
                let dir = std::path::PathBuf::from(&v);
                if !dir.is_dir() {
                    return Err(format!("--serve-dir: {v:?} is not a directory"));
                }
                config.serve_dir = Some(dir);
            }
            "--seed" => {
                let v = value()?;
                config.seed = v
                    .parse()
                    .map_err(|_| format!("--seed: {v:?} is not a number"))?;
            }
            "--cluster" => config.clusters.push(value()?),
            "--cors" => config.cors = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
        i += 1;
    }
    Ok(config)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match parse(&args) {
        Ok(c) => c,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("ksdevops-sim: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let layout = config.layout;
    let speed = config.speed;
    let sim = match Sim::start(config).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("ksdevops-sim: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("{}", sim.url());
    eprintln!(
        "ksdevops-sim: layout {}, speed {speed}; Jenkins' own URL {}; Ctrl-C to stop",
        layout.as_str(),
        sim.jenkins_url()
    );
    let _ = tokio::signal::ctrl_c().await;
    sim.shutdown().await;
    ExitCode::SUCCESS
}
