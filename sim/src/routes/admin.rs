//! `/_sim/*`: the simulator's own endpoints (faults, clock, health, stats). Not part of KubeSphere.

use crate::faults::FaultConfig;
use crate::http::{json_body, ok_json, text_error};
use crate::shared::Shared;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use ksdevops::model::Timestamp;
use serde_json::json;
use std::sync::Arc;

pub async fn health() -> &'static str {
    "ok"
}

pub async fn clock(State(s): State<Arc<Shared>>) -> Response {
    let now = s.now_ms();
    ok_json(
        &json!({"now": Timestamp::kubernetes_from_epoch_millis(now), "nowMillis": now, "speed": s.clock.speed(), "layout": s.layout.as_str()}),
    )
}

fn faults_body(s: &Shared) -> serde_json::Value {
    let f = s.faults.lock().unwrap_or_else(|e| e.into_inner());
    json!({"config": f.config, "injected": f.injected})
}

pub async fn get_faults(State(s): State<Arc<Shared>>) -> Response {
    ok_json(&faults_body(&s))
}

/// POST a `FaultConfig` JSON (missing fields take their defaults) to replace the faults.
pub async fn set_faults(State(s): State<Arc<Shared>>, body: Bytes) -> Response {
    let config: FaultConfig = match serde_json::from_slice(&body) {
        Ok(c) => c,
        Err(e) => return text_error(400, &format!("faults: {e}")),
    };
    if let Err(e) = config.validate() {
        return text_error(400, &format!("faults: {e}"));
    }
    s.faults
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .set(config);
    ok_json(&faults_body(&s))
}

pub async fn clear_faults(State(s): State<Arc<Shared>>) -> Response {
    s.faults
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .set(FaultConfig::default());
    json_body(StatusCode::OK, &faults_body(&s))
}

/// Requests by route and method, response bytes and watch streams since the last reset.
pub async fn stats(State(s): State<Arc<Shared>>) -> Response {
    ok_json(&s.stats.to_json())
}

/// Starts counting again from zero; answers the (empty) new counts.
pub async fn reset_stats(State(s): State<Arc<Shared>>) -> Response {
    s.stats.reset();
    ok_json(&s.stats.to_json())
}
