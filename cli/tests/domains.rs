//! `msync domains`: the printed endpoints and legal domains are those of `msync_core::region`.

mod common;

use common::run;
use msync_core::region::{
    CustomZone, DomainKind, Edition, Platform, Region, bootstrap, legal_domains,
};
use serde_json::Value;

fn domains_json(args: &[&str]) -> Value {
    let mut full = vec!["domains", "--json"];
    full.extend(args);
    let outcome = run(&full);
    outcome.assert_code(0);
    assert_eq!(outcome.stdout.lines().count(), 1, "--json is one line");
    outcome.json()
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|v| v.as_str().expect("string").to_owned())
        .collect()
}

fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split('/').next().unwrap_or(rest)
}

#[test]
fn every_region_and_platform_prints_its_preset() {
    for platform in Platform::ALL {
        for region in Region::ALL {
            let args = [
                "domains",
                "--region",
                region.id(),
                "--platform",
                platform.id(),
            ];
            let text = run(&args);
            text.assert_code(0);
            let json = domains_json(&args[1..]);
            let [shown] = json["regions"].as_array().unwrap().as_slice() else {
                panic!("one region: {json}");
            };
            assert_eq!(shown["id"], region.id());
            match region.endpoints(platform) {
                Some(preset) => {
                    let endpoints = &shown["endpoints"];
                    let rest: Vec<String> =
                        preset.rest.iter().map(|h| format!("https://{h}")).collect();
                    let gateways: Vec<String> = preset.gateways().map(|u| u.to_string()).collect();
                    assert_eq!(endpoints["rest"]["primary"], rest[0]);
                    assert_eq!(strings(&endpoints["rest"]["alternates"]), rest[1..]);
                    assert_eq!(endpoints["websocket"]["primary"], gateways[0]);
                    assert_eq!(
                        strings(&endpoints["websocket"]["alternates"]),
                        gateways[1..]
                    );
                    assert_eq!(endpoints["frame"], preset.frame.to_string());
                    for url in rest.iter().chain(&gateways) {
                        assert!(
                            text.stdout.contains(url.as_str()),
                            "{url} in {}",
                            text.stdout
                        );
                    }
                }
                None => {
                    assert!(shown["endpoints"].is_null());
                    assert!(
                        text.stdout.contains("no published hosts"),
                        "{}",
                        text.stdout
                    );
                }
            }
            for base in bootstrap::default_bases() {
                let base = base.to_string();
                assert!(text.stdout.contains(base.trim_end_matches('/')), "{base}");
            }
        }
    }
}

#[test]
fn legal_domains_are_the_published_lists_for_the_region() {
    for platform in [Platform::Alipay, Platform::WeChat] {
        for region in Region::ALL {
            let args = ["--region", region.id(), "--platform", platform.id()];
            let json = domains_json(&args);
            let text = run(&[&["domains"][..], &args].concat()).stdout;
            let editions = json["legal_domains"]["editions"].as_array().unwrap();
            assert_eq!(editions.len(), Edition::ALL.len());
            for (shown, edition) in editions.iter().zip(Edition::ALL) {
                let lists = legal_domains(platform, edition).unwrap();
                assert_eq!(shown["edition"], edition.id());
                for kind in DomainKind::ALL {
                    let expected: Vec<&str> = lists
                        .for_region(region)
                        .filter(|(k, _)| *k == kind)
                        .map(|(_, domain)| domain.url)
                        .collect();
                    let urls: Vec<String> = shown["fields"][kind.console_name()]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|entry| entry["url"].as_str().unwrap().to_owned())
                        .collect();
                    assert_eq!(urls, expected, "{platform} {region} {edition} {kind}");
                    assert!(
                        text.contains(&format!("  {}\n", kind.console_name())),
                        "{text}"
                    );
                    for url in expected {
                        assert!(text.contains(url), "{url}");
                    }
                }
            }
            // Every preset host is either in a shown list or in the unlisted ones.
            if let Some(preset) = region.endpoints(platform) {
                let all_listed: Vec<&str> = editions
                    .iter()
                    .flat_map(|e| e["fields"].as_object().unwrap().values())
                    .flat_map(|entries| entries.as_array().unwrap())
                    .map(|entry| host_of(entry["url"].as_str().unwrap()))
                    .collect();
                let unlisted = &json["legal_domains"]["unlisted"];
                let unlisted: Vec<String> = strings(&unlisted["request"])
                    .into_iter()
                    .chain(strings(&unlisted["socket"]))
                    .collect();
                for host in preset.rest.iter().chain(preset.gateway.iter()) {
                    assert!(
                        all_listed.contains(&host) || unlisted.iter().any(|u| host_of(u) == host),
                        "{platform} {region}: {host}"
                    );
                }
            }
        }
    }
}

#[test]
fn web_has_no_legal_domain_lists() {
    let json = domains_json(&["--region", "cn1", "--platform", "web"]);
    assert!(json["legal_domains"].is_null());
    let notes = strings(&json["notes"]).join("\n");
    assert!(notes.contains("no legal-domain"), "{notes}");
    let text = run(&["domains", "--region", "cn1", "--platform", "web"]);
    assert!(text.stdout.contains("no legal-domain"), "{}", text.stdout);
    assert!(!text.stdout.contains("uploadFile"), "{}", text.stdout);
}

#[test]
fn all_regions_when_region_is_omitted() {
    let ids: Vec<&str> = Region::ALL.iter().map(|r| r.id()).collect();
    for args in [
        &["--platform", "wechat"][..],
        &["--all", "--platform", "wechat"],
    ] {
        let json = domains_json(args);
        let shown: Vec<&str> = json["regions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(shown, ids);
        // With every region, the lists are complete.
        let current = &json["legal_domains"]["editions"][0]["fields"]["socket"];
        let expected = legal_domains(Platform::WeChat, Edition::Current)
            .unwrap()
            .socket;
        assert_eq!(current.as_array().unwrap().len(), expected.len());
    }
}

#[test]
fn edition_flag_selects_the_lists() {
    let json = domains_json(&[
        "--region",
        "cn2",
        "--platform",
        "alipay",
        "--edition",
        "older",
    ]);
    let editions = json["legal_domains"]["editions"].as_array().unwrap();
    assert_eq!(editions.len(), 1);
    assert_eq!(editions[0]["edition"], "older");
}

#[test]
fn custom_zones_and_unknown_ids_are_explained() {
    for zone in CustomZone::ALL {
        let outcome = run(&["domains", "--region", zone.id(), "--platform", "alipay"]);
        outcome.assert_code(2);
        assert!(outcome.stderr.contains("account manager"), "{outcome:#?}");
        assert!(outcome.stderr.contains(zone.name_en()), "{outcome:#?}");
    }
    let outcome = run(&["domains", "--region", "mars1", "--platform", "alipay"]);
    outcome.assert_code(2);
    for region in Region::ALL {
        assert!(
            outcome.stderr.contains(region.id()),
            "{} in {outcome:#?}",
            region.id()
        );
    }
    let outcome = run(&["domains", "--region", "cn1", "--platform", "pager"]);
    outcome.assert_code(2);
    for platform in Platform::ALL {
        assert!(outcome.stderr.contains(platform.id()), "{outcome:#?}");
    }
    run(&["domains", "--region", "cn1"]).assert_code(2);
    run(&["domains", "--all", "--region", "cn1", "--platform", "web"]).assert_code(2);
}

#[test]
fn shengwang_bootstrap_bases_only_with_its_preset() {
    let shengwang: Vec<String> = bootstrap::SHENGWANG_C1_HOSTS
        .iter()
        .map(|host| format!("https://{host}"))
        .collect();
    let with = strings(&domains_json(&["--region", "sw-c1", "--platform", "alipay"])["bootstrap"]);
    let without = strings(&domains_json(&["--platform", "wechat"])["bootstrap"]);
    let defaults: Vec<String> = bootstrap::default_bases()
        .map(|url| url.to_string().trim_end_matches('/').to_owned())
        .collect();
    assert_eq!(with, [defaults.clone(), shengwang].concat());
    assert_eq!(without, defaults);
}
