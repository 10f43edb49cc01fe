//! Typed attributes on the command line (`--ext`, `--field`): `KEY=VALUE` is a string,
//! `KEY:TYPE=VALUE` picks the wire type.

use std::str::FromStr;

use msync_tokio::{Attribute, AttributeValue};

/// The types `KEY:TYPE=VALUE` accepts, for help and error texts.
pub const TYPES: &str = "string, int, uint, bool, float, double, json";

/// One attribute given on the command line.
#[derive(Clone, Debug, PartialEq)]
pub struct AttributeArg(pub Attribute);

impl FromStr for AttributeArg {
    type Err = String;

    fn from_str(spec: &str) -> Result<Self, String> {
        let Some((name, value)) = spec.split_once('=') else {
            return Err(format!(
                "expected KEY=VALUE or KEY:TYPE=VALUE (TYPE: {TYPES})"
            ));
        };
        // A key may itself contain ':'; only a known type after the last one is a type.
        let (key, kind) = match name.rsplit_once(':') {
            Some((key, kind)) if is_type(kind) => (key, kind),
            _ => (name, "string"),
        };
        if key.is_empty() {
            return Err("the key is empty".to_owned());
        }
        let value = parse_value(kind, value)?;
        Ok(Self(Attribute::new(key, value)))
    }
}

fn is_type(kind: &str) -> bool {
    matches!(
        kind,
        "string" | "str" | "int" | "uint" | "bool" | "float" | "double" | "json"
    )
}

fn parse_value(kind: &str, text: &str) -> Result<AttributeValue, String> {
    let bad = |error: &dyn std::fmt::Display| format!("{text:?} is not a {kind}: {error}");
    Ok(match kind {
        "int" => AttributeValue::Int(text.parse().map_err(|e| bad(&e))?),
        "uint" => AttributeValue::UInt(text.parse().map_err(|e| bad(&e))?),
        "bool" => AttributeValue::Bool(match text {
            "true" | "1" => true,
            "false" | "0" => false,
            _ => return Err(bad(&"expected true, false, 1 or 0")),
        }),
        "float" => AttributeValue::Float(text.parse().map_err(|e| bad(&e))?),
        "double" => AttributeValue::Double(text.parse().map_err(|e| bad(&e))?),
        "json" => {
            serde_json::from_str::<serde_json::Value>(text).map_err(|e| bad(&e))?;
            AttributeValue::Json(text.to_owned())
        }
        _ => AttributeValue::String(text.to_owned()),
    })
}

/// The attributes of a list of arguments.
pub fn attributes(args: &[AttributeArg]) -> Vec<Attribute> {
    args.iter().map(|arg| arg.0.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(spec: &str) -> Result<Attribute, String> {
        spec.parse::<AttributeArg>().map(|arg| arg.0)
    }

    #[test]
    fn every_type_parses() {
        assert_eq!(parse("a=x:y=z").unwrap(), Attribute::string("a", "x:y=z"));
        assert_eq!(parse("n:int=-3").unwrap(), Attribute::int("n", -3));
        assert_eq!(
            parse("u:uint=18446744073709551615").unwrap(),
            Attribute::new("u", AttributeValue::UInt(u64::MAX))
        );
        assert_eq!(parse("ok:bool=true").unwrap(), Attribute::bool("ok", true));
        assert_eq!(parse("ok:bool=0").unwrap(), Attribute::bool("ok", false));
        assert_eq!(
            parse("f:float=1.5").unwrap(),
            Attribute::new("f", AttributeValue::Float(1.5))
        );
        assert_eq!(
            parse("d:double=2.25").unwrap(),
            Attribute::double("d", 2.25)
        );
        assert_eq!(
            parse(r#"j:json={"k":[1]}"#).unwrap(),
            Attribute::json("j", r#"{"k":[1]}"#)
        );
        assert_eq!(parse("s:str=").unwrap(), Attribute::string("s", ""));
        // An unknown suffix is part of the key.
        assert_eq!(
            parse("zone:kitchen=1").unwrap(),
            Attribute::string("zone:kitchen", "1")
        );
    }

    #[test]
    fn bad_values_are_refused() {
        for spec in [
            "noequals",
            "=v",
            ":int=1",
            "n:int=x",
            "b:bool=yes",
            "j:json={",
        ] {
            assert!(parse(spec).is_err(), "{spec}");
        }
    }
}
