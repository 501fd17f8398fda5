//! A small JSON reader for what the browser app receives: Cognito's answers, `config.json`, token
//! payloads. It parses text into a [`Json`] tree once and reads typed values out of it with
//! [`FromJson`], written out per type.
//!
//! Why not serde here: serde's derived deserializers are generic code, compiled anew for every answer
//! type; in the browser that was the largest piece of the download after the UI framework. The types in
//! [`crate::api`] keep their serde derives: requests are still written with serde_json, and the local
//! server reads and writes everything with serde. Tests check that both readers agree.
//!
//! Numbers are kept as their text ([`Json::Number`]) and read as integers on demand, so no
//! floating-point parser is compiled in. Hostile input is an error, never a panic or a stack overflow:
//! nesting is limited to [`MAX_DEPTH`].

use std::collections::BTreeMap;
use std::fmt;

/// Deepest nesting of arrays and objects accepted.
pub const MAX_DEPTH: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// The number as written (already checked against JSON's number grammar).
    Number(String),
    String(String),
    Array(Vec<Json>),
    /// Members in the order written.
    Object(Vec<(String, Json)>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError(pub String);

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for JsonError {}

fn error(message: &str) -> JsonError {
    JsonError(message.to_string())
}

/// Parses one JSON value; only whitespace may follow it.
pub fn parse(text: &str) -> Result<Json, JsonError> {
    let mut parser = Parser { bytes: text.as_bytes(), at: 0 };
    let value = parser.value(0)?;
    parser.skip_whitespace();
    if parser.at != parser.bytes.len() {
        return Err(parser.error("unexpected text after the JSON value"));
    }
    Ok(value)
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn error(&self, what: &str) -> JsonError {
        JsonError(format!("{what} at byte {}", self.at))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Consumes `byte` (after whitespace) if it is next.
    fn eat(&mut self, byte: u8) -> bool {
        self.skip_whitespace();
        let next = self.peek() == Some(byte);
        if next {
            self.at += 1;
        }
        next
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<(), JsonError> {
        if self.eat(byte) {
            Ok(())
        } else {
            Err(self.error(what))
        }
    }

    fn literal(&mut self, word: &str, value: Json) -> Result<Json, JsonError> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a JSON value"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'{') | Some(b'[') if depth >= MAX_DEPTH => Err(self.error("JSON nested too deeply")),
            Some(b'{') => {
                self.at += 1;
                let mut members = Vec::new();
                if !self.eat(b'}') {
                    loop {
                        self.skip_whitespace();
                        if self.peek() != Some(b'"') {
                            return Err(self.error("expected a member name"));
                        }
                        let name = self.string()?;
                        self.expect(b':', "expected `:`")?;
                        members.push((name, self.value(depth + 1)?));
                        if self.eat(b'}') {
                            break;
                        }
                        self.expect(b',', "expected `,` or `}`")?;
                    }
                }
                Ok(Json::Object(members))
            }
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value(depth + 1)?);
                        if self.eat(b']') {
                            break;
                        }
                        self.expect(b',', "expected `,` or `]`")?;
                    }
                }
                Ok(Json::Array(items))
            }
            Some(b'"') => self.string().map(Json::String),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            None => Err(self.error("unexpected end of JSON")),
            Some(_) => Err(self.error("expected a JSON value")),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.at;
        self.eat_byte(b'-');
        let leading_zero = self.peek() == Some(b'0');
        let whole = self.digits();
        if whole == 0 || (leading_zero && whole > 1) {
            return Err(self.error("malformed number"));
        }
        if self.eat_byte(b'.') && self.digits() == 0 {
            return Err(self.error("malformed number"));
        }
        if self.eat_byte(b'e') || self.eat_byte(b'E') {
            let _ = self.eat_byte(b'+') || self.eat_byte(b'-');
            if self.digits() == 0 {
                return Err(self.error("malformed number"));
            }
        }
        // Only ASCII was consumed, so this slice is on character boundaries.
        Ok(Json::Number(String::from_utf8_lossy(&self.bytes[start..self.at]).into_owned()))
    }

    /// Consumes `byte` if it is next (no whitespace skipping).
    fn eat_byte(&mut self, byte: u8) -> bool {
        let next = self.peek() == Some(byte);
        if next {
            self.at += 1;
        }
        next
    }

    /// A string; the opening quote is next.
    fn string(&mut self) -> Result<String, JsonError> {
        self.at += 1;
        let mut out = Vec::new();
        loop {
            let Some(byte) = self.peek() else { return Err(self.error("unterminated string")) };
            self.at += 1;
            match byte {
                b'"' => break,
                b'\\' => {
                    let Some(escape) = self.peek() else { return Err(self.error("unterminated string")) };
                    self.at += 1;
                    let c = match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(self.error("invalid escape in string")),
                    };
                    let mut buffer = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
                }
                0..=0x1f => return Err(self.error("control character in string")),
                _ => out.push(byte),
            }
        }
        // The input is a &str and escapes were written as whole characters: always valid UTF-8.
        String::from_utf8(out).map_err(|_| self.error("invalid UTF-8 in string"))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut value = 0;
        for _ in 0..4 {
            let digit = self.peek().and_then(|b| (b as char).to_digit(16));
            let Some(digit) = digit else { return Err(self.error("invalid \\u escape")) };
            value = value * 16 + digit;
            self.at += 1;
        }
        Ok(value)
    }

    /// After `\u`: one code point, joining a surrogate pair.
    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        let code = match first {
            0xd800..=0xdbff => {
                if !(self.eat_byte(b'\\') && self.eat_byte(b'u')) {
                    return Err(self.error("unpaired surrogate in string"));
                }
                let second = self.hex4()?;
                if !(0xdc00..=0xdfff).contains(&second) {
                    return Err(self.error("unpaired surrogate in string"));
                }
                0x10000 + ((first - 0xd800) << 10) + (second - 0xdc00)
            }
            0xdc00..=0xdfff => return Err(self.error("unpaired surrogate in string")),
            _ => first,
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid \\u escape"))
    }
}

impl Json {
    /// A member of an object (the last one, if the name repeats, as in JavaScript).
    pub fn get(&self, name: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    /// A number's value truncated toward zero (`1.9e3` → 1900, `-0.5` → 0); None for non-numbers and
    /// values outside `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        let Json::Number(text) = self else { return None };
        let (negative, text) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.as_str()),
        };
        let (mantissa, exponent) = match text.find(['e', 'E']) {
            Some(i) => (&text[..i], text[i + 1..].trim_start_matches('+').parse::<i64>().ok()?),
            None => (text, 0),
        };
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        // The value is 0.<digits> × 10^point, read digit by digit.
        let point = (whole.len() as i64).checked_add(exponent)?;
        let mut value: i64 = 0;
        for (position, digit) in whole.chars().chain(fraction.chars()).enumerate() {
            let digit = digit.to_digit(10)?;
            if position as i64 >= point {
                continue; // the fraction, dropped (but still checked to be digits)
            }
            value = value.checked_mul(10)?.checked_add(i64::from(digit))?;
        }
        // Trailing zeros implied by a large exponent.
        let missing = point - (whole.len() + fraction.len()) as i64;
        for _ in 0..missing.max(0) {
            if value == 0 {
                break;
            }
            value = value.checked_mul(10)?;
        }
        Some(if negative { -value } else { value })
    }

    /// The fields of an object, for [`FromJson`] implementations; `what` names the expected type in errors.
    pub fn fields<'a>(&'a self, what: &'static str) -> Result<Fields<'a>, JsonError> {
        match self {
            Json::Object(_) => Ok(Fields { object: self, what }),
            _ => Err(JsonError(format!("expected {what} (an object)"))),
        }
    }

    /// Indented text for people to read (two spaces, members in their order).
    pub fn to_pretty_string(&self) -> String {
        let mut out = String::new();
        self.write_pretty(&mut out, 0);
        out
    }

    fn write_pretty(&self, out: &mut String, indent: usize) {
        let newline = |out: &mut String, indent: usize| {
            out.push('\n');
            out.extend(std::iter::repeat_n("  ", indent));
        };
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Json::Number(n) => out.push_str(n),
            Json::String(s) => write_string(out, s),
            Json::Array(items) if items.is_empty() => out.push_str("[]"),
            Json::Object(members) if members.is_empty() => out.push_str("{}"),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i == 0 { "" } else { "," });
                    newline(out, indent + 1);
                    item.write_pretty(out, indent + 1);
                }
                newline(out, indent);
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (name, value)) in members.iter().enumerate() {
                    out.push_str(if i == 0 { "" } else { "," });
                    newline(out, indent + 1);
                    write_string(out, name);
                    out.push_str(": ");
                    value.write_pretty(out, indent + 1);
                }
                newline(out, indent);
                out.push('}');
            }
        }
    }
}

/// `s` as a JSON string literal.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    write_string(&mut out, s);
    out
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The members of one object, read by name.
pub struct Fields<'a> {
    object: &'a Json,
    what: &'static str,
}

impl Fields<'_> {
    /// A member that must be present (and not null).
    pub fn required<T: FromJson>(&self, name: &str) -> Result<T, JsonError> {
        self.optional(name)?.ok_or_else(|| JsonError(format!("{} has no {name}", self.what)))
    }

    /// A member that may be missing or null.
    pub fn optional<T: FromJson>(&self, name: &str) -> Result<Option<T>, JsonError> {
        match self.object.get(name) {
            None | Some(Json::Null) => Ok(None),
            Some(value) => {
                T::from_json(value).map(Some).map_err(|e| JsonError(format!("{}.{name}: {}", self.what, e.0)))
            }
        }
    }

    /// A member that takes its type's default when missing or null.
    pub fn or_default<T: FromJson + Default>(&self, name: &str) -> Result<T, JsonError> {
        Ok(self.optional(name)?.unwrap_or_default())
    }
}

/// Reading a value of this type out of a [`Json`] tree.
pub trait FromJson: Sized {
    fn from_json(value: &Json) -> Result<Self, JsonError>;

    /// Parses text and reads the value.
    fn from_json_text(text: &str) -> Result<Self, JsonError> {
        Self::from_json(&parse(text)?)
    }
}

impl FromJson for Json {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        Ok(value.clone())
    }
}

impl FromJson for String {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        value.as_str().map(str::to_string).ok_or_else(|| error("expected a string"))
    }
}

impl FromJson for bool {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        match value {
            Json::Bool(b) => Ok(*b),
            _ => Err(error("expected true or false")),
        }
    }
}

impl FromJson for i64 {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        value.as_i64().ok_or_else(|| error("expected a whole number"))
    }
}

impl FromJson for usize {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        value.as_i64().and_then(|n| usize::try_from(n).ok()).ok_or_else(|| error("expected a whole number ≥ 0"))
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let items = value.as_array().ok_or_else(|| error("expected a list"))?;
        items.iter().map(T::from_json).collect()
    }
}

impl FromJson for BTreeMap<String, String> {
    fn from_json(value: &Json) -> Result<Self, JsonError> {
        let Json::Object(members) = value else { return Err(error("expected an object of strings")) };
        let mut map = BTreeMap::new();
        for (name, value) in members {
            let text = value.as_str().ok_or_else(|| JsonError(format!("{name}: expected a string")))?;
            map.insert(name.clone(), text.to_string());
        }
        Ok(map)
    }
}

/// Written by the local server (a token's claims, WebAuthn's options). The browser writes its JSON with
/// [`Json::to_pretty_string`] instead (no float formatting compiled in).
impl serde::Serialize for Json {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Number(text) => match (self.as_i64(), text.contains(['.', 'e', 'E'])) {
                (Some(n), false) => serializer.serialize_i64(n),
                _ => serializer.serialize_f64(text.parse().unwrap_or(f64::NAN)),
            },
            Json::String(s) => serializer.serialize_str(s),
            Json::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(members) => {
                let mut map = serializer.serialize_map(Some(members.len()))?;
                for (name, value) in members {
                    map.serialize_entry(name, value)?;
                }
                map.end()
            }
        }
    }
}

/// Read by the local server from requests that carry JSON it passes on as it is (a passkey credential).
impl<'de> serde::Deserialize<'de> for Json {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> serde::de::Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Json, E> {
        Ok(Json::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Json, E> {
        Ok(Json::Number(n.to_string()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Json, E> {
        Ok(Json::Number(n.to_string()))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Json, E> {
        Ok(Json::Number(n.to_string()))
    }

    fn visit_str<E>(self, s: &str) -> Result<Json, E> {
        Ok(Json::String(s.to_string()))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut members = Vec::new();
        while let Some((name, value)) = map.next_entry::<String, Json>()? {
            members.push((name, value));
        }
        Ok(Json::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> Option<i64> {
        parse(text).unwrap().as_i64()
    }

    #[test]
    fn parses_what_serde_json_parses() {
        let samples = [
            r#"{"a":[1,-2.5e3,0,true,false,null,"x\"y\\z\/\b\f\n\r\t\u00e9\ud83d\ude00"],"b":{},"c":[],"d":-0.0}"#,
            " \n\t[ 1 , { \"k\" : \"v\" } ] \r\n",
            r#""just a string""#,
            "12345678901234567890123",
            r#"{"dup":1,"dup":2}"#,
            "[[[[[]]]]]",
        ];
        for text in samples {
            let ours = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let theirs: serde_json::Value = serde_json::from_str(text).unwrap();
            // Compare through serde_json's tree, written by the Serialize impl (numbers compare by value).
            assert_eq!(serde_json::to_value(&ours).unwrap(), theirs, "{text}");
        }
        assert_eq!(parse(r#""\ud83d\ude00""#).unwrap(), Json::String("😀".into()));
        assert_eq!(parse(r#"{"dup":1,"dup":2}"#).unwrap().get("dup"), Some(&Json::Number("2".into())));
    }

    #[test]
    fn refuses_what_is_not_json() {
        for text in [
            "",
            " ",
            "{",
            "[1,]",
            "{\"a\":1,}",
            "{a:1}",
            "'x'",
            "01",
            "1.",
            ".5",
            "-",
            "1e",
            "+1",
            "tru",
            "nul",
            "\"unterminated",
            "\"bad \\x escape\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\u12\"",
            "[1 2]",
            "{\"a\" 1}",
            "1 2",
            "\"tab\there\"",
            "NaN",
            "Infinity",
            "[\"a\"]]",
        ] {
            assert!(parse(text).is_err(), "{text:?} was accepted");
            assert!(serde_json::from_str::<serde_json::Value>(text).is_err(), "serde_json accepts {text:?}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(parse(&deep).unwrap_err().0.contains("nested too deeply"));
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let too_deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(parse(&too_deep).is_err());
    }

    #[test]
    fn numbers_read_as_whole_numbers() {
        assert_eq!(number("0"), Some(0));
        assert_eq!(number("-0"), Some(0));
        assert_eq!(number("1700000000"), Some(1_700_000_000));
        assert_eq!(number("1.7e9"), Some(1_700_000_000));
        assert_eq!(number("1700000000.999"), Some(1_700_000_000));
        assert_eq!(number("-12.9"), Some(-12));
        assert_eq!(number("5E-1"), Some(0));
        assert_eq!(number("25e-1"), Some(2));
        assert_eq!(number("0.0001e4"), Some(1));
        assert_eq!(number("1e+2"), Some(100));
        assert_eq!(number("0e999999999999999"), Some(0));
        assert_eq!(number("9223372036854775807"), Some(i64::MAX));
        assert_eq!(number("9223372036854775808"), None);
        assert_eq!(number("1e19"), None);
        assert_eq!(number("1e99999999999999999999"), None);
        assert_eq!(number("1e-99999999999999999999"), None);
        assert_eq!(Json::Number("x1".into()).as_i64(), None);
        assert_eq!(parse("\"1\"").unwrap().as_i64(), None);
    }

    #[test]
    fn typed_reads_name_what_is_wrong() {
        let value = parse(r#"{"n":"not a number","s":"text","list":["a",1],"obj":{"k":"v"},"nothing":null}"#).unwrap();
        let f = value.fields("the thing").unwrap();
        assert_eq!(f.required::<i64>("n").unwrap_err().0, "the thing.n: expected a whole number");
        assert_eq!(f.required::<String>("missing").unwrap_err().0, "the thing has no missing");
        assert_eq!(f.required::<String>("nothing").unwrap_err().0, "the thing has no nothing");
        assert_eq!(f.optional::<String>("nothing").unwrap(), None);
        assert_eq!(f.or_default::<Vec<String>>("missing").unwrap(), Vec::<String>::new());
        assert!(f.required::<Vec<String>>("list").is_err());
        assert_eq!(f.required::<BTreeMap<String, String>>("obj").unwrap()["k"], "v");
        assert!(f.required::<bool>("s").is_err());
        assert!(parse("[]").unwrap().fields("an object").is_err());
        assert_eq!(usize::from_json(&parse("-1").unwrap()).unwrap_err().0, "expected a whole number ≥ 0");
    }

    #[test]
    fn pretty_text_parses_back_to_the_same_tree() {
        let text = r#"{"a":[1,{"b":"c\nd\u0001\"e"},[],{}],"z":null,"y":true}"#;
        let value = parse(text).unwrap();
        let pretty = value.to_pretty_string();
        assert_eq!(parse(&pretty).unwrap(), value);
        assert!(pretty.starts_with("{\n  \"a\": [\n    1,\n"), "{pretty}");
        assert!(pretty.contains("\"c\\nd\\u0001\\\"e\""), "{pretty}");
    }
}
