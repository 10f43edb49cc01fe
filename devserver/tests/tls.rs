//! TLS with the generated self-signed certificate: HTTPS bootstrap and REST, wss msync.

mod support;

use std::sync::Arc;

use msync_devserver::Config;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, ServerName};
use support::*;
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

async fn tls_stream(server: &msync_devserver::RunningServer) -> TlsStream<TcpStream> {
    let pem = server.cert_pem().expect("a certificate with --tls");
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_slice(pem.as_bytes()).expect("PEM"))
        .expect("root");
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    let tcp = TcpStream::connect(server.local_addr()).await.expect("tcp");
    let name = ServerName::try_from("localhost").expect("name");
    TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .expect("TLS handshake")
}

#[tokio::test]
async fn https_and_wss_with_the_generated_certificate() {
    let cert_file =
        std::env::temp_dir().join(format!("msync-devserver-cert-{}.pem", std::process::id()));
    let server = start(Config::new().tls(true).cert_path(&cert_file)).await;
    assert!(server.base_url().starts_with("https://127.0.0.1:"));
    assert!(server.ws_url().starts_with("wss://127.0.0.1:"));
    let written = std::fs::read_to_string(&cert_file).expect("PEM written");
    std::fs::remove_file(&cert_file).ok();
    assert_eq!(Some(written.as_str()), server.cert_pem());
    assert!(written.starts_with("-----BEGIN CERTIFICATE-----"));

    let (status, doc) = http_over(
        tls_stream(&server).await,
        "localhost",
        "GET",
        "/easemob/server.json?app_key=org%23app",
        None,
        None,
    )
    .await
    .expect("HTTPS exchange");
    assert_eq!(status, 200);
    assert_eq!(doc["rest"]["hosts"][0]["protocol"], "https");
    assert_eq!(doc["msync-wx"]["hosts"][0]["domain"], "localhost");

    users(&server, &["alice"]);
    let token = server.issue_token(APP, "alice", None).unwrap().access_token;
    let url = format!("wss://localhost:{}/websocket", server.local_addr().port());
    let (ws, _) = tokio_tungstenite::client_async(url, tls_stream(&server).await)
        .await
        .expect("wss");
    let mut alice = Client::new(ws);
    alice.send(&provision("alice", "a1", &token)).await;
    assert_eq!(
        error_code(provision_reply(&alice.recv().await).status.as_ref()).0,
        0
    );
    assert_eq!(error_code(alice.unread().await.status.as_ref()).0, 0);

    // A plain-text client on the TLS port gets nowhere, and the server carries on.
    assert!(
        try_http(&server, "GET", "/easemob/server.json", None, None)
            .await
            .is_none()
    );
    assert_eq!(error_code(alice.unread().await.status.as_ref()).0, 0);
}
