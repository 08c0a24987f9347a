//! ksdevops-sim: a local server that speaks the KubeSphere DevOps API.
//!
//! It serves the ks-devops v1alpha2/v1alpha3 routes, the KubeSphere OAuth token endpoint and
//! the Kubernetes PipelineRun resource over real sockets, backed by an in-memory world and a
//! simulated Jenkins that runs Jenkinsfiles on a scaled clock.
//!
//! ```no_run
//! # async fn demo() -> Result<(), ksdevops::Error> {
//! let sim = ksdevops_sim::Sim::start(ksdevops_sim::SimConfig::demo()).await?;
//! println!("{}", sim.url());
//! sim.shutdown().await;
//! # Ok(()) }
//! ```

// Handlers answer `Result<Response, Response>`, axum's own idiom; the error side is a whole
// response by design.
#![allow(clippy::result_large_err)]

pub mod agents;
pub mod auth;
pub mod clock;
pub mod controllers;
pub mod demo;
pub mod executor;
pub mod faults;
pub mod http;
pub mod ids;
pub mod jenkins;
pub mod jenkins_api;
pub mod load;
pub mod params;
pub mod plan;
pub mod routes;
pub mod scenario;
pub mod scm;
pub mod shared;
pub mod stats;
pub mod store;
pub mod workspace;

pub use faults::FaultConfig;
pub use ksdevops::api::ApiLayout;
pub use scenario::Scenario;

use ksdevops::{Error, ErrorKind};
use shared::Shared;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::task::JoinHandle;

/// How to start a simulator.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Defaults to `127.0.0.1:0` (a free port).
    pub listen: SocketAddr,
    pub layout: ApiLayout,
    pub scenario: Scenario,
    /// How many times faster than wall time the simulated clock runs.
    pub speed: f64,
    pub serve_dir: Option<PathBuf>,
    pub cors: bool,
    pub faults: FaultConfig,
    /// Seeds generated names and ids.
    pub seed: u64,
    /// Member clusters a cluster prefix may name besides `host`; any other name is a 404.
    /// Every cluster serves the same simulated DevOps.
    pub clusters: Vec<String>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            layout: ApiLayout::V4,
            scenario: Scenario::default(),
            speed: 1.0,
            serve_dir: None,
            cors: false,
            faults: FaultConfig::default(),
            seed: 42,
            clusters: Vec::new(),
        }
    }
}

impl SimConfig {
    /// The demo scenario on a free loopback port.
    pub fn demo() -> Self {
        SimConfig {
            scenario: demo::demo(),
            ..SimConfig::default()
        }
    }

    pub fn with_layout(mut self, layout: ApiLayout) -> Self {
        self.layout = layout;
        self
    }

    /// Adds a member cluster that cluster-prefixed paths may name.
    pub fn with_cluster(mut self, cluster: &str) -> Self {
        self.clusters.push(cluster.to_owned());
        self
    }

    pub fn with_speed(mut self, speed: f64) -> Self {
        self.speed = speed;
        self
    }
}

pub struct Sim;

/// A running simulator. Dropping it without [`SimHandle::shutdown`] leaves the server to
/// the runtime; tests should shut it down.
pub struct SimHandle {
    addr: SocketAddr,
    layout: ApiLayout,
    shared: Arc<Shared>,
    server: JoinHandle<()>,
    controllers: Vec<JoinHandle<()>>,
}

impl Sim {
    /// Binds, loads the scenario and starts serving and the background controllers.
    pub async fn start(config: SimConfig) -> Result<SimHandle, Error> {
        if !(config.speed.is_finite() && config.speed > 0.0) {
            return Err(Error::invalid(
                "speed",
                format!("{} is not a positive number", config.speed),
            ));
        }
        config
            .faults
            .validate()
            .map_err(|m| Error::invalid("faults", m))?;
        for cluster in &config.clusters {
            ksdevops::api::Api::new(config.layout).with_cluster(cluster)?;
        }
        let clock = clock::Clock::new(config.speed);
        let mut world = store::World::new(config.seed);
        world
            .load(&config.scenario, clock.now_ms())
            .map_err(|m| Error::invalid("scenario", m))?;
        let shared = Arc::new(Shared::new(
            world,
            clock,
            config.layout,
            faults::FaultState::new(config.faults.clone()),
        ));
        let listener = tokio::net::TcpListener::bind(config.listen)
            .await
            .map_err(|e| {
                Error::new(
                    ErrorKind::Transport,
                    format!("cannot listen on {}: {e}", config.listen),
                )
            })?;
        let addr = listener
            .local_addr()
            .map_err(|e| Error::new(ErrorKind::Transport, e.to_string()))?;
        let app = routes::app(
            shared.clone(),
            routes::HttpOptions {
                cors: config.cors,
                serve_dir: config.serve_dir.clone(),
                clusters: config.clusters.clone(),
            },
        );
        let stop = shared.shutdown_signal();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(stop)
                .await;
        });
        let controllers = controllers::spawn(&shared);
        Ok(SimHandle {
            addr,
            layout: config.layout,
            shared,
            server,
            controllers,
        })
    }
}

impl SimHandle {
    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The simulated Jenkins' own URL, `http://127.0.0.1:PORT/jenkins` (a Jenkins under a path
    /// prefix): the admin's basic credentials from the `devops-jenkins` Secret only.
    pub fn jenkins_url(&self) -> String {
        format!("{}{}", self.url(), routes::JENKINS_PREFIX)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn layout(&self) -> ApiLayout {
        self.layout
    }

    /// Stops accepting requests, ends watch streams, controllers and running builds, and
    /// waits for the server to finish.
    pub async fn shutdown(self) {
        self.shared.begin_shutdown();
        for c in self.controllers {
            let _ = c.await;
        }
        let _ = self.server.await;
    }
}
