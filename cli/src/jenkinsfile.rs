//! `ksdevops jenkinsfile …`: read a Jenkinsfile's parameters offline.

use std::io::Read;
use std::path::PathBuf;

use clap::Subcommand;

#[derive(Subcommand)]
pub enum JenkinsfileCommand {
    /// Print the job parameters, input parameters, diagnostics and Jenkins' verdict as JSON.
    Params {
        /// The Jenkinsfile to read; `-` reads standard input.
        file: PathBuf,
    },
}

/// Runs the subcommand; returns the process exit code.
pub fn run(command: JenkinsfileCommand) -> i32 {
    match command {
        JenkinsfileCommand::Params { file } => match read_input(&file) {
            Ok(text) => {
                let report = ksdevops::jenkinsfile::parse_jenkinsfile(&text);
                match serde_json::to_string_pretty(&report) {
                    Ok(json) => {
                        println!("{json}");
                        0
                    }
                    Err(e) => {
                        eprintln!("ksdevops: cannot encode the report: {e}");
                        1
                    }
                }
            }
            Err(message) => {
                eprintln!("ksdevops: {message}");
                2
            }
        },
    }
}

fn read_input(file: &PathBuf) -> Result<String, String> {
    let mut bytes = Vec::new();
    let result = if file.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(file)
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .map(|_| ())
    };
    let name = if file.as_os_str() == "-" {
        "standard input".to_owned()
    } else {
        file.display().to_string()
    };
    result.map_err(|e| format!("cannot read {name}: {e}"))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{name} is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })
}
