//! One-request reads of a run and a pipeline: its stages, its log as it is now, the last
//! repository scan's log.

use super::connection::Client;
use crate::api::Operation;
use crate::error::Result;
use crate::model::NodeDetail;
use crate::transport::Transport;

impl<T: Transport> Client<T> {
    /// The run's stages with their steps (inputs included), as Jenkins reports them now.
    pub async fn nodes(&self, run: &str) -> Result<Vec<NodeDetail>> {
        self.node_details(run).await
    }

    /// The run's whole log as it is now, in one request (see [`Client::follow_log`] to
    /// follow it until the run ends).
    pub async fn log(&self, run: &str) -> Result<String> {
        self.log_once(run, None).await
    }

    /// The log of the last repository scan of multi-branch `pipeline`.
    pub async fn scan_log(&self, pipeline: &str) -> Result<String> {
        let request = self.api().await?.get_scan_log(self.devops(), pipeline)?;
        self.text(Operation::GetScanLog, &request).await
    }
}
