use cognito_core::i18n::k;
use leptos::prelude::*;

use crate::browser::{encode_query, site_host};
use crate::i18n::tr;

/// A new authenticator-app key, as the app takes it: a QR code (drawn in the page; nothing leaves the
/// browser) and the key as text in groups of four. `name` is what the app shows beside the codes.
#[component]
pub fn AuthenticatorKey(secret: String, name: String) -> impl IntoView {
    let uri = otpauth_uri(&site_host(), &name, &secret);
    view! {
        <p>{tr(k::mfa::scan)}</p>
        <div class="qr" role="img" aria-label=tr(k::mfa::qr_label) inner_html=qr_svg(&uri).unwrap_or_default()></div>
        <p>{tr(k::mfa::key)} " " <code data-testid="totp-secret">{grouped(&secret)}</code></p>
    }
}

/// The otpauth URI authenticator apps read from the QR code.
fn otpauth_uri(issuer: &str, username: &str, secret: &str) -> String {
    let label = encode_query(&format!("{issuer}:{username}"));
    format!("otpauth://totp/{label}?secret={secret}&issuer={}&algorithm=SHA1&digits=6&period=30", encode_query(issuer))
}

/// The QR code of a text as an SVG document (drawn in the page; nothing leaves the browser).
fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build(),
    )
}

/// "ABCD EFGH …": the secret in groups of four, easier to type by hand.
fn grouped(secret: &str) -> String {
    secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}
