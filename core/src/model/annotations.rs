//! Annotation, label and finalizer keys ks-devops reads or writes (reference §4).

/// On Pipelines, DevOpsProjects, credentials and PipelineRuns: the user who created the object
/// (client-supplied, as the KubeSphere console does).
pub const CREATOR: &str = "kubesphere.io/creator";
/// Display name; the `name=` list filter also matches it.
pub const ALIAS_NAME: &str = "kubesphere.io/alias-name";
/// Free-text description the KubeSphere console writes on objects it creates.
pub const DESCRIPTION: &str = "kubesphere.io/description";

/// On PipelineRuns: the user who triggered the run through the API.
pub const PIPELINERUN_CREATOR: &str = "devops.kubesphere.io/creator";
/// Jenkins build number of the run, set by the controller once Jenkins accepted it.
pub const PIPELINERUN_ID: &str = "devops.kubesphere.io/jenkins-pipelinerun-id";
/// JSON of the Jenkins run (BlueOcean run fields).
pub const PIPELINERUN_STATUS: &str = "devops.kubesphere.io/jenkins-pipelinerun-status";
/// JSON array of the run's stages (`[NodeDetail]`).
pub const PIPELINERUN_STAGES_STATUS: &str =
    "devops.kubesphere.io/jenkins-pipelinerun-stages-status";
pub const AGENT_POD_NAME: &str = "devops.kubesphere.io/agent-pod-name";
pub const AGENT_NODE_NAME: &str = "devops.kubesphere.io/agent-node-name";
/// `"true"`: deleting the PipelineRun keeps the Jenkins build.
pub const KEEP_JENKINS_RECORD: &str = "devops.kubesphere.io/keep-jenkins-record";
/// Label on PipelineRuns: the pipeline's name.
pub const PIPELINE_NAME_LABEL: &str = "devops.kubesphere.io/pipeline";
/// Label on PipelineRuns: `"true"` when `spec.pipelineRef` is missing.
pub const PIPELINERUN_ORPHAN_LABEL: &str = "devops.kubesphere.io/jenkins-pipelinerun-orphan";
pub const PIPELINERUN_FINALIZER: &str = "pipelinerun.finalizers.kubesphere.io";

/// On Pipelines: `"successful"` once the Jenkins job was created or updated.
pub const PIPELINE_SYNC_STATUS: &str = "pipeline.devops.kubesphere.io/syncstatus";
pub const PIPELINE_SPEC_HASH: &str = "pipeline.devops.kubesphere.io/spechash";
pub const PIPELINE_SYNC_TIME: &str = "pipeline.devops.kubesphere.io/synctime";
pub const PIPELINE_SYNC_MSG: &str = "pipeline.devops.kubesphere.io/syncmsg";
pub const PIPELINE_LAST_CHANGES: &str = "pipeline.devops.kubesphere.io/last-changes";
/// JSON of Jenkins' view of the pipeline, including its parameters.
pub const PIPELINE_JENKINS_METADATA: &str = "pipeline.devops.kubesphere.io/jenkins-metadata";
/// JSON array of a multi-branch pipeline's branches.
pub const PIPELINE_JENKINS_BRANCHES: &str = "pipeline.devops.kubesphere.io/jenkins-branches";
/// Any value asks the controller to create/delete PipelineRuns to match Jenkins' builds.
pub const PIPELINE_REQUEST_TO_SYNC_RUNS: &str =
    "pipeline.devops.kubesphere.io/request-to-sync-pipelineruns";
/// JSON (pipeline-model-converter) form of the Jenkinsfile.
pub const PIPELINE_JENKINSFILE: &str = "pipeline.devops.kubesphere.io/jenkinsfile";
/// `raw` | `json` | empty; non-empty while a conversion is pending.
pub const PIPELINE_JENKINSFILE_EDIT_MODE: &str =
    "pipeline.devops.kubesphere.io/jenkinsfile.edit.mode";
/// `success` | `failure` of the last Jenkinsfile conversion.
pub const PIPELINE_JENKINSFILE_VALIDATE: &str =
    "pipeline.devops.kubesphere.io/jenkinsfile.validate";
pub const PIPELINE_FINALIZER: &str = "pipeline.finalizers.kubesphere.io";

pub const DEVOPSPROJECT_SYNC_STATUS: &str = "devopsproject.devops.kubesphere.io/syncstatus";
pub const DEVOPSPROJECT_SYNC_TIME: &str = "devopsproject.devops.kubesphere.io/synctime";
pub const DEVOPSPROJECT_FINALIZER: &str = "devopsproject.finalizers.kubesphere.io";

/// Labels on a DevOpsProject's Namespace (and on the project itself for the workspace).
pub const DEVOPSPROJECT_LABEL: &str = "kubesphere.io/devopsproject";
pub const DEVOPS_MANAGED_LABEL: &str = "devops.kubesphere.io/managed";
pub const WORKSPACE_LABEL: &str = "kubesphere.io/workspace";

/// On credential Secrets.
pub const CREDENTIAL_AUTOSYNC: &str = "credential.devops.kubesphere.io/autosync";
pub const CREDENTIAL_SYNC_STATUS: &str = "credential.devops.kubesphere.io/syncstatus";
pub const CREDENTIAL_SYNC_TIME: &str = "credential.devops.kubesphere.io/synctime";
pub const CREDENTIAL_SYNC_MSG: &str = "credential.devops.kubesphere.io/syncmsg";
pub const CREDENTIAL_DATA_HASH: &str = "credential.devops.kubesphere.io/datahash";
pub const CREDENTIAL_FINALIZER: &str = "finalizers.kubesphere.io/credential";
/// The credential's kind (`basic-auth`, …), as the KubeSphere console writes it on the
/// credentials it creates; ks-devops itself reads the Secret `type`.
pub const CREDENTIAL_TYPE: &str = "credential.devops.kubesphere.io/type";
/// Prefix of the Secret `type` of DevOps credentials; the kind follows the slash.
pub const CREDENTIAL_TYPE_PREFIX: &str = "credential.devops.kubesphere.io/";

/// Sync-status values written into the `…/syncstatus` annotations.
pub mod sync_status {
    pub const ACTIVE: &str = "active";
    pub const DELETED: &str = "deleted";
    pub const DELETING: &str = "deleting";
    pub const FAILED: &str = "failed";
    pub const PENDING: &str = "pending";
    pub const WORKING: &str = "working";
    pub const SUCCESSFUL: &str = "successful";
}
