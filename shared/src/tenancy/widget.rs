//! Website chat widget keys: the public `wk_…` value a shop pastes into its site in the
//! widget's `<script data-key>`. A key is not a secret (every visitor's browser sees it);
//! what makes it safe is that it is bound to the shop's own origins, checked against the
//! browser's `Origin` header (RFC 6454), and that it authorises only the chat routes.

use serde::{Deserialize, Serialize};

/// How many origins one key may name.
pub const MAX_ORIGINS: usize = 10;

/// Prefix of widget key values.
pub const KEY_PREFIX: &str = "wk_";

/// A tenant's widget key as stored and listed (`GET /v1/owner/widget-keys`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WidgetKey {
    /// `wk_` and 32 lower-case hex digits: the `data-key` of the snippet.
    pub key: String,
    #[serde(skip)]
    #[schemars(skip)]
    pub tenant_id: String,
    /// Origins (`https://host[:port]`, lower-case, no path) whose pages may use the key.
    pub origins: Vec<String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339, when the owner revoked or rotated it; a revoked key opens no chat.
    pub revoked_at: Option<String>,
    /// The key that replaced this one on rotation.
    pub replaced_by: Option<String>,
    /// The snippet to paste into the site, for this key (set when listed).
    #[serde(default)]
    pub snippet: String,
}

impl WidgetKey {
    /// Whether the key may open chats now.
    pub fn active(&self) -> bool {
        self.revoked_at.is_none()
    }

    /// Whether a page at `origin` (the request's `Origin` header) may use the key.
    pub fn allows(&self, origin: &str) -> bool {
        self.active() && normalize_origin(origin).is_ok_and(|o| self.origins.contains(&o))
    }
}

/// `POST /v1/owner/widget-keys`: the origins of the shop's site.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWidgetKey {
    /// 1 to 10 origins, e.g. `https://bristolplumbing.example`.
    pub origins: Vec<String>,
}

/// A new key value: `wk_` and 128 random bits in hex.
pub fn new_key() -> String {
    format!("{KEY_PREFIX}{}", uuid::Uuid::new_v4().simple())
}

/// Whether `v` has the shape of a key value (checked before any read).
pub fn is_key(v: &str) -> bool {
    v.strip_prefix(KEY_PREFIX)
        .is_some_and(|h| h.len() == 32 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Checks and normalises one origin: `https` (or `http` for `localhost` and loopback
/// addresses, for trying the widget on a laptop), a host, an optional port, nothing else.
/// Returns the serialised origin (`https://example.com`, default port dropped).
///
/// Errors: a sentence naming what is wrong, for a 422.
pub fn normalize_origin(raw: &str) -> Result<String, String> {
    let u = url::Url::parse(raw.trim()).map_err(|_| format!("`{raw}` is not an origin"))?;
    let host = u.host_str().unwrap_or_default();
    let loopback = host == "localhost" || host == "127.0.0.1" || host == "[::1]";
    match u.scheme() {
        "https" => {}
        "http" if loopback => {}
        _ => return Err(format!("`{raw}` must start with https://")),
    }
    if host.is_empty()
        || !u.username().is_empty()
        || u.password().is_some()
        || u.query().is_some()
        || u.fragment().is_some()
        || !matches!(u.path(), "" | "/")
    {
        return Err(format!(
            "`{raw}` must be only a scheme, a host and a port, like https://example.com"
        ));
    }
    Ok(u.origin().ascii_serialization())
}

/// Checks and normalises a key's origins (1 to [`MAX_ORIGINS`], duplicates dropped).
///
/// Errors: the first bad origin, or the count, as `origins: …`.
pub fn normalize_origins(raw: &[String]) -> Result<Vec<String>, String> {
    if raw.is_empty() || raw.len() > MAX_ORIGINS {
        return Err(format!("origins: give 1 to {MAX_ORIGINS} origins"));
    }
    let mut out: Vec<String> = Vec::new();
    for o in raw {
        let o = normalize_origin(o).map_err(|e| format!("origins: {e}"))?;
        if !out.contains(&o) {
            out.push(o);
        }
    }
    Ok(out)
}

/// The `<script>` tag to paste for `key`, loading the widget from `widget_url`.
pub fn snippet(widget_url: &str, key: &str) -> String {
    format!(r#"<script src="{widget_url}" data-key="{key}" async></script>"#)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_normalised_and_checked() {
        assert_eq!(
            normalize_origin("HTTPS://Example.COM:443/").unwrap(),
            "https://example.com"
        );
        assert_eq!(
            normalize_origin("https://shop.example:8443").unwrap(),
            "https://shop.example:8443"
        );
        assert_eq!(
            normalize_origin("http://localhost:5173").unwrap(),
            "http://localhost:5173"
        );
        for bad in [
            "http://example.com",
            "https://example.com/page",
            "https://user@example.com",
            "javascript:alert(1)",
            "example.com",
            "https://example.com/?q=1",
            "",
        ] {
            assert!(normalize_origin(bad).is_err(), "{bad}");
        }
        assert!(normalize_origins(&[]).is_err());
        assert_eq!(
            normalize_origins(&["https://a.example".into(), "https://A.example/".into()]).unwrap(),
            vec!["https://a.example"]
        );
    }

    #[test]
    fn a_key_allows_only_its_origins_while_active() {
        let mut k = WidgetKey {
            key: new_key(),
            tenant_id: "t".into(),
            origins: vec!["https://shop.example".into()],
            created_at: "2026-12-07T00:00:00Z".into(),
            revoked_at: None,
            replaced_by: None,
            snippet: String::new(),
        };
        assert!(is_key(&k.key));
        assert!(k.allows("https://shop.example"));
        assert!(!k.allows("https://evil.example"));
        assert!(!k.allows("null"));
        k.revoked_at = Some("2026-12-07T01:00:00Z".into());
        assert!(!k.allows("https://shop.example"));
        assert!(!is_key("wk_<script>"));
    }
}
