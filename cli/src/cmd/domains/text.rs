//! The human form of a [`Report`]: grouped by region, then by console field name.

use std::fmt::Write as _;

use msync_core::region::DomainKind;

use super::report::{DomainEntry, EndpointsReport, Report};

/// Renders `report` as text, ending in a newline.
pub(crate) fn render(report: &Report) -> String {
    let mut out = String::new();
    let platform = &report.platform;
    line(
        &mut out,
        format_args!(
            "{} ({}), platform {}",
            platform.name, platform.name_zh, platform.id
        ),
    );
    for region in &report.regions {
        let named = &region.region;
        out.push('\n');
        line(
            &mut out,
            format_args!("{}  {} ({})", named.id, named.name, named.name_zh),
        );
        match &region.endpoints {
            Some(endpoints) => endpoints_text(&mut out, endpoints),
            None => line(
                &mut out,
                format_args!("  no published hosts on {}", platform.id),
            ),
        }
    }
    out.push('\n');
    line(
        &mut out,
        format_args!("bootstrap (server.json; optional with an app key, needed with an App ID)"),
    );
    for base in &report.bootstrap {
        line(&mut out, format_args!("  {base}"));
    }
    let several_regions = report.regions.len() > 1;
    if let Some(legal) = &report.legal_domains {
        for edition in &legal.editions {
            out.push('\n');
            line(
                &mut out,
                format_args!(
                    "Legal domains (合法域名) to register in the console, {} documentation ({})",
                    edition.edition, edition.source
                ),
            );
            for kind in DomainKind::ALL {
                line(&mut out, format_args!("  {}", kind.console_name()));
                entries_text(&mut out, edition.fields.of_kind(kind), several_regions);
            }
        }
        let unlisted = &legal.unlisted;
        if !unlisted.request.is_empty() || !unlisted.socket.is_empty() {
            out.push('\n');
            line(
                &mut out,
                format_args!("Also register (hosts of the presets above that no list shown names)"),
            );
            for (field, hosts) in [("request", &unlisted.request), ("socket", &unlisted.socket)] {
                if !hosts.is_empty() {
                    line(&mut out, format_args!("  {field}"));
                    for host in hosts {
                        line(&mut out, format_args!("    {host}"));
                    }
                }
            }
        }
    }
    if !report.notes.is_empty() {
        out.push('\n');
        for note in &report.notes {
            line(&mut out, format_args!("note: {note}"));
        }
    }
    out
}

fn endpoints_text(out: &mut String, endpoints: &EndpointsReport) {
    line(out, format_args!("  frames     {}", endpoints.frame));
    for (label, urls) in [
        ("REST", &endpoints.rest),
        ("WebSocket", &endpoints.websocket),
    ] {
        line(out, format_args!("  {label:<9}  {}", urls.primary));
        for alternate in &urls.alternates {
            line(out, format_args!("  {:<9}  {alternate}  (alternate)", ""));
        }
    }
}

fn entries_text(out: &mut String, entries: &[DomainEntry], with_regions: bool) {
    if entries.is_empty() {
        line(out, format_args!("    (none listed)"));
        return;
    }
    let width = entries.iter().map(|e| e.url.len()).max().unwrap_or(0);
    for entry in entries {
        let mut remarks = Vec::new();
        if with_regions && !entry.regions.is_empty() {
            remarks.push(entry.regions.join(" "));
        }
        if !entry.note.is_empty() {
            remarks.push(entry.note.to_owned());
        }
        if remarks.is_empty() {
            line(out, format_args!("    {}", entry.url));
        } else {
            line(
                out,
                format_args!("    {:<width$}  {}", entry.url, remarks.join("; ")),
            );
        }
    }
}

fn line(out: &mut String, text: std::fmt::Arguments<'_>) {
    let _infallible = writeln!(out, "{text}");
}
