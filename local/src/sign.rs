//! `local sign`: a signed copy of a Twilio sample event, for `cargo lambda invoke
//! --data-file`. Twilio signs each webhook with HMAC-SHA1 of the full URL followed by the
//! POST parameters sorted by name, keyed with the account's auth token, Base64-encoded in
//! `X-Twilio-Signature` (<https://www.twilio.com/docs/usage/security#validating-requests>).

use anyhow::{Context, Result};

/// Signs `event` (an API Gateway HTTP API payload 2.0 event whose body is Twilio's form) as
/// Twilio would for a webhook at `base` + the event's path and query, with `auth_token`:
/// the `x-twilio-signature` header is set and the event returned. `base` is the public
/// base URL the function is configured with (`PUBLIC_BASE_URL`), without a trailing slash.
///
/// Errors: the event has no `rawPath` or no form body.
pub fn sign_event(
    mut event: serde_json::Value,
    base: &str,
    auth_token: &str,
) -> Result<serde_json::Value> {
    let path = event["rawPath"]
        .as_str()
        .context("the event has no rawPath")?;
    let query = event["rawQueryString"].as_str().unwrap_or_default();
    let url = match query {
        "" => format!("{base}{path}"),
        q => format!("{base}{path}?{q}"),
    };
    let body = event["body"]
        .as_str()
        .context("the event has no form body")?;
    let body = if event["isBase64Encoded"].as_bool() == Some(true) {
        use base64::Engine as _;
        String::from_utf8(base64::engine::general_purpose::STANDARD.decode(body)?)?
    } else {
        body.to_string()
    };
    let params: Vec<(String, String)> =
        serde_urlencoded::from_str(&body).context("the body is not a form")?;
    let signature = frontline::twilio::signature::sign(auth_token, &url, &params);
    event["headers"]["x-twilio-signature"] = serde_json::Value::String(signature);
    Ok(event)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every Twilio sample event in `events/`, signed, passes the check the functions make.
    #[test]
    fn signed_sample_events_validate() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../events");
        let mut signed = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let raw: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            if !raw["rawPath"]
                .as_str()
                .unwrap_or("")
                .starts_with("/twilio/")
            {
                continue;
            }
            let base = "https://abc123.execute-api.us-east-1.amazonaws.com";
            let ev = sign_event(raw, base, "token-1").unwrap();
            let url = match ev["rawQueryString"].as_str().unwrap_or("") {
                "" => format!("{base}{}", ev["rawPath"].as_str().unwrap()),
                q => format!("{base}{}?{q}", ev["rawPath"].as_str().unwrap()),
            };
            let params: Vec<(String, String)> =
                serde_urlencoded::from_str(ev["body"].as_str().unwrap()).unwrap();
            let sig = ev["headers"]["x-twilio-signature"].as_str().unwrap();
            assert!(frontline::twilio::signature::validate(
                "token-1", &url, &params, sig
            ));
            assert!(!frontline::twilio::signature::validate(
                "other", &url, &params, sig
            ));
            signed += 1;
        }
        assert!(signed >= 2, "{signed} Twilio sample events");
    }
}
