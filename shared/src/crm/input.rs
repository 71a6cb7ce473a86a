//! What the CRM accepts: request bodies, their validation into normalised customers, the
//! CSV import (column mapping, row-level errors) and the CSV export's cell neutralising.

use crate::phone::normalize_e164;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A field-level validation error: `field` is the JSON path (`phone`), or for an import
/// row, the target field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

fn err(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

/// `POST /v1/crm/customers` body.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerInput {
    /// 1–120 characters.
    pub name: String,
    /// Any North American format (`(913) 555-0123`) or E.164.
    pub phone: String,
    pub email: Option<String>,
    /// One line: street, city, state and ZIP.
    pub address: Option<String>,
    /// Free text, at most 2,000 characters.
    pub notes: Option<String>,
}

/// `PATCH /v1/crm/customers/{customer_id}` body: only the fields present change; `null`
/// clears an optional field.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomerPatch {
    pub name: Option<String>,
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schemars(with = "Option<String>")]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schemars(with = "Option<String>")]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schemars(with = "Option<String>")]
    pub notes: Option<Option<String>>,
}

fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// `POST /v1/crm/customers/{customer_id}/merge` body.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The duplicate customer to fold into the path's customer; it is removed afterwards.
    pub duplicate_id: String,
}

pub use super::model::AppointmentStatus;

/// `PATCH /v1/crm/appointments/{appointment_id}` body.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppointmentPatch {
    /// The next status (see [`AppointmentStatus::can_become`]).
    pub status: Option<AppointmentStatus>,
    /// A note to add (1–2,000 characters); notes are kept in order, never replaced.
    pub note: Option<String>,
    /// The invoiced amount, whole US dollars (with `invoiced`).
    pub amount: Option<u32>,
}

/// `POST /v1/crm/appointments/{appointment_id}/reschedule` body: the office moves a
/// booked job. The length stays the same; the slot must be free (no other job or
/// calendar block) and in the future.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RescheduleRequest {
    /// The new start, RFC 3339 (e.g. a `start` from `GET /v1/owner/availability`).
    #[schemars(with = "String")]
    pub start: chrono::DateTime<chrono::Utc>,
    /// The technician or van (a resource id); the job's own when left out.
    pub resource: Option<String>,
}

/// `POST /v1/crm/appointments` body: a job the office took by hand, for a customer on
/// file. Its length is the service's (the tenant's services list, else 60 minutes); the
/// slot must be free (no other job or calendar block), in the future and within a year.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAppointment {
    /// The customer (`POST /v1/crm/customers` first for a new one).
    pub customer_id: String,
    /// The service type, e.g. `drain_clog`.
    pub service: crate::triage::ServiceType,
    /// The start, RFC 3339 (e.g. a `start` from `GET /v1/owner/availability`).
    #[schemars(with = "String")]
    pub start: chrono::DateTime<chrono::Utc>,
    /// The technician or van (a resource id); the tenant's first when left out.
    pub resource: Option<String>,
}

/// How a callback was resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallbackOutcome {
    CalledBack,
    Booked,
    LeftVoicemail,
    NoAnswer,
    NotNeeded,
    WrongNumber,
}

/// `POST /v1/owner/callbacks/{callback_id}/resolve` body.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveCallback {
    pub outcome: CallbackOutcome,
    /// At most 2,000 characters.
    pub note: Option<String>,
}

/// `POST /v1/crm/import/customers` body.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    /// The CSV text, with a header row (RFC 4180; at most 10,000 data rows).
    pub csv: String,
    /// Target field (`name`, `phone`, `email`, `address`, `notes`, `first_name`,
    /// `last_name`, `street`, `city`, `state`, `zip`) → CSV column header. Columns whose
    /// header already names a field map themselves.
    #[serde(default)]
    pub mapping: BTreeMap<String, String>,
    /// Check every row and report what would happen; write nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Most data rows one import takes.
pub const MAX_IMPORT_ROWS: usize = 10_000;

/// A customer after validation: trimmed, phone in E.164, email lower case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewCustomer {
    pub name: String,
    pub phone: String,
    pub email: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
}

fn clean(v: Option<&str>) -> Option<String> {
    v.map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
}

/// Validates one field set into a [`NewCustomer`].
pub fn validate_customer(
    name: &str,
    phone: &str,
    email: Option<&str>,
    address: Option<&str>,
    notes: Option<&str>,
) -> Result<NewCustomer, FieldError> {
    let name = clean(Some(name)).ok_or_else(|| err("name", "is required"))?;
    if name.chars().count() > 120 {
        return Err(err("name", "at most 120 characters"));
    }
    let phone = normalize_e164(phone)
        .ok_or_else(|| err("phone", "not a phone number (10 digits, or E.164)"))?;
    let email = clean(email).map(|e| e.to_lowercase());
    if let Some(e) = &email {
        if crate::tenancy::Email::parse(e).is_err() {
            return Err(err("email", "not a valid email address"));
        }
    }
    let address = clean(address);
    if address.as_ref().is_some_and(|a| a.chars().count() > 300) {
        return Err(err("address", "at most 300 characters"));
    }
    let notes = notes
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(String::from);
    if notes.as_ref().is_some_and(|n| n.chars().count() > 2_000) {
        return Err(err("notes", "at most 2,000 characters"));
    }
    Ok(NewCustomer {
        name,
        phone,
        email,
        address,
        notes,
    })
}

impl CustomerInput {
    pub fn validate(&self) -> Result<NewCustomer, FieldError> {
        validate_customer(
            &self.name,
            &self.phone,
            self.email.as_deref(),
            self.address.as_deref(),
            self.notes.as_deref(),
        )
    }
}

impl CustomerPatch {
    /// `current` with this patch applied, validated.
    pub fn apply(&self, current: &NewCustomer) -> Result<NewCustomer, FieldError> {
        let pick = |p: &Option<Option<String>>, c: &Option<String>| match p {
            Some(v) => v.clone(),
            None => c.clone(),
        };
        validate_customer(
            self.name.as_deref().unwrap_or(&current.name),
            self.phone.as_deref().unwrap_or(&current.phone),
            pick(&self.email, &current.email).as_deref(),
            pick(&self.address, &current.address).as_deref(),
            pick(&self.notes, &current.notes).as_deref(),
        )
    }
}

/// The text a customer is found by: lower case, accents and punctuation dropped, the
/// phone's digits with and without the country code.
pub fn search_text(c: &NewCustomer) -> String {
    let digits: String = c.phone.chars().filter(char::is_ascii_digit).collect();
    let local = digits.strip_prefix('1').unwrap_or(&digits).to_string();
    let words = format!(
        "{} {} {}",
        c.name,
        c.email.as_deref().unwrap_or_default(),
        c.address.as_deref().unwrap_or_default()
    );
    format!("{} {digits} {local}", fold(&words))
}

/// Lower case, ASCII-folded, punctuation as spaces, single spaces: the form both stored
/// search text and queries take.
pub fn fold(s: &str) -> String {
    let mapped: String = s
        .to_lowercase()
        .chars()
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c if c.is_alphanumeric() || c == '@' => c,
            _ => ' ',
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An address reduced for duplicate detection: the street line only (house number up
/// to the street suffix, or up to the first comma), folded, suffixes and directions
/// shortened ("Street" → "st"), so "123 Main Street, Merriam KS" and "123 main st" match.
pub fn address_key(address: &str) -> String {
    const SUFFIXES: &[&str] = &[
        "st", "ave", "rd", "dr", "ln", "ct", "blvd", "pl", "ter", "cir", "way", "pkwy", "hwy",
    ];
    let line = address.split(',').next().unwrap_or_default();
    let folded = fold(line);
    let mut out = Vec::new();
    for w in folded.split(' ').filter(|w| !w.is_empty()) {
        let w = short_word(w);
        out.push(w);
        if SUFFIXES.contains(&w) {
            break;
        }
    }
    out.join(" ")
}

/// A street word's short form ("street" → "st", "north" → "n"); other words unchanged.
pub fn short_word(w: &str) -> &str {
    match w {
        "street" => "st",
        "avenue" => "ave",
        "road" => "rd",
        "drive" => "dr",
        "lane" => "ln",
        "court" => "ct",
        "boulevard" => "blvd",
        "place" => "pl",
        "terrace" => "ter",
        "circle" => "cir",
        "parkway" => "pkwy",
        "highway" => "hwy",
        "north" => "n",
        "south" => "s",
        "east" => "e",
        "west" => "w",
        w => w,
    }
}

/// The five-digit ZIP code at the end of an address, if any.
pub fn zip_of(address: &str) -> Option<String> {
    address
        .split(|c: char| !c.is_ascii_digit() && c != '-')
        .filter(|w| w.len() == 5 || (w.len() == 10 && w.as_bytes()[5] == b'-'))
        .rfind(|w| w[..5].chars().all(|c| c.is_ascii_digit()))
        .map(|w| w[..5].to_string())
}

/// One row's fate in an import.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RowError {
    /// 1-based data row number (the header is row 0), as a spreadsheet shows it minus one.
    pub row: usize,
    pub field: String,
    pub message: String,
}

/// A parsed import: the valid customers (with their row numbers) and the row errors.
#[derive(Debug, Default)]
pub struct ParsedImport {
    pub rows: Vec<(usize, NewCustomer)>,
    pub errors: Vec<RowError>,
}

const FIELDS: &[&str] = &[
    "name",
    "first_name",
    "last_name",
    "phone",
    "email",
    "address",
    "street",
    "city",
    "state",
    "zip",
    "notes",
];

/// Parses and validates an import. A mapping to a column the CSV lacks, an unknown target
/// field, or no way to get a name and a phone is an `Err` (nothing is imported); a bad
/// row is a [`RowError`] and the rest go ahead. Rows repeating an earlier row's phone
/// are reported, not imported twice.
pub fn parse_import(req: &ImportRequest) -> Result<ParsedImport, FieldError> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(req.csv.as_bytes());
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| err("csv", format!("header row: {e}")))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut col: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, h) in headers.iter().enumerate() {
        let key = fold(h).replace(' ', "_");
        if let Some(f) = FIELDS.iter().find(|f| **f == key) {
            col.insert(f, i);
        }
    }
    for (field, header) in &req.mapping {
        let Some(f) = FIELDS.iter().find(|f| **f == field.as_str()) else {
            return Err(err(
                &format!("mapping.{field}"),
                format!("unknown field; use one of {}", FIELDS.join(", ")),
            ));
        };
        let Some(i) = headers.iter().position(|h| h.eq_ignore_ascii_case(header)) else {
            return Err(err(
                &format!("mapping.{field}"),
                format!("the CSV has no column `{header}`"),
            ));
        };
        col.insert(f, i);
    }
    if !col.contains_key("phone") {
        return Err(err("mapping.phone", "no column gives the phone number"));
    }
    if !col.contains_key("name")
        && !col.contains_key("first_name")
        && !col.contains_key("last_name")
    {
        return Err(err("mapping.name", "no column gives the customer's name"));
    }
    let mut out = ParsedImport::default();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, rec) in rdr.records().enumerate() {
        let row = i + 1;
        if row > MAX_IMPORT_ROWS {
            return Err(err(
                "csv",
                format!("more than {MAX_IMPORT_ROWS} rows; split the file"),
            ));
        }
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                out.errors.push(RowError {
                    row,
                    field: "csv".into(),
                    message: e.to_string(),
                });
                continue;
            }
        };
        if rec.iter().all(|c| c.is_empty()) {
            continue;
        }
        let get = |f: &str| {
            col.get(f)
                .and_then(|i| rec.get(*i))
                .filter(|v| !v.is_empty())
        };
        let name = get("name").map(String::from).unwrap_or_else(|| {
            [get("first_name"), get("last_name")]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
        });
        let address = get("address").map(String::from).or_else(|| {
            let parts: Vec<&str> = ["street", "city", "state", "zip"]
                .iter()
                .filter_map(|f| get(f))
                .collect();
            (!parts.is_empty()).then(|| parts.join(", "))
        });
        match validate_customer(
            &name,
            get("phone").unwrap_or_default(),
            get("email"),
            address.as_deref(),
            get("notes"),
        ) {
            Ok(c) => {
                if let Some(first) = seen.get(&c.phone) {
                    out.errors.push(RowError {
                        row,
                        field: "phone".into(),
                        message: format!("same phone as row {first}; row skipped"),
                    });
                    continue;
                }
                seen.insert(c.phone.clone(), row);
                out.rows.push((row, c));
            }
            Err(e) => out.errors.push(RowError {
                row,
                field: e.field,
                message: e.message,
            }),
        }
    }
    Ok(out)
}

/// A CSV cell made safe for spreadsheets: text that a spreadsheet would run as a formula
/// (leading `=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'` (OWASP, "CSV
/// Injection").
pub fn neutralise_cell(v: &str) -> String {
    match v.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{v}"),
        _ => v.to_string(),
    }
}

/// Renders rows as CSV (RFC 4180) with every cell neutralised.
pub fn to_csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(header);
    for r in rows {
        let _ = w.write_record(r.iter().map(|c| neutralise_cell(c)));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn import(csv: &str, mapping: &[(&str, &str)]) -> Result<ParsedImport, FieldError> {
        parse_import(&ImportRequest {
            csv: csv.into(),
            mapping: mapping
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            dry_run: true,
        })
    }

    #[test]
    fn import_maps_columns_and_reports_bad_rows() {
        let csv = "Full Name,Mobile,E-mail,Street,City,Zip\n\
                   Jane Doe,(913) 555-0101,JANE@x.com,1 Main St,Merriam,66202\n\
                   ,913-555-0102,,,,\n\
                   Bob,12,,,,\n\
                   Ann Lee,9135550101,,,,\n";
        let p = import(
            csv,
            &[
                ("name", "Full Name"),
                ("phone", "Mobile"),
                ("email", "E-mail"),
            ],
        )
        .unwrap();
        assert_eq!(p.rows.len(), 1);
        let (row, c) = &p.rows[0];
        assert_eq!(*row, 1);
        assert_eq!(c.phone, "+19135550101");
        assert_eq!(c.email.as_deref(), Some("jane@x.com"));
        assert_eq!(c.address.as_deref(), Some("1 Main St, Merriam, 66202"));
        let fields: Vec<(usize, &str)> =
            p.errors.iter().map(|e| (e.row, e.field.as_str())).collect();
        assert_eq!(fields, vec![(2, "name"), (3, "phone"), (4, "phone")]);
    }

    #[test]
    fn import_refuses_a_mapping_to_a_missing_column() {
        let e = import("a,b\n1,2\n", &[("phone", "Mobile")]).unwrap_err();
        assert_eq!(e.field, "mapping.phone");
        let e = import("name,b\n1,2\n", &[]).unwrap_err();
        assert_eq!(e.field, "mapping.phone");
    }

    #[test]
    fn export_neutralises_formulas() {
        let out = to_csv(
            &["name", "note"],
            &[
                vec!["=HYPERLINK(\"x\")".into(), "+1 call".into()],
                vec!["@SUM(A1)".into(), "ok".into()],
            ],
        );
        assert!(out.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{out}");
        assert!(out.contains("'+1 call"));
        assert!(out.contains("'@SUM(A1)"));
    }

    #[test]
    fn addresses_compare_loosely() {
        assert_eq!(
            address_key("123 Main Street, Merriam KS 66202"),
            address_key("123 main st merriam ks 66202")
        );
        assert_eq!(
            zip_of("1 Main St, Merriam, KS 66202-1234").as_deref(),
            Some("66202")
        );
        assert_eq!(zip_of("1 Main St"), None);
    }

    #[test]
    fn lifecycle() {
        use AppointmentStatus::*;
        assert!(Booked.can_become(Completed));
        assert!(Completed.can_become(Invoiced));
        assert!(!Cancelled.can_become(Booked));
        assert!(!Booked.can_become(Invoiced));
    }
}
