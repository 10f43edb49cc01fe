//! TLS settings: rustls with the `ring` provider, the webpki roots by default, extra roots or a
//! custom verifier when asked. Certificates are always verified; only endpoints that say
//! `http://` / `ws://` go without TLS.

use std::fmt;
use std::sync::Arc;

use rustls::client::danger::ServerCertVerifier;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use rustls::{ClientConfig, RootCertStore};

/// Which certificates a TLS connection trusts. `TlsOptions::default()` trusts the Mozilla roots
/// shipped in `webpki-roots`.
///
/// ```no_run
/// use msync_tokio::TlsOptions;
///
/// // Also trust a lab server's self-signed certificate (`msync devserver --tls --cert-path`):
/// let pem = std::fs::read_to_string("devserver-cert.pem")?;
/// let tls = TlsOptions::default().with_root_pem(&pem)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct TlsOptions {
    webpki_roots: bool,
    extra_roots: Vec<CertificateDer<'static>>,
    verifier: Option<Arc<dyn ServerCertVerifier>>,
    client_config: Option<Arc<ClientConfig>>,
}

impl Default for TlsOptions {
    fn default() -> Self {
        Self {
            webpki_roots: true,
            extra_roots: Vec::new(),
            verifier: None,
            client_config: None,
        }
    }
}

impl fmt::Debug for TlsOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsOptions")
            .field("webpki_roots", &self.webpki_roots)
            .field("extra_roots", &self.extra_roots.len())
            .field("custom_verifier", &self.verifier.is_some())
            .field("custom_client_config", &self.client_config.is_some())
            .finish()
    }
}

/// TLS settings that cannot be used.
#[derive(Debug)]
#[non_exhaustive]
pub enum TlsError {
    /// A PEM text held no certificate, or a certificate that did not parse.
    BadCertificate(String),
    /// rustls refused the configuration.
    Rustls(rustls::Error),
}

impl fmt::Display for TlsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlsError::BadCertificate(why) => write!(f, "bad root certificate: {why}"),
            TlsError::Rustls(error) => write!(f, "TLS configuration: {error}"),
        }
    }
}

impl std::error::Error for TlsError {}

impl TlsOptions {
    /// Trusts only the extra roots (and a custom verifier), not the webpki roots.
    #[must_use]
    pub fn without_webpki_roots(mut self) -> Self {
        self.webpki_roots = false;
        self
    }

    /// Also trusts every certificate in `pem` (e.g. the devserver's
    /// `RunningServer::cert_pem`).
    pub fn with_root_pem(mut self, pem: &str) -> Result<Self, TlsError> {
        let mut found = 0;
        for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
            let cert = cert.map_err(|error| TlsError::BadCertificate(error.to_string()))?;
            self.extra_roots.push(cert);
            found += 1;
        }
        if found == 0 {
            return Err(TlsError::BadCertificate(
                "no certificate in the PEM text".into(),
            ));
        }
        Ok(self)
    }

    /// Also trusts this DER certificate.
    #[must_use]
    pub fn with_root_der(mut self, der: CertificateDer<'static>) -> Self {
        self.extra_roots.push(der);
        self
    }

    /// Verifies server certificates with `verifier` instead of the root stores (certificate
    /// pinning, a private PKI). It decides alone what is trusted.
    #[must_use]
    pub fn with_verifier(mut self, verifier: Arc<dyn ServerCertVerifier>) -> Self {
        self.verifier = Some(verifier);
        self
    }

    /// Uses this rustls configuration as it is (everything above is then ignored).
    #[must_use]
    pub fn with_client_config(mut self, config: Arc<ClientConfig>) -> Self {
        self.client_config = Some(config);
        self
    }

    /// The rustls client configuration these options describe.
    pub fn build(&self) -> Result<Arc<ClientConfig>, TlsError> {
        if let Some(config) = &self.client_config {
            return Ok(config.clone());
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(TlsError::Rustls)?;
        let config = match &self.verifier {
            Some(verifier) => builder
                .dangerous()
                .with_custom_certificate_verifier(verifier.clone())
                .with_no_client_auth(),
            None => builder
                .with_root_certificates(self.root_store()?)
                .with_no_client_auth(),
        };
        Ok(Arc::new(config))
    }

    fn root_store(&self) -> Result<RootCertStore, TlsError> {
        let mut roots = RootCertStore::empty();
        if self.webpki_roots {
            roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        }
        for cert in &self.extra_roots {
            roots.add(cert.clone()).map_err(TlsError::Rustls)?;
        }
        Ok(roots)
    }
}
