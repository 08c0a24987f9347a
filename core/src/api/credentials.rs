//! v1alpha3 DevOps credentials: Kubernetes Secrets of the four `credential.devops.kubesphere.io` types.

use super::creator::annotate_creator;
use super::encode::encode_segment;
use super::mask::SecretField;
use super::request::{Method, Request, JSON};
use super::scope::{Api, V1ALPHA3};
use super::{validate, Page};
use crate::error::Result;
use crate::model::Credential;
use serde_json::Value;

/// The core/v1 Secret the server expects (values in `stringData`), in namespace `devops`.
fn secret_body(devops: &str, credential: &Credential) -> Result<Value> {
    validate::dns_subdomain("credential.name", &credential.name)?;
    let mut secret = credential.to_secret_json()?;
    secret["metadata"]["namespace"] = Value::from(devops);
    Ok(secret)
}

impl Api {
    fn credentials(&self, devops: &str) -> Result<String> {
        validate::dns_label("devops", devops)?;
        Ok(format!("{}/credentials", self.project(V1ALPHA3, devops)))
    }

    fn credential_path(&self, devops: &str, credential: &str) -> Result<String> {
        let base = self.credentials(devops)?;
        validate::dns_subdomain("credential", credential)?;
        Ok(format!("{base}/{}", encode_segment(credential)))
    }

    pub fn list_credentials(&self, devops: &str, page: Page) -> Result<Request> {
        page.apply(Request::new(Method::Get, self.credentials(devops)?).accept(JSON))
    }

    pub fn get_credential(&self, devops: &str, credential: &str) -> Result<Request> {
        Ok(Request::new(Method::Get, self.credential_path(devops, credential)?).accept(JSON))
    }

    /// Creates `credential` in `devops`, with the `kubesphere.io/creator` annotation set to
    /// `creator` when given.
    pub fn create_credential(
        &self,
        devops: &str,
        credential: &Credential,
        creator: Option<&str>,
    ) -> Result<Request> {
        let path = self.credentials(devops)?;
        let mut body = secret_body(devops, credential)?;
        if let Some(object) = body.as_object_mut() {
            annotate_creator(object, creator)?;
        }
        Ok(Request::new(Method::Post, path)
            .accept(JSON)
            .json_body(body)
            .secret(SecretField::JsonObjectValues("/stringData")))
    }

    /// Replaces a credential. The server stores what it receives, so every secret field must
    /// be given again (a read returns them masked as `""`).
    pub fn update_credential(&self, devops: &str, credential: &Credential) -> Result<Request> {
        let path = self.credential_path(devops, &credential.name)?;
        Ok(Request::new(Method::Put, path)
            .accept(JSON)
            .json_body(secret_body(devops, credential)?)
            .secret(SecretField::JsonObjectValues("/stringData")))
    }

    pub fn delete_credential(&self, devops: &str, credential: &str) -> Result<Request> {
        Ok(Request::new(Method::Delete, self.credential_path(devops, credential)?).accept(JSON))
    }
}
