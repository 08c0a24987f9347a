//! Running commands: echoed before they run, output shown live and, when asked, kept.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;

fn describe(cmd: &Command) -> String {
    // `cargo` rather than the toolchain path that `CARGO` holds.
    let program = std::path::Path::new(cmd.get_program());
    let mut text = match program.file_name() {
        Some(name) if name == "cargo" => "cargo".to_owned(),
        _ => program.to_string_lossy().into_owned(),
    };
    for arg in cmd.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    if let Some(dir) = cmd.get_current_dir() {
        text = format!("(cd {} && {text})", dir.display());
    }
    text
}

/// Runs `cmd` with inherited output; an error names the command and its exit status.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let text = describe(cmd);
    eprintln!("$ {text}");
    let status = cmd
        .status()
        .map_err(|e| format!("cannot start `{text}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{text}` failed ({status})"))
    }
}

/// Runs `cmd`, showing stdout and stderr as they come, and returns whether it succeeded
/// and everything it printed (both streams, interleaved by line).
pub fn run_and_keep(cmd: &mut Command) -> Result<(bool, String), String> {
    let text = describe(cmd);
    eprintln!("$ {text}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start `{text}`: {e}"))?;
    let (tx, rx) = mpsc::channel::<(bool, String)>();
    let readers = [
        forward(child.stdout.take().expect("piped"), true, tx.clone()),
        forward(child.stderr.take().expect("piped"), false, tx),
    ];
    let mut kept = String::new();
    for (is_stdout, line) in rx {
        if is_stdout {
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(line.as_bytes());
            let _ = out.flush();
        } else {
            let _ = std::io::stderr().write_all(line.as_bytes());
        }
        kept.push_str(&line);
    }
    for reader in readers {
        let _ = reader.join();
    }
    let status = child
        .wait()
        .map_err(|e| format!("`{text}` could not be waited for: {e}"))?;
    Ok((status.success(), kept))
}

fn forward(
    stream: impl Read + Send + 'static,
    is_stdout: bool,
    tx: mpsc::Sender<(bool, String)>,
) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut buf = Vec::new();
        while let Ok(n) = reader.read_until(b'\n', &mut buf) {
            if n == 0
                || tx
                    .send((is_stdout, String::from_utf8_lossy(&buf).into_owned()))
                    .is_err()
            {
                break;
            }
            buf.clear();
        }
    })
}

/// The trimmed stdout of a command that succeeded, or None (missing tool, failure).
pub fn stdout_of(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}
