//! `--dry-run`: the requests a command would send, as curl commands, secrets masked.

use crate::context::Context;
use crate::exit::{Failure, SUCCESS};
use ksdevops::api::{Api, ApiLayout, OAuthClient, Request};
use ksdevops::client::Auth;
use ksdevops::Secret;

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
    if let Auth::Password {
        username, password, ..
    } = &auth
    {
        let login = Api::new(ApiLayout::V4).login(username, password, &OAuthClient::default())?;
        outln!("{}", login.to_curl(server, None));
    }
    for request in requests {
        outln!("{}", request.to_curl(server, bearer.as_ref()));
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
