//! Credentials: list (secret values never shown), create (the secret read from stdin or a
//! file, never from a flag), delete.

use crate::cli::{CreateCredentialArgs, CredentialsCommand};
use crate::context::Context;
use crate::dry_run;
use crate::exit::{Failure, SUCCESS};
use crate::output::{cell, print_json, Table};
use futures_util::TryStreamExt;
use ksdevops::api::Page;
use ksdevops::client::PAGE_SIZE;
use ksdevops::model::{Credential, CredentialSecret};
use ksdevops::Secret;
use serde_json::{json, Value};
use std::io::Read;

pub async fn run(ctx: &Context, command: CredentialsCommand) -> Result<i32, Failure> {
    match command {
        CredentialsCommand::List => list(ctx).await,
        CredentialsCommand::Create(args) => create(ctx, args).await,
        CredentialsCommand::Delete { credential } => delete(ctx, &credential).await,
    }
}

/// A credential as JSON with every `data`/`stringData` value that is not blank masked.
fn masked(mut credential: Value) -> Value {
    for field in ["data", "stringData"] {
        if let Some(Value::Object(map)) = credential.get_mut(field) {
            for value in map.values_mut() {
                if value.as_str().is_none_or(|s| !s.is_empty()) {
                    *value = Value::from(Secret::MASK);
                }
            }
        }
    }
    credential
}

async fn list(ctx: &Context) -> Result<i32, Failure> {
    if ctx.dry_run() {
        let request = ctx
            .offline_api()?
            .list_credentials(ctx.project()?, Page::new(1, PAGE_SIZE))?;
        return dry_run::show(ctx, &[request], Some("the next pages, until a short one"));
    }
    let client = ctx.client()?;
    let credentials: Vec<Value> = client.credentials().try_collect().await?;
    if ctx.json() {
        print_json(&credentials.into_iter().map(masked).collect::<Vec<_>>())?;
        return Ok(SUCCESS);
    }
    let mut table = Table::new(&["NAME", "KIND", "USERNAME", "SYNC", "DESCRIPTION"]);
    for value in credentials {
        let Ok(c) = serde_json::from_value::<CredentialSecret>(value) else {
            continue;
        };
        table.row(vec![
            cell(c.name()),
            cell(c.credential_kind().map(|k| k.as_str())),
            cell(c.username().ok().flatten()),
            cell(c.sync_status()),
            cell(c.description()),
        ]);
    }
    table.print();
    Ok(SUCCESS)
}

fn read_secret(args: &CreateCredentialArgs) -> Result<Secret, Failure> {
    let mut text = String::new();
    if let Some(path) = &args.secret_file {
        text = std::fs::read_to_string(path).map_err(|e| {
            Failure::usage(format!(
                "--secret-file {}: cannot read it: {e}",
                path.display()
            ))
        })?;
    } else if args.secret_stdin {
        std::io::stdin().read_to_string(&mut text).map_err(|e| {
            Failure::usage(format!("--secret-stdin: cannot read standard input: {e}"))
        })?;
        if text.ends_with('\n') {
            text.pop();
            if text.ends_with('\r') {
                text.pop();
            }
        }
    } else {
        return Err(Failure::usage(
            "credentials create: give the secret with --secret-stdin or --secret-file PATH",
        ));
    }
    Ok(Secret::new(text))
}

fn build(args: &CreateCredentialArgs) -> Result<Credential, Failure> {
    let secret = read_secret(args)?;
    let username = || {
        args.user.clone().ok_or_else(|| {
            Failure::usage(format!("--user: required for a {} credential", args.kind))
        })
    };
    let credential = match args.kind.as_str() {
        "basic-auth" => Credential::basic_auth(&args.name, username()?, secret),
        "ssh-auth" => Credential::ssh_auth(&args.name, username()?, secret, None),
        "secret-text" => Credential::secret_text(&args.name, secret),
        "kubeconfig" => Credential::kubeconfig(&args.name, secret),
        other => return Err(Failure::usage(format!("--kind: unknown kind {other:?}"))),
    };
    Ok(match &args.description {
        Some(d) => credential.with_description(d),
        None => credential,
    })
}

async fn create(ctx: &Context, args: CreateCredentialArgs) -> Result<i32, Failure> {
    let credential = build(&args)?;
    credential.validate()?;
    if ctx.dry_run() {
        let creator = ctx.password_login().map(|(user, _)| user);
        let request = ctx.offline_api()?.create_credential(
            ctx.project()?,
            &credential,
            creator.as_deref(),
        )?;
        return dry_run::show(ctx, &[request], None);
    }
    let created = ctx.client()?.create_credential(&credential).await?;
    if ctx.json() {
        let answer = serde_json::to_value(&created)
            .map_err(|e| Failure::server(format!("cannot encode the credential: {e}")))?;
        print_json(&masked(answer))?;
    } else {
        println!("credential {} ({}) created", credential.name, args.kind);
    }
    Ok(SUCCESS)
}

async fn delete(ctx: &Context, name: &str) -> Result<i32, Failure> {
    if ctx.dry_run() {
        let request = ctx.offline_api()?.delete_credential(ctx.project()?, name)?;
        return dry_run::show(ctx, &[request], None);
    }
    ctx.client()?.delete_credential(name).await?;
    if ctx.json() {
        print_json(&json!({"deleted": name}))?;
    } else {
        println!("credential {name} deleted");
    }
    Ok(SUCCESS)
}
