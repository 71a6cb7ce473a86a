//! The OAuth 2.0 web-server flow with PKCE: the consent URL the owner opens, and the shapes
//! Google's token endpoint returns.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// What Frontline asks for: write its own events, read free/busy (never event details).
pub const SCOPES: &[&str] = &[
    "https://www.googleapis.com/auth/calendar.events",
    "https://www.googleapis.com/auth/calendar.freebusy",
];

/// The OAuth client registered in Google Cloud, read from Secrets Manager as
/// `{"client_id","client_secret"}`. `Debug` never shows the secret.
#[derive(Clone, Deserialize)]
pub struct OAuthApp {
    pub client_id: String,
    pub client_secret: String,
}

impl std::fmt::Debug for OAuthApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OAuthApp")
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .finish()
    }
}

impl OAuthApp {
    /// The consent URL: `{auth_url}?client_id&redirect_uri&response_type=code&scope&
    /// access_type=offline&prompt=consent&state&code_challenge&code_challenge_method=S256`.
    /// `access_type=offline` with `prompt=consent` makes Google return a refresh token
    /// even when the owner connected before.
    pub fn authorization_url(
        &self,
        auth_url: &str,
        redirect_uri: &str,
        state: &str,
        code_verifier: &str,
    ) -> String {
        let scope = SCOPES.join(" ");
        let challenge = pkce_challenge(code_verifier);
        let query = serde_urlencoded::to_string([
            ("client_id", self.client_id.as_str()),
            ("redirect_uri", redirect_uri),
            ("response_type", "code"),
            ("scope", scope.as_str()),
            ("access_type", "offline"),
            ("prompt", "consent"),
            ("include_granted_scopes", "true"),
            ("state", state),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ])
        .expect("strings encode");
        format!("{auth_url}?{query}")
    }
}

/// RFC 7636 S256: `BASE64URL(SHA256(verifier))` without padding.
pub fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// A token endpoint answer (`grant_type=authorization_code` or `refresh_token`).
/// `refresh_token` comes only with a code exchange; `expires_in` is in seconds.
#[derive(Clone, Deserialize)]
pub struct TokenGrant {
    pub access_token: String,
    #[serde(default = "default_expiry")]
    pub expires_in: u64,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub scope: Option<String>,
}

fn default_expiry() -> u64 {
    3600
}

impl std::fmt::Debug for TokenGrant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenGrant")
            .field("expires_in", &self.expires_in)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b_vector() {
        assert_eq!(
            pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn the_consent_url_asks_for_offline_access_with_pkce() {
        let app = OAuthApp {
            client_id: "cid".into(),
            client_secret: "s".into(),
        };
        let u = app.authorization_url("https://a.example/auth", "https://x/cb", "st8", "v");
        assert!(u.starts_with("https://a.example/auth?client_id=cid&redirect_uri=https%3A%2F%2Fx%2Fcb&response_type=code"));
        assert!(u.contains("access_type=offline"));
        assert!(u.contains("state=st8"));
        assert!(u.contains("code_challenge_method=S256"));
        assert!(u.contains("calendar.freebusy"));
        assert!(format!("{app:?}").contains("***"));
    }
}
