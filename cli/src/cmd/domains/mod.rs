//! `msync domains`: the REST and WebSocket endpoints of each data centre and the legal-domain
//! (合法域名) lists a mini-program console needs, from `msync_core::region`.

mod report;
mod text;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, ValueEnum};
use msync_core::region::{Edition, ParseRegionError, Platform, Region};

pub use report::{
    ConsoleFields, DomainEntry, EditionReport, EndpointsReport, LegalReport, Named, RegionReport,
    Report, Unlisted, UrlList,
};

use crate::CliError;
use crate::output::Output;

/// Arguments of `msync domains`.
#[derive(Debug, Args)]
pub struct DomainsArgs {
    /// The data centre, as shown in the Easemob console's app overview (应用概览); every region
    /// when omitted. `vip` and `cs` publish no hosts.
    #[arg(long, value_name = "ID", value_parser = region_parser())]
    pub region: Option<Region>,

    /// Every region (the same as omitting --region).
    #[arg(long, conflicts_with = "region")]
    pub all: bool,

    /// The client platform: alipay, wechat (also QQ, ByteDance, Baidu, uni-app) or web.
    #[arg(long, value_name = "P", value_parser = platform_parser())]
    pub platform: Platform,

    /// Which documentation edition's legal-domain lists to show.
    #[arg(long, value_enum, default_value_t = EditionChoice::All)]
    pub edition: EditionChoice,
}

/// The documentation editions to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum EditionChoice {
    /// The current pages.
    Current,
    /// The older pages (the only ones naming the China zone 2 `a31` hosts).
    Older,
    /// Both, current first.
    All,
}

impl EditionChoice {
    fn editions(self) -> &'static [Edition] {
        match self {
            EditionChoice::Current => &[Edition::Current],
            EditionChoice::Older => &[Edition::Older],
            EditionChoice::All => &Edition::ALL,
        }
    }
}

/// Runs `msync domains`.
pub fn run(args: &DomainsArgs, output: &Output) -> Result<(), CliError> {
    let regions: Vec<Region> = match args.region {
        Some(region) => vec![region],
        None => Region::ALL.to_vec(),
    };
    let report = Report::new(args.platform, &regions, args.edition.editions());
    if output.is_json() {
        output.json_value(&report)
    } else {
        output.text(&text::render(&report));
        Ok(())
    }
}

/// Region ids as clap possible values (listed in errors and `--help`), plus the hidden `vip`
/// and `cs`, which parse to an explanation.
pub(crate) fn region_parser() -> impl TypedValueParser<Value = Region> {
    let known = Region::ALL
        .into_iter()
        .map(|region| PossibleValue::new(region.id()).help(region.name_en()));
    let custom = msync_core::region::CustomZone::ALL
        .into_iter()
        .map(|zone| PossibleValue::new(zone.id()).hide(true));
    PossibleValuesParser::new(known.chain(custom)).try_map(|id| {
        Region::from_id(&id).map_err(|error| match error {
            ParseRegionError::CustomOnly(_) => error.to_string(),
            ParseRegionError::Unknown => format!("unknown region {id:?}"),
        })
    })
}

/// Platform ids as clap possible values.
pub(crate) fn platform_parser() -> impl TypedValueParser<Value = Platform> {
    let values = Platform::ALL
        .into_iter()
        .map(|platform| PossibleValue::new(platform.id()).help(platform.name_en()));
    PossibleValuesParser::new(values)
        .try_map(|id| Platform::from_id(&id).map_err(|error| error.to_string()))
}
