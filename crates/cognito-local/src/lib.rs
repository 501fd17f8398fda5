//! cognito-local: an Amazon Cognito user-pool server for development and tests.
//!
//! It speaks Cognito's JSON 1.1 protocol with real SRP verification (the server half of
//! `cognito-core`'s SRP), RS256-signed tokens with Cognito's claims, Cognito's errors and messages, CORS
//! for browsers, and local-only helpers under `/_local/` (codes that would have been emailed, a movable
//! clock). State lives in memory, or in a data directory written atomically after every change.

pub mod admin_ops;
pub mod auth_ops;
pub mod devices;
pub mod http;
pub mod ids;
pub mod lockout;
pub mod mfa_ops;
pub mod model;
pub mod oauth;
pub mod pool_file;
pub mod service;
pub mod tokens;
pub mod totp;
pub mod user_ops;
pub mod webauthn_ops;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use service::Service;

pub const DEFAULT_PORT: u16 = 9339;

#[derive(Debug, Clone)]
pub struct Config {
    pub host: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub pool_files: Vec<PathBuf>,
    pub data_dir: Option<PathBuf>,
    /// Print emulated emails (codes) to stdout.
    pub print_codes: bool,
    /// Web origins besides this machine's (`http://localhost:*`, `http://127.0.0.1:*`, …) whose pages may
    /// call the server, e.g. `https://dev.example.com`.
    pub allowed_origins: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: DEFAULT_PORT,
            pool_files: Vec::new(),
            data_dir: None,
            print_codes: true,
            allowed_origins: Vec::new(),
        }
    }
}

pub struct Running {
    pub addr: SocketAddr,
    pub service: Arc<Service>,
    pub task: tokio::task::JoinHandle<()>,
}

impl Running {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Binds, loads and seeds the state, and serves until the task is dropped or aborted.
pub async fn start(config: Config) -> Result<Running, String> {
    let listener = tokio::net::TcpListener::bind((config.host, config.port))
        .await
        .map_err(|e| format!("cannot listen on {}:{}: {e}", config.host, config.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let mut model = match &config.data_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            Service::load_model(dir)?
        }
        None => model::Model::default(),
    };
    let data_file = config.data_dir.as_ref().map(|d| d.join("state.json"));
    let pool_files = config.pool_files.iter().map(|p| pool_file::PoolFile::read(p)).collect::<Result<Vec<_>, _>>()?;
    let now =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    let mut allowed_origins = config.allowed_origins.clone();
    for file in pool_files {
        allowed_origins.extend(file.allowed_origins.iter().cloned());
        file.seed(&mut model, now);
    }
    let mut service = Service::new(model, data_file, format!("http://{addr}"));
    service.print_codes = config.print_codes;
    service.allowed_origins = allowed_origins;
    {
        let model = service.model();
        service.persist(&model).map_err(|e| e.message)?;
    }
    let service = Arc::new(service);
    let app = http::router(service.clone());
    let task = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            eprintln!("[cognito-local] server stopped: {e}");
        }
    });
    Ok(Running { addr, service, task })
}
