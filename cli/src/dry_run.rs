//! `--dry-run`: the requests a command would send, as curl commands (or, with `--json`, as
//! JSON objects), secrets masked.

use crate::context::Context;
use crate::exit::{Failure, SUCCESS};
use crate::output::print_json;
use ksdevops::api::{Api, ApiLayout, OAuthClient, Request};
use ksdevops::client::Auth;
use ksdevops::Secret;
use serde_json::{json, Value};

/// Prints `requests` as curl command lines, preceded by the login a password needs, and
/// followed by `then`: what would come next, built from the server's answers.
pub fn show(ctx: &Context, requests: &[Request], then: Option<&str>) -> Result<i32, Failure> {
    let server = ctx.server()?;
    let auth = ctx.auth()?;
    let bearer = match &auth {
        Auth::Anonymous => None,
        // Masked in the rendering whatever it holds.
        Auth::Token(_) | Auth::Password { .. } => Some(Secret::new("token")),
    };
    let mut all = Vec::with_capacity(requests.len() + 1);
    if let Auth::Password {
        username, password, ..
    } = &auth
    {
        let login = Api::new(ApiLayout::V4).login(username, password, &OAuthClient::default())?;
        all.push((login, false));
    }
    all.extend(requests.iter().map(|r| (r.clone(), bearer.is_some())));
    if ctx.json() {
        let shown: Vec<Value> = all
            .iter()
            .map(|(request, authed)| request.to_json(server, bearer.as_ref().filter(|_| *authed)))
            .collect();
        print_json(&json!({ "requests": shown, "then": then }))?;
        return Ok(SUCCESS);
    }
    for (request, authed) in &all {
        outln!(
            "{}",
            request.to_curl(server, bearer.as_ref().filter(|_| *authed))
        );
    }
    if let Some(then) = then {
        outln!("# then: {then}");
    }
    Ok(SUCCESS)
}

/// The dry run of a command that starts by reading run `run`: that GET, then `then`.
pub fn show_run_lookup(ctx: &Context, run: &str, then: Option<&str>) -> Result<i32, Failure> {
    let request = ctx.offline_api()?.get_pipeline_run(ctx.project()?, run)?;
    show(ctx, &[request], then)
}
