//! Paused input steps: list them, approve with parameters, abort.

use crate::cli::{AbortArgs, ApproveArgs, RunArg};
use crate::context::Context;
use crate::dry_run;
use crate::exit::{Failure, SUCCESS};
use crate::output::{cell, print_json};
use crate::pipelines::{definition_json, print_parameters};
use crate::values;
use ksdevops::client::PendingInput;
use serde_json::{json, Value};

const THEN_ANSWER: &str =
    "POST …/runs/{build}/nodes/{node}/steps/{step}/ with the input's id and checked parameters";

fn input_json(p: &PendingInput) -> Result<Value, Failure> {
    let parameters: Vec<Value> = p
        .input
        .parameters()
        .iter()
        .map(definition_json)
        .collect::<Result<_, _>>()?;
    Ok(json!({
        "id": p.id(),
        "stage": p.stage,
        "node": p.node,
        "step": p.step,
        "message": p.input.message,
        "ok": p.input.ok,
        "submitters": p.input.submitters(),
        "approvable": p.approvable,
        "parameters": parameters,
    }))
}

pub async fn list(ctx: &Context, args: RunArg) -> Result<i32, Failure> {
    if ctx.dry_run() {
        let request = ctx
            .offline_api()?
            .get_node_details(ctx.project()?, &args.run)?;
        return dry_run::show(ctx, &[request], None);
    }
    let pending = ctx.client()?.pending_inputs(&args.run).await?;
    if ctx.json() {
        let shown: Vec<Value> = pending.iter().map(input_json).collect::<Result<_, _>>()?;
        print_json(&shown)?;
        return Ok(SUCCESS);
    }
    if pending.is_empty() {
        outln!("run {} is not waiting for any input", args.run);
    }
    for p in &pending {
        outln!(
            "Input {} in stage {}: {} (proceed: {}, submitters: {})",
            p.id(),
            cell(p.stage.as_deref()),
            cell(p.input.message.as_deref()),
            cell(p.input.ok.as_deref()),
            {
                let who = p.input.submitters();
                if who.is_empty() {
                    "anyone".to_owned()
                } else {
                    who.join(", ")
                }
            }
        );
        if !p.input.parameters().is_empty() {
            print_parameters(p.input.parameters());
        }
    }
    Ok(SUCCESS)
}

pub async fn approve(ctx: &Context, args: ApproveArgs) -> Result<i32, Failure> {
    let given = values::parse(&args.params)?;
    if ctx.dry_run() {
        let request = ctx
            .offline_api()?
            .get_node_details(ctx.project()?, &args.run)?;
        return dry_run::show(ctx, &[request], Some(THEN_ANSWER));
    }
    let client = ctx.client()?;
    client
        .approve(&args.run, args.input.as_deref(), &given)
        .await?;
    if ctx.json() {
        print_json(&json!({"run": args.run, "input": args.input, "answer": "proceed"}))?;
    } else {
        outln!("run {}: input approved", args.run);
    }
    Ok(SUCCESS)
}

pub async fn abort(ctx: &Context, args: AbortArgs) -> Result<i32, Failure> {
    if ctx.dry_run() {
        let request = ctx
            .offline_api()?
            .get_node_details(ctx.project()?, &args.run)?;
        return dry_run::show(ctx, &[request], Some(THEN_ANSWER));
    }
    ctx.client()?
        .abort(&args.run, args.input.as_deref())
        .await?;
    if ctx.json() {
        print_json(&json!({"run": args.run, "input": args.input, "answer": "abort"}))?;
    } else {
        outln!("run {}: aborted at its input", args.run);
    }
    Ok(SUCCESS)
}
