//! The state of a run, stage or step, as the core reads it, for JavaScript.

use crate::{from_js, to_js};
use ksdevops::model::{NodeDetail, OverallState, PipelineRun};
use wasm_bindgen::prelude::*;

/// `{state, word, finished}` of `state`: the core's name, its words for people, whether
/// nothing more will happen.
fn describe(state: OverallState) -> Result<JsValue, JsValue> {
    to_js(&serde_json::json!({
        "state": state,
        "word": state.word(),
        "finished": state.is_finished(),
    }))
}

/// The state of a run (a PipelineRun object): the Jenkins run the server copied onto it,
/// which tells an aborted run from a failed one, else its phase.
#[wasm_bindgen(js_name = runState, unchecked_return_type = "StateOf")]
pub fn run_state(
    #[wasm_bindgen(unchecked_param_type = "PipelineRun")] run: JsValue,
) -> Result<JsValue, JsValue> {
    let run: PipelineRun = from_js(run, "run")?;
    describe(run.state())
}

/// The state of a Jenkins run, stage or step, from its `state` and `result`.
#[wasm_bindgen(js_name = nodeState, unchecked_return_type = "StateOf")]
pub fn node_state(
    #[wasm_bindgen(unchecked_param_type = "NodeDetail | Step | JenkinsRun")] node: JsValue,
) -> Result<JsValue, JsValue> {
    let node: NodeDetail = from_js(node, "node")?;
    describe(node.overall_state())
}
