use clap::{Parser, Subcommand};

mod jenkinsfile;

/// Drive KubeSphere DevOps pipelines from the shell.
#[derive(Parser)]
#[command(name = "ksdevops", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read a Jenkinsfile offline, with Jenkins' rules.
    #[command(subcommand)]
    Jenkinsfile(jenkinsfile::JenkinsfileCommand),
}

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Jenkinsfile(command) => jenkinsfile::run(command),
    };
    std::process::exit(code);
}
