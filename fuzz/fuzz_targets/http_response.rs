//! `ResponseReader` on one HTTP/1.1 response arriving in fuzzer-chosen pieces.
//!
//! Input: 7 header bytes, then the bytes the server sends. Header: buffer capacity (2 bytes,
//! big-endian), split seed (2), longest piece (0: one piece), `max_head` (0: default, else x8),
//! `max_body` (0: default, else x64).
//!
//! The response is read twice: in pieces into a buffer of that capacity (appending at
//! `*filled` as the contract says, with `eof` once everything is sent), and whole, with `eof`,
//! into a buffer that holds all of it. Checks: a complete response is the same both ways (when
//! the small buffer is at least as large as the input, the pieces must complete whenever the
//! whole does); bodies respect `max_body`; `*filled` never passes the capacity; a complete
//! reader answers the same again. Both the default and a 2-header reader run.
#![no_main]

use libfuzzer_sys::fuzz_target;
use msync_core::wire::http::{HttpError, Progress, ResponseLimits, ResponseReader};
use msync_core_fuzz::split::{Splitter, take};

type Outcome = Result<(u16, Vec<u8>), HttpError>;

fuzz_target!(|input: &[u8]| {
    let Some(([cap_hi, cap_lo, seed_lo, seed_hi, max_piece, head, body], data)) = take::<7>(input)
    else {
        return;
    };
    let defaults = ResponseLimits::default();
    let limits = ResponseLimits {
        max_head: match head {
            0 => defaults.max_head,
            n => usize::from(n) * 8,
        },
        max_body: match body {
            0 => defaults.max_body,
            n => usize::from(n) * 64,
        },
    };
    let capacity = usize::from(u16::from_be_bytes([cap_hi, cap_lo]));
    let seed = u16::from_le_bytes([seed_lo, seed_hi]);
    check::<32>(data, limits, capacity, Splitter::new(seed, max_piece));
    check::<2>(data, limits, capacity, Splitter::new(seed, max_piece));
});

fn check<const H: usize>(data: &[u8], limits: ResponseLimits, capacity: usize, split: Splitter) {
    let pieces = read::<H>(data, limits, capacity, split);
    let whole = read::<H>(data, limits, data.len(), Splitter::whole());
    if let Ok(response) = &pieces {
        assert_eq!(
            Ok(response),
            whole.as_ref(),
            "pieces complete, whole does not agree"
        );
    }
    if whole.is_ok() && capacity >= data.len() {
        assert_eq!(
            pieces, whole,
            "whole completes, pieces in a large enough buffer do not"
        );
    }
}

fn read<const H: usize>(
    data: &[u8],
    limits: ResponseLimits,
    capacity: usize,
    mut split: Splitter,
) -> Outcome {
    let mut reader = ResponseReader::<H>::new(limits);
    let mut buf = vec![0u8; capacity];
    let mut filled = 0;
    let mut rest = data;
    loop {
        let n = split.next_len(rest.len()).min(capacity - filled);
        buf[filled..filled + n].copy_from_slice(&rest[..n]);
        filled += n;
        rest = &rest[n..];
        let eof = rest.is_empty();
        let before = filled;
        let progress = reader.advance(&mut buf, &mut filled, eof);
        assert!(filled <= before, "advance raised the fill level");
        match progress? {
            Progress::Complete(response) => {
                // httparse takes any three digits; 1xx is refused, below 100 is passed on.
                assert!(!(100..200).contains(&response.status) && response.status <= 999);
                assert!(response.body.len() <= limits.max_body);
                let owned = (response.status, response.body.to_vec());
                let mut again = filled;
                match reader.advance(&mut buf, &mut again, eof)? {
                    Progress::Complete(response) => {
                        assert_eq!((response.status, response.body), (owned.0, &owned.1[..]));
                    }
                    Progress::NeedMore => panic!("a complete reader asks for more"),
                }
                return Ok(owned);
            }
            Progress::NeedMore => {
                assert!(!eof, "NeedMore after the end of the input");
                assert!(filled < capacity, "NeedMore with a full buffer");
            }
        }
    }
}
