//! The build agents the simulated Jenkins offers: the built-in node and KubeSphere's default
//! pod templates (`base`, `go`, `java`, `maven`, `nodejs`, `python`), each a pod with a `jnlp`
//! container, a `base` container and one for its toolchain. Decides which commands a shell
//! step finds and whether it may write where it wants.

/// Commands that exist only where a toolchain is installed. Every other command (coreutils,
/// `git`, `make`, `curl`, …) is found everywhere.
const TOOLCHAIN_COMMANDS: &[&str] = &[
    "mvn", "go", "docker", "kubectl", "helm", "node", "npm", "npx", "yarn", "python", "python3",
    "pip", "pip3", "java", "javac", "gradle", "ant",
];

/// What KubeSphere's `builder-base` image adds to the shell (and every builder inherits).
const BASE_TOOLS: &[&str] = &["docker", "kubectl", "helm"];

/// Where the built-in node keeps workspaces, and where pod agents do.
pub const BUILT_IN_WORKSPACE: &str = "/var/jenkins_home/workspace";
pub const POD_WORKSPACE: &str = "/home/jenkins/agent/workspace";

/// The pod templates: label and the tools of the container named like it.
const TEMPLATES: &[(&str, &[&str])] = &[
    ("base", &[]),
    ("go", &["go"]),
    ("java", &["java", "javac", "gradle", "ant"]),
    ("maven", &["mvn", "java", "javac", "ant"]),
    ("nodejs", &["node", "npm", "npx", "yarn"]),
    ("python", &["python", "python3", "pip", "pip3"]),
];

/// The labels `/ci/nodelabels` lists, sorted.
pub fn labels() -> Vec<&'static str> {
    let mut out: Vec<&str> = TEMPLATES.iter().map(|(l, _)| *l).collect();
    out.sort_unstable();
    out
}

pub fn offers(label: &str) -> bool {
    TEMPLATES.iter().any(|(l, _)| *l == label)
}

/// The shell a step runs in.
#[derive(Debug, Clone, PartialEq)]
pub enum Shell {
    /// The built-in node: user `jenkins`, no toolchains; it has the `docker` CLI but the
    /// socket belongs to `root`.
    BuiltIn,
    /// A container of a pod agent from template `label`.
    Pod { label: String, container: String },
    /// An agent the simulator cannot inspect (`docker`, `kubernetes`, …): offers everything.
    Custom,
}

/// What happens when a command is run.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    Yes,
    /// `sh: 1: mvn: not found`, exit 127.
    NotFound,
    /// The Docker CLI is there but the daemon socket is not accessible.
    SocketDenied,
}

impl Shell {
    /// The containers of a pod from this template.
    pub fn containers(label: &str) -> Vec<&str> {
        let mut out = vec!["jnlp", "base"];
        if label != "base" {
            out.push(label);
        }
        out
    }

    /// Whether the user is `root` (tool containers) or `jenkins` (built-in node, `jnlp`).
    pub fn is_root(&self) -> bool {
        match self {
            Shell::BuiltIn => false,
            Shell::Pod { container, .. } => container != "jnlp",
            Shell::Custom => true,
        }
    }

    pub fn find(&self, command: &str) -> Found {
        let name = command.rsplit('/').next().unwrap_or(command);
        if !TOOLCHAIN_COMMANDS.contains(&name) {
            return Found::Yes;
        }
        match self {
            Shell::Custom => Found::Yes,
            Shell::BuiltIn if name == "docker" => Found::SocketDenied,
            Shell::BuiltIn => Found::NotFound,
            Shell::Pod { container, .. } => {
                let toolchain = TEMPLATES
                    .iter()
                    .find(|(l, _)| l == container)
                    .map(|(_, t)| *t)
                    .unwrap_or_default();
                let has = container != "jnlp"
                    && (BASE_TOOLS.contains(&name) || toolchain.contains(&name));
                if has {
                    Found::Yes
                } else {
                    Found::NotFound
                }
            }
        }
    }

    pub fn workspace_root(&self) -> &'static str {
        match self {
            Shell::BuiltIn => BUILT_IN_WORKSPACE,
            _ => POD_WORKSPACE,
        }
    }
}

/// Directories only `root` may write to.
pub fn is_protected(path: &str) -> bool {
    [
        "/root", "/etc", "/usr", "/bin", "/sbin", "/lib", "/opt", "/var/lib", "/var/run", "/sys",
    ]
    .iter()
    .any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(label: &str, container: &str) -> Shell {
        Shell::Pod {
            label: label.into(),
            container: container.into(),
        }
    }

    #[test]
    fn toolchains_live_in_their_containers() {
        assert_eq!(pod("maven", "maven").find("mvn"), Found::Yes);
        assert_eq!(pod("maven", "maven").find("kubectl"), Found::Yes);
        assert_eq!(pod("maven", "jnlp").find("mvn"), Found::NotFound);
        assert_eq!(pod("maven", "base").find("mvn"), Found::NotFound);
        assert_eq!(pod("go", "base").find("docker"), Found::Yes);
        assert_eq!(Shell::BuiltIn.find("go"), Found::NotFound);
        assert_eq!(Shell::BuiltIn.find("/usr/bin/docker"), Found::SocketDenied);
        assert_eq!(Shell::BuiltIn.find("make"), Found::Yes);
        assert_eq!(Shell::Custom.find("mvn"), Found::Yes);
    }

    #[test]
    fn labels_are_the_templates() {
        assert_eq!(
            labels(),
            ["base", "go", "java", "maven", "nodejs", "python"]
        );
        assert!(offers("go") && !offers("gpu"));
        assert!(is_protected("/root/x") && is_protected("/root"));
        assert!(!is_protected("/rootless") && !is_protected("/tmp/x"));
    }
}
