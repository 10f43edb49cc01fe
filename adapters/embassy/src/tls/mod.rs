//! TLS 1.3 through embedded-tls: what the application chooses ([`TlsOptions`], [`Verify`]) and
//! the handshake the link runs.
//!
//! embedded-tls speaks TLS 1.3 only, with `TLS_AES_128_GCM_SHA256`, key exchange on P-256 and,
//! without allocation, ECDSA signatures (P-256; P-384 and Ed25519 with its features, not
//! enabled here). A server with an RSA certificate cannot be verified without an allocator:
//! against one, [`Verify::Insecure`] is the only choice, and it is not a safe one.

mod der;
mod pin;
mod rng;

use embedded_io_async::{Read, Write};
use embedded_tls::pki::CertVerifier;
use embedded_tls::{
    Aes128GcmSha256, Certificate, CryptoProvider, CryptoRngCore, NoClock, TlsConfig, TlsConnection,
    TlsContext, TlsError, TlsVerifier,
};

use pin::{Pin, PinVerifier};
use rng::Rng06;

/// The TLS cipher suite of every connection.
pub(crate) type Suite = Aes128GcmSha256;

/// The server's certificate chain is copied for the signature check in CA mode: this many
/// bytes at most (a leaf and an intermediate).
pub const MAX_CHAIN_LEN: usize = 4096;

/// How the server is authenticated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verify<'a> {
    /// Verify the server's chain up to this CA certificate (DER), its signatures, and the
    /// host name against the certificate's names (DNS names only, not IP addresses).
    /// `server_name` replaces the connected host for that check and for SNI, e.g. when the
    /// device connects by IP address to a server whose certificate names a host. Validity
    /// dates are not checked (a device may not know the date).
    Ca {
        /// The trust anchor, DER.
        certificate: &'a [u8],
        /// The name to expect instead of the host connected to.
        server_name: Option<&'a str>,
    },
    /// Accept exactly this end-entity certificate (DER) and nothing else; the server must
    /// prove it holds its key. Names and dates are not checked. Re-pin when it is renewed.
    PinCertificate(&'a [u8]),
    /// Accept any end-entity certificate whose `SubjectPublicKeyInfo` is this one (DER, a
    /// P-256 key); the server must prove it holds the key. Survives renewals that keep the key.
    PinPublicKey(&'a [u8]),
    /// No authentication at all: anyone on the path can read and change the traffic. For lab
    /// networks only.
    Insecure,
}

/// TLS settings: how to verify the server, and randomness for the handshake (a `rand_core`
/// 0.9 cryptographic RNG, e.g. the chip's TRNG or a CSPRNG seeded from it).
#[derive(Debug)]
pub struct TlsOptions<'a, R> {
    /// How the server is authenticated.
    pub verify: Verify<'a>,
    /// Randomness for key exchange.
    pub rng: R,
}

impl<'a, R: rand_core::CryptoRng> TlsOptions<'a, R> {
    /// Options with `verify` and `rng`.
    pub fn new(verify: Verify<'a>, rng: R) -> Self {
        Self { verify, rng }
    }
}

/// The RNG of a client without TLS: it cannot be made, so no handshake can run with it.
#[derive(Debug)]
pub enum NoTls {}

impl rand_core::RngCore for NoTls {
    fn next_u32(&mut self) -> u32 {
        match *self {}
    }

    fn next_u64(&mut self) -> u64 {
        match *self {}
    }

    fn fill_bytes(&mut self, _dest: &mut [u8]) {
        match *self {}
    }
}

impl rand_core::CryptoRng for NoTls {}

/// One of the verifiers, chosen by [`Verify`].
// One lives in the handshake's future, for the handshake; there is no heap to box it into.
#[allow(clippy::large_enum_variant)]
enum Verifier<'a> {
    Ca(CaVerifier<'a>),
    Pin(PinVerifier<'a, Suite>),
}

/// embedded-tls's chain verifier, guarded: it unwraps the certificate it kept when asked to
/// check a signature, so a server that sends CertificateVerify without a Certificate would
/// make it panic. Here that is a failed handshake.
struct CaVerifier<'a> {
    inner: CertVerifier<'a, Suite, NoClock, MAX_CHAIN_LEN>,
    certified: bool,
}

impl TlsVerifier<Suite> for Verifier<'_> {
    fn set_hostname_verification(&mut self, hostname: &str) -> Result<(), TlsError> {
        match self {
            Verifier::Ca(v) => v.inner.set_hostname_verification(hostname),
            Verifier::Pin(v) => TlsVerifier::<Suite>::set_hostname_verification(v, hostname),
        }
    }

    fn verify_certificate(
        &mut self,
        transcript: &<Suite as embedded_tls::TlsCipherSuite>::Hash,
        cert: embedded_tls::CertificateRef<'_>,
    ) -> Result<(), TlsError> {
        match self {
            Verifier::Ca(v) => {
                v.certified = false;
                v.inner.verify_certificate(transcript, cert)?;
                v.certified = true;
                Ok(())
            }
            Verifier::Pin(v) => v.verify_certificate(transcript, cert),
        }
    }

    fn verify_signature(
        &mut self,
        verify: embedded_tls::CertificateVerifyRef<'_>,
    ) -> Result<(), TlsError> {
        match self {
            Verifier::Ca(v) => {
                if core::mem::take(&mut v.certified) {
                    v.inner.verify_signature(verify)
                } else {
                    Err(TlsError::InvalidCertificate)
                }
            }
            Verifier::Pin(v) => v.verify_signature(verify),
        }
    }
}

/// What embedded-tls asks for during the handshake: randomness and the verifier.
struct Provider<'v, 'r, R> {
    rng: Rng06<'r, R>,
    verifier: Option<Verifier<'v>>,
}

impl<R: rand_core::CryptoRng> CryptoProvider for Provider<'_, '_, R> {
    type CipherSuite = Suite;
    type Signature = p256::ecdsa::DerSignature;

    fn rng(&mut self) -> impl CryptoRngCore {
        &mut self.rng
    }

    fn verifier(&mut self) -> Result<&mut impl TlsVerifier<Suite>, TlsError> {
        self.verifier.as_mut().ok_or(TlsError::Unimplemented)
    }
}

/// Whether `host` is an IP address literal (which is never sent as SNI nor matched as a name).
fn is_ip_literal(host: &str) -> bool {
    host.starts_with('[') || host.parse::<core::net::Ipv4Addr>().is_ok()
}

/// Runs the handshake on `connection` for `host`.
pub(crate) async fn handshake<S: Read + Write, R: rand_core::CryptoRng>(
    connection: &mut TlsConnection<'_, S, Suite>,
    options: &mut TlsOptions<'_, R>,
    host: &str,
) -> Result<(), TlsError> {
    let dns_host = (!is_ip_literal(host)).then_some(host);
    let (server_name, verifier) = match options.verify {
        Verify::Ca {
            certificate,
            server_name,
        } => (
            server_name.or(dns_host),
            Some(Verifier::Ca(CaVerifier {
                inner: CertVerifier::new(Certificate::X509(certificate)),
                certified: false,
            })),
        ),
        Verify::PinCertificate(certificate) => (
            dns_host,
            Some(Verifier::Pin(PinVerifier::new(Pin::Certificate(
                certificate,
            )))),
        ),
        Verify::PinPublicKey(spki) => (
            dns_host,
            Some(Verifier::Pin(PinVerifier::new(Pin::PublicKey(spki)))),
        ),
        Verify::Insecure => (dns_host, None),
    };
    let mut config = TlsConfig::new();
    if let Some(name) = server_name {
        config = config.with_server_name(name);
    }
    let provider = Provider {
        rng: Rng06(&mut options.rng),
        verifier,
    };
    connection.open(TlsContext::new(&config, provider)).await
}

/// The `SubjectPublicKeyInfo` of a DER certificate, e.g. to derive a
/// [`Verify::PinPublicKey`] from a certificate at build time or in a test.
pub fn subject_public_key_info(certificate: &[u8]) -> Option<&[u8]> {
    der::subject_public_key_info(certificate)
}

#[cfg(test)]
mod tests {
    use digest::Digest as _;
    use embedded_tls::{
        CertificateEntryRef, CertificateRef, CertificateVerifyRef, SignatureScheme, TlsError,
        TlsVerifier,
    };

    use super::pin::{Pin, PinVerifier};
    use super::{CaVerifier, CertVerifier, Certificate, Suite, Verifier};

    const CERTIFICATE: &[u8] = include_bytes!("testdata/amazon-root-ca-3.der");

    fn chain(leaf: &[u8]) -> CertificateRef<'_> {
        let mut chain = CertificateRef::with_context(&[]);
        chain.add(CertificateEntryRef::X509(leaf)).unwrap();
        chain
    }

    fn garbage_signature() -> CertificateVerifyRef<'static> {
        CertificateVerifyRef {
            signature_scheme: SignatureScheme::EcdsaSecp256r1Sha256,
            signature: &[0x30, 0x02, 0x02, 0x00],
        }
    }

    #[test]
    fn a_signature_before_any_certificate_fails_the_handshake_without_a_panic() {
        let mut ca = Verifier::Ca(CaVerifier {
            inner: CertVerifier::new(Certificate::X509(CERTIFICATE)),
            certified: false,
        });
        assert!(matches!(
            ca.verify_signature(garbage_signature()),
            Err(TlsError::InvalidCertificate)
        ));
        let mut pin = PinVerifier::<Suite>::new(Pin::Certificate(CERTIFICATE));
        assert!(pin.verify_signature(garbage_signature()).is_err());
    }

    #[test]
    fn pins_accept_only_their_certificate_or_key_and_check_the_signature() {
        let spki = super::subject_public_key_info(CERTIFICATE).unwrap();
        let mut other = CERTIFICATE.to_vec();
        let last = other.len() - 1;
        other[last] ^= 0x01; // the signature changes, the key stays
        let transcript = embedded_tls::Sha256::new();
        for pin in [Pin::Certificate(CERTIFICATE), Pin::PublicKey(spki)] {
            let mut verifier = PinVerifier::<Suite>::new(pin);
            assert!(
                verifier
                    .verify_certificate(&transcript, chain(CERTIFICATE))
                    .is_ok()
            );
            // The certificate matched; a signature that does not verify still fails.
            assert!(matches!(
                verifier.verify_signature(garbage_signature()),
                Err(TlsError::InvalidSignature)
            ));
            assert!(
                verifier
                    .verify_certificate(&transcript, CertificateRef::with_context(&[]))
                    .is_err(),
                "an empty chain"
            );
        }
        let mut by_certificate = PinVerifier::<Suite>::new(Pin::Certificate(CERTIFICATE));
        assert!(
            by_certificate
                .verify_certificate(&transcript, chain(&other))
                .is_err()
        );
        // The key pin accepts another certificate with the same key.
        let mut by_key = PinVerifier::<Suite>::new(Pin::PublicKey(spki));
        assert!(
            by_key
                .verify_certificate(&transcript, chain(&other))
                .is_ok()
        );
        let mut wrong_key = spki.to_vec();
        let last = wrong_key.len() - 1;
        wrong_key[last] ^= 0x01;
        let mut by_wrong_key = PinVerifier::<Suite>::new(Pin::PublicKey(&wrong_key));
        assert!(
            by_wrong_key
                .verify_certificate(&transcript, chain(CERTIFICATE))
                .is_err()
        );
    }
}
