//! The local server is not a drive-by target, and its limits hold under concurrency: CORS only for this
//! machine's pages and named origins; administration and `/_local/*` never answered to web pages or under
//! a foreign host name; the clock cannot be broken; lockout and code attempt limits count every try.

mod common;

use cognito_core::api::*;
use cognito_core::error::codes;
use cognito_local::{start, Config};
use common::*;
use serde_json::json;

const EVIL: &str = "https://evil.example";

async fn preflight(url: &str, path: &str, origin: &str) -> HttpResponse {
    let headers = [
        ("Origin", origin),
        ("Access-Control-Request-Method", "POST"),
        ("Access-Control-Request-Headers", "content-type,x-amz-target,amz-sdk-invocation-id,amz-sdk-request"),
    ];
    http(url, "OPTIONS", path, &headers, b"").await
}

#[tokio::test]
async fn cors_is_for_this_machines_pages_and_named_origins_only() {
    let pool = pool_file();
    let s = start(Config {
        port: 0,
        pool_files: vec![pool],
        print_codes: false,
        allowed_origins: vec!["https://dev.example.com".into()],
        ..Config::default()
    })
    .await
    .unwrap();
    let url = &s.url();
    for origin in [
        "http://127.0.0.1:8080",
        "http://localhost:8080",
        "http://[::1]:3000",
        "https://app.localhost",
        "https://dev.example.com",
    ] {
        let answer = preflight(url, "/", origin).await;
        assert_eq!(answer.status, 204, "{origin}");
        assert_eq!(answer.header("access-control-allow-origin"), Some(origin), "{origin}");
        let allowed = answer.header("access-control-allow-headers").unwrap();
        for h in ["amz-sdk-invocation-id", "amz-sdk-request", "x-amz-target", "content-type"] {
            assert!(allowed.contains(h), "{origin}: {h}");
        }
    }
    // Documented behaviour of a browser: without Access-Control-Allow-Origin for its origin the page can
    // neither send the call (failed preflight) nor read an answer.
    for origin in [
        EVIL,
        "http://127.0.0.1.evil.example",
        "http://localhost.evil.example:8080",
        "null",
        "https://dev.example.com.evil",
    ] {
        let answer = preflight(url, "/", origin).await;
        assert_eq!(answer.header("access-control-allow-origin"), None, "{origin}");
        assert_ne!(answer.status, 204, "{origin}");
        let codes_read = http(url, "GET", &format!("/_local/codes/{POOL_ID}/nobody"), &[("Origin", origin)], b"").await;
        assert_eq!(codes_read.header("access-control-allow-origin"), None, "{origin}");
    }
    // An allowed page reads Cognito's answers, errors included, with the headers Cognito exposes.
    let answer = http(
        url,
        "POST",
        "/",
        &[("Origin", "http://localhost:8080"), ("X-Amz-Target", "AWSCognitoIdentityProviderService.SignUp")],
        b"{",
    )
    .await;
    assert_eq!(answer.header("access-control-allow-origin"), Some("http://localhost:8080"));
    let exposed = answer.header("access-control-expose-headers").unwrap();
    for h in ["x-amzn-errortype", "x-amzn-requestid", "date"] {
        assert!(exposed.contains(h), "{h} exposed");
    }
}

#[tokio::test]
async fn a_pool_file_names_allowed_origins() {
    let path = std::env::temp_dir().join(format!("cognito-local-origins-{}.json", std::process::id()));
    let pool = json!({
        "poolId": "us-east-1_Origins1", "poolName": "origins", "allowedOrigins": ["https://staging.example.org"],
        "clients": [{"clientId": "originsclient0000000000001", "clientName": "web"}]
    });
    std::fs::write(&path, pool.to_string()).unwrap();
    let s = start(Config { port: 0, pool_files: vec![path], print_codes: false, ..Config::default() }).await.unwrap();
    let answer = preflight(&s.url(), "/", "https://staging.example.org").await;
    assert_eq!(answer.header("access-control-allow-origin"), Some("https://staging.example.org"));
    assert_eq!(preflight(&s.url(), "/", EVIL).await.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn administration_and_local_helpers_refuse_web_pages_and_foreign_host_names() {
    let s = server().await;
    let url = &s.url();
    confirmed_user(url, "victim").await;
    let admin_body = json!({"UserPoolId": POOL_ID, "Username": "mallory", "TemporaryPassword": "Temp-Pass-1"});
    let admin = |extra: Vec<(&'static str, &'static str)>| {
        let body = admin_body.to_string();
        async move {
            let mut headers = vec![("X-Amz-Target", "AWSCognitoIdentityProviderService.AdminCreateUser")];
            headers.extend(extra);
            http(url, "POST", "/", &headers, body.as_bytes()).await
        }
    };
    // A page of any origin, even this machine's app (cross-origin to the server), and a request a
    // browser marks as coming from another site, and a rebinding page's host name: all refused.
    let refused = [
        vec![("Origin", EVIL)],
        vec![("Origin", "http://127.0.0.1:8080")],
        vec![("Sec-Fetch-Site", "cross-site")],
        vec![("Sec-Fetch-Site", "same-site")],
    ];
    for headers in refused {
        let answer = admin(headers.clone()).await;
        assert_eq!(answer.status, 403, "{headers:?}: {}", answer.body);
        assert_eq!(answer.header("x-amzn-errortype"), Some("AccessDeniedException"));
        let codes_read = http(url, "GET", &format!("/_local/codes/{POOL_ID}/victim"), &headers, b"").await;
        assert_eq!(codes_read.status, 403, "{headers:?}");
        assert!(!codes_read.body.contains("confirmation"));
        let faults = http(url, "POST", "/_local/faults", &headers, br#"{"operation":"InitiateAuth","count":5}"#).await;
        assert_eq!(faults.status, 403, "{headers:?}");
        let clock = http(url, "POST", "/_local/clock", &headers, br#"{"advanceSeconds":1}"#).await;
        assert_eq!(clock.status, 403, "{headers:?}");
    }
    let rebinding =
        raw_request(url, "POST", "/", "evil.example:9339", &admin_body.to_string(), "AdminCreateUser").await;
    assert!(rebinding.starts_with("HTTP/1.1 403"), "{rebinding}");
    let rebinding_codes =
        raw_request(url, "GET", &format!("/_local/codes/{POOL_ID}/victim"), "evil.example", "", "").await;
    assert!(rebinding_codes.starts_with("HTTP/1.1 403"), "{rebinding_codes}");
    // Nothing of that happened.
    let r = raw_call(url, "AdminGetUser", &json!({"UserPoolId": POOL_ID, "Username": "mallory"})).await;
    assert_eq!(r.unwrap_err().code, codes::USER_NOT_FOUND);
    assert!(login(url, "victim", PASSWORD).await.is_ok(), "no fault was planned");

    // Scripts and tests (no Origin, no Sec-Fetch-Site, a local host name) still work, and so does a
    // browser's own navigation to a helper (Sec-Fetch-Site: none).
    assert_eq!(admin(vec![]).await.status, 200);
    assert_eq!(http(url, "GET", "/_local/health", &[("Sec-Fetch-Site", "none")], b"").await.status, 200);
    let localhost = raw_request(url, "GET", "/_local/health", "localhost:9339", "", "").await;
    assert!(localhost.starts_with("HTTP/1.1 200"), "{localhost}");
    // The public API and the API stand-in stay open to allowed pages.
    let echo = http(url, "GET", "/_local/echo", &[("Origin", "http://127.0.0.1:8080")], b"").await;
    assert_eq!(echo.status, 401, "echo answers (no token) rather than refusing the page");
    assert_eq!(echo.header("access-control-allow-origin"), Some("http://127.0.0.1:8080"));
}

/// A request with a chosen `Host` header (the harness's `http` always names the real address).
async fn raw_request(url: &str, method: &str, path: &str, host: &str, body: &str, op: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = url.strip_prefix("http://").unwrap();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let target =
        if op.is_empty() { String::new() } else { format!("X-Amz-Target: AWSCognitoIdentityProviderService.{op}\r\n") };
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{target}Content-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.unwrap();
    raw
}

#[tokio::test]
async fn the_clock_cannot_be_moved_past_what_it_can_count() {
    let s = server().await;
    let url = &s.url();
    for seconds in [i64::MAX, i64::MAX / 2, 200 * 365 * 86_400] {
        let r =
            http(url, "POST", "/_local/clock", &[], json!({"advanceSeconds": seconds}).to_string().as_bytes()).await;
        assert_eq!(r.status, 400, "{seconds}: {}", r.body);
    }
    // Small steps that add up past the limit are refused too, and the server keeps working.
    for _ in 0..2 {
        let step = 60 * 365 * 86_400_i64;
        let r = http(url, "POST", "/_local/clock", &[], json!({"advanceSeconds": step}).to_string().as_bytes()).await;
        assert!(r.status == 200 || r.status == 400, "{}", r.body);
    }
    let r = http(url, "GET", "/_local/clock", &[], b"").await;
    assert_eq!(r.status, 200);
    let now = serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["now"].as_i64().unwrap();
    assert!(now > 0 && now < i64::MAX / 2);
    confirmed_user(url, "afterclock").await;
    assert_eq!(http(url, "GET", "/_local/health", &[], b"").await.status, 200);
}

#[tokio::test]
async fn parallel_password_attempts_are_judged_one_after_the_other() {
    let s = server().await;
    let url = &s.url();
    confirmed_user(url, "racer").await;
    // Eight wrong passwords, each once the lockout before it had passed: the next wrong one locks the
    // account for 16 seconds.
    for _ in 0..5 {
        assert_error(
            login(url, "racer", "Wrong-Pass-1").await,
            codes::NOT_AUTHORIZED,
            "Incorrect username or password.",
        );
    }
    for seconds in [1, 2, 4, 8] {
        advance_clock(url, seconds).await;
        if seconds < 8 {
            assert!(login(url, "racer", "Wrong-Pass-1").await.is_err());
        }
    }
    // Nineteen wrong answers and the right one, all sent at once. Judged one after the other (as Cognito
    // counts every attempt), the right one gets in only if it is judged before the first wrong one;
    // after that everything is refused. Judged side by side, the right password got in after the lockout.
    let mut answers = Vec::new();
    for i in 0..20 {
        let password = if i == 10 { PASSWORD } else { "Wrong-Pass-1" };
        answers.push(password_verifier_answer(url, CLIENT_ID, "racer", password).await.unwrap());
    }
    let sent = answers.into_iter().map(|answer| {
        let url = url.to_string();
        async move { call::<RespondToAuthChallenge>(&url, &answer).await }
    });
    let results: Vec<_> = futures_join_all(sent).await;
    let right = &results[10];
    let wrong: Vec<_> = results.iter().enumerate().filter(|(i, _)| *i != 10).map(|(_, r)| r).collect();
    let incorrect =
        wrong.iter().filter(|r| matches!(r, Err(e) if e.message == "Incorrect username or password.")).count();
    let exceeded = wrong.iter().filter(|r| matches!(r, Err(e) if e.message == "Password attempts exceeded")).count();
    assert_eq!(incorrect + exceeded, 19, "every wrong answer refused: {wrong:?}");
    match right {
        // Judged before every wrong answer: the count started again, five wrong answers are judged and the
        // fifth locks (for one second, so a few more may be judged if a second passes meanwhile).
        Ok(_) => assert!(incorrect >= 5, "{incorrect} incorrect"),
        Err(e) => {
            assert_eq!(e.message, "Password attempts exceeded");
            assert_eq!((incorrect, exceeded), (1, 18), "the first wrong answer locked the account");
        }
    }
}

/// The code an authenticator app shows at `time` for a base32 secret.
fn totp(secret: &str, time: i64) -> String {
    use cognito_local::totp::{base32_decode, code_at, STEP_SECONDS};
    code_at(&base32_decode(secret).unwrap(), time / STEP_SECONDS, 6)
}

/// Runs the futures side by side (without a futures crate dependency).
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn emailed_codes_allow_five_wrong_tries() {
    let s = server().await;
    let url = &s.url();
    call::<SignUp>(url, &sign_up_request("guesser", "guesser@example.com", PASSWORD)).await.unwrap();
    let right = codes(url, "guesser").await["confirmation"].as_str().unwrap().to_string();
    let confirm = |code: &str| ConfirmSignUpRequest {
        client_id: CLIENT_ID.into(),
        username: "guesser".into(),
        confirmation_code: code.into(),
        ..Default::default()
    };
    let wrong = if right == "000000" { "000001" } else { "000000" };
    for _ in 0..5 {
        assert_eq!(call::<ConfirmSignUp>(url, &confirm(wrong)).await.unwrap_err().code, codes::CODE_MISMATCH);
    }
    // Cognito: LimitExceededException "Attempt limit exceeded, please try after some time."; the code is
    // used up, even the right one.
    assert_error(
        call::<ConfirmSignUp>(url, &confirm(&right)).await,
        codes::LIMIT_EXCEEDED,
        "Attempt limit exceeded, please try after some time.",
    );
    // A new code starts a new count.
    let resend =
        ResendConfirmationCodeRequest { client_id: CLIENT_ID.into(), username: "guesser".into(), ..Default::default() };
    call::<ResendConfirmationCode>(url, &resend).await.unwrap();
    let fresh = codes(url, "guesser").await["confirmation"].as_str().unwrap().to_string();
    call::<ConfirmSignUp>(url, &confirm(&fresh)).await.unwrap();

    // The same for a password-reset code.
    let forgot =
        ForgotPasswordRequest { client_id: CLIENT_ID.into(), username: "guesser".into(), ..Default::default() };
    call::<ForgotPassword>(url, &forgot).await.unwrap();
    let reset_code = codes(url, "guesser").await["forgotPassword"].as_str().unwrap().to_string();
    let reset = |code: &str| ConfirmForgotPasswordRequest {
        client_id: CLIENT_ID.into(),
        username: "guesser".into(),
        confirmation_code: code.into(),
        password: "Brand-New-Pass-2".into(),
        ..Default::default()
    };
    let wrong = if reset_code == "000000" { "000001" } else { "000000" };
    for _ in 0..5 {
        let r = call::<ConfirmForgotPassword>(url, &reset(wrong)).await;
        assert_eq!(r.unwrap_err().code, codes::CODE_MISMATCH);
    }
    assert_eq!(call::<ConfirmForgotPassword>(url, &reset(&reset_code)).await.unwrap_err().code, codes::LIMIT_EXCEEDED);
    assert!(login(url, "guesser", PASSWORD).await.is_ok(), "the password did not change");
}

#[tokio::test]
async fn sign_in_mfa_codes_allow_five_wrong_tries() {
    let s = server().await;
    let url = &s.url();
    confirmed_user(url, "totpguess").await;
    let tokens = login(url, "totpguess", PASSWORD).await.unwrap();
    let access = tokens.access_token.clone();
    let secret = call::<AssociateSoftwareToken>(
        url,
        &AssociateSoftwareTokenRequest { access_token: Some(access.clone()), session: None },
    )
    .await
    .unwrap()
    .secret_code;
    let now = || std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let code_now = totp(&secret, now());
    call::<VerifySoftwareToken>(
        url,
        &VerifySoftwareTokenRequest {
            access_token: Some(access.clone()),
            session: None,
            user_code: code_now,
            friendly_device_name: None,
        },
    )
    .await
    .unwrap();
    let prefer = SetUserMfaPreferenceRequest {
        access_token: access,
        software_token_mfa_settings: Some(MfaSettings { enabled: true, preferred_mfa: true }),
        email_mfa_settings: None,
        ..Default::default()
    };
    call::<SetUserMFAPreference>(url, &prefer).await.unwrap();

    let challenge = login_with(url, CLIENT_ID, "totpguess", PASSWORD).await.unwrap();
    assert_eq!(challenge.challenge_name, Some(ChallengeName::SoftwareTokenMfa));
    let right = totp(&secret, now());
    let wrong = if right == "123456" { "654321" } else { "123456" };
    let answer = |code: &str| {
        RespondToAuthChallengeRequest::new(
            CLIENT_ID,
            ChallengeName::SoftwareTokenMfa,
            string_map([("USERNAME", "totpguess".to_string()), ("SOFTWARE_TOKEN_MFA_CODE", code.to_string())]),
            challenge.session.clone(),
        )
    };
    for _ in 0..4 {
        assert_eq!(call::<RespondToAuthChallenge>(url, &answer(wrong)).await.unwrap_err().code, codes::CODE_MISMATCH);
    }
    // The fifth wrong code ends the sign-in; the right code no longer gets in, in this sign-in or a new one.
    let fifth = call::<RespondToAuthChallenge>(url, &answer(wrong)).await.unwrap_err();
    assert_eq!(fifth.code, codes::TOO_MANY_FAILED_ATTEMPTS);
    assert!(call::<RespondToAuthChallenge>(url, &answer(&right)).await.is_err());
    let again = login_with(url, CLIENT_ID, "totpguess", PASSWORD).await.unwrap();
    let retry = RespondToAuthChallengeRequest::new(
        CLIENT_ID,
        ChallengeName::SoftwareTokenMfa,
        string_map([("USERNAME", "totpguess".to_string()), ("SOFTWARE_TOKEN_MFA_CODE", right.clone())]),
        again.session.clone(),
    );
    assert_eq!(call::<RespondToAuthChallenge>(url, &retry).await.unwrap_err().code, codes::TOO_MANY_FAILED_ATTEMPTS);
    // Fifteen minutes later the count has started again.
    advance_clock(url, 15 * 60 + 1).await;
    let later = login_with(url, CLIENT_ID, "totpguess", PASSWORD).await.unwrap();
    let code = totp(&secret, now() + 15 * 60 + 1);
    let ok = RespondToAuthChallengeRequest::new(
        CLIENT_ID,
        ChallengeName::SoftwareTokenMfa,
        string_map([("USERNAME", "totpguess".to_string()), ("SOFTWARE_TOKEN_MFA_CODE", code)]),
        later.session.clone(),
    );
    assert!(call::<RespondToAuthChallenge>(url, &ok).await.unwrap().authentication_result.is_some());
}
