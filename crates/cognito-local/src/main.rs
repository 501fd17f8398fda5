//! `cognito-local [--port PORT] [--host ADDR] [--pool FILE]... [--data DIR] [--allow-origin ORIGIN]... [--quiet]`

use std::path::PathBuf;
use std::process::ExitCode;

use cognito_local::{start, Config, DEFAULT_PORT};

const USAGE: &str = "\
cognito-local: a local Amazon Cognito user-pool server (development and tests)

usage: cognito-local [--port PORT] [--host ADDR] [--pool FILE]... [--data DIR] [--allow-origin ORIGIN]... [--quiet]

  --port PORT   port to listen on (default 9339; 0 picks a free one)
  --host ADDR   address to listen on (default 127.0.0.1, loopback only)
  --pool FILE   create or update the pool described in FILE (JSON; see crates/cognito-local/pools/dev.json)
  --data DIR    keep state in DIR/state.json (default: memory only)
  --allow-origin ORIGIN
                let web pages of ORIGIN (e.g. https://dev.example.com) call the server; pages of
                this machine (localhost, 127.0.0.1, [::1], any port) always may. Administrative
                calls and /_local/ (but /_local/echo) are never answered to web pages.
  --quiet       do not print emulated emails (codes) to stdout
";

fn parse(args: &[String]) -> Result<Config, String> {
    let mut config = Config { port: DEFAULT_PORT, ..Config::default() };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| it.next().cloned().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--port" => {
                config.port = value("--port")?.parse().map_err(|_| "--port takes a number 0-65535".to_string())?
            }
            "--host" => config.host = value("--host")?.parse().map_err(|_| "--host takes an IP address".to_string())?,
            "--pool" => config.pool_files.push(PathBuf::from(value("--pool")?)),
            "--data" => config.data_dir = Some(PathBuf::from(value("--data")?)),
            "--allow-origin" => config.allowed_origins.push(value("--allow-origin")?),
            "--quiet" => config.print_codes = false,
            "--help" | "-h" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(config)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match parse(&args) {
        Ok(c) => c,
        Err(why) if why.is_empty() => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(why) => {
            eprintln!("cognito-local: {why}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let running = match start(config).await {
        Ok(r) => r,
        Err(why) => {
            eprintln!("cognito-local: {why}");
            return ExitCode::FAILURE;
        }
    };
    println!("[cognito-local] listening on {}", running.url());
    for pool in running.service.model().pools.values() {
        for client in pool.clients.keys() {
            println!("[cognito-local] pool {} client {client}", pool.id);
        }
    }
    let shutdown = async {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        {
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).expect("SIGTERM handler");
            tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
        }
        #[cfg(not(unix))]
        let _ = ctrl_c.await;
    };
    tokio::select! {
        _ = shutdown => println!("[cognito-local] stopping"),
        _ = running.task => {}
    }
    ExitCode::SUCCESS
}
