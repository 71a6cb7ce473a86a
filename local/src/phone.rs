//! A phone call played through the real webhooks, signed as Twilio signs them: what the
//! `call` command and the end-to-end tests use.

use anyhow::{bail, Result};
use frontline::twilio::sign;
use quick_xml::escape::unescape;

/// Sends one text to the business through the signed `/twilio/sms` webhook, as Twilio
/// does; returns the HTTP status and the reply texts (`<Message>`s).
pub async fn text(
    http: &reqwest::Client,
    base: &str,
    from: &str,
    to: &str,
    body: &str,
    message_sid: &str,
) -> Result<(u16, Vec<String>)> {
    let params: Vec<(String, String)> = [
        ("AccountSid", ACCOUNT_SID),
        ("MessageSid", message_sid),
        ("SmsMessageSid", message_sid),
        ("From", from),
        ("To", to),
        ("Body", body),
        ("NumMedia", "0"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let (status, xml) = post_signed(http, base, "/twilio/sms", &params).await?;
    Ok((status, parse_twiml(&xml).says))
}

/// Local contract: the Twilio account the stand-in and the signatures use.
pub const ACCOUNT_SID: &str = "AC00000000000000000000000000000000";
pub const AUTH_TOKEN: &str = "local-twilio-auth-token";

/// What one TwiML response asks of the caller.
#[derive(Debug, Clone, Default)]
pub struct Prompt {
    pub says: Vec<String>,
    pub gather_action: Option<String>,
    pub dial: Option<String>,
    pub hangup: bool,
    pub twiml: String,
}

/// Reads `<Say>` texts, the `<Gather action>`, `<Dial>` and `<Hangup>` out of TwiML.
pub fn parse_twiml(xml: &str) -> Prompt {
    let un = |s: &str| {
        unescape(s)
            .map(|c| c.to_string())
            .unwrap_or_else(|_| s.to_string())
    };
    let mut p = Prompt {
        twiml: xml.to_string(),
        ..Default::default()
    };
    let mut rest = xml;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').unwrap_or(rest.len());
        let tag = &rest[..end];
        let name: String = tag.chars().take_while(|c| c.is_alphanumeric()).collect();
        let body_start = (end + 1).min(rest.len());
        let text_until_close = |r: &str| {
            r[body_start..]
                .split('<')
                .next()
                .unwrap_or_default()
                .to_string()
        };
        match name.as_str() {
            "Gather" => {
                if let Some(a) = tag
                    .split("action=\"")
                    .nth(1)
                    .and_then(|v| v.split('"').next())
                {
                    p.gather_action = Some(un(a));
                }
            }
            // Messaging TwiML's `<Message>` reads like a spoken line.
            "Say" | "Message" => p.says.push(un(&text_until_close(rest))),
            "Dial" => p.dial = Some(un(&text_until_close(rest))),
            "Hangup" => p.hangup = true,
            _ => {}
        }
        rest = &rest[body_start..];
    }
    p
}

/// One signed POST of a Twilio webhook; returns the status and body.
pub async fn post_signed(
    http: &reqwest::Client,
    base: &str,
    path: &str,
    params: &[(String, String)],
) -> Result<(u16, String)> {
    let url = format!("{}{}", base.trim_end_matches('/'), path);
    let sig = sign(AUTH_TOKEN, &url, params);
    let resp = http
        .post(&url)
        .header("X-Twilio-Signature", sig)
        .form(params)
        .send()
        .await?;
    Ok((resp.status().as_u16(), resp.text().await?))
}

/// A call in progress.
pub struct Call {
    pub sid: String,
    pub from: String,
    pub to: String,
    pub base: String,
    pub http: reqwest::Client,
    pub last: Prompt,
}

fn common(sid: &str, from: &str, to: &str) -> Vec<(String, String)> {
    vec![
        ("AccountSid".into(), ACCOUNT_SID.into()),
        ("CallSid".into(), sid.into()),
        ("From".into(), from.into()),
        ("To".into(), to.into()),
        ("Direction".into(), "inbound".into()),
        ("ApiVersion".into(), "2010-04-01".into()),
    ]
}

impl Call {
    /// Dials: posts `/twilio/voice` and reads the greeting.
    pub async fn dial(base: &str, from: &str, to: &str) -> Result<Self> {
        let sid = format!("CA{}", uuid::Uuid::new_v4().simple());
        let http = reqwest::Client::new();
        let mut params = common(&sid, from, to);
        params.push(("CallStatus".into(), "ringing".into()));
        // The local phone network vouches for every caller ID, as a carrier does for a
        // call it originates (STIR/SHAKEN attestation A).
        params.push(("StirVerstat".into(), "TN-Validation-Passed-A".into()));
        let (status, body) = post_signed(&http, base, "/twilio/voice", &params).await?;
        if status != 200 {
            bail!("/twilio/voice answered {status}: {body}");
        }
        Ok(Self {
            sid,
            from: from.into(),
            to: to.into(),
            base: base.into(),
            http,
            last: parse_twiml(&body),
        })
    }

    /// The form the next turn would post (for replays in tests).
    pub fn turn_form(&self, speech: &str) -> Vec<(String, String)> {
        let mut params = common(&self.sid, &self.from, &self.to);
        params.push(("CallStatus".into(), "in-progress".into()));
        params.push(("SpeechResult".into(), speech.into()));
        params.push(("Confidence".into(), "0.92".into()));
        params
    }

    /// Says something in answer to the current prompt. Errors if the call is no longer
    /// listening.
    pub async fn say(&mut self, speech: &str) -> Result<Prompt> {
        let Some(action) = self.last.gather_action.clone() else {
            bail!("the call is not listening (it ended or was transferred)")
        };
        let params = self.turn_form(speech);
        let (status, body) = post_signed(&self.http, &self.base, &action, &params).await?;
        if status != 200 {
            bail!("{action} answered {status}: {body}");
        }
        self.last = parse_twiml(&body);
        Ok(self.last.clone())
    }

    /// Presses keys in answer to the current prompt (`Digits`, as Twilio posts a keypad
    /// `<Gather>`).
    pub async fn press(&mut self, digits: &str) -> Result<Prompt> {
        let Some(action) = self.last.gather_action.clone() else {
            bail!("the call is not listening (it ended or was transferred)")
        };
        let mut params = common(&self.sid, &self.from, &self.to);
        params.push(("CallStatus".into(), "in-progress".into()));
        params.push(("Digits".into(), digits.into()));
        let (status, body) = post_signed(&self.http, &self.base, &action, &params).await?;
        if status != 200 {
            bail!("{action} answered {status}: {body}");
        }
        self.last = parse_twiml(&body);
        Ok(self.last.clone())
    }

    pub fn listening(&self) -> bool {
        self.last.gather_action.is_some()
    }

    /// Hangs up: Twilio's final status callback.
    pub async fn hang_up(&self) -> Result<u16> {
        let mut params = common(&self.sid, &self.from, &self.to);
        params.push(("CallStatus".into(), "completed".into()));
        params.push(("CallDuration".into(), "42".into()));
        Ok(
            post_signed(&self.http, &self.base, "/twilio/voice/status", &params)
                .await?
                .0,
        )
    }
}
