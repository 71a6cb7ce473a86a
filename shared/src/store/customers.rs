//! Customers for the CRM API: create, update, search, timeline, duplicates, merge,
//! import, and erasure. The call path writes customers too (`calls.rs`); both keep the
//! phone index (`CUSTPHONE#`) pointing at the customer a number belongs to.

use super::accounts::audit_item;
use super::attrs::*;
use super::write::{put, put_when};
use super::{keys, Page, Store, StoreError};
use crate::crm::input::{address_key, search_text, NewCustomer};
use crate::crm::{Customer, TimelineEntry};
use aws_sdk_dynamodb::types::{
    Delete, KeysAndAttributes, PutRequest, TransactWriteItem, Update, WriteRequest,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::HashMap;

/// A `CUST#` item's own attributes.
#[derive(serde::Deserialize)]
struct CustomerItem {
    id: String,
    name: Option<String>,
    #[serde(default)]
    phone: String,
    /// A string set.
    #[serde(default)]
    other_phones: Vec<String>,
    email: Option<String>,
    address: Option<String>,
    notes: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    last_job_at: Option<String>,
}

fn customer_of(it: &Item) -> Option<Customer> {
    if get_s(it, "entity") != Some("customer") {
        return None;
    }
    let r: CustomerItem = super::attrs::record(it, "customer")?;
    Some(Customer {
        id: r.id,
        name: r.name,
        phone: r.phone,
        other_phones: r.other_phones,
        email: r.email,
        address: r.address,
        notes: r.notes,
        created_at: r.created_at,
        updated_at: r.updated_at,
        last_job_at: r.last_job_at,
    })
}

fn timeline_entry(it: &Item) -> Option<TimelineEntry> {
    let g = |k: &str| get_s(it, k).map(String::from);
    match get_s(it, "entity")? {
        "call" => Some(TimelineEntry {
            kind: "call".into(),
            at: g("started_at")?,
            id: g("SK")?.trim_start_matches(keys::CALL_PREFIX).into(),
            summary: format!(
                "{} ({})",
                g("outcome").unwrap_or_default().replace('_', " "),
                g("service").unwrap_or_default().replace('_', " ")
            ),
            direction: Some("inbound".into()),
            status: g("outcome"),
        }),
        "message" => Some(TimelineEntry {
            kind: "text".into(),
            at: g("at")?,
            id: g("at")?,
            summary: g("body").unwrap_or_default(),
            direction: g("direction"),
            status: None,
        }),
        "appointment" => Some(TimelineEntry {
            kind: "appointment".into(),
            at: g("start")?,
            id: g("id")?,
            summary: g("service").unwrap_or_default().replace('_', " "),
            direction: None,
            status: g("status"),
        }),
        _ => None,
    }
}

/// Offset cursors for lists read whole and sorted in memory (timelines, calls).
pub fn offset_cursor(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("o:{offset}"))
}

pub fn parse_offset(cursor: Option<&str>) -> Result<usize, StoreError> {
    let Some(c) = cursor else { return Ok(0) };
    URL_SAFE_NO_PAD
        .decode(c)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("o:").and_then(|n| n.parse().ok()))
        .ok_or_else(|| StoreError::Invalid("cursor: not a cursor this list gave out".into()))
}

/// The page `[offset, offset + limit)` of `all` and the cursor after it.
pub fn page_of<T: Clone>(all: &[T], offset: usize, limit: usize) -> Page<T> {
    let end = (offset + limit).min(all.len());
    Page {
        items: all.get(offset..end).map(<[T]>::to_vec).unwrap_or_default(),
        next: (end < all.len()).then(|| offset_cursor(end)),
    }
}

/// Why a customer write was refused.
#[derive(Debug)]
pub enum CustomerConflict {
    /// The phone number belongs to this other customer.
    PhoneTaken(String),
    /// The customer changed or vanished since it was read.
    Changed,
}

/// What an import did (or, dry, would do).
#[derive(Debug, Default, Clone, Serialize)]
pub struct ImportCounts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl Store {
    pub async fn customer(
        &self,
        tenant_id: &str,
        id: &str,
    ) -> Result<Option<Customer>, StoreError> {
        Ok(self
            .get_item(&keys::customer(tenant_id, id), true)
            .await?
            .as_ref()
            .and_then(customer_of))
    }

    fn customer_item(&self, tenant_id: &str, id: &str, c: &NewCustomer, now: &str) -> Item {
        let mut it = item(&keys::customer(tenant_id, id));
        it.insert("entity".into(), s("customer"));
        it.insert("id".into(), s(id));
        it.insert("name".into(), s(&c.name));
        it.insert("phone".into(), s(&c.phone));
        for (k, v) in [
            ("email", &c.email),
            ("address", &c.address),
            ("notes", &c.notes),
        ] {
            if let Some(v) = v {
                it.insert(k.into(), s(v));
            }
        }
        it.insert("search_text".into(), s(search_text(c)));
        it.insert("created_at".into(), s(now));
        it.insert("updated_at".into(), s(now));
        it.insert("GSI1PK".into(), s(keys::customer_timeline(tenant_id, id)));
        it.insert("GSI1SK".into(), s("PROFILE"));
        it
    }

    fn phone_index_item(&self, tenant_id: &str, phone: &str, id: &str, name: &str) -> Item {
        let mut it = item(&keys::customer_phone(tenant_id, phone));
        it.insert("entity".into(), s("customer_phone"));
        it.insert("customer_id".into(), s(id));
        it.insert("name".into(), s(name));
        it
    }

    /// Creates a customer (id derived from the phone, as the call path does) with its
    /// phone index entry and an audit record. `Err(PhoneTaken)` when the number is on
    /// file already.
    pub async fn create_customer(
        &self,
        tenant_id: &str,
        c: &NewCustomer,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Result<Customer, CustomerConflict>, StoreError> {
        let id = super::customer_id_for(tenant_id, &c.phone);
        let at = ts(now);
        let items = vec![
            put(
                &self.table,
                self.phone_index_item(tenant_id, &c.phone, &id, &c.name),
                Some("attribute_not_exists(PK)"),
            ),
            put(
                &self.table,
                self.customer_item(tenant_id, &id, c, &at),
                Some("attribute_not_exists(PK)"),
            ),
            put(
                &self.table,
                audit_item(tenant_id, actor, "customer_created", &id, now),
                None,
            ),
        ];
        let res = self.transact(items).await?;
        if res.is_some() {
            let owner = self
                .customer_by_phone(tenant_id, &c.phone)
                .await?
                .map_or(id, |k| k.id);
            return Ok(Err(CustomerConflict::PhoneTaken(owner)));
        }
        Ok(Ok(self.customer(tenant_id, &id).await?.ok_or_else(
            || StoreError::Corrupt("customer vanished after create".into()),
        )?))
    }

    /// Writes `next` over `current` (conditioned on `updated_at`, so a concurrent edit is
    /// a conflict, not a lost update). A new phone takes the phone index entry (refused if
    /// another customer has it) and the old number stays findable as an other phone.
    pub async fn update_customer(
        &self,
        tenant_id: &str,
        current: &Customer,
        next: &NewCustomer,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Result<Customer, CustomerConflict>, StoreError> {
        let mut names = HashMap::from([("#name".to_string(), "name".to_string())]);
        let mut values: Item = HashMap::new();
        let mut set = vec![
            "#name = :name",
            "phone = :phone",
            "search_text = :search",
            "updated_at = :now",
        ];
        let mut remove = Vec::new();
        values.insert(":name".into(), s(&next.name));
        values.insert(":phone".into(), s(&next.phone));
        values.insert(":search".into(), s(search_text(next)));
        values.insert(":now".into(), s(ts(now)));
        for (k, v) in [
            ("email", &next.email),
            ("address", &next.address),
            ("notes", &next.notes),
        ] {
            match v {
                Some(v) => {
                    values.insert(format!(":{k}"), s(v));
                    names.insert(format!("#{k}"), k.to_string());
                    set.push(match k {
                        "email" => "#email = :email",
                        "address" => "#address = :address",
                        _ => "#notes = :notes",
                    });
                }
                None => remove.push(k),
            }
        }
        let cond = match &current.updated_at {
            Some(u) => {
                values.insert(":prev".into(), s(u));
                "updated_at = :prev"
            }
            None => "attribute_exists(PK) AND attribute_not_exists(updated_at)",
        };
        let phone_changed = next.phone != current.phone;
        if phone_changed {
            // The old number stays findable; the new one leaves the list if it was on it.
            let mut others = current.other_phones.clone();
            others.push(current.phone.clone());
            others.retain(|p| p != &next.phone);
            others.sort();
            others.dedup();
            values.insert(":old".into(), AttributeValue::Ss(others));
            set.push("other_phones = :old");
        }
        let mut expr = format!("SET {}", set.join(", "));
        if !remove.is_empty() {
            expr.push_str(&format!(" REMOVE {}", remove.join(", ")));
        }
        let mut items = vec![TransactWriteItem::builder()
            .update(
                Update::builder()
                    .table_name(&self.table)
                    .set_key(Some(key_map(&keys::customer(tenant_id, &current.id))))
                    .update_expression(expr)
                    .condition_expression(cond)
                    .set_expression_attribute_names(Some(names))
                    .set_expression_attribute_values(Some(values))
                    .build()
                    .expect("update"),
            )
            .build()];
        if phone_changed {
            items.push(put_when(
                &self.table,
                self.phone_index_item(tenant_id, &next.phone, &current.id, &next.name),
                "attribute_not_exists(PK) OR customer_id = :me",
                &[(":me", &current.id)],
            ));
        }
        items.push(put(
            &self.table,
            audit_item(tenant_id, actor, "customer_updated", &current.id, now),
            None,
        ));
        let res = self.transact(items).await?;
        match res {
            None => {}
            Some(failed) if failed.contains(&1) && phone_changed => {
                let owner = self
                    .customer_by_phone(tenant_id, &next.phone)
                    .await?
                    .map(|k| k.id)
                    .unwrap_or_default();
                return Ok(Err(CustomerConflict::PhoneTaken(owner)));
            }
            Some(_) => return Ok(Err(CustomerConflict::Changed)),
        }
        Ok(self
            .customer(tenant_id, &current.id)
            .await?
            .ok_or(CustomerConflict::Changed))
    }

    /// Customers whose folded name, email, address or phone digits contain the folded
    /// `q`: one Query over the tenant's `CUST#` range with the match done by DynamoDB
    /// (`contains(search_text, …)`), paged with an opaque cursor.
    pub async fn search_customer_page(
        &self,
        tenant_id: &str,
        q: &str,
        limit: usize,
        cursor: Option<&str>,
    ) -> Result<Page<Customer>, StoreError> {
        let digits: String = q.chars().filter(char::is_ascii_digit).collect();
        // Mostly digits: a phone number in any format. Else every word must appear, a
        // street word in its long or short form ("street" or "st").
        let words: Vec<(String, String)> =
            if digits.len() >= 4 && digits.len() * 2 >= q.trim().len() {
                vec![(digits.clone(), digits)]
            } else {
                crate::crm::input::fold(q)
                    .split(' ')
                    .filter(|w| !w.is_empty())
                    .take(6)
                    .map(|w| (w.to_string(), crate::crm::input::short_word(w).to_string()))
                    .collect()
            };
        let mut filter = Vec::new();
        let mut values: Item = HashMap::new();
        for (i, (long, short)) in words.iter().enumerate() {
            values.insert(format!(":a{i}"), s(long));
            if short != long && !short.is_empty() {
                values.insert(format!(":b{i}"), s(short));
                filter.push(format!(
                    "(contains(search_text, :a{i}) OR contains(search_text, :b{i}))"
                ));
            } else {
                filter.push(format!("contains(search_text, :a{i})"));
            }
        }
        let mut start = super::crm::decode_cursor(cursor, &keys::tenant_pk(tenant_id))?;
        let mut out = Vec::new();
        loop {
            let mut qb = self
                .ddb
                .query()
                .table_name(&self.table)
                .key_condition_expression("PK = :pk AND begins_with(SK, :p)")
                .expression_attribute_values(":pk", s(keys::tenant_pk(tenant_id)))
                .expression_attribute_values(":p", s(keys::CUSTOMER_PREFIX))
                // A filter drops items after the read: read ahead to fill the page.
                .limit(((limit - out.len()) as i32).max(1) * if filter.is_empty() { 1 } else { 4 })
                .set_exclusive_start_key(start);
            if !filter.is_empty() {
                qb = qb.filter_expression(filter.join(" AND "));
                for (k, v) in &values {
                    qb = qb.expression_attribute_values(k, v.clone());
                }
            }
            let res = qb.send().await.map_err(StoreError::sdk)?;
            for it in res.items() {
                if out.len() < limit {
                    if let Some(r) = customer_of(it) {
                        out.push((r, key_of(it)));
                    }
                }
            }
            let last = res.last_evaluated_key().cloned();
            if out.len() >= limit {
                // Continue after the last item returned, not after the page read.
                let next = out.last().map(|(_, k)| k.clone());
                return Ok(Page {
                    items: out.into_iter().map(|(r, _)| r).collect(),
                    next: super::crm::encode_cursor(next.as_ref()),
                });
            }
            match last {
                Some(k) => start = Some(k),
                None => {
                    return Ok(Page {
                        items: out.into_iter().map(|(r, _)| r).collect(),
                        next: None,
                    })
                }
            }
        }
    }

    /// Every customer of a tenant (duplicates, export, analytics).
    pub async fn all_customers(&self, tenant_id: &str) -> Result<Vec<Customer>, StoreError> {
        Ok(self
            .query_all(&keys::tenant_pk(tenant_id), keys::CUSTOMER_PREFIX)
            .await?
            .iter()
            .filter_map(customer_of)
            .collect())
    }

    /// Every timeline item of a customer (calls, texts, jobs), including those filed under
    /// the numbers merged into it.
    async fn timeline_items(&self, tenant_id: &str, c: &Customer) -> Result<Vec<Item>, StoreError> {
        let mut parts = vec![keys::customer_timeline(tenant_id, &c.id)];
        for p in &c.other_phones {
            let derived = keys::customer_timeline(tenant_id, &super::customer_id_for(tenant_id, p));
            if !parts.contains(&derived) {
                parts.push(derived);
            }
        }
        let mut out = Vec::new();
        for pk in parts {
            let q = self
                .ddb
                .query()
                .table_name(&self.table)
                .index_name("GSI1")
                .key_condition_expression("GSI1PK = :pk")
                .expression_attribute_values(":pk", s(&pk));
            out.extend(
                self.query_pages(q)
                    .await?
                    .into_iter()
                    .filter(|it| get_s(it, "GSI1SK") != Some("PROFILE")),
            );
        }
        Ok(out)
    }

    /// A customer's calls, texts and jobs, newest first, paged.
    pub async fn timeline(
        &self,
        tenant_id: &str,
        c: &Customer,
        limit: usize,
        cursor: Option<&str>,
    ) -> Result<Page<TimelineEntry>, StoreError> {
        let offset = parse_offset(cursor)?;
        let mut all: Vec<TimelineEntry> = self
            .timeline_items(tenant_id, c)
            .await?
            .iter()
            .filter_map(timeline_entry)
            .collect();
        all.sort_by(|a, b| b.at.cmp(&a.at).then(b.id.cmp(&a.id)));
        Ok(page_of(&all, offset, limit))
    }

    /// Other customers sharing a phone, email or (loosely compared) address with `c`,
    /// each with the reasons.
    pub async fn duplicates(
        &self,
        tenant_id: &str,
        c: &Customer,
    ) -> Result<Vec<(Customer, Vec<&'static str>)>, StoreError> {
        let phones: Vec<&String> = std::iter::once(&c.phone).chain(&c.other_phones).collect();
        let email = c.email.as_deref().map(str::to_lowercase);
        let addr = c
            .address
            .as_deref()
            .map(address_key)
            .filter(|a| a.len() >= 8);
        Ok(self
            .all_customers(tenant_id)
            .await?
            .into_iter()
            .filter(|o| o.id != c.id)
            .filter_map(|o| {
                let mut why = Vec::new();
                if std::iter::once(&o.phone)
                    .chain(&o.other_phones)
                    .any(|p| phones.contains(&p))
                {
                    why.push("phone");
                }
                if email.is_some() && o.email.as_deref().map(str::to_lowercase) == email {
                    why.push("email");
                }
                if addr.is_some() && o.address.as_deref().map(address_key) == addr {
                    why.push("address");
                }
                (!why.is_empty()).then_some((o, why))
            })
            .collect())
    }

    /// Folds `dup` into `keep`: every call, text and job of `dup` moves to `keep`'s
    /// timeline (jobs also take `keep`'s id), `dup`'s numbers route to `keep`, `keep`
    /// gains what it lacked (email, address; notes are joined), then `dup` is deleted with
    /// an audit record naming what moved. Each step is idempotent and `dup` is deleted
    /// last, so a merge that fails part-way is finished by running it again.
    /// Returns how many timeline items moved.
    pub async fn merge_customers(
        &self,
        tenant_id: &str,
        keep: &Customer,
        dup: &Customer,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let target = keys::customer_timeline(tenant_id, &keep.id);
        let items = self.timeline_items(tenant_id, dup).await?;
        for it in &items {
            let (Some(pk), Some(sk)) = (get_s(it, "PK"), get_s(it, "SK")) else {
                continue;
            };
            let mut u = self
                .ddb
                .update_item()
                .table_name(&self.table)
                .key("PK", s(pk))
                .key("SK", s(sk))
                .update_expression("SET GSI1PK = :t, customer_id = :k")
                .condition_expression("attribute_exists(PK)")
                .expression_attribute_values(":t", s(&target))
                .expression_attribute_values(":k", s(&keep.id));
            if get_s(it, "entity") == Some("appointment") {
                if let Some(n) = &keep.name {
                    u = u
                        .update_expression("SET GSI1PK = :t, customer_id = :k, customer_name = :n")
                        .expression_attribute_values(":n", s(n));
                }
            }
            super::write::applied(u.send().await)?;
        }
        let mut phones: Vec<String> = std::iter::once(dup.phone.clone())
            .chain(dup.other_phones.iter().cloned())
            .chain(keep.other_phones.iter().cloned())
            .filter(|p| p != &keep.phone && !p.is_empty())
            .collect();
        phones.sort();
        phones.dedup();
        let keep_name = keep
            .name
            .clone()
            .or_else(|| dup.name.clone())
            .unwrap_or_default();
        for p in std::iter::once(&dup.phone).chain(&dup.other_phones) {
            self.put_plain(self.phone_index_item(tenant_id, p, &keep.id, &keep_name))
                .await?;
        }
        let merged = NewCustomer {
            name: keep_name,
            phone: keep.phone.clone(),
            email: keep.email.clone().or_else(|| dup.email.clone()),
            address: keep.address.clone().or_else(|| dup.address.clone()),
            notes: match (&keep.notes, &dup.notes) {
                (Some(a), Some(b)) if a != b => Some(format!("{a}\n{b}")),
                (a, b) => a.clone().or_else(|| b.clone()),
            },
        };
        let mut cust = self.customer_item(tenant_id, &keep.id, &merged, &ts(now));
        if let Some(c) = &keep.created_at {
            cust.insert("created_at".into(), s(c));
        }
        if let Some(l) = keep.last_job_at.clone().max(dup.last_job_at.clone()) {
            cust.insert("last_job_at".into(), s(l));
        }
        if !phones.is_empty() {
            cust.insert("other_phones".into(), AttributeValue::Ss(phones));
        }
        cust.insert(
            "search_text".into(),
            s(format!(
                "{} {}",
                search_text(&merged),
                dup.phone.trim_start_matches('+')
            )),
        );
        let target_desc = format!("{} <- {} ({} items)", keep.id, dup.id, items.len());
        let tx = vec![
            put(&self.table, cust, Some("attribute_exists(PK)")),
            TransactWriteItem::builder()
                .delete(
                    Delete::builder()
                        .table_name(&self.table)
                        .set_key(Some(key_map(&keys::customer(tenant_id, &dup.id))))
                        .build()
                        .expect("delete"),
                )
                .build(),
            put(
                &self.table,
                audit_item(tenant_id, actor, "customer_merged", &target_desc, now),
                None,
            ),
        ];
        self.transact_all(tx).await?;
        Ok(items.len())
    }

    /// Imports customers: each row's id is derived from its phone (so a re-import lands
    /// on the same customers), a row equal to what is stored is left alone, and `dry`
    /// writes nothing. Reads in BatchGetItem chunks of 100, writes in BatchWriteItem
    /// chunks of 25 with unprocessed items retried.
    pub async fn import_customers(
        &self,
        tenant_id: &str,
        rows: &[NewCustomer],
        dry: bool,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<ImportCounts, StoreError> {
        let mut counts = ImportCounts::default();
        let mut writes: Vec<Item> = Vec::new();
        let at = ts(now);
        for chunk in rows.chunks(100) {
            let keys_attrs: Vec<Item> = chunk
                .iter()
                .map(|c| key_map(&keys::customer_phone(tenant_id, &c.phone)))
                .collect();
            let found = self.batch_get(keys_attrs).await?;
            let owners: HashMap<String, String> = found
                .iter()
                .filter_map(|it| {
                    let phone = get_s(it, "SK")?.strip_prefix(keys::CUSTOMER_PHONE_PREFIX)?;
                    Some((phone.to_string(), get_s(it, "customer_id")?.to_string()))
                })
                .collect();
            let existing_keys: Vec<Item> = owners
                .values()
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .map(|id| key_map(&keys::customer(tenant_id, id)))
                .collect();
            let existing: HashMap<String, Customer> = self
                .batch_get(existing_keys)
                .await?
                .iter()
                .filter_map(customer_of)
                .map(|r| (r.id.clone(), r))
                .collect();
            for c in chunk {
                match owners.get(&c.phone) {
                    None => {
                        counts.created += 1;
                        let id = super::customer_id_for(tenant_id, &c.phone);
                        writes.push(self.customer_item(tenant_id, &id, c, &at));
                        writes.push(self.phone_index_item(tenant_id, &c.phone, &id, &c.name));
                    }
                    Some(id) => {
                        let cur = existing.get(id);
                        let merged = cur.map(|r| NewCustomer {
                            // An import fills and corrects; it never blanks a field.
                            name: c.name.clone(),
                            phone: r.phone.clone(),
                            email: c.email.clone().or_else(|| r.email.clone()),
                            address: c.address.clone().or_else(|| r.address.clone()),
                            notes: c.notes.clone().or_else(|| r.notes.clone()),
                        });
                        match (cur, merged) {
                            (Some(r), Some(m)) if r.fields() == m => counts.unchanged += 1,
                            (Some(r), Some(m)) => {
                                counts.updated += 1;
                                let mut it = self.customer_item(tenant_id, id, &m, &at);
                                if let Some(cr) = &r.created_at {
                                    it.insert("created_at".into(), s(cr));
                                }
                                if let Some(l) = &r.last_job_at {
                                    it.insert("last_job_at".into(), s(l));
                                }
                                if !r.other_phones.is_empty() {
                                    it.insert(
                                        "other_phones".into(),
                                        AttributeValue::Ss(r.other_phones.clone()),
                                    );
                                }
                                writes.push(it);
                            }
                            _ => {
                                // A phone index without its customer: recreate it.
                                counts.created += 1;
                                writes.push(self.customer_item(tenant_id, id, c, &at));
                            }
                        }
                    }
                }
            }
        }
        if dry {
            return Ok(counts);
        }
        for chunk in writes.chunks(25) {
            self.batch_put(chunk.to_vec()).await?;
        }
        if counts.created + counts.updated > 0 {
            self.audit(
                tenant_id,
                actor,
                "customers_imported",
                &format!(
                    "created {}, updated {}, unchanged {}",
                    counts.created, counts.updated, counts.unchanged
                ),
                now,
            )
            .await?;
        }
        Ok(counts)
    }

    async fn batch_get(&self, keys_attrs: Vec<Item>) -> Result<Vec<Item>, StoreError> {
        let mut out = Vec::new();
        let mut pending = keys_attrs;
        let mut tries = 0;
        while !pending.is_empty() {
            let ka = KeysAndAttributes::builder()
                .set_keys(Some(pending.clone()))
                .build()
                .expect("keys");
            let res = self
                .ddb
                .batch_get_item()
                .request_items(&self.table, ka)
                .send()
                .await
                .map_err(StoreError::sdk)?;
            if let Some(r) = res.responses().and_then(|r| r.get(&self.table)) {
                out.extend(r.iter().cloned());
            }
            pending = res
                .unprocessed_keys()
                .and_then(|u| u.get(&self.table))
                .map(|k| k.keys().to_vec())
                .unwrap_or_default();
            tries += 1;
            if !pending.is_empty() {
                backoff(tries).await?;
            }
        }
        Ok(out)
    }

    async fn batch_put(&self, items: Vec<Item>) -> Result<(), StoreError> {
        let mut pending: Vec<WriteRequest> = items
            .into_iter()
            .map(|it| {
                WriteRequest::builder()
                    .put_request(
                        PutRequest::builder()
                            .set_item(Some(it))
                            .build()
                            .expect("put"),
                    )
                    .build()
            })
            .collect();
        let mut tries = 0;
        while !pending.is_empty() {
            let res = self
                .ddb
                .batch_write_item()
                .request_items(&self.table, pending.clone())
                .send()
                .await
                .map_err(StoreError::sdk)?;
            pending = res
                .unprocessed_items()
                .and_then(|u| u.get(&self.table))
                .cloned()
                .unwrap_or_default();
            tries += 1;
            if !pending.is_empty() {
                backoff(tries).await?;
            }
        }
        Ok(())
    }

    /// The CallSids of a customer's calls (for their voicemails).
    pub async fn customer_call_sids(
        &self,
        tenant_id: &str,
        c: &Customer,
    ) -> Result<Vec<String>, StoreError> {
        Ok(self
            .timeline_items(tenant_id, c)
            .await?
            .iter()
            .filter(|it| get_s(it, "entity") == Some("call"))
            .filter_map(|it| {
                get_s(it, "SK")?
                    .strip_prefix(keys::CALL_PREFIX)
                    .map(String::from)
            })
            .collect())
    }

    /// Erases one customer: the profile and phone index entries are deleted; calls, texts
    /// and jobs keep their business facts (time, service, outcome, status) but lose
    /// names, numbers, addresses, transcripts and bodies. Audited with counts; returns how
    /// many items were touched.
    pub async fn erase_customer(
        &self,
        tenant_id: &str,
        c: &Customer,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let items = self.timeline_items(tenant_id, c).await?;
        let mut n = 0;
        for it in &items {
            let (Some(pk), Some(sk)) = (get_s(it, "PK"), get_s(it, "SK")) else {
                continue;
            };
            let expr = match get_s(it, "entity") {
                Some("call") => {
                    "SET caller = :r, #state = :st REMOVE GSI1PK, GSI1SK, customer_id, last_twiml, transcript"
                }
                Some("message") => "SET body = :r, phone = :r REMOVE GSI1PK, GSI1SK, customer_id",
                Some("appointment") => {
                    "SET customer_name = :r, phone = :r REMOVE address, GSI1PK, GSI1SK, notes"
                }
                _ => continue,
            };
            let mut u = self
                .ddb
                .update_item()
                .table_name(&self.table)
                .key("PK", s(pk))
                .key("SK", s(sk))
                .update_expression(expr)
                .condition_expression("attribute_exists(PK)")
                .expression_attribute_values(":r", s("[erased]"));
            if get_s(it, "entity") == Some("call") {
                let redacted = get_s(it, "state")
                    .and_then(|st| serde_json::from_str::<crate::dialogue::Conversation>(st).ok())
                    .map(|mut st| {
                        st.erase_personal_data();
                        st
                    });
                let Some(st) = redacted else { continue };
                u = u
                    .expression_attribute_names("#state", "state")
                    .expression_attribute_values(":st", super::calls::state_json(&st));
            }
            if super::write::applied(u.send().await)? {
                n += 1;
            }
        }
        let mut tx: Vec<TransactWriteItem> = std::iter::once(&c.phone)
            .chain(&c.other_phones)
            .map(|p| {
                TransactWriteItem::builder()
                    .delete(
                        Delete::builder()
                            .table_name(&self.table)
                            .set_key(Some(key_map(&keys::customer_phone(tenant_id, p))))
                            .build()
                            .expect("delete"),
                    )
                    .build()
            })
            .collect();
        tx.push(
            TransactWriteItem::builder()
                .delete(
                    Delete::builder()
                        .table_name(&self.table)
                        .set_key(Some(key_map(&keys::customer(tenant_id, &c.id))))
                        .build()
                        .expect("delete"),
                )
                .build(),
        );
        tx.push(put(
            &self.table,
            audit_item(
                tenant_id,
                actor,
                "customer_erased",
                &format!("{} ({n} items redacted)", c.id),
                now,
            ),
            None,
        ));
        self.transact_all(tx).await?;
        Ok(n)
    }

    /// Everything stored about a customer, as JSON-ready maps (privacy export): the
    /// profile and every timeline item with its attributes (keys and index fields left
    /// out).
    pub async fn customer_export(
        &self,
        tenant_id: &str,
        c: &Customer,
    ) -> Result<Vec<serde_json::Value>, StoreError> {
        let items = self.timeline_items(tenant_id, c).await?;
        Ok(items.iter().map(plain).collect())
    }
}

fn key_of(it: &Item) -> Item {
    ["PK", "SK"]
        .iter()
        .filter_map(|k| it.get(*k).map(|v| (k.to_string(), v.clone())))
        .collect()
}

/// An item as plain JSON, without its key and index attributes.
fn plain(it: &Item) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    for (k, v) in it {
        if matches!(
            k.as_str(),
            "PK" | "SK" | "GSI1PK" | "GSI1SK" | "GSI2PK" | "GSI2SK" | "last_twiml" | "expires_at"
        ) {
            continue;
        }
        let val = match v {
            AttributeValue::S(s) => serde_json::from_str::<serde_json::Value>(s)
                .ok()
                .filter(|j| j.is_object() || j.is_array())
                .unwrap_or_else(|| serde_json::Value::String(s.clone())),
            AttributeValue::N(n) => serde_json::json!(n.parse::<f64>().unwrap_or_default()),
            AttributeValue::Bool(b) => serde_json::json!(b),
            AttributeValue::Ss(ss) => serde_json::json!(ss),
            _ => continue,
        };
        m.insert(k.clone(), val);
    }
    serde_json::Value::Object(m)
}

async fn backoff(tries: u32) -> Result<(), StoreError> {
    if tries > 8 {
        return Err(StoreError::Unavailable(
            "batch request kept coming back unprocessed".into(),
        ));
    }
    tokio::time::sleep(std::time::Duration::from_millis(50 << tries.min(6))).await;
    Ok(())
}

use aws_sdk_dynamodb::types::AttributeValue;
