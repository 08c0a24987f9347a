//! `ksdevops watch`: the project's runs as they change, from the PipelineRun watch stream.
//!
//! On a terminal the table is drawn again after each change; otherwise (or with `--json`)
//! each change is one line, so that a script can read the stream as it comes.

use crate::cli::WatchArgs;
use crate::context::Context;
use crate::exit::{Failure, SUCCESS};
use crate::output::{cell, Table};
use futures_util::StreamExt;
use ksdevops::client::{RunChange, RunEvent};
use ksdevops::model::{OverallState, PipelineRun};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::Duration;

/// What a change shows of a run: no parameters, so no secret can show.
#[derive(Serialize, Clone)]
struct RunLine {
    change: RunChange,
    run: Option<String>,
    pipeline: Option<String>,
    branch: Option<String>,
    build: Option<String>,
    phase: Option<String>,
    state: OverallState,
}

impl RunLine {
    fn of(event: &RunEvent) -> Self {
        let run: &PipelineRun = &event.run;
        RunLine {
            change: event.change,
            run: run.name().map(str::to_owned),
            pipeline: run.pipeline_name().map(str::to_owned),
            branch: run.branch().map(str::to_owned),
            build: run.build_id().map(str::to_owned),
            phase: run.phase().map(|p| p.to_string()),
            state: run.state(),
        }
    }

    fn cells(&self) -> Vec<String> {
        vec![
            cell(self.run.as_deref()),
            cell(self.pipeline.as_deref()),
            cell(self.branch.as_deref()),
            cell(self.build.as_deref()),
            cell(self.phase.as_deref()),
            self.state.word(),
            change_word(self.change).to_owned(),
        ]
    }
}

fn change_word(change: RunChange) -> &'static str {
    match change {
        RunChange::Added => "added",
        RunChange::Modified => "modified",
        RunChange::Deleted => "deleted",
    }
}

const HEADER: [&str; 7] = [
    "RUN",
    "PIPELINE",
    "BRANCH",
    "BUILD",
    "PHASE",
    "STATE",
    "LAST CHANGE",
];

/// The runs seen so far, by name, drawn as one table.
#[derive(Default)]
struct Board {
    runs: BTreeMap<String, RunLine>,
}

impl Board {
    fn apply(&mut self, line: &RunLine) {
        let name = line.run.clone().unwrap_or_default();
        self.runs.insert(name, line.clone());
    }

    fn render(&self) -> String {
        let mut table = Table::new(&HEADER);
        for line in self.runs.values() {
            table.row(line.cells());
        }
        table.render()
    }
}

enum Style {
    /// Redraw the whole table (a terminal).
    Board(Board),
    /// One table row per change.
    Lines,
    /// One JSON object per change.
    Json,
}

impl Style {
    fn show(&mut self, line: &RunLine) -> Result<(), Failure> {
        match self {
            Style::Board(board) => {
                board.apply(line);
                // Home the cursor and clear the screen, then draw.
                println!("\x1b[H\x1b[2J{}", board.render());
            }
            Style::Lines => println!("{}", line.cells().join("  ")),
            Style::Json => {
                let text = serde_json::to_string(line)
                    .map_err(|e| Failure::server(format!("cannot encode a change: {e}")))?;
                println!("{text}");
            }
        }
        Ok(())
    }
}

pub async fn run(ctx: &Context, args: WatchArgs) -> Result<i32, Failure> {
    if args.events == Some(0) {
        return Err(Failure::usage("--events: must be at least 1, got 0"));
    }
    let client = ctx.client()?;
    let mut style = if ctx.json() {
        Style::Json
    } else if std::io::stdout().is_terminal() {
        Style::Board(Board::default())
    } else {
        println!("{}", HEADER.join("  "));
        Style::Lines
    };
    let mut events = std::pin::pin!(client.watch_runs(args.pipeline.as_deref()));
    let deadline = args.timeout.map(Duration::from_secs);
    let watching = async {
        let mut shown = 0u64;
        while let Some(event) = events.next().await {
            style.show(&RunLine::of(&event?))?;
            shown += 1;
            if args.events.is_some_and(|limit| shown >= limit) {
                break;
            }
        }
        Ok::<(), Failure>(())
    };
    match deadline {
        // When the time asked for is over, that is a normal end.
        Some(limit) => {
            if let Ok(result) = tokio::time::timeout(limit, watching).await {
                result?;
            }
        }
        None => watching.await?,
    }
    Ok(SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(run: &str, phase: &str, change: RunChange) -> RunLine {
        use ksdevops::model::annotations::{PIPELINERUN_ID, PIPELINE_NAME_LABEL};
        let run = serde_json::from_value(serde_json::json!({
            "metadata": {
                "name": run,
                "labels": {(PIPELINE_NAME_LABEL): "p"},
                "annotations": {(PIPELINERUN_ID): "1"},
            },
            "spec": {"pipelineRef": {"name": "p"}},
            "status": {"phase": phase},
        }))
        .unwrap();
        RunLine::of(&RunEvent { change, run })
    }

    #[test]
    fn the_board_keeps_one_row_per_run_with_its_latest_change() {
        let mut board = Board::default();
        board.apply(&line("p-1", "Running", RunChange::Added));
        board.apply(&line("p-2", "Running", RunChange::Added));
        board.apply(&line("p-1", "Succeeded", RunChange::Modified));
        let text = board.render();
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows.len(), 3, "{text}");
        assert!(
            rows[1].starts_with("p-1")
                && rows[1].contains("Succeeded")
                && rows[1].contains(" succeeded ")
                && rows[1].ends_with("modified"),
            "{text}"
        );
        assert!(rows[2].starts_with("p-2") && rows[2].contains(" running "));
    }
}
