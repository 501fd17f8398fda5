//! Property-based fuzzing (proptest) of everything that reads data the app does not control: JSON, stored tokens,
//! challenge parameters, error bodies, config, redirect targets. Each property checks a real invariant, not
//! only "no panic". The test command runs the default number of cases (`PROPTEST_CASES`, 256 unless set);
//! for a long local run: `PROPTEST_CASES=200000 cargo test --release -p cognito-core --test fuzz`.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use cognito_core::api::{AuthResponse, AuthenticationResult, ChallengeName};
use cognito_core::config::AppConfig;
use cognito_core::error::CognitoError;
use cognito_core::json;
use cognito_core::jwt::{decode_payload, JwtError};
use cognito_core::redirect::{next_destination, ResolvedUrl, DEFAULT_DESTINATION};
use cognito_core::session::{restore, Restore, StorageKeys, StoredSession};
use cognito_core::sign_in::{key, read_answer, FlowError, Method, MfaKind, Prompt, Reply, Step};
use cognito_core::srp::{group, ClientEphemeral, PasswordVerifierChallenge, SrpError};
use num_bigint::BigUint;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

const CLIENT_ID: &str = "fuzzclient0000000000000001";

/// Strings that look a bit like what storage or a server could hold: JWT-ish, JSON-ish, hex-ish, junk.
fn messy_string() -> impl Strategy<Value = String> {
    prop_oneof![
        ".*",
        "[A-Za-z0-9_-]{0,40}\\.[A-Za-z0-9_=-]{0,200}\\.[A-Za-z0-9_-]{0,40}",
        "[0-9a-fA-F]{0,1100}",
        "\\{\"[a-z_]{0,8}\":.{0,40}\\}",
        Just(String::new()),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        // Floats only where text and value agree exactly (serde_json's default float parsing may be off
        // by one ulp for long mantissas, which says nothing about the decoder).
        (any::<i16>(), 0u32..4).prop_map(|(m, k)| Value::from(f64::from(m) / f64::from(1u32 << k))),
        ".{0,20}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map("[a-z:_]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn token_with_payload(payload: &Value) -> String {
    format!("eyJhbGciOiJSUzI1NiJ9.{}.c2ln", URL_SAFE_NO_PAD.encode(payload.to_string()))
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    /// Any callback query: never a panic, and a code only with a state (checked against this flow's).
    #[test]
    fn oauth_callbacks_never_panic_and_need_the_state(query in prop_oneof![".*", "[?&=%a-z0-9+]{0,60}"], state in "[a-zA-Z0-9_-]{0,12}") {
        if let cognito_core::oauth::Callback::Code(_) = cognito_core::oauth::read_callback(&query, &state) {
            prop_assert!(!state.is_empty());
            prop_assert!(query.contains("state="), "a code with no state in {:?}", query);
        }
    }

    /// A managed-login flow kept in sessionStorage: any stored text is read without a panic, and only as a
    /// flow started within the window; a written record reads back as it was.
    #[test]
    fn flow_records_never_panic_and_expire(text in prop_oneof![".*", "[a-z0-9\n-]{0,40}"], now in any::<i64>(), started in any::<i64>(), next in "[/a-z?=&\n]{0,20}") {
        use cognito_core::oauth::{FlowRecord, FLOW_SECONDS};
        if let Some(read) = FlowRecord::read(&text, now) {
            prop_assert!(now >= read.started_at && now - read.started_at <= FLOW_SECONDS);
        }
        let record = FlowRecord { state: "s".into(), verifier: zeroize::Zeroizing::new("v".into()), started_at: started, next };
        let back = FlowRecord::read(&record.write(), started);
        prop_assert_eq!(back.map(|b| b.next), Some(record.next.replace('\n', "")));
    }

    /// The browser's JSON reader reads back exactly what serde_json writes, compact or pretty.
    #[test]
    fn json_reader_reads_what_serde_json_writes(value in json_value()) {
        for text in [value.to_string(), serde_json::to_string_pretty(&value).unwrap()] {
            let read = json::parse(&text).expect("valid JSON");
            prop_assert_eq!(serde_json::to_value(&read).unwrap(), value.clone());
            prop_assert_eq!(json::parse(&read.to_pretty_string()).unwrap(), read);
        }
    }

    /// On any text: whatever serde_json accepts, the reader accepts with the same value; whatever the
    /// reader refuses, serde_json refuses. Never a panic.
    #[test]
    fn json_reader_agrees_with_serde_json_on_any_text(text in messy_string()) {
        let ours = json::parse(&text);
        match serde_json::from_str::<Value>(&text) {
            Ok(theirs) => prop_assert_eq!(serde_json::to_value(ours.expect("serde_json accepts it")).unwrap(), theirs),
            Err(_) => prop_assert!(ours.is_err() || text.contains(['e', 'E']), "accepted {:?}", text),
        }
    }

    #[test]
    fn jwt_decoder_never_panics_on_any_text(token in messy_string()) {
        let _ = decode_payload(&token);
    }

    #[test]
    fn jwt_decoder_round_trips_objects_with_numeric_dates(
        mut claims in prop::collection::btree_map("[a-z_:]{1,12}", json_value(), 0..6),
        exp in any::<i32>(),
        iat in any::<i32>(),
    ) {
        claims.insert("exp".into(), json!(exp));
        claims.insert("iat".into(), json!(iat));
        let object: Map<String, Value> = claims.into_iter().collect();
        let decoded = decode_payload(&token_with_payload(&Value::Object(object.clone()))).expect("valid token");
        prop_assert_eq!(decoded.exp(), i64::from(exp));
        prop_assert_eq!(decoded.iat(), i64::from(iat));
        prop_assert_eq!(serde_json::to_value(decoded.all()).unwrap(), Value::Object(object));
    }

    #[test]
    fn jwt_payloads_that_are_not_objects_are_refused(payload in json_value().prop_filter("not an object", |v| !v.is_object())) {
        prop_assert_eq!(decode_payload(&token_with_payload(&payload)), Err(JwtError::NotJsonObject));
    }

    #[test]
    fn restore_never_panics_and_removes_only_this_clients_keys(
        last in prop::option::of(messy_string()),
        id in prop::option::of(messy_string()),
        access in prop::option::of(messy_string()),
        refresh in prop::option::of(messy_string()),
        drift in prop::option::of(messy_string()),
        now in any::<i64>(),
    ) {
        let stored = StoredSession { last_auth_user: last, id_token: id, access_token: access, refresh_token: refresh, clock_drift: drift };
        let prefix = StorageKeys::new(CLIENT_ID).prefix().to_string();
        if let Restore::SignedOut { remove } = restore(CLIENT_ID, &stored, now) {
            for key in remove {
                prop_assert!(key.starts_with(&prefix), "{key} is not this client's");
            }
        }
    }

    #[test]
    fn challenge_parsing_never_panics_and_keeps_what_it_accepts(
        extra in prop::collection::btree_map(".{0,12}", messy_string(), 0..3),
        salt in messy_string(),
        srp_b in messy_string(),
        block in prop_oneof!["[A-Za-z0-9+/]{0,64}={0,2}", messy_string()],
        user in messy_string(),
        drop_one in 0usize..5,
    ) {
        let mut params: BTreeMap<String, String> = extra;
        for (i, (k, v)) in [("SALT", &salt), ("SRP_B", &srp_b), ("SECRET_BLOCK", &block), ("USER_ID_FOR_SRP", &user)].into_iter().enumerate() {
            if i != drop_one {
                params.insert(k.to_string(), v.clone());
            }
        }
        if let Ok(challenge) = PasswordVerifierChallenge::from_parameters(&params) {
            prop_assert!(drop_one == 4);
            prop_assert_eq!(&challenge.user_id_for_srp, &user);
            prop_assert_eq!(&challenge.secret_block, &block);
            prop_assert_eq!(Some(challenge.salt), BigUint::parse_bytes(salt.as_bytes(), 16));
            prop_assert_eq!(Some(challenge.srp_b), BigUint::parse_bytes(srp_b.as_bytes(), 16));
        }
    }

    /// Any answer the service could send: the sign-in machine never panics; an answer with tokens is done;
    /// a challenge is followed only when its parameters say what the prompt needs; every other name is
    /// a clear "unsupported"; a reply is sent only for the prompt it answers, always with the auth
    /// session and the challenge's own name.
    #[test]
    fn sign_in_steps_never_panic_and_follow_only_what_they_understand(
        name in prop::option::of(prop_oneof![
            prop::sample::select(ChallengeName::ALL.iter().map(|(n, _)| *n).collect::<Vec<_>>()),
            Just(ChallengeName::Other),
        ]),
        session in prop::option::of(messy_string()),
        parameters in prop::collection::btree_map(
            prop_oneof![
                prop::sample::select(vec![key::SALT, key::SRP_B, key::SECRET_BLOCK, key::USER_ID_FOR_SRP, key::USERNAME,
                    key::REQUIRED_ATTRIBUTES, key::USER_ATTRIBUTES, key::FRIENDLY_DEVICE_NAME, key::MFAS_CAN_SETUP,
                    key::CODE_DELIVERY_DESTINATION, key::CREDENTIAL_REQUEST_OPTIONS, key::MFAS_CAN_CHOOSE]).prop_map(str::to_string),
                ".{0,12}",
            ],
            prop_oneof![messy_string(), "\\[(\"[a-zA-Z.:_]{0,20}\",?){0,4}\\]", Just(r#"["SOFTWARE_TOKEN_MFA"]"#.to_string()), Just(r#"["SMS_MFA","EMAIL_OTP"]"#.to_string())],
            0..8,
        ),
        with_tokens in any::<bool>(),
        username in messy_string(),
        code in messy_string(),
        available in prop::collection::vec(prop::sample::select(ChallengeName::ALL.iter().map(|(n, _)| *n).collect::<Vec<_>>()), 0..5),
        srp_a in prop::option::of("[0-9a-f]{1,8}"),
    ) {
        let tokens = with_tokens.then(|| AuthenticationResult { access_token: "a".into(), id_token: "i".into(), ..Default::default() });
        let answer = AuthResponse { challenge_name: name, session: session.clone(), challenge_parameters: parameters.clone(), authentication_result: tokens, available_challenges: available.clone() };
        match read_answer(&username, answer) {
            Ok(Step::Done { user_id, .. }) => { prop_assert!(with_tokens); prop_assert_eq!(user_id, username); }
            Ok(Step::NotConfirmed) => prop_assert!(false, "only a refusal means not confirmed"),
            Ok(Step::Challenge(challenge)) => {
                prop_assert!(!with_tokens);
                let name = name.unwrap();
                prop_assert_eq!(challenge.name(), name);
                let renamed = if matches!(challenge.prompt, Prompt::SignInCode { .. } | Prompt::Passkey { .. }) { key::USERNAME } else { key::USER_ID_FOR_SRP };
                let expected_user = parameters.get(renamed).filter(|v| !v.is_empty()).unwrap_or(&username);
                prop_assert_eq!(challenge.user_id(), expected_user.as_str());
                let attributes = [("name".to_string(), "x".to_string())];
                let replies = [
                    Reply::Code(&code),
                    Reply::NewPassword { password: &code, attributes: &attributes },
                    Reply::MfaSetUp,
                    Reply::Choose { method: Method::Password, srp_a: srp_a.clone() },
                    Reply::Choose { method: Method::EmailCode, srp_a: None },
                    Reply::Passkey(&code),
                    Reply::Device([(key::USERNAME.to_string(), challenge.user_id().to_string())].into()),
                    Reply::SelectMfa(MfaKind::Email),
                    Reply::MfaSetupEmail(&code),
                ];
                for reply in replies {
                    let fits = match (&challenge.prompt, &reply) {
                        (Prompt::Mfa { .. } | Prompt::SignInCode { .. }, Reply::Code(_))
                        | (Prompt::Passkey { .. }, Reply::Passkey(_))
                        | (Prompt::NewPassword { .. }, Reply::NewPassword { .. })
                        | (Prompt::MfaSetup { .. }, Reply::MfaSetUp)
                        | (Prompt::DeviceSrpAuth | Prompt::DevicePasswordVerifier { .. }, Reply::Device(_)) => true,
                        (Prompt::SelectMfa { kinds }, Reply::SelectMfa(kind)) => kinds.contains(kind),
                        (Prompt::MfaSetup { kinds }, Reply::MfaSetupEmail(_)) => kinds.contains(&MfaKind::Email),
                        (Prompt::ChooseMethod { methods }, Reply::Choose { method, srp_a }) => {
                            methods.contains(method) && (*method != Method::Password || srp_a.is_some())
                        }
                        _ => false,
                    };
                    match challenge.respond("client", reply) {
                        Ok(request) => {
                            prop_assert!(fits);
                            prop_assert_eq!(request.challenge_name, name);
                            prop_assert_eq!(&request.session, &session);
                            prop_assert_eq!(request.challenge_responses.get(key::USERNAME).map(String::as_str), Some(challenge.user_id()));
                        }
                        Err(e) => { prop_assert!(!fits); prop_assert_eq!(e, FlowError::WrongReply); }
                    }
                }
                match &challenge.prompt {
                    Prompt::PasswordVerifier(_) => prop_assert_eq!(name, ChallengeName::PasswordVerifier),
                    Prompt::NewPassword { required_attributes } => {
                        prop_assert_eq!(name, ChallengeName::NewPasswordRequired);
                        prop_assert!(required_attributes.iter().all(|a| !a.is_empty() && !a.starts_with(key::USER_ATTRIBUTE_PREFIX)));
                    }
                    Prompt::Mfa { kind, .. } => prop_assert_eq!(name, kind.challenge()),
                    Prompt::SelectMfa { kinds } => {
                        prop_assert_eq!(name, ChallengeName::SelectMfaType);
                        prop_assert!(!kinds.is_empty());
                    }
                    Prompt::MfaSetup { kinds } => {
                        prop_assert_eq!(name, ChallengeName::MfaSetup);
                        prop_assert!(!kinds.is_empty());
                    }
                    Prompt::ChooseMethod { methods } => {
                        prop_assert_eq!(name, ChallengeName::SelectChallenge);
                        prop_assert!(!methods.is_empty());
                        prop_assert!(methods.iter().all(|m| available.iter().any(|a| Method::of(*a) == Some(*m))));
                    }
                    Prompt::SignInCode { .. } => prop_assert!(matches!(name, ChallengeName::EmailOtp | ChallengeName::SmsOtp)),
                    Prompt::Passkey { options } => {
                        prop_assert_eq!(name, ChallengeName::WebAuthn);
                        prop_assert!(!options.is_empty());
                    }
                    Prompt::DeviceSrpAuth => prop_assert_eq!(name, ChallengeName::DeviceSrpAuth),
                    Prompt::DevicePasswordVerifier { parameters: given } => {
                        prop_assert_eq!(name, ChallengeName::DevicePasswordVerifier);
                        prop_assert!([key::SALT, key::SRP_B, key::SECRET_BLOCK].iter().all(|k| given.get(*k).is_some_and(|v| !v.is_empty())));
                    }
                }
            }
            Err(FlowError::Unsupported(text)) => {
                let name = name.unwrap();
                prop_assert!(!with_tokens);
                prop_assert_eq!(text, name.as_str());
                prop_assert!(!matches!(name, ChallengeName::PasswordVerifier | ChallengeName::NewPasswordRequired | ChallengeName::SoftwareTokenMfa | ChallengeName::EmailOtp | ChallengeName::SmsOtp | ChallengeName::DeviceSrpAuth | ChallengeName::SmsMfa));
            }
            Err(FlowError::Malformed(_) | FlowError::BadVerifierParameters(_)) => prop_assert!(!with_tokens),
            Err(FlowError::WrongReply) => prop_assert!(false, "reading never refuses a reply"),
        }
    }

    #[test]
    fn password_key_accepts_any_b_except_multiples_of_n(b in prop::collection::vec(any::<u8>(), 1..400), salt in prop::collection::vec(any::<u8>(), 0..40)) {
        let ephemeral = ClientEphemeral::from_secret(BigUint::from(0x1234_5678u32)).expect("A");
        let big_b = BigUint::from_bytes_be(&b);
        let result = ephemeral.password_key("LocalDev01", "user", "pw", &BigUint::from_bytes_be(&salt), &big_b);
        if &big_b % &group().n == BigUint::ZERO {
            prop_assert_eq!(result, Err(SrpError::IllegalB));
        } else {
            prop_assert!(result.is_ok());
        }
    }

    #[test]
    fn error_answers_always_give_a_bare_code(status in 100u16..600, header in prop::option::of(".{0,40}"), body in messy_string()) {
        let error = CognitoError::from_response(status, header.as_deref(), &body);
        prop_assert!(!error.code.is_empty());
        prop_assert!(!error.code.contains('#'));
    }

    #[test]
    fn config_parsing_never_panics(text in messy_string()) {
        let _ = AppConfig::parse(&text);
    }

    /// Whatever `next` holds, the destination, opened by the URL parser from the sign-in page, is a page
    /// of this site; when it is not the default, it is exactly where the parser resolved `next` to.
    #[test]
    fn sign_in_redirects_stay_on_this_site(next in prop::option::of(redirect_text())) {
        let resolved = next.as_deref().and_then(resolve);
        let destination = next_destination(next.as_deref(), resolved.as_ref(), SITE);
        let opened = url::Url::parse(LOGIN_PAGE).unwrap().join(&destination).unwrap();
        prop_assert_eq!(opened.origin().ascii_serialization(), SITE, "{:?} → {}", next, destination);
        prop_assert_eq!(resolve(&destination).map(|u| u.origin), Some(SITE.to_string()));
        let has_control = next.as_deref().is_some_and(|n| n.chars().any(char::is_control));
        if has_control {
            prop_assert_eq!(&destination, DEFAULT_DESTINATION, "control characters are refused: {:?}", next);
        }
        if destination != DEFAULT_DESTINATION {
            let r = resolved.unwrap();
            prop_assert_eq!(destination.clone(), format!("{}{}{}", r.pathname, r.search, r.hash));
            // Followed again from another page of the site, it is still the same page.
            let again = url::Url::parse(&format!("{SITE}/deep/page")).unwrap().join(&destination).unwrap();
            prop_assert_eq!(again, opened);
        }
    }
}

const SITE: &str = "https://app.example";
const LOGIN_PAGE: &str = "https://app.example/login?next=x";

/// What the browser's `new URL(text, location.href)` gives on the sign-in page, read as `URL` exposes it
/// (the `url` crate implements the same WHATWG standard).
fn resolve(text: &str) -> Option<ResolvedUrl> {
    let url = url::Url::parse(LOGIN_PAGE).unwrap().join(text).ok()?;
    let part = |prefix: &str, value: Option<&str>| value.filter(|v| !v.is_empty()).map(|v| format!("{prefix}{v}"));
    Some(ResolvedUrl {
        origin: url.origin().ascii_serialization(),
        pathname: url.path().to_string(),
        search: part("?", url.query()).unwrap_or_default(),
        hash: part("#", url.fragment()).unwrap_or_default(),
    })
}

/// Redirect attempts built from the pieces open-redirect tricks are made of, and any text at all.
fn redirect_text() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "/",
        "\\",
        "//",
        "///",
        "\t",
        "\n",
        "\r",
        "%09",
        "%0a",
        "%0d",
        "%2f",
        "%2F",
        "%5c",
        "%5C",
        "%2e",
        ".",
        "..",
        "evil.example",
        "app.example",
        "https:",
        "http:",
        "https://evil.example",
        "//evil.example",
        "javascript:alert(1)",
        "data:text/html,x",
        "@",
        ":",
        "?",
        "#",
        " ",
        "\u{0}",
        "\u{7f}",
        "\u{200b}",
        "\u{3002}",
        "profile",
        "admin",
        "login",
        "%",
        "%25",
        "\u{ff0f}",
    ]);
    prop_oneof![prop::collection::vec(piece, 0..8).prop_map(|pieces| pieces.concat()), ".{0,40}",]
}
