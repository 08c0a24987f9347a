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
                match crate::output::print_json(&report) {
                    Ok(()) => 0,
                    Err(failure) => {
                        failure.report();
                        1
                    }
                }
            }
            Err(message) => {
                errln!("ksdevops: {message}");
                2
            }
        },
    }
}

/// The text of `file`, or of standard input for `-`.
pub fn read_input(file: &std::path::Path) -> Result<String, String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_input_is_a_message_naming_the_file() {
        let err = read_input(&PathBuf::from("/nonexistent/Jenkinsfile")).unwrap_err();
        assert!(
            err.starts_with("cannot read /nonexistent/Jenkinsfile"),
            "{err}"
        );
        let dir = std::env::temp_dir().join(format!("ksdevops-cli-test-{}", std::process::id()));
        std::fs::write(&dir, [b'a', 0xff, b'b']).unwrap();
        let err = read_input(&dir).unwrap_err();
        std::fs::remove_file(&dir).unwrap();
        assert!(
            err.contains("not UTF-8") && err.contains("offset 1"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_file_exits_non_zero_and_a_parsed_one_zero() {
        let missing = JenkinsfileCommand::Params {
            file: PathBuf::from("/nonexistent/Jenkinsfile"),
        };
        assert_eq!(run(missing), 2);
        let file = std::env::temp_dir().join(format!("ksdevops-cli-ok-{}", std::process::id()));
        std::fs::write(&file, "node { echo 'hi' }").unwrap();
        let code = run(JenkinsfileCommand::Params { file: file.clone() });
        std::fs::remove_file(&file).unwrap();
        assert_eq!(code, 0);
    }
}
