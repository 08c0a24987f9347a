//! Archived files of a run: list them, download one.

use crate::cli::{DownloadArgs, RunArg};
use crate::context::Context;
use crate::dry_run;
use crate::exit::{Failure, SUCCESS};
use crate::output::{cell, print_json, Table};
use crate::progress::ByteProgress;
use serde_json::json;
use std::path::PathBuf;

pub async fn list(ctx: &Context, args: RunArg) -> Result<i32, Failure> {
    if ctx.dry_run() {
        return dry_run::show_run_lookup(
            ctx,
            &args.run,
            Some("GET …/runs/{build}/artifacts/ for the run's Jenkins build, page by page"),
        );
    }
    let artifacts = ctx.client()?.artifacts(&args.run).await?;
    if ctx.json() {
        print_json(&artifacts)?;
        return Ok(SUCCESS);
    }
    let mut table = Table::new(&["PATH", "SIZE"]);
    for a in &artifacts {
        table.row(vec![cell(a.file_path()), cell(a.size)]);
    }
    table.print();
    Ok(SUCCESS)
}

pub async fn download(ctx: &Context, args: DownloadArgs) -> Result<i32, Failure> {
    let dest = args.output.clone().unwrap_or_else(|| PathBuf::from("."));
    if ctx.dry_run() {
        let request =
            ctx.offline_api()?
                .download_artifact(ctx.project()?, &args.run, &args.artifact)?;
        return dry_run::show(ctx, &[request], None);
    }
    let client = ctx.client()?;
    let progress = ByteProgress::start(format!("downloading {}", args.artifact));
    let result = client
        .download_with_progress(&args.run, &args.artifact, &dest, &mut |done, total| {
            progress.update(done, total)
        })
        .await;
    progress.finish();
    let done = result?;
    if ctx.json() {
        print_json(&json!({"path": done.path.display().to_string(), "size": done.size}))?;
    } else {
        outln!("saved {} ({} bytes)", done.path.display(), done.size);
    }
    Ok(SUCCESS)
}
