//! Where a session connects: `--region` with `--platform`, `--dns` (the bootstrap), or `--rest`
//! with `--ws`; and which certificates it trusts.

use std::path::PathBuf;

use clap::Args;
use msync_core::region::{Platform, Region};
use msync_tokio::{Endpoints, TlsOptions};

use crate::CliError;
use crate::cmd::domains::{platform_parser, region_parser};

/// The endpoint flags (one way of saying where is needed).
#[derive(Debug, Args)]
#[command(next_help_heading = "Endpoint (one of --region, --dns, --rest with --ws)")]
pub struct EndpointArgs {
    /// A data centre from the region table (`msync domains` lists them), e.g. cn1, sgp1.
    #[arg(long, value_name = "ID", value_parser = region_parser(), conflicts_with_all = ["dns", "rest"])]
    pub region: Option<Region>,

    /// With --region: the platform whose gateways and frame encoding are used: alipay (base64
    /// text frames), wechat or web [default: web].
    #[arg(long, value_name = "P", value_parser = platform_parser(), requires = "region")]
    pub platform: Option<Platform>,

    /// Learn the hosts from server.json at this base (the bootstrap; needed for an App ID), e.g.
    /// https://rs.easemob.com or a devserver's http://127.0.0.1:PORT (an http:// base accepts
    /// plain hosts).
    #[arg(long, value_name = "URL", conflicts_with = "rest")]
    pub dns: Option<String>,

    /// A REST base, e.g. http://127.0.0.1:8099 (with --ws).
    #[arg(long, value_name = "URL", requires = "ws")]
    pub rest: Option<String>,

    /// A WebSocket gateway, e.g. ws://127.0.0.1:8099/websocket (with --rest).
    #[arg(long, value_name = "URL", requires = "rest")]
    pub ws: Option<String>,

    /// Trust only this PEM certificate (e.g. from `msync devserver --tls --cert-path`) instead of
    /// the webpki roots.
    #[arg(long, value_name = "PATH")]
    pub ca_cert: Option<PathBuf>,
}

impl EndpointArgs {
    /// The endpoints these flags name.
    pub fn endpoints(&self) -> Result<Endpoints, CliError> {
        match (self.region, &self.dns, &self.rest, &self.ws) {
            (Some(region), None, None, None) => Ok(Endpoints::Preset {
                region,
                platform: self.platform.unwrap_or(Platform::Web),
            }),
            (None, Some(base), None, None) => Ok(Endpoints::Bootstrap {
                bases: vec![base.clone()],
                allow_plain: base.starts_with("http://"),
            }),
            (None, None, Some(rest), Some(gateway)) => Ok(Endpoints::Custom {
                rest: rest.clone(),
                gateway: gateway.clone(),
            }),
            _ => Err(CliError::usage(
                "say where to connect: --region ID [--platform P], --dns URL, or --rest URL --ws URL",
            )),
        }
    }

    /// The TLS settings: webpki roots, or only `--ca-cert`.
    pub fn tls(&self) -> Result<TlsOptions, CliError> {
        let Some(path) = &self.ca_cert else {
            return Ok(TlsOptions::default());
        };
        let pem = std::fs::read_to_string(path)
            .map_err(|e| CliError::usage(format!("--ca-cert {}: {e}", path.display())))?;
        TlsOptions::default()
            .without_webpki_roots()
            .with_root_pem(&pem)
            .map_err(|e| CliError::usage(format!("--ca-cert {}: {e}", path.display())))
    }
}
