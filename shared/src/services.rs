//! The clients and caches a function builds once at init and reuses across invocations.

use crate::config::Config;
use crate::secrets::SecretsCache;
use crate::store::Store;
use crate::tenancy::TenantDirectory;
use crate::twilio::{TwilioClient, TwilioCredentials};
use aws_config::timeout::TimeoutConfig;
use std::time::Duration;

/// SDK interceptors the local runner adds: the DynamoDB request counter (requests per
/// turn) and the recorder of each function's AWS actions (the IAM test).
#[derive(Debug, Clone, Default)]
pub struct Observers {
    pub counter: crate::store::RequestCounter,
    pub usage: crate::aws_usage::UsageRecorder,
}

pub struct Services {
    pub config: Config,
    /// "Now" for every flow: the system clock, except in the local runner (see `clock`).
    pub clock: crate::clock::Clock,
    pub store: Store,
    pub secrets: SecretsCache,
    pub tenants: TenantDirectory,
    pub sqs: aws_sdk_sqs::Client,
    pub twilio: TwilioClient,
    /// Amazon SES, for owner alerts by email.
    pub email: crate::email::EmailClient,
    /// The extraction assist, when `LLM_BASE_URL` is configured.
    pub assist: Option<crate::assist::AssistClient>,
    /// Google OAuth and Calendar API.
    pub google: crate::google::GoogleClient,
    /// Google access tokens per tenant with their expiry, reused across warm invocations.
    pub google_tokens: crate::google::sync::TokenCache,
}

impl Services {
    /// Builds every client from the environment (`AWS_ENDPOINT_URL` is honoured by the SDK).
    pub async fn from_env() -> Self {
        let config = Config::from_env();
        let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        Self::new(config, &sdk, None)
    }

    /// Builds from a loaded SDK config; `observers` (the local runner's) count DynamoDB
    /// requests and record each function's AWS actions on every client.
    pub fn new(config: Config, sdk: &aws_config::SdkConfig, observers: Option<Observers>) -> Self {
        let timeouts = TimeoutConfig::builder()
            .operation_attempt_timeout(config.ddb_timeout)
            .operation_timeout(config.ddb_timeout * 2)
            .connect_timeout(Duration::from_secs(1))
            .build();
        let mut ddb = aws_sdk_dynamodb::config::Builder::from(sdk).timeout_config(timeouts);
        let mut secrets = aws_sdk_secretsmanager::config::Builder::from(sdk);
        let mut sqs = aws_sdk_sqs::config::Builder::from(sdk);
        let mut ses = aws_sdk_sesv2::config::Builder::from(sdk);
        if let Some(o) = observers {
            ddb = ddb.interceptor(o.counter).interceptor(o.usage.clone());
            secrets = secrets.interceptor(o.usage.clone());
            sqs = sqs.interceptor(o.usage.clone());
            ses = ses.interceptor(o.usage);
        }
        let store = Store::new(
            aws_sdk_dynamodb::Client::from_conf(ddb.build()),
            &config.table_name,
        );
        Self {
            secrets: SecretsCache::new(aws_sdk_secretsmanager::Client::from_conf(secrets.build())),
            sqs: aws_sdk_sqs::Client::from_conf(sqs.build()),
            email: crate::email::EmailClient::new(aws_sdk_sesv2::Client::from_conf(ses.build())),
            twilio: TwilioClient::new(&config.twilio_api_base, Duration::from_secs(5)),
            tenants: TenantDirectory::new(),
            google: crate::google::GoogleClient::new(
                config.google.clone(),
                Duration::from_secs(10),
            ),
            google_tokens: Default::default(),
            assist: config
                .llm_base_url
                .as_deref()
                .map(|base| crate::assist::AssistClient::new(base, &config.llm_model)),
            store,
            config,
            clock: crate::clock::Clock::system(),
        }
    }

    /// The same services reading `clock` as "now" (the local runner's shifted clock).
    pub fn with_clock(mut self, clock: crate::clock::Clock) -> Self {
        self.clock = clock;
        self
    }

    /// What a call-path function does at init, so a provisioned (pre-warmed) instance's
    /// first caller pays for neither: reads the Twilio secret into the cache, and opens
    /// the DynamoDB connection (TLS handshake, credentials) with one GetItem of a key that
    /// does not exist. Failures are logged and left to the first turn to retry.
    pub async fn prewarm(&self) {
        if let Err(e) = self.twilio_credentials().await {
            tracing::warn!(error = %e, "prewarm: the Twilio secret could not be read");
        }
        if let Err(e) = self.store.touch().await {
            tracing::warn!(error = %e, "prewarm: DynamoDB did not answer");
        }
    }

    /// Twilio account credentials (cached).
    pub async fn twilio_credentials(
        &self,
    ) -> Result<TwilioCredentials, crate::secrets::SecretError> {
        self.secrets.get_json(&self.config.twilio_secret_id).await
    }
}
