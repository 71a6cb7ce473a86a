//! Customer CSV import: any text and column mapping is parsed or refused with a field
//! error, never a panic; every accepted row's cells are neutralised on export.
#![no_main]
use frontline::crm::input::{neutralise_cell, parse_import, ImportRequest};
use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;

fuzz_target!(|input: (String, Vec<(String, String)>)| {
    let (csv, mapping) = input;
    let req = ImportRequest {
        csv: csv.clone(),
        mapping: mapping.into_iter().take(12).collect::<BTreeMap<_, _>>(),
        dry_run: true,
    };
    let _ = parse_import(&req);
    for cell in csv.split([',', '\n']).take(50) {
        let safe = neutralise_cell(cell);
        assert!(
            !matches!(safe.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')),
            "{safe:?}"
        );
    }
});
