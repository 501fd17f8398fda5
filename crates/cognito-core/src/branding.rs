//! The deployer's brand, from config.json's `branding` block, made safe to show: colors are corrected until
//! they meet WCAG 2.1 AA against the page in both the light and the dark theme (text 4.5:1, focus
//! indicators 3:1), and the logo and links are checked against what the page may load.
//!
//! ```json
//! "branding": {"productName": "Acme", "logo": "/acme.svg", "primaryColor": "#0b5fff",
//!              "accentColor": "#f0b429", "termsUrl": "https://acme.example/terms",
//!              "privacyUrl": "https://acme.example/privacy", "support": "help@acme.example"}
//! ```

use std::fmt;

use crate::json::{FromJson, Json, JsonError};

/// An sRGB color.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Color {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

impl Color {
    pub const WHITE: Color = Color { r: 255, g: 255, b: 255 };
    pub const BLACK: Color = Color { r: 0, g: 0, b: 0 };

    /// `#rgb` or `#rrggbb` (either case).
    pub fn parse(text: &str) -> Option<Color> {
        let hex = text.strip_prefix('#')?;
        let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
        let bytes = hex.as_bytes();
        match bytes.len() {
            3 => {
                let [r, g, b] = [digit(bytes[0])?, digit(bytes[1])?, digit(bytes[2])?];
                Some(Color { r: r * 17, g: g * 17, b: b * 17 })
            }
            6 => {
                let pair = |i: usize| Some(digit(bytes[i])? * 16 + digit(bytes[i + 1])?);
                Some(Color { r: pair(0)?, g: pair(2)?, b: pair(4)? })
            }
            _ => None,
        }
    }

    /// `#rrggbb`, for CSS.
    pub fn css(self) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut text = String::with_capacity(7);
        text.push('#');
        for byte in [self.r, self.g, self.b] {
            text.push(DIGITS[usize::from(byte >> 4)] as char);
            text.push(DIGITS[usize::from(byte & 15)] as char);
        }
        text
    }

    /// WCAG 2.1 relative luminance.
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.r) + 0.7152 * channel(self.g) + 0.0722 * channel(self.b)
    }

    /// `self` moved towards `target` by `t` (0 to 1).
    fn mix(self, target: Color, t: f64) -> Color {
        let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Color { r: m(self.r, target.r), g: m(self.g, target.g), b: m(self.b, target.b) }
    }
}

/// WCAG 2.1 contrast ratio, 1 to 21.
pub fn contrast(a: Color, b: Color) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// AA for normal text, and for focus indicators and other non-text parts (WCAG 2.1 1.4.3, 1.4.11).
pub const TEXT_CONTRAST: f64 = 4.5;
pub const NON_TEXT_CONTRAST: f64 = 3.0;

/// The themes' surfaces, as `style/main.css` paints them (cards on a page background).
pub const LIGHT_SURFACES: [Color; 2] = [Color::WHITE, Color { r: 0xf4, g: 0xf6, b: 0xf8 }];
pub const DARK_SURFACES: [Color; 2] = [Color { r: 0x16, g: 0x1b, b: 0x22 }, Color { r: 0x0d, g: 0x11, b: 0x17 }];
/// Text on a primary-colored button: white in the light theme, the dark page color in the dark one.
pub const DARK_TEXT: Color = Color { r: 0x0d, g: 0x11, b: 0x17 };

/// The primary color moved (darker in the light theme, lighter in the dark one) only as far as needed for
/// `ratio` against every surface and against the button text drawn on it (`on`).
fn readable(color: Color, surfaces: &[Color], on: Option<Color>, towards: Color, ratio: f64) -> Color {
    let ok = |c: Color| surfaces.iter().all(|s| contrast(c, *s) >= ratio) && on.is_none_or(|t| contrast(c, t) >= ratio);
    (0..=100).map(|step| color.mix(towards, f64::from(step) / 100.0)).find(|c| ok(*c)).unwrap_or(towards)
}

/// The colors one theme uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThemeColors {
    /// Buttons, links, the header bar.
    pub primary: Color,
    /// Text on `primary`.
    pub on_primary: Color,
    /// Buttons on hover.
    pub primary_hover: Color,
    /// Focus rings.
    pub focus: Color,
}

impl ThemeColors {
    pub fn light(primary: Color, accent: Color) -> ThemeColors {
        let primary = readable(primary, &LIGHT_SURFACES, Some(Color::WHITE), Color::BLACK, TEXT_CONTRAST);
        ThemeColors {
            primary,
            on_primary: Color::WHITE,
            primary_hover: primary.mix(Color::BLACK, 0.2),
            focus: readable(accent, &LIGHT_SURFACES, None, Color::BLACK, NON_TEXT_CONTRAST),
        }
    }

    pub fn dark(primary: Color, accent: Color) -> ThemeColors {
        let primary = readable(primary, &DARK_SURFACES, Some(DARK_TEXT), Color::WHITE, TEXT_CONTRAST);
        ThemeColors {
            primary,
            on_primary: DARK_TEXT,
            primary_hover: primary.mix(Color::WHITE, 0.2),
            focus: readable(accent, &DARK_SURFACES, None, Color::WHITE, NON_TEXT_CONTRAST),
        }
    }
}

/// A link of the page's footer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub href: String,
}

/// What the page shows of the deployer.
#[derive(Debug, Clone, PartialEq)]
pub struct Branding {
    /// The deployer's name for the product; without one the page says the catalog's `brand.default_name`
    /// ("Your account") in the reader's language.
    pub product_name: Option<String>,
    /// A path on this site or a `data:image/…` URL (the Content-Security-Policy allows no other images).
    pub logo: Option<String>,
    pub light: ThemeColors,
    pub dark: ThemeColors,
    /// Whether the deployer chose the colors (else the built-in look stays as the stylesheet has it).
    pub custom_colors: bool,
    pub terms: Option<Link>,
    pub privacy: Option<Link>,
    /// `mailto:` for an email address, or the support page.
    pub support: Option<Link>,
}

pub const DEFAULT_PRIMARY: Color = Color { r: 0x1f, g: 0x4e, b: 0x79 };
pub const DEFAULT_ACCENT: Color = Color { r: 0xf0, g: 0xb4, b: 0x29 };
const MAX_NAME: usize = 60;

impl Default for Branding {
    fn default() -> Self {
        Branding {
            product_name: None,
            logo: None,
            light: ThemeColors::light(DEFAULT_PRIMARY, DEFAULT_ACCENT),
            dark: ThemeColors::dark(DEFAULT_PRIMARY, DEFAULT_ACCENT),
            custom_colors: false,
            terms: None,
            privacy: None,
            support: None,
        }
    }
}

/// Why config.json's `branding` was refused (the setup page names the field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrandingError(pub String);

impl fmt::Display for BrandingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The block as written.
#[derive(Debug, Default)]
pub struct RawBranding {
    product_name: Option<String>,
    logo: Option<String>,
    primary_color: Option<String>,
    accent_color: Option<String>,
    terms_url: Option<String>,
    privacy_url: Option<String>,
    support: Option<String>,
}

impl FromJson for RawBranding {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let f = value.fields("branding")?;
        Ok(RawBranding {
            product_name: f.optional("productName")?,
            logo: f.optional("logo")?,
            primary_color: f.optional("primaryColor")?,
            accent_color: f.optional("accentColor")?,
            terms_url: f.optional("termsUrl")?,
            privacy_url: f.optional("privacyUrl")?,
            support: f.optional("support")?,
        })
    }
}

fn web_link(field: &str, value: Option<String>) -> Result<Option<Link>, BrandingError> {
    match value.filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v)
            if (v.starts_with("https://")
                || v.starts_with("http://")
                || (v.starts_with('/') && !v.starts_with("//")))
                && !v.chars().any(char::is_whitespace) =>
        {
            Ok(Some(Link { href: v }))
        }
        Some(v) => {
            Err(BrandingError(format!("branding \"{field}\" must be an http(s) URL or a path on this site, not {v:?}")))
        }
    }
}

impl RawBranding {
    pub fn check(self) -> Result<Branding, BrandingError> {
        let product_name = match self.product_name.map(|n| n.trim().to_string()) {
            None => None,
            Some(n) if n.is_empty() || n.chars().count() > MAX_NAME || n.chars().any(char::is_control) => {
                return Err(BrandingError(format!(
                    "branding \"productName\" must be 1 to {MAX_NAME} characters without control characters"
                )))
            }
            Some(n) => Some(n),
        };
        let logo = match self.logo.filter(|l| !l.is_empty()) {
            None => None,
            Some(l) if (l.starts_with('/') && !l.starts_with("//")) || l.starts_with("data:image/") => Some(l),
            Some(l) => {
                return Err(BrandingError(format!(
                    "branding \"logo\" must be a path on this site (like /logo.svg) or a data:image/ URL, not {l:?}: \
                     the Content-Security-Policy lets the page show images from nowhere else"
                )))
            }
        };
        let color = |field: &str, value: Option<String>, default: Color| match value {
            None => Ok(default),
            Some(v) => Color::parse(&v)
                .ok_or_else(|| BrandingError(format!("branding \"{field}\" must be a color like #1f4e79, not {v:?}"))),
        };
        let custom_colors = self.primary_color.is_some() || self.accent_color.is_some();
        let primary = color("primaryColor", self.primary_color, DEFAULT_PRIMARY)?;
        let accent = color("accentColor", self.accent_color, DEFAULT_ACCENT)?;
        let support = match self.support.filter(|s| !s.is_empty()) {
            Some(s) if !s.contains("://") && !s.starts_with('/') => {
                let valid = s.split_once('@').is_some_and(|(user, host)| {
                    !user.is_empty()
                        && host.contains('.')
                        && !s.chars().any(|c| c.is_whitespace() || c == '?' || c == '&')
                });
                if !valid {
                    return Err(BrandingError(format!(
                        "branding \"support\" must be an email address or an http(s) URL, not {s:?}"
                    )));
                }
                Some(Link { href: format!("mailto:{s}") })
            }
            other => web_link("support", other)?,
        };
        Ok(Branding {
            product_name,
            logo,
            light: ThemeColors::light(primary, accent),
            dark: ThemeColors::dark(primary, accent),
            custom_colors,
            terms: web_link("termsUrl", self.terms_url)?,
            privacy: web_link("privacyUrl", self.privacy_url)?,
            support,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(text: &str) -> Color {
        Color::parse(text).unwrap()
    }

    // WCAG 2.1's definitions: black on white is 21:1; #777 on white just misses AA (4.48).
    #[test]
    fn contrast_follows_wcag() {
        assert!((contrast(Color::BLACK, Color::WHITE) - 21.0).abs() < 1e-9);
        assert!((contrast(c("#777"), Color::WHITE) - 4.48).abs() < 0.01);
        assert!((contrast(c("#767676"), Color::WHITE) - 4.54).abs() < 0.01);
        assert_eq!(c("#ABC"), Color { r: 0xaa, g: 0xbb, b: 0xcc });
        for bad in ["", "#12", "123456", "#12345g", "#1234567", "red"] {
            assert_eq!(Color::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn colors_that_fail_aa_are_corrected_as_little_as_needed() {
        for primary in ["#ffdd00", "#ffffff", "#000000", "#0b5fff", "#1f4e79", "#ff00ff", "#777777"] {
            let (light, dark) = (ThemeColors::light(c(primary), c("#fff")), ThemeColors::dark(c(primary), c("#000")));
            for s in LIGHT_SURFACES {
                assert!(contrast(light.primary, s) >= TEXT_CONTRAST, "{primary} light");
                assert!(contrast(light.focus, s) >= NON_TEXT_CONTRAST, "{primary} light focus");
            }
            assert!(contrast(light.on_primary, light.primary) >= TEXT_CONTRAST, "{primary} button text");
            for s in DARK_SURFACES {
                assert!(contrast(dark.primary, s) >= TEXT_CONTRAST, "{primary} dark");
                assert!(contrast(dark.focus, s) >= NON_TEXT_CONTRAST, "{primary} dark focus");
            }
            assert!(contrast(dark.on_primary, dark.primary) >= TEXT_CONTRAST, "{primary} dark button text");
        }
        // A color that already passes is kept as it is.
        assert_eq!(ThemeColors::light(c("#1f4e79"), c("#1f4e79")).primary, c("#1f4e79"));
    }

    fn raw(json: &str) -> Result<Branding, String> {
        let raw = RawBranding::from_json_text(json).map_err(|e| e.to_string())?;
        raw.check().map_err(|e| e.0)
    }

    #[test]
    fn the_block_is_checked_field_by_field() {
        let b = raw(r##"{"productName":" Acme ","logo":"/acme.svg","primaryColor":"#ffdd00","termsUrl":"https://acme.example/terms","support":"help@acme.example"}"##).unwrap();
        assert_eq!(b.product_name.as_deref(), Some("Acme"));
        assert_eq!(b.logo.as_deref(), Some("/acme.svg"));
        assert!(b.custom_colors);
        assert_ne!(b.light.primary, c("#ffdd00"), "yellow on white is corrected");
        assert_eq!(b.support.unwrap().href, "mailto:help@acme.example");
        assert_eq!(b.terms.unwrap().href, "https://acme.example/terms");
        assert_eq!(raw("{}").unwrap(), Branding::default());
        for (bad, field) in [
            (r#"{"logo":"https://cdn.example/logo.png"}"#, "logo"),
            (r#"{"logo":"//cdn.example/logo.png"}"#, "logo"),
            (r#"{"primaryColor":"blue"}"#, "primaryColor"),
            (r#"{"productName":""}"#, "productName"),
            (r#"{"termsUrl":"javascript:alert(1)"}"#, "termsUrl"),
            (r#"{"support":"not an address"}"#, "support"),
            (r#"{"support":"a@b.c?subject=x"}"#, "support"),
        ] {
            assert!(raw(bad).unwrap_err().contains(field), "{bad}");
        }
    }
}
