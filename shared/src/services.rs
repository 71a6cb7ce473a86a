//! The clients and caches a function builds once at init and reuses across invocations.

use crate::config::Config;
use crate::secrets::SecretsCache;
use crate::store::Store;
use crate::tenancy::TenantDirectory;
use crate::twilio::{TwilioClient, TwilioCredentials};
use aws_config::timeout::TimeoutConfig;
use std::time::Duration;

pub struct Services {
    pub config: Config,
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

    /// Builds from a loaded SDK config; `interceptor` (e.g. a request counter) is added to
    /// the DynamoDB client.
    pub fn new(
        config: Config,
        sdk: &aws_config::SdkConfig,
        interceptor: Option<crate::store::RequestCounter>,
    ) -> Self {
        let timeouts = TimeoutConfig::builder()
            .operation_attempt_timeout(config.ddb_timeout)
            .operation_timeout(config.ddb_timeout * 2)
            .connect_timeout(Duration::from_secs(1))
            .build();
        let mut ddb = aws_sdk_dynamodb::config::Builder::from(sdk).timeout_config(timeouts);
        if let Some(i) = interceptor {
            ddb = ddb.interceptor(i);
        }
        let store = Store::new(
            aws_sdk_dynamodb::Client::from_conf(ddb.build()),
            &config.table_name,
        );
        Self {
            secrets: SecretsCache::new(aws_sdk_secretsmanager::Client::new(sdk)),
            sqs: aws_sdk_sqs::Client::new(sdk),
            email: crate::email::EmailClient::new(aws_sdk_sesv2::Client::new(sdk)),
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
        }
    }

    /// Twilio account credentials (cached).
    pub async fn twilio_credentials(
        &self,
    ) -> Result<TwilioCredentials, crate::secrets::SecretError> {
        self.secrets.get_json(&self.config.twilio_secret_id).await
    }
}
