//! DevOps credentials: Kubernetes Secrets of type `credential.devops.kubesphere.io/<kind>`
//! (reference §7). Secret values live in [`Secret`], so Debug output never shows them.

use super::annotations;
use super::meta::ObjectMeta;
use crate::{Error, Secret};
use base64::Engine;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::fmt;

/// The four credential kinds ks-devops lists and syncs to Jenkins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CredentialKind {
    BasicAuth,
    SshAuth,
    SecretText,
    Kubeconfig,
}

impl CredentialKind {
    pub const ALL: [CredentialKind; 4] = [
        CredentialKind::BasicAuth,
        CredentialKind::SshAuth,
        CredentialKind::SecretText,
        CredentialKind::Kubeconfig,
    ];

    /// `basic-auth`, `ssh-auth`, `secret-text` or `kubeconfig`.
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialKind::BasicAuth => "basic-auth",
            CredentialKind::SshAuth => "ssh-auth",
            CredentialKind::SecretText => "secret-text",
            CredentialKind::Kubeconfig => "kubeconfig",
        }
    }

    /// The Secret `type`, e.g. `credential.devops.kubesphere.io/basic-auth`.
    pub fn secret_type(self) -> String {
        format!("{}{}", annotations::CREDENTIAL_TYPE_PREFIX, self.as_str())
    }

    /// The kind of a Secret `type`; `None` for Secrets that are not DevOps credentials.
    pub fn from_secret_type(secret_type: &str) -> Option<Self> {
        let kind = secret_type.strip_prefix(annotations::CREDENTIAL_TYPE_PREFIX)?;
        CredentialKind::ALL.into_iter().find(|k| k.as_str() == kind)
    }

    /// Data keys of this kind's Secret.
    pub fn data_keys(self) -> &'static [&'static str] {
        match self {
            CredentialKind::BasicAuth => &["username", "password"],
            CredentialKind::SshAuth => &["username", "passphrase", "private_key"],
            CredentialKind::SecretText => &["secret"],
            CredentialKind::Kubeconfig => &["content"],
        }
    }

    /// Keys whose values the server blanks out when it returns the Secret.
    pub fn masked_keys(self) -> &'static [&'static str] {
        match self {
            CredentialKind::BasicAuth => &["password"],
            CredentialKind::SshAuth => &["passphrase", "private_key"],
            CredentialKind::SecretText => &["secret"],
            CredentialKind::Kubeconfig => &["content"],
        }
    }
}

impl fmt::Display for CredentialKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for CredentialKind {
    type Err = Error;
    fn from_str(text: &str) -> Result<Self, Error> {
        CredentialKind::ALL
            .into_iter()
            .find(|k| k.as_str() == text)
            .ok_or_else(|| {
                Error::invalid(
                    "kind",
                    format!(
                        "`{text}` is not a credential kind (basic-auth, ssh-auth, secret-text, kubeconfig)"
                    ),
                )
            })
    }
}

/// What a credential holds, by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialData {
    BasicAuth {
        username: String,
        password: Secret,
    },
    SshAuth {
        username: String,
        private_key: Secret,
        passphrase: Option<Secret>,
    },
    SecretText {
        secret: Secret,
    },
    Kubeconfig {
        content: Secret,
    },
}

impl CredentialData {
    pub fn kind(&self) -> CredentialKind {
        match self {
            CredentialData::BasicAuth { .. } => CredentialKind::BasicAuth,
            CredentialData::SshAuth { .. } => CredentialKind::SshAuth,
            CredentialData::SecretText { .. } => CredentialKind::SecretText,
            CredentialData::Kubeconfig { .. } => CredentialKind::Kubeconfig,
        }
    }

    /// `(key, value)` pairs of the Secret's `stringData`, in the kind's key order.
    fn string_data(&self) -> Vec<(&'static str, &str)> {
        match self {
            CredentialData::BasicAuth { username, password } => {
                vec![
                    ("username", username.as_str()),
                    ("password", password.expose()),
                ]
            }
            CredentialData::SshAuth {
                username,
                private_key,
                passphrase,
            } => {
                let mut pairs = vec![("username", username.as_str())];
                if let Some(passphrase) = passphrase {
                    pairs.push(("passphrase", passphrase.expose()));
                }
                pairs.push(("private_key", private_key.expose()));
                pairs
            }
            CredentialData::SecretText { secret } => vec![("secret", secret.expose())],
            CredentialData::Kubeconfig { content } => vec![("content", content.expose())],
        }
    }
}

/// A credential to create or update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub name: String,
    pub description: Option<String>,
    pub data: CredentialData,
}

impl Credential {
    pub fn new(name: impl Into<String>, data: CredentialData) -> Self {
        Credential {
            name: name.into(),
            description: None,
            data,
        }
    }

    pub fn basic_auth(
        name: impl Into<String>,
        username: impl Into<String>,
        password: impl Into<Secret>,
    ) -> Self {
        let data = CredentialData::BasicAuth {
            username: username.into(),
            password: password.into(),
        };
        Credential::new(name, data)
    }

    pub fn ssh_auth(
        name: impl Into<String>,
        username: impl Into<String>,
        private_key: impl Into<Secret>,
        passphrase: Option<Secret>,
    ) -> Self {
        let data = CredentialData::SshAuth {
            username: username.into(),
            private_key: private_key.into(),
            passphrase,
        };
        Credential::new(name, data)
    }

    pub fn secret_text(name: impl Into<String>, secret: impl Into<Secret>) -> Self {
        let data = CredentialData::SecretText {
            secret: secret.into(),
        };
        Credential::new(name, data)
    }

    pub fn kubeconfig(name: impl Into<String>, content: impl Into<Secret>) -> Self {
        let data = CredentialData::Kubeconfig {
            content: content.into(),
        };
        Credential::new(name, data)
    }

    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    pub fn kind(&self) -> CredentialKind {
        self.data.kind()
    }

    /// Checks that the name and every required value are non-empty. Errors name the field,
    /// never a secret value.
    pub fn validate(&self) -> Result<(), Error> {
        if self.name.trim().is_empty() {
            return Err(Error::invalid("name", "a credential needs a name"));
        }
        for (key, value) in self.data.string_data() {
            if value.is_empty() && key != "passphrase" {
                return Err(Error::invalid(
                    key,
                    format!("must not be empty for a {} credential", self.kind()),
                ));
            }
        }
        Ok(())
    }

    /// The core/v1 Secret to POST or PUT: the credential `type`, values in `stringData`, the
    /// kind in the `credential.devops.kubesphere.io/type` annotation and the description in
    /// `kubesphere.io/description`.
    pub fn to_secret_json(&self) -> Result<Value, Error> {
        self.validate()?;
        let mut metadata = Map::new();
        metadata.insert("name".into(), Value::from(self.name.as_str()));
        let mut notes = Map::new();
        notes.insert(
            annotations::CREDENTIAL_TYPE.into(),
            Value::from(self.kind().as_str()),
        );
        if let Some(description) = &self.description {
            notes.insert(
                annotations::DESCRIPTION.into(),
                Value::from(description.as_str()),
            );
        }
        metadata.insert("annotations".into(), Value::Object(notes));
        let string_data: Map<String, Value> = self
            .data
            .string_data()
            .into_iter()
            .map(|(key, value)| (key.to_owned(), Value::from(value)))
            .collect();
        Ok(json!({
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": metadata,
            "type": self.kind().secret_type(),
            "stringData": string_data,
        }))
    }
}

/// A credential Secret as the server returns it: secret values are blanked (`""`) by the
/// v1alpha3 API, but a Secret read elsewhere may carry them, so every value is a [`Secret`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialSecret {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(rename = "type", default)]
    pub secret_type: String,
    /// Base64 values, as Kubernetes stores them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub data: BTreeMap<String, Secret>,
    /// Plain values (only in bodies written by clients, e.g. the sample `secret.yaml`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub string_data: BTreeMap<String, Secret>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl CredentialSecret {
    pub fn name(&self) -> Option<&str> {
        self.metadata.name()
    }

    /// `None` when the Secret is not one of the four DevOps credential kinds.
    pub fn credential_kind(&self) -> Option<CredentialKind> {
        CredentialKind::from_secret_type(&self.secret_type)
    }

    /// The keys present in `data` and `stringData`, sorted, without duplicates.
    pub fn keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self
            .data
            .keys()
            .chain(self.string_data.keys())
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    /// Whether `key` is missing or was blanked by the server.
    pub fn is_blank(&self, key: &str) -> bool {
        let data = self.data.get(key).is_none_or(Secret::is_empty);
        let string_data = self.string_data.get(key).is_none_or(Secret::is_empty);
        data && string_data
    }

    /// The user name of a basic-auth or ssh-auth credential (not a secret; never masked).
    pub fn username(&self) -> Result<Option<String>, Error> {
        if let Some(plain) = self.string_data.get("username") {
            return Ok(Some(plain.expose().to_owned()));
        }
        let Some(encoded) = self.data.get("username") else {
            return Ok(None);
        };
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded.expose())
            .map_err(|e| {
                Error::new(
                    crate::ErrorKind::Decode,
                    format!("data.username: not base64: {e}"),
                )
                .with_field("data.username")
            })?;
        String::from_utf8(bytes).map(Some).map_err(|_| {
            Error::new(crate::ErrorKind::Decode, "data.username: not UTF-8")
                .with_field("data.username")
        })
    }

    /// `kubesphere.io/description`.
    pub fn description(&self) -> Option<&str> {
        self.metadata.annotation(annotations::DESCRIPTION)
    }

    /// `credential.devops.kubesphere.io/syncstatus`: `pending`, then `successful` once in Jenkins.
    pub fn sync_status(&self) -> Option<&str> {
        self.metadata
            .annotation(annotations::CREDENTIAL_SYNC_STATUS)
    }
}
