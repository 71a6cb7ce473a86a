//! Email through Amazon SES (API v2 `SendEmail`, simple content, UTF-8 text body):
//! the last-resort channel for owner alerts. See the SES API reference, "SendEmail".

use aws_sdk_sesv2::error::{DisplayErrorContext, SdkError};
use aws_sdk_sesv2::operation::send_email::SendEmailError;
use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};

/// Why an email was not sent.
#[derive(Debug, thiserror::Error)]
pub enum EmailError {
    /// Throttling, a sending-quota pause or a network/5xx failure: worth retrying later.
    #[error("email transiently refused: {0}")]
    Transient(String),
    /// Rejected for good (unverified sender, malformed address, suspended account).
    #[error("email rejected: {0}")]
    Permanent(String),
}

/// A thin SES sender.
#[derive(Clone)]
pub struct EmailClient {
    ses: aws_sdk_sesv2::Client,
}

impl EmailClient {
    pub fn new(ses: aws_sdk_sesv2::Client) -> Self {
        Self { ses }
    }

    /// Sends a plain-text email from `from` (an SES-verified identity) to `to`; returns
    /// SES's message id.
    pub async fn send(
        &self,
        from: &str,
        to: &str,
        subject: &str,
        text: &str,
    ) -> Result<String, EmailError> {
        let content = |data: &str| {
            Content::builder()
                .data(data)
                .charset("UTF-8")
                .build()
                .map_err(|e| EmailError::Permanent(e.to_string()))
        };
        let message = Message::builder()
            .subject(content(subject)?)
            .body(Body::builder().text(content(text)?).build())
            .build();
        let out = self
            .ses
            .send_email()
            .from_email_address(from)
            .destination(Destination::builder().to_addresses(to).build())
            .content(EmailContent::builder().simple(message).build())
            .send()
            .await
            .map_err(classify)?;
        Ok(out.message_id().unwrap_or_default().to_string())
    }
}

fn classify(err: SdkError<SendEmailError>) -> EmailError {
    let text = DisplayErrorContext(&err).to_string();
    match &err {
        SdkError::ServiceError(e) => match e.err() {
            SendEmailError::TooManyRequestsException(_)
            | SendEmailError::LimitExceededException(_)
            | SendEmailError::SendingPausedException(_) => EmailError::Transient(text),
            _ if e.raw().status().is_server_error() => EmailError::Transient(text),
            _ => EmailError::Permanent(text),
        },
        _ => EmailError::Transient(text),
    }
}
