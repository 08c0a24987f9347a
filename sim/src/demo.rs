//! The `demo` scenario (issue 5 item 7): workspace `demo`, DevOps project `demo-project`,
//! users `admin` (sees everything) and `stone-ns-admin` (only `demo-project`), OAuth client
//! `kubesphere`, and four pipelines (one of which fails for a known cause, so that a run's
//! diagnosis has something to show).

use crate::scenario::{
    OAuthClient, Scenario, ScenarioBranch, ScenarioPipeline, ScenarioProject, ScenarioUser,
};
use ksdevops::model::{annotations, API_VERSION};
use ksdevops::Secret;
use serde_json::json;

/// KubeSphere's well-known default password.
pub const DEFAULT_PASSWORD: &str = "P@88w0rd";
pub const WORKSPACE: &str = "demo";
pub const PROJECT: &str = "demo-project";

pub const PARAMS_DEMO_JENKINSFILE: &str = r#"pipeline {
  agent any
  parameters {
    string(name: 'PERSON', defaultValue: 'stone', description: 'Who should I say hello to?')
    text(name: 'BIOGRAPHY', defaultValue: '', description: 'Enter some information about the person')
    booleanParam(name: 'TOGGLE', defaultValue: true, description: 'Toggle this value')
    choice(name: 'CHOICE', choices: ['One', 'Two', 'Three'], description: 'Pick something')
    password(name: 'PASSWORD', defaultValue: 'SECRET', description: 'Enter a password')
  }
  stages {
    stage('Greet') {
      steps {
        echo "Hello ${params.PERSON}"
        echo "Biography: ${params.BIOGRAPHY}"
        echo "Toggle: ${params.TOGGLE}"
        echo "Choice: ${params.CHOICE}"
        echo "Password: ${params.PASSWORD}"
      }
    }
    stage('Build') {
      steps {
        sh '''
          echo "building the report for ${PERSON}"
          mkdir -p dist
          echo "report for ${PERSON}" > dist/report.txt
        '''
        archiveArtifacts artifacts: 'dist/report.txt'
      }
    }
    stage('Approve') {
      steps {
        input(id: 'Deploy', message: 'Deploy to production?', ok: 'Deploy',
              parameters: [choice(name: 'TARGET', choices: ['staging', 'production'], description: 'Where to deploy')])
      }
    }
    stage('Deploy') {
      steps {
        echo 'Deploying'
      }
    }
  }
}
"#;

pub const GO_DEMO_JENKINSFILE: &str = r#"pipeline {
  agent {
    node {
      label 'go'
    }
  }
  stages {
    stage('Checkout') {
      steps {
        git(url: 'https://git.example.com/demo/go-demo.git', branch: 'main')
      }
    }
    stage('Unit test') {
      steps {
        container('go') {
          sh 'go test ./...'
        }
      }
    }
    stage('Build') {
      steps {
        container('go') {
          sh '''
            go env
            CGO_ENABLED=0 go build -o service .
          '''
        }
      }
    }
    stage('Archive') {
      steps {
        archiveArtifacts artifacts: 'service', fingerprint: true
      }
    }
  }
}
"#;

/// Calls `mvn` outside `container('maven')`: the step runs in the `jnlp` container, which has
/// no Maven, so the run fails with `mvn: not found` (exit 127), a cause `diagnose` names.
pub const MAVEN_DEMO_JENKINSFILE: &str = r#"pipeline {
  agent {
    node {
      label 'maven'
    }
  }
  stages {
    stage('Checkout') {
      steps {
        git(url: 'https://git.example.com/demo/maven-demo.git', branch: 'main')
      }
    }
    stage('Package') {
      steps {
        sh 'mvn -B -DskipTests package'
      }
    }
    stage('Archive') {
      steps {
        archiveArtifacts artifacts: 'target/*.jar'
      }
    }
  }
}
"#;

pub const MULTI_BRANCH_JENKINSFILE: &str = r#"pipeline {
  agent any
  parameters {
    string(name: 'GREETING', defaultValue: 'hello', description: 'What to say')
  }
  stages {
    stage('Build') {
      steps {
        echo "${params.GREETING} from ${env.BRANCH_NAME}"
        sh 'make build'
      }
    }
    stage('Test') {
      steps {
        sh 'make test'
      }
    }
  }
}
"#;

fn regular(name: &str, description: &str, jenkinsfile: &str) -> ScenarioPipeline {
    ScenarioPipeline {
        resource: json!({
            "apiVersion": API_VERSION,
            "kind": "Pipeline",
            "metadata": {
                "name": name,
                "namespace": PROJECT,
                "annotations": {(annotations::CREATOR): "admin"},
            },
            "spec": {
                "type": "pipeline",
                "pipeline": {
                    "name": name,
                    "description": description,
                    "discarder": {"days_to_keep": "7", "num_to_keep": "10"},
                    "jenkinsfile": jenkinsfile,
                },
            },
        }),
        branches: Vec::new(),
        sync_error: None,
    }
}

pub fn demo() -> Scenario {
    let password = Secret::new(DEFAULT_PASSWORD);
    let branch = |name: &str| ScenarioBranch {
        name: name.into(),
        jenkinsfile: Some(MULTI_BRANCH_JENKINSFILE.into()),
        tag: false,
        pull_request: None,
        commit: None,
    };
    Scenario {
        workspaces: vec![WORKSPACE.into()],
        users: vec![
            ScenarioUser {
                name: "admin".into(),
                password: password.clone(),
                admin: true,
                projects: Vec::new(),
            },
            ScenarioUser {
                name: "stone-ns-admin".into(),
                password,
                admin: false,
                projects: vec![PROJECT.into()],
            },
        ],
        oauth_clients: vec![OAuthClient {
            id: "kubesphere".into(),
            secret: Secret::new("kubesphere"),
        }],
        token_ttl_seconds: 7200,
        projects: vec![ScenarioProject {
            name: PROJECT.into(),
            workspace: WORKSPACE.into(),
            creator: Some("admin".into()),
        }],
        pipelines: vec![
            regular(
                "params-demo",
                "Parameters of every kind, an input step and an archived artifact",
                PARAMS_DEMO_JENKINSFILE,
            ),
            regular(
                "go-demo-pipeline",
                "Builds a Go service and archives it",
                GO_DEMO_JENKINSFILE,
            ),
            regular(
                "maven-demo",
                "Packages a Maven project, but runs mvn outside the maven container: fails (tool not found)",
                MAVEN_DEMO_JENKINSFILE,
            ),
            ScenarioPipeline {
                resource: json!({
                    "apiVersion": API_VERSION,
                    "kind": "Pipeline",
                    "metadata": {
                        "name": "multi-branch-demo",
                        "namespace": PROJECT,
                        "annotations": {(annotations::CREATOR): "admin"},
                    },
                    "spec": {
                        "type": "multi-branch-pipeline",
                        "multi_branch_pipeline": {
                            "name": "multi-branch-demo",
                            "source_type": "git",
                            "git_source": {
                                "url": "https://git.example.com/demo/multi-branch-demo.git",
                                "discover_branches": true,
                                "discover_tags": false,
                            },
                            "discarder": {"days_to_keep": "-1", "num_to_keep": "-1"},
                            "script_path": "Jenkinsfile",
                        },
                    },
                }),
                branches: vec![branch("main"), branch("feature/login")],
                sync_error: None,
            },
        ],
        credentials: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_jenkinsfiles_load() {
        for jf in [
            PARAMS_DEMO_JENKINSFILE,
            GO_DEMO_JENKINSFILE,
            MAVEN_DEMO_JENKINSFILE,
            MULTI_BRANCH_JENKINSFILE,
        ] {
            let loaded = crate::load::load(jf).expect("demo Jenkinsfiles parse");
            assert!(!loaded.plan.stages.is_empty());
        }
        let p = crate::load::load(PARAMS_DEMO_JENKINSFILE).unwrap();
        let kinds: Vec<&str> = p.params.iter().map(|p| p.kind.as_str()).collect();
        assert_eq!(kinds, ["string", "text", "boolean", "choice", "password"]);
    }

    #[test]
    fn demo_scenario_round_trips_through_json() {
        let text = serde_json::to_string(&demo()).unwrap();
        let back = Scenario::from_json(&text).unwrap();
        assert_eq!(back.pipelines.len(), 4);
        assert_eq!(back.users[1].password.expose(), DEFAULT_PASSWORD);
    }
}
