//! Which server certificates the reqwest transport trusts when given a PEM bundle: the
//! system's roots and every certificate in the bundle as a CA, as `curl --cacert` does, and
//! also a self-signed server certificate given in the bundle as that server's own (rustls
//! alone refuses it as "a CA used as an end entity"). Its host name and validity period
//! are still checked, and the handshake still proves the server holds its key.

use crate::error::{Error, Result};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use std::sync::Arc;

/// The TLS settings for a server whose certificates may be in `ca_bundle_pem`.
pub(super) fn client_config(ca_bundle_pem: &[u8]) -> Result<rustls::ClientConfig> {
    let given = CertificateDer::pem_slice_iter(ca_bundle_pem)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| {
            Error::invalid("ca_bundle", format!("is not a PEM certificate bundle: {e}"))
        })?;
    if given.is_empty() {
        return Err(Error::invalid("ca_bundle", "holds no PEM certificate"));
    }
    let provider = CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
    let roots = rustls_platform_verifier::Verifier::new_with_extra_roots(
        given.iter().cloned(),
        provider.clone(),
    )
    .map_err(|e| Error::invalid("ca_bundle", format!("cannot be used: {e}")))?;
    let verifier = GivenOrRoots {
        roots,
        given,
        provider: provider.clone(),
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::invalid("ca_bundle", format!("cannot be used: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

#[derive(Debug)]
struct GivenOrRoots {
    roots: rustls_platform_verifier::Verifier,
    given: Vec<CertificateDer<'static>>,
    provider: Arc<CryptoProvider>,
}

impl GivenOrRoots {
    /// `end_entity` is one of the given certificates, byte for byte: trusted as itself
    /// while valid and for `server_name`.
    fn given_self(
        &self,
        end_entity: &CertificateDer<'_>,
        server_name: &ServerName<'_>,
        now: UnixTime,
    ) -> std::result::Result<(), rustls::Error> {
        let invalid = |e: webpki::Error| rustls::Error::InvalidCertificate(certificate_error(e));
        let anchors = [webpki::anchor_from_trusted_cert(end_entity).map_err(invalid)?];
        let cert = webpki::EndEntityCert::try_from(end_entity).map_err(invalid)?;
        let checked = cert.verify_for_usage(
            self.provider.signature_verification_algorithms.all,
            &anchors,
            &[],
            now,
            webpki::KeyUsage::server_auth(),
            None,
            None,
        );
        // webpki checks the validity period before it finds the CA flag.
        if let Err(e) = checked.map(drop) {
            if e != webpki::Error::CaUsedAsEndEntity {
                return Err(invalid(e));
            }
        }
        cert.verify_is_valid_for_subject_name(server_name)
            .map_err(invalid)
    }
}

fn certificate_error(error: webpki::Error) -> CertificateError {
    match error {
        webpki::Error::CertExpired { .. } => CertificateError::Expired,
        webpki::Error::CertNotValidYet { .. } => CertificateError::NotValidYet,
        webpki::Error::CertNotValidForName(_) => CertificateError::NotValidForName,
        other => CertificateError::Other(rustls::OtherError(Arc::new(other))),
    }
}

impl ServerCertVerifier for GivenOrRoots {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let refused = match self.roots.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Ok(verified) => return Ok(verified),
            Err(refused) => refused,
        };
        if !self.given.iter().any(|c| c.as_ref() == end_entity.as_ref()) {
            return Err(refused);
        }
        self.given_self(end_entity, server_name, now)?;
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.roots.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.roots.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.roots.supported_verify_schemes()
    }
}
