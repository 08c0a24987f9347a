//! `ksdevops login`: the OAuth password grant.
//!
//! Nothing secret is printed by default. The token is printed only with `--print-token`, or
//! written with `--save-token PATH` to a file only its owner can read (mode 0600), which
//! other commands read with `--token-file PATH` / `KUBESPHERE_TOKEN_FILE`. The file keeps
//! the refresh token too: a command whose access token has expired renews it and rewrites
//! the file.

use crate::cli::LoginArgs;
use crate::context::Context;
use crate::exit::{Failure, SUCCESS};
use crate::output::print_json;
use ksdevops::api::{Api, ApiLayout, OAuthClient, Operation, Request};
use ksdevops::decode::{decode_as, error_from_response};
use ksdevops::model::Token;
use ksdevops::transport::Transport;
use ksdevops::Secret;
use serde_json::json;
use std::io::BufRead;

const MAX_TOKEN_ANSWER: usize = 1024 * 1024;

pub async fn run(ctx: &Context, args: LoginArgs) -> Result<i32, Failure> {
    let username = ctx
        .global
        .username
        .clone()
        .filter(|u| !u.trim().is_empty())
        .ok_or_else(|| {
            Failure::usage("login needs a user name: pass --username or set KUBESPHERE_USERNAME")
        })?;
    let password = if args.password_stdin {
        read_password_line()?
    } else {
        let given = ctx.global.password.clone().ok_or_else(|| {
            Failure::usage(
                "login needs a password: set KUBESPHERE_PASSWORD or pass --password-stdin",
            )
        })?;
        Secret::new(given)
    };
    // The token endpoint belongs to KubeSphere core: the same for every layout and cluster.
    let request = Api::new(ApiLayout::V4).login(&username, &password, &OAuthClient::default())?;
    if ctx.dry_run() {
        outln!("{}", request.to_curl(ctx.server()?, None));
        return Ok(SUCCESS);
    }
    let token = password_grant(&ctx.transport()?, request).await?;
    if let Some(path) = &args.token_file_out {
        ksdevops::client::write_token_file(path, &token).map_err(|e| {
            Failure::usage(format!(
                "--save-token {}: cannot write it: {e}",
                path.display()
            ))
        })?;
    }
    if args.print_token {
        outln!("{}", token.access_token.expose());
        return Ok(SUCCESS);
    }
    if ctx.json() {
        print_json(&json!({
            "server": ctx.server()?,
            "username": username,
            "expires_in": token.expires_in,
            "token_file": args.token_file_out.as_ref().map(|p| p.display().to_string()),
        }))?;
    } else {
        let expiry = token
            .expires_in
            .map(|s| format!("; the token is valid for {s} s"))
            .unwrap_or_default();
        outln!("Logged in to {} as {username}{expiry}.", ctx.server()?);
        match &args.token_file_out {
            Some(path) => outln!(
                "Token saved to {} (mode 0600); use it with --token-file {0} or KUBESPHERE_TOKEN_FILE.",
                path.display()
            ),
            None => outln!(
                "The token was not kept: add --save-token PATH to store it, or --print-token to print it."
            ),
        }
    }
    Ok(SUCCESS)
}

/// Sends a login request built by `Api::login` and gives the token.
pub async fn password_grant(
    transport: &impl Transport,
    request: Request,
) -> Result<Token, Failure> {
    let response = transport.send(request).await?;
    let status = response.status;
    let headers = response.headers.clone();
    let body = response.body.collect_limited(MAX_TOKEN_ANSWER).await?;
    if !(200..300).contains(&status) {
        return Err(error_from_response(Operation::Login, status, &headers, &body).into());
    }
    let token: Token = decode_as(Operation::Login, status, &headers, &body)?;
    if token.access_token.is_empty() {
        return Err(Failure::server(
            "login: the server answered without an access token",
        ));
    }
    Ok(token)
}

fn read_password_line() -> Result<Secret, Failure> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| {
        Failure::usage(format!("--password-stdin: cannot read standard input: {e}"))
    })?;
    let password = line.trim_end_matches(['\n', '\r']);
    if password.is_empty() {
        return Err(Failure::usage(
            "--password-stdin: standard input holds no password",
        ));
    }
    Ok(Secret::new(password))
}
