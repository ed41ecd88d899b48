//! The TLS trust the transports share (feature `rustls`): rustls with the
//! ring crypto provider and the platform's verifier (the OS store; on Linux
//! and other Unix systems the files named by `SSL_CERT_FILE`/`SSL_CERT_DIR`,
//! else the usual locations), plus the CA certificates added with
//! [`ClientBuilder::add_root_certificate`](crate::ClientBuilder::add_root_certificate)
//! and, with the feature `webpki-roots`, the bundled Mozilla roots.

use std::sync::Arc;

use rustls::crypto::CryptoProvider;
use rustls_pki_types::CertificateDer;

use crate::error::Error;
use crate::transport::TransportOptions;

pub use rustls;

/// The crypto provider: the process default if the application installed
/// one, else ring.
#[must_use]
pub fn crypto_provider() -> Arc<CryptoProvider> {
    CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()))
}

/// The roots trusted besides the platform's: the added CA certificates and,
/// with the feature `webpki-roots`, the bundled Mozilla roots.
#[must_use]
pub fn extra_roots(options: &TransportOptions) -> Vec<CertificateDer<'static>> {
    #[allow(unused_mut)]
    let mut roots = options.root_certificates_der();
    #[cfg(feature = "webpki-roots")]
    roots.extend(webpki_root_certs::TLS_SERVER_ROOT_CERTS.iter().cloned());
    roots
}

/// A rustls client configuration verifying servers with the platform's
/// verifier and the [`extra_roots`], offering `alpn` protocols.
pub fn client_config(options: &TransportOptions, alpn: &[&[u8]]) -> Result<rustls::ClientConfig, Error> {
    let provider = crypto_provider();
    let extra = extra_roots(options);
    let failed = |e: rustls::Error| Error::Configuration(format!("could not set up TLS: {e}"));
    let verifier = if extra.is_empty() {
        rustls_platform_verifier::Verifier::new(Arc::clone(&provider)).map_err(failed)?
    } else {
        with_extra_roots(extra, Arc::clone(&provider)).map_err(failed)?
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(failed)?
        .dangerous() // Not dangerous: the platform's verifier verifies.
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Ok(config)
}

#[cfg(any(all(unix, not(target_os = "android")), windows))]
fn with_extra_roots(
    extra: Vec<CertificateDer<'static>>,
    provider: Arc<CryptoProvider>,
) -> Result<rustls_platform_verifier::Verifier, rustls::Error> {
    rustls_platform_verifier::Verifier::new_with_extra_roots(extra, provider)
}

#[cfg(not(any(all(unix, not(target_os = "android")), windows)))]
fn with_extra_roots(
    _extra: Vec<CertificateDer<'static>>,
    _provider: Arc<CryptoProvider>,
) -> Result<rustls_platform_verifier::Verifier, rustls::Error> {
    Err(rustls::Error::General(
        "added root certificates are not supported on this platform".into(),
    ))
}

/// For a transport that takes a root store but not a verifier: `None` when
/// there are no [`extra_roots`] (use the platform's verifier as it is), else
/// the platform's certificates (as the platform verifier loads them on
/// Linux) with the extra roots.
#[must_use]
pub fn root_store(options: &TransportOptions) -> Option<Vec<CertificateDer<'static>>> {
    let mut roots = extra_roots(options);
    if roots.is_empty() {
        return None;
    }
    roots.extend(rustls_native_certs::load_native_certs().certs);
    Some(roots)
}

/// Whether `error`, or an error in its source chain, is a rustls refusal of
/// the server's certificate (unknown issuer, expired, wrong name, ...).
#[must_use]
pub fn is_certificate_error(error: &(dyn std::error::Error + 'static)) -> bool {
    matches!(
        crate::transport::find_source::<rustls::Error>(error),
        Some(
            rustls::Error::InvalidCertificate(_)
                | rustls::Error::NoCertificatesPresented
                | rustls::Error::UnsupportedNameType
        )
    )
}
