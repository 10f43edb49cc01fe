//! Pinning: the server must present one known certificate, or any certificate carrying one
//! known public key, and prove that it holds the key (TLS 1.3 CertificateVerify, RFC 8446
//! §4.4.3). Host names and dates are not checked: the pin is the trust.

use digest::Digest;
use embedded_tls::{
    CertificateEntryRef, CertificateRef, CertificateVerifyRef, SignatureScheme, TlsCipherSuite,
    TlsError, TlsVerifier,
};
use p256::ecdsa::signature::Verifier as _;
use p256::ecdsa::{Signature, VerifyingKey};

use super::der;

/// What is pinned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pin<'a> {
    /// The end-entity certificate, DER.
    Certificate(&'a [u8]),
    /// Its `SubjectPublicKeyInfo`, DER.
    PublicKey(&'a [u8]),
}

impl<'a> Pin<'a> {
    /// The pinned P-256 point.
    fn point(&self) -> Option<&'a [u8]> {
        match *self {
            Pin::Certificate(certificate) => {
                der::p256_point(der::subject_public_key_info(certificate)?)
            }
            Pin::PublicKey(spki) => der::p256_point(spki),
        }
    }

    /// Whether the server's end-entity certificate matches the pin.
    fn matches(&self, leaf: &[u8]) -> bool {
        match *self {
            Pin::Certificate(certificate) => leaf == certificate,
            Pin::PublicKey(spki) => der::subject_public_key_info(leaf) == Some(spki),
        }
    }
}

/// The bytes a TLS 1.3 server signs in CertificateVerify: 64 spaces, the context string, a
/// zero byte, then the transcript hash.
const CONTEXT: &[u8] = b"TLS 1.3, server CertificateVerify\x00";
const PADDING: [u8; 64] = [0x20; 64];

/// A [`TlsVerifier`] that accepts only the pinned certificate or key.
pub(crate) struct PinVerifier<'a, CipherSuite: TlsCipherSuite> {
    pin: Pin<'a>,
    /// The transcript up to the server's certificate, kept once the certificate matched.
    transcript: Option<CipherSuite::Hash>,
}

impl<'a, CipherSuite: TlsCipherSuite> PinVerifier<'a, CipherSuite> {
    pub(crate) fn new(pin: Pin<'a>) -> Self {
        Self {
            pin,
            transcript: None,
        }
    }
}

impl<CipherSuite: TlsCipherSuite> TlsVerifier<CipherSuite> for PinVerifier<'_, CipherSuite> {
    fn set_hostname_verification(&mut self, _hostname: &str) -> Result<(), TlsError> {
        Ok(())
    }

    fn verify_certificate(
        &mut self,
        transcript: &CipherSuite::Hash,
        cert: CertificateRef<'_>,
    ) -> Result<(), TlsError> {
        let Some(CertificateEntryRef::X509(leaf)) = cert.entries.first() else {
            return Err(TlsError::InvalidCertificate);
        };
        if !self.pin.matches(leaf) {
            return Err(TlsError::InvalidCertificate);
        }
        self.transcript = Some(transcript.clone());
        Ok(())
    }

    fn verify_signature(&mut self, verify: CertificateVerifyRef<'_>) -> Result<(), TlsError> {
        let transcript = self.transcript.take().ok_or(TlsError::InvalidCertificate)?;
        if verify.signature_scheme != SignatureScheme::EcdsaSecp256r1Sha256 {
            return Err(TlsError::InvalidSignatureScheme);
        }
        let point = self.pin.point().ok_or(TlsError::InvalidCertificate)?;
        let key = VerifyingKey::from_sec1_bytes(point).map_err(|_| TlsError::InvalidCertificate)?;
        let signature =
            Signature::from_der(verify.signature).map_err(|_| TlsError::InvalidSignature)?;
        let hash = transcript.finalize();
        // The signed message is hashed by the verifier; feed it in pieces.
        let mut message = heapless::Vec::<u8, 160>::new();
        message
            .extend_from_slice(&PADDING)
            .and_then(|_| message.extend_from_slice(CONTEXT))
            .and_then(|_| message.extend_from_slice(&hash))
            .map_err(|_| TlsError::EncodeError)?;
        key.verify(&message, &signature)
            .map_err(|_| TlsError::InvalidSignature)
    }
}
