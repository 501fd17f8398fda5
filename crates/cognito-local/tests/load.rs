//! The server under load, as a real process: 50 concurrent clients sign in with SRP, refresh and read
//! their profile (45 workers) or register and confirm new users (5 workers) for `LOAD_SECONDS` (30 by
//! default). Halfway through, the server is killed with SIGKILL and started again on the same port and
//! data folder. Checks: no call fails except those in flight across the restart; every user confirmed
//! before or during the run (kill included) can sign in afterwards; tokens issued before the kill still
//! refresh after it.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cognito_core::api::*;
use cognito_core::CognitoError;
use common::*;

const WORKERS: usize = 50;
const REGISTERING_WORKERS: usize = 5;
const SEED_USERS: usize = 20;

struct Server {
    child: Child,
}

impl Server {
    fn start(port: u16, data: &Path, pool: &Path) -> Server {
        let child = Command::new(env!("CARGO_BIN_EXE_cognito-local"))
            .args(["--port", &port.to_string(), "--quiet", "--data"])
            .arg(data)
            .arg("--pool")
            .arg(pool)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("cognito-local starts");
        Server { child }
    }

    fn kill_9(&mut self) {
        self.child.kill().expect("SIGKILL"); // Child::kill is SIGKILL on Unix
        self.child.wait().expect("reaped");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn wait_until_healthy(url: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(r) = try_http(url, "GET", "/_local/health", &[], b"").await {
            if r.status == 200 {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("server at {url} did not come up");
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// SignUp, the emailed code, ConfirmSignUp; any failure is returned, never a panic.
async fn register_and_confirm(url: &str, username: &str) -> Result<(), CognitoError> {
    call::<SignUp>(url, &sign_up_request(username, &format!("{username}@example.com"), PASSWORD)).await?;
    let codes = try_http(url, "GET", &format!("/_local/codes/{POOL_ID}/{username}"), &[], b"")
        .await
        .map_err(|e| CognitoError::new(0, NETWORK_ERROR, e.to_string()))?;
    let value: serde_json::Value =
        serde_json::from_str(&codes.body).map_err(|_| CognitoError::new(codes.status, "NoCode", codes.body.clone()))?;
    let code = value["confirmation"].as_str().unwrap_or_default().to_string();
    let confirm = ConfirmSignUpRequest {
        client_id: CLIENT_ID.into(),
        username: username.into(),
        confirmation_code: code,
        ..Default::default()
    };
    call::<ConfirmSignUp>(url, &confirm).await.map(|_| ())
}

/// Sign in, refresh, read the profile.
async fn session_round(url: &str, username: &str) -> Result<(), CognitoError> {
    let tokens = login(url, username, PASSWORD).await?;
    let refreshed = refresh(url, tokens.refresh_token.as_deref().unwrap_or_default()).await?;
    let user = get_user(url, &refreshed.access_token).await?;
    assert_eq!(user.username, username);
    Ok(())
}

#[derive(Default)]
struct Tally {
    ok: AtomicUsize,
    excused: AtomicUsize,
    failures: Mutex<Vec<String>>,
    confirmed: Mutex<Vec<String>>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_clients_through_a_kill_9_restart() {
    let seconds: u64 = std::env::var("LOAD_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(30);
    let data: PathBuf = std::env::temp_dir().join(format!("cognito-local-load-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let pool = pool_file();
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let mut server = Server::start(port, &data, &pool);
    wait_until_healthy(&url).await;

    let tally = Arc::new(Tally::default());
    for i in 0..SEED_USERS {
        let username = format!("seed{i}");
        register_and_confirm(&url, &username).await.expect("seed user");
        tally.confirmed.lock().unwrap().push(username);
    }
    let before_kill = login(&url, "seed0", PASSWORD).await.expect("login before the kill");

    // The restart window: calls overlapping [killed_at, ready_at] may fail; nothing else may.
    let started = Instant::now();
    let outage = Arc::new(Mutex::new(None::<(Instant, Option<Instant>)>));
    let stop = Arc::new(AtomicBool::new(false));
    let mut workers = Vec::new();
    for w in 0..WORKERS {
        let (url, tally, stop, outage) = (url.clone(), tally.clone(), stop.clone(), outage.clone());
        workers.push(tokio::spawn(async move {
            let mut round = 0usize;
            while !stop.load(Ordering::Relaxed) {
                let begun = Instant::now();
                let (result, new_user) = if w < REGISTERING_WORKERS {
                    let username = format!("load{w}x{round}");
                    (register_and_confirm(&url, &username).await, Some(username))
                } else {
                    let username = format!("seed{}", (w + round) % SEED_USERS);
                    (session_round(&url, &username).await, None)
                };
                let ended = Instant::now();
                round += 1;
                match result {
                    Ok(()) => {
                        tally.ok.fetch_add(1, Ordering::Relaxed);
                        if let Some(username) = new_user {
                            tally.confirmed.lock().unwrap().push(username);
                        }
                    }
                    Err(e) => {
                        let excused = match *outage.lock().unwrap() {
                            Some((killed, ready)) => ended >= killed && ready.is_none_or(|ready| begun <= ready),
                            None => false,
                        };
                        if excused {
                            tally.excused.fetch_add(1, Ordering::Relaxed);
                            // The outage takes a moment; do not spin on refused connections.
                            tokio::time::sleep(Duration::from_millis(50)).await;
                        } else {
                            tally.failures.lock().unwrap().push(format!("worker {w}: {} {}", e.code, e.message));
                        }
                    }
                }
            }
        }));
    }

    tokio::time::sleep(Duration::from_secs(seconds / 2)).await;
    let ok_before_kill = tally.ok.load(Ordering::Relaxed);
    *outage.lock().unwrap() = Some((Instant::now(), None));
    server.kill_9();
    let mut server = Server::start(port, &data, &pool);
    wait_until_healthy(&url).await;
    outage.lock().unwrap().as_mut().unwrap().1 = Some(Instant::now());
    tokio::time::sleep(Duration::from_secs(seconds - seconds / 2)).await;
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        worker.await.expect("worker finished");
    }
    let ok_total = tally.ok.load(Ordering::Relaxed);
    let failures = tally.failures.lock().unwrap().clone();
    eprintln!(
        "load: {WORKERS} workers for {:.1} s: {ok_total} rounds succeeded ({ok_before_kill} before the kill), \
         {} failed across the restart, {} failed otherwise",
        started.elapsed().as_secs_f64(),
        tally.excused.load(Ordering::Relaxed),
        failures.len()
    );
    assert!(failures.is_empty(), "calls failed outside the restart window: {failures:#?}");
    assert!(ok_before_kill > WORKERS, "the load reached the server before the kill ({ok_before_kill} rounds)");
    assert!(ok_total - ok_before_kill > WORKERS, "and after the restart ({} rounds)", ok_total - ok_before_kill);

    // Nothing lost: every confirmed user signs in on the restarted server, and a refresh token issued
    // before the kill still works.
    let confirmed = tally.confirmed.lock().unwrap().clone();
    assert!(confirmed.len() > SEED_USERS, "users were registered during the run");
    for username in &confirmed {
        login(&url, username, PASSWORD).await.unwrap_or_else(|e| panic!("{username} cannot sign in: {e:?}"));
    }
    refresh(&url, before_kill.refresh_token.as_deref().unwrap()).await.expect("refresh token survives the restart");
    server.kill_9();
    let _ = std::fs::remove_dir_all(&data);
}
