//! The loop every "wait until the server says so" shares: look, decide, back off, and give
//! up at a deadline saying what was seen last. A passing failure of a look is looked past.

use super::clock::{Deadline, Poller};
use super::connection::{is_transient, Client};
use crate::error::{Error, Result};
use crate::transport::Transport;
use std::future::Future;
use std::time::Duration;

/// What one look found.
pub(crate) enum Look<V> {
    /// The wait is over.
    Done(V),
    /// The wait is over: what it waited for will not happen.
    Failed(Error),
    /// Not yet; what was seen, if worth naming when the wait times out.
    NotYet(Option<String>),
}

impl<T: Transport> Client<T> {
    /// Calls `look` until it is done or fails (a passing failure of the read itself, such
    /// as a 503 or a dropped connection, is looked past), sleeping the poll interval between
    /// looks, until `deadline`; then fails with `timed_out(limit, last seen)`.
    pub(crate) async fn poll_until<V, F>(
        &self,
        deadline: &mut Deadline,
        mut look: impl FnMut() -> F,
        timed_out: impl FnOnce(Duration, Option<&str>) -> Error,
    ) -> Result<V>
    where
        F: Future<Output = Result<Look<V>>>,
    {
        let mut poller = Poller::new(self.config().timeouts.poll, self.seed());
        let mut last_seen = None;
        loop {
            match look().await {
                Ok(Look::Done(value)) => return Ok(value),
                Ok(Look::Failed(e)) => return Err(e),
                Ok(Look::NotYet(seen)) => last_seen = seen.or(last_seen),
                Err(e) if is_transient(&e) => {}
                Err(e) => return Err(e),
            }
            if !deadline.sleep(self.transport(), poller.next(false)).await {
                return Err(timed_out(deadline.limit(), last_seen.as_deref()));
            }
        }
    }
}
