use clap::Parser;

/// Drive KubeSphere DevOps pipelines from the shell.
#[derive(Parser)]
#[command(name = "ksdevops", version)]
struct Cli {}

fn main() {
    let _cli = Cli::parse();
}
