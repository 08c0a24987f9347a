//! A build's workspace as far as the simulator knows it: the files its shell steps and
//! `writeFile` create. A shell line is checked like `/bin/sh` would run it (a command the
//! agent lacks, a write only `root` may do) and its outputs are recorded, so that
//! `archiveArtifacts` finds exactly what the build made.

use crate::agents::{is_protected, Found, Shell};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Default)]
pub struct Workspace {
    files: BTreeSet<String>,
    dirs: BTreeSet<String>,
}

/// A shell line that failed: the lines `/bin/sh` printed and its exit code.
#[derive(Debug, Clone, PartialEq)]
pub struct ShellFailure {
    pub output: Vec<String>,
    pub code: i32,
}

/// What the shell needs to know besides the line.
pub struct ShellContext<'a> {
    pub shell: &'a Shell,
    /// The job's workspace directory on this agent (absolute).
    pub dir: &'a str,
    /// The current directory inside it (`dir('sub') { … }`), `""` at its root.
    pub cwd: &'a str,
    /// The script file Jenkins' `sh` step runs, for `/bin/sh`'s error prefix.
    pub script_path: &'a str,
    /// Base name of what builds produce (`go build` → this binary).
    pub job_name: &'a str,
}

const DOCKER_DENIED: &str = "Got permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get \"http://%2Fvar%2Frun%2Fdocker.sock/v1.24/version\": dial unix /var/run/docker.sock: connect: permission denied";

impl Workspace {
    pub fn files(&self) -> impl Iterator<Item = &String> {
        self.files.iter()
    }

    /// Records a file written at `path` (absolute, or relative to `cwd` in the workspace
    /// `root`); files outside the workspace are not recorded.
    pub fn add_file(&mut self, path: &str, root: &str, cwd: &str) {
        if let Some(p) = resolve(path, root, cwd) {
            self.files.insert(p);
        }
    }

    /// Runs one line of a shell script (line numbers from 1): `Err` when `/bin/sh` would stop
    /// there under `-e`.
    pub fn run_line(
        &mut self,
        line: &str,
        number: usize,
        cx: &ShellContext<'_>,
    ) -> Result<(), ShellFailure> {
        for command in split_commands(line) {
            let words = words(command);
            let (args, redirects) = split_redirects(&words);
            let args: Vec<&str> = args.into_iter().skip_while(|w| is_assignment(w)).collect();
            let Some(&name) = args.first() else {
                continue;
            };
            match cx.shell.find(name) {
                Found::Yes => {}
                Found::NotFound => {
                    return Err(ShellFailure {
                        output: vec![format!("{}: {number}: {name}: not found", cx.script_path)],
                        code: 127,
                    })
                }
                Found::SocketDenied => {
                    return Err(ShellFailure {
                        output: vec![DOCKER_DENIED.to_string()],
                        code: 1,
                    })
                }
            }
            for target in &redirects {
                self.write(target, cx, || {
                    (
                        format!(
                            "{}: {number}: cannot create {target}: Permission denied",
                            cx.script_path
                        ),
                        2,
                    )
                })?;
            }
            self.apply(name, &args[1..], cx)?;
        }
        Ok(())
    }

    fn write(
        &mut self,
        path: &str,
        cx: &ShellContext<'_>,
        denied: impl FnOnce() -> (String, i32),
    ) -> Result<(), ShellFailure> {
        if path.starts_with("/dev/") {
            return Ok(());
        }
        if path.starts_with('/') && is_protected(path) && !cx.shell.is_root() {
            let (line, code) = denied();
            return Err(ShellFailure {
                output: vec![line],
                code,
            });
        }
        self.add_file(path, cx.dir, cx.cwd);
        Ok(())
    }

    /// The outputs of the commands the simulator knows.
    fn apply(
        &mut self,
        name: &str,
        args: &[&str],
        cx: &ShellContext<'_>,
    ) -> Result<(), ShellFailure> {
        let plain: Vec<&str> = args
            .iter()
            .copied()
            .filter(|a| !a.starts_with('-'))
            .collect();
        let job = cx.job_name;
        match name.rsplit('/').next().unwrap_or(name) {
            "touch" => {
                for p in &plain {
                    self.write(p, cx, || {
                        (format!("touch: cannot touch '{p}': Permission denied"), 1)
                    })?;
                }
            }
            "tee" => {
                for p in &plain {
                    self.write(p, cx, || (format!("tee: {p}: Permission denied"), 1))?;
                }
            }
            "mkdir" => {
                for p in &plain {
                    if p.starts_with('/') && is_protected(p) && !cx.shell.is_root() {
                        return Err(ShellFailure {
                            output: vec![format!(
                                "mkdir: cannot create directory '{p}': Permission denied"
                            )],
                            code: 1,
                        });
                    }
                    if let Some(d) = resolve(p, cx.dir, cx.cwd) {
                        self.dirs.insert(d);
                    }
                }
            }
            cmd @ ("cp" | "mv") if plain.len() >= 2 => {
                let dst = plain[plain.len() - 1];
                let into_dir = dst.ends_with('/')
                    || resolve(dst, cx.dir, cx.cwd).is_some_and(|d| self.dirs.contains(&d));
                for src in &plain[..plain.len() - 1] {
                    let target = if into_dir {
                        let base = src.rsplit('/').next().unwrap_or(src);
                        format!("{}/{base}", dst.trim_end_matches('/'))
                    } else {
                        dst.to_string()
                    };
                    self.write(&target, cx, || {
                        (
                            format!(
                                "{cmd}: cannot create regular file '{target}': Permission denied"
                            ),
                            1,
                        )
                    })?;
                }
            }
            "go" if args.first() == Some(&"build") && !has_output_flag(args) => {
                self.add_file(job, cx.dir, cx.cwd);
            }
            "mvn" | "mvnw" | "./mvnw"
                if plain
                    .iter()
                    .any(|g| matches!(*g, "package" | "install" | "verify" | "deploy")) =>
            {
                self.add_file(&format!("target/{job}-1.0.0.jar"), cx.dir, cx.cwd);
            }
            "gradle" | "gradlew"
                if plain
                    .iter()
                    .any(|g| matches!(*g, "build" | "assemble" | "jar")) =>
            {
                self.add_file(&format!("build/libs/{job}-1.0.0.jar"), cx.dir, cx.cwd);
            }
            "npm" | "yarn" if plain.contains(&"build") => {
                self.add_file("dist/index.js", cx.dir, cx.cwd);
            }
            "tar" => {
                let flags = args.first().copied().unwrap_or_default();
                if flags.contains('c') && flags.contains('f') {
                    if let Some(out) = args.get(1) {
                        self.write(out, cx, || {
                            (format!("tar: {out}: Cannot open: Permission denied"), 2)
                        })?;
                    }
                }
            }
            "zip" => {
                if let Some(out) = plain.first() {
                    let out = if out.ends_with(".zip") {
                        out.to_string()
                    } else {
                        format!("{out}.zip")
                    };
                    self.add_file(&out, cx.dir, cx.cwd);
                }
            }
            _ => {}
        }
        if let Some(out) = output_flag(args) {
            self.write(out, cx, || (format!("{name}: {out}: permission denied"), 1))?;
        }
        Ok(())
    }

    /// The recorded files under `cwd` matching any of the comma-separated Ant patterns,
    /// relative to `cwd` (as `archiveArtifacts` inside `dir(…)` names them).
    pub fn matching(&self, patterns: &str, cwd: &str) -> Vec<String> {
        let globs: Vec<&str> = patterns
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        let base = resolve(".", "/", cwd).map(|b| format!("{b}/"));
        self.files
            .iter()
            .filter_map(|f| match &base {
                Some(b) => f.strip_prefix(b.as_str()),
                None => Some(f.as_str()),
            })
            .filter(|f| globs.iter().any(|g| ant_match(g, f)))
            .map(str::to_string)
            .collect()
    }
}

/// `-o FILE`, `-o=FILE`, `--output FILE`, `--output=FILE`.
fn output_flag<'a>(args: &[&'a str]) -> Option<&'a str> {
    for (i, a) in args.iter().enumerate() {
        if let Some(v) = a
            .strip_prefix("-o=")
            .or_else(|| a.strip_prefix("--output="))
        {
            return Some(v);
        }
        if matches!(*a, "-o" | "--output") {
            return args.get(i + 1).copied();
        }
    }
    None
}

fn has_output_flag(args: &[&str]) -> bool {
    output_flag(args).is_some()
}

/// A path inside the workspace `root`, relative to it (a relative `path` starts at `cwd`);
/// `None` for paths elsewhere and for the root itself.
fn resolve(path: &str, root: &str, cwd: &str) -> Option<String> {
    let p = if let Some(abs) = path.strip_prefix('/') {
        let rest = abs.strip_prefix(root.trim_start_matches('/'))?;
        rest.strip_prefix('/')?.to_string()
    } else {
        format!("{cwd}/{path}")
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(k, _)| {
        !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// The simple commands of a line: split on `&&`, `||`, `;` and `|`.
fn split_commands(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = line.as_bytes();
    let (mut start, mut i) = (0, 0);
    let mut quote: Option<u8> = None;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'\'' || b == b'"' => quote = Some(b),
            None if b == b';' || b == b'|' || (b == b'&' && bytes.get(i + 1) == Some(&b'&')) => {
                out.push(&line[start..i]);
                let width = if bytes.get(i + 1) == Some(&b) { 2 } else { 1 };
                i += width;
                start = i;
                continue;
            }
            None => {}
        }
        i += 1;
    }
    out.push(&line[start..]);
    out.into_iter()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

/// Words of a simple command, quotes removed.
fn words(command: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in command.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                any = true;
            }
            None if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            None => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Separates `> file`, `>> file`, `2>file`, `&>file` from the arguments.
fn split_redirects(words: &[String]) -> (Vec<&str>, Vec<String>) {
    let mut args = Vec::new();
    let mut targets = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        let op = w.trim_start_matches(|c: char| c.is_ascii_digit() || c == '&');
        if let Some(rest) = op.strip_prefix('>') {
            let rest = rest.trim_start_matches('>');
            if rest.starts_with('&') {
                // `2>&1`: a descriptor, not a file.
            } else if rest.is_empty() {
                if let Some(t) = words.get(i + 1) {
                    targets.push(t.clone());
                    i += 1;
                }
            } else {
                targets.push(rest.to_string());
            }
        } else {
            args.push(w);
        }
        i += 1;
    }
    (args, targets)
}

/// Ant-style matching: `**` any number of directories, `*` and `?` within one name; a pattern
/// ending in `/` means everything under it.
pub fn ant_match(pattern: &str, path: &str) -> bool {
    let pattern = match pattern.strip_suffix('/') {
        Some(p) => format!("{p}/**"),
        None => pattern.to_string(),
    };
    let pat: Vec<&str> = pattern.split('/').filter(|s| !s.is_empty()).collect();
    let segs: Vec<&str> = path.split('/').collect();
    fn go(pat: &[&str], segs: &[&str]) -> bool {
        match pat.first() {
            None => segs.is_empty(),
            Some(&"**") => (0..=segs.len()).any(|k| go(&pat[1..], &segs[k..])),
            Some(p) => {
                !segs.is_empty()
                    && name_match(p.as_bytes(), segs[0].as_bytes())
                    && go(&pat[1..], &segs[1..])
            }
        }
    }
    go(&pat, &segs)
}

fn name_match(p: &[u8], s: &[u8]) -> bool {
    match p.first() {
        None => s.is_empty(),
        Some(b'*') => (0..=s.len()).any(|k| name_match(&p[1..], &s[k..])),
        Some(b'?') => !s.is_empty() && name_match(&p[1..], &s[1..]),
        Some(c) => s.first() == Some(c) && name_match(&p[1..], &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(ws: &mut Workspace, shell: &Shell, line: &str) -> Result<(), ShellFailure> {
        let cx = ShellContext {
            shell,
            dir: "/home/jenkins/agent/workspace/ns_app",
            cwd: "",
            script_path: "/tmp/script.sh",
            job_name: "app",
        };
        ws.run_line(line, 3, &cx)
    }

    fn pod(container: &str) -> Shell {
        Shell::Pod {
            label: "maven".into(),
            container: container.into(),
        }
    }

    #[test]
    fn missing_tools_fail_like_dash() {
        let mut ws = Workspace::default();
        let err = run(&mut ws, &pod("jnlp"), "CI=1 mvn -B package").unwrap_err();
        assert_eq!(err.code, 127);
        assert_eq!(err.output, ["/tmp/script.sh: 3: mvn: not found"]);
        assert!(run(&mut ws, &pod("maven"), "mvn -B package && echo ok").is_ok());
        assert_eq!(ws.matching("target/*.jar", ""), ["target/app-1.0.0.jar"]);
        let err = run(&mut ws, &pod("maven"), "echo hi | go vet").unwrap_err();
        assert_eq!(err.output, ["/tmp/script.sh: 3: go: not found"]);
        let err = run(&mut ws, &Shell::BuiltIn, "docker build -t x .").unwrap_err();
        assert_eq!(err.code, 1);
        assert!(err.output[0].contains("docker.sock: connect: permission denied"));
    }

    #[test]
    fn writes_under_root_directories_are_denied_to_jenkins() {
        let mut ws = Workspace::default();
        let err = run(&mut ws, &Shell::BuiltIn, "echo x > /root/.npmrc").unwrap_err();
        assert_eq!(
            err.output,
            ["/tmp/script.sh: 3: cannot create /root/.npmrc: Permission denied"]
        );
        assert_eq!(err.code, 2);
        let err = run(&mut ws, &Shell::BuiltIn, "mkdir -p /etc/app").unwrap_err();
        assert_eq!(
            err.output,
            ["mkdir: cannot create directory '/etc/app': Permission denied"]
        );
        assert!(run(&mut ws, &pod("maven"), "echo x > /root/.npmrc").is_ok());
        assert!(run(&mut ws, &Shell::BuiltIn, "echo x > out.txt 2>&1").is_ok());
        assert_eq!(ws.matching("*.txt", ""), ["out.txt"]);
    }

    #[test]
    fn outputs_are_recorded() {
        let mut ws = Workspace::default();
        let sh = Shell::Custom;
        for line in [
            "mkdir -p dist",
            "echo \"report\" > dist/report.txt",
            "CGO_ENABLED=0 go build -o service .",
            "cp service dist/",
            "tar -czf app.tgz dist",
            "touch /home/jenkins/agent/workspace/ns_app/abs.log /tmp/elsewhere",
        ] {
            run(&mut ws, &sh, line).unwrap();
        }
        let all: Vec<&String> = ws.files().collect();
        assert_eq!(
            all,
            [
                "abs.log",
                "app.tgz",
                "dist/report.txt",
                "dist/service",
                "service"
            ]
        );
        assert_eq!(
            ws.matching("**/*.txt, service", ""),
            ["dist/report.txt", "service"]
        );
        assert!(ws.matching("bin/*", "").is_empty());
        assert_eq!(ws.matching("*", "dist"), ["report.txt", "service"]);
        ws.add_file("../x.log", "/w", "dist/sub");
        assert!(ws.matching("dist/x.log", "").len() == 1);
    }

    #[test]
    fn ant_patterns() {
        assert!(ant_match("**/*.jar", "target/a.jar"));
        assert!(ant_match("**/*.jar", "a.jar"));
        assert!(ant_match("dist/", "dist/x/y"));
        assert!(ant_match("a?c", "abc"));
        assert!(!ant_match("*.jar", "target/a.jar"));
        assert!(!ant_match("dist/*", "dist/x/y"));
    }
}
