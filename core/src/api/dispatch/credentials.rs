//! Credentials, and their argument form.

use super::{creator, not_routed, page, CLUSTER};
use crate::api::args::Args;
use crate::api::{Api, Operation, Request};
use crate::error::{Error, Result};
use crate::model::{Credential, CredentialData};
use serde_json::Value;

pub(super) fn credentials(api: &Api, operation: Operation, a: &Args<'_>) -> Result<Request> {
    use Operation::*;
    match operation {
        ListCredentials => {
            a.only(&[CLUSTER, "devops", "page", "limit"])?;
            api.list_credentials(a.str("devops")?, page(a)?)
        }
        GetCredential | DeleteCredential => {
            a.only(&[CLUSTER, "devops", "credential"])?;
            let (devops, name) = (a.str("devops")?, a.str("credential")?);
            if operation == GetCredential {
                api.get_credential(devops, name)
            } else {
                api.delete_credential(devops, name)
            }
        }
        CreateCredential => {
            a.only(&[CLUSTER, "devops", "credential", "creator", "token"])?;
            let creator = creator(a)?;
            api.create_credential(a.str("devops")?, &credential(a)?, creator.as_deref())
        }
        UpdateCredential => {
            a.only(&[CLUSTER, "devops", "credential"])?;
            api.update_credential(a.str("devops")?, &credential(a)?)
        }
        _ => Err(not_routed(operation)),
    }
}

/// A credential from its argument form, the vector format's `credential` argument:
/// `{name, kind, description?, …the kind's keys}` with `kind` one of basic-auth (`username`,
/// `password`), ssh-auth (`username`, `private_key`, `passphrase?`), secret-text (`secret`),
/// kubeconfig (`content`). Errors name the field (`credential.password`), never a value.
pub fn credential_from_args(credential_args: &Value) -> Result<Credential> {
    let wrapped = serde_json::json!({ "credential": credential_args });
    credential(&Args::new(&wrapped)?)
}

fn credential(args: &Args<'_>) -> Result<Credential> {
    let c = args.object("credential")?;
    let kind = c.str("kind")?;
    let data = match kind {
        "basic-auth" => {
            c.only(&["name", "kind", "description", "username", "password"])?;
            CredentialData::BasicAuth {
                username: c.str("username")?.to_owned(),
                password: c.secret("password")?,
            }
        }
        "ssh-auth" => {
            c.only(&[
                "name",
                "kind",
                "description",
                "username",
                "private_key",
                "passphrase",
            ])?;
            CredentialData::SshAuth {
                username: c.str("username")?.to_owned(),
                private_key: c.secret("private_key")?,
                passphrase: c.opt_secret("passphrase")?,
            }
        }
        "secret-text" => {
            c.only(&["name", "kind", "description", "secret"])?;
            CredentialData::SecretText {
                secret: c.secret("secret")?,
            }
        }
        "kubeconfig" => {
            c.only(&["name", "kind", "description", "content"])?;
            CredentialData::Kubeconfig {
                content: c.secret("content")?,
            }
        }
        other => {
            return Err(Error::invalid(
                c.field("kind"),
                format!(
                    "{other:?} is not a credential kind; expected basic-auth, ssh-auth, \
                     secret-text or kubeconfig"
                ),
            ))
        }
    };
    Ok(Credential {
        name: c.str("name")?.to_owned(),
        description: c.opt_str("description")?.map(str::to_owned),
        data,
    })
}
