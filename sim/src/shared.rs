//! State shared by the HTTP handlers, the controllers and the run executor.

use crate::clock::Clock;
use crate::faults::FaultState;
use crate::store::World;
use ksdevops::api::ApiLayout;
use std::sync::{Mutex, MutexGuard};
use tokio::sync::watch;

pub struct Shared {
    world: Mutex<World>,
    pub clock: Clock,
    pub layout: ApiLayout,
    pub faults: Mutex<FaultState>,
    /// What was served, for `/_sim/stats`.
    pub stats: crate::stats::Stats,
    shutdown: watch::Sender<bool>,
}

impl Shared {
    pub fn new(world: World, clock: Clock, layout: ApiLayout, faults: FaultState) -> Self {
        Shared {
            world: Mutex::new(world),
            clock,
            layout,
            faults: Mutex::new(faults),
            stats: Default::default(),
            shutdown: watch::channel(false).0,
        }
    }

    /// Tells streams, controllers and executors to stop.
    pub fn begin_shutdown(&self) {
        self.shutdown.send_replace(true);
    }

    /// Resolves once shutdown has begun.
    pub fn shutdown_signal(&self) -> impl std::future::Future<Output = ()> + Send + 'static {
        let mut rx = self.shutdown.subscribe();
        async move {
            // An error means the sender is gone, which is a shutdown too.
            let _ = rx.wait_for(|v| *v).await;
        }
    }

    /// Locks the world. A handler that panicked while holding the lock leaves the state as
    /// it was at the panic; the simulator keeps serving rather than failing every request.
    pub fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }
}
