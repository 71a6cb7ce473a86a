//! The demo data of the local contract: Bristol Plumbing, Prairie Home Services, their
//! owners and the platform admin. These credentials exist only here, never in a stage.

use anyhow::Result;
use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
use argon2::Argon2;
use frontline::scheduling::WeeklyHours;
use frontline::store::Store;
use frontline::tenancy::{
    BookingRules, Closure, Contacts, EmergencyPolicy, Resource, Role, ServiceOffering, Tenant,
    TenantStatus,
};
use frontline::triage::ServiceType;

pub const BRISTOL_NUMBER: &str = "+19135550123";
pub const BRISTOL_OWNER_CELL: &str = "+19135550199";
pub const PRAIRIE_NUMBER: &str = "+19135550124";
pub const PRAIRIE_OWNER_CELL: &str = "+19135550198";

fn svc(
    service: ServiceType,
    label: &str,
    duration_min: u32,
    low: u32,
    high: u32,
) -> ServiceOffering {
    ServiceOffering {
        service,
        label: label.into(),
        duration_min,
        price_low: low,
        price_high: high,
    }
}

fn plumbing() -> Vec<ServiceOffering> {
    use ServiceType::*;
    vec![
        svc(FaucetRepair, "faucet repair", 60, 150, 350),
        svc(LeakRepair, "leak repair", 60, 175, 450),
        svc(DrainClog, "drain clearing", 90, 150, 400),
        svc(ToiletRepair, "toilet repair", 60, 150, 400),
        svc(WaterHeater, "water heater service", 180, 200, 2400),
        svc(
            TanklessInstall,
            "tankless water heater visit",
            240,
            250,
            4500,
        ),
        svc(BurstPipe, "burst pipe repair", 120, 300, 1200),
        svc(FrozenPipe, "frozen pipe service", 90, 200, 800),
        svc(SewerBackup, "sewer line service", 120, 300, 1500),
        svc(SumpPump, "sump pump service", 120, 250, 1200),
        svc(NoWater, "no-water service call", 90, 200, 900),
        svc(Flooding, "water leak and flooding call", 120, 300, 1500),
        svc(GasSmell, "gas line check", 60, 150, 600),
        svc(Inspection, "plumbing inspection", 60, 125, 300),
        svc(Estimate, "estimate visit", 60, 0, 0),
    ]
}

/// US holidays the demo businesses close for.
pub fn holidays() -> Vec<Closure> {
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).expect("valid date");
    [
        (day(2026, 11, 26), day(2026, 11, 26), "Thanksgiving"),
        (day(2026, 12, 24), day(2026, 12, 25), "Christmas"),
        (day(2027, 1, 1), day(2027, 1, 1), "New Year's Day"),
        (day(2027, 5, 31), day(2027, 5, 31), "Memorial Day"),
        (day(2027, 7, 5), day(2027, 7, 5), "Independence Day"),
        (day(2027, 9, 6), day(2027, 9, 6), "Labor Day"),
        (day(2027, 11, 25), day(2027, 11, 25), "Thanksgiving"),
    ]
    .into_iter()
    .map(|(from, to, name)| Closure {
        from,
        to,
        name: name.into(),
    })
    .collect()
}

/// Bristol Plumbing: a one-person shop; emergencies ring the owner's cell.
pub fn bristol() -> Tenant {
    Tenant {
        id: "bristol-plumbing".into(),
        name: "Bristol Plumbing".into(),
        trades: "plumbing".into(),
        time_zone: "America/Chicago".into(),
        phone: BRISTOL_NUMBER.into(),
        hours: WeeklyHours::weekdays((8, 0), (17, 0), None),
        services: plumbing(),
        resources: vec![Resource {
            id: "van-1".into(),
            name: "Van 1".into(),
        }],
        contacts: Contacts {
            owner_name: "Mike".into(),
            owner_cell: BRISTOL_OWNER_CELL.into(),
            owner_email: Some("owner@bristol.example".into()),
        },
        emergency: EmergencyPolicy {
            transfer_to_owner: true,
            transfer_on_request: false,
            keywords: Vec::new(),
            alert_sla_s: 60,
        },
        service_area: [
            "merriam",
            "mission",
            "overland park",
            "shawnee",
            "lenexa",
            "prairie village",
            "roeland park",
            "kansas city",
        ]
        .map(String::from)
        .to_vec(),
        spanish: false,
        booking: BookingRules {
            max_jobs_per_day: 5,
            closures: holidays(),
            ..BookingRules::default()
        },
        plan: "solo".into(),
        status: TenantStatus::Active,
        lifecycle: Default::default(),
        owner_line: vec![frontline::tenancy::LineCell {
            cell: BRISTOL_OWNER_CELL.into(),
            email: "owner@bristol.example".into(),
        }],
    }
}

/// Prairie Home Services: multi-trade, two trucks; the eval scenarios call it.
pub fn prairie() -> Tenant {
    use ServiceType::*;
    let mut services = plumbing();
    services.extend([
        svc(NoHeat, "no-heat repair", 120, 150, 900),
        svc(NoAc, "air conditioning repair", 120, 150, 1200),
        svc(HvacRepair, "heating and cooling repair", 120, 150, 1200),
        svc(Maintenance, "maintenance visit", 90, 99, 199),
        svc(CoAlarm, "carbon monoxide check", 60, 99, 300),
        svc(ElectricalRepair, "electrical repair", 60, 150, 600),
        svc(SparkingOutlet, "outlet repair", 60, 150, 400),
        svc(BurningSmell, "electrical safety call", 60, 150, 600),
        svc(PanelRepair, "electrical panel work", 180, 300, 3500),
        svc(PowerOutage, "power outage call", 90, 150, 800),
        svc(Handyman, "handyman visit", 120, 100, 600),
    ]);
    Tenant {
        id: "prairie-home".into(),
        name: "Prairie Home Services".into(),
        trades: "plumbing, heating and cooling, electrical and handyman work".into(),
        time_zone: "America/Chicago".into(),
        phone: PRAIRIE_NUMBER.into(),
        hours: WeeklyHours::weekdays((7, 0), (18, 0), Some(((8, 0), (14, 0)))),
        services,
        resources: vec![
            Resource {
                id: "truck-1".into(),
                name: "Luis's truck".into(),
            },
            Resource {
                id: "truck-2".into(),
                name: "Truck 2".into(),
            },
        ],
        contacts: Contacts {
            owner_name: "Randy".into(),
            owner_cell: PRAIRIE_OWNER_CELL.into(),
            owner_email: Some("owner@prairie.example".into()),
        },
        emergency: EmergencyPolicy {
            transfer_to_owner: false,
            transfer_on_request: true,
            keywords: Vec::new(),
            alert_sla_s: 60,
        },
        service_area: [
            "overland park",
            "olathe",
            "leawood",
            "lenexa",
            "shawnee",
            "mission",
            "prairie village",
            "merriam",
            "roeland park",
            "lee's summit",
            "kansas city",
            "raytown",
            "gladstone",
        ]
        .map(String::from)
        .to_vec(),
        spanish: true,
        booking: BookingRules {
            travel_min: 15,
            closures: holidays(),
            ..BookingRules::default()
        },
        plan: "team".into(),
        status: TenantStatus::Active,
        lifecycle: Default::default(),
        owner_line: Vec::new(),
    }
}

fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashes")
        .to_string()
}

/// Writes both tenants, their routes and the three logins (idempotent).
pub async fn seed(store: &Store) -> Result<()> {
    use frontline::store::Login;
    for t in [bristol(), prairie()] {
        store.put_tenant(&t).await?;
    }
    for (email, password, tenant, role) in [
        (
            "owner@bristol.example",
            "bristol-demo",
            "bristol-plumbing",
            Role::Owner,
        ),
        (
            "owner@prairie.example",
            "prairie-demo",
            "prairie-home",
            Role::Owner,
        ),
        (
            "tech@prairie.example",
            "prairie-tech",
            "prairie-home",
            Role::Staff,
        ),
        (
            "admin@frontline.example",
            "frontline-admin",
            "platform",
            Role::Admin,
        ),
    ] {
        store
            .put_login(&Login {
                email: email.into(),
                password_hash: hash(password),
                tenant_id: tenant.into(),
                role,
            })
            .await?;
    }
    // Bristol's owner answers the owner's line from the demo cell, or with PIN 2468 from
    // any phone (README, "The owner's line").
    let now = chrono::Utc::now();
    store
        .set_verified_line_cell(
            "bristol-plumbing",
            "owner@bristol.example",
            BRISTOL_OWNER_CELL,
            now,
        )
        .await?;
    store
        .set_line_pin(
            "bristol-plumbing",
            "owner@bristol.example",
            &hash(BRISTOL_OWNER_PIN),
            now,
        )
        .await?;
    Ok(())
}

/// The demo PIN of Bristol's owner on the owner's line.
pub const BRISTOL_OWNER_PIN: &str = "2468";

/// Bristol Plumbing's website chat widget key on the local stack, as the demo page
/// (`/_local/widget-demo.html`) pastes it.
pub const BRISTOL_WIDGET_KEY: &str = "wk_b1570100000000000000000000000001";

/// Seeds [`BRISTOL_WIDGET_KEY`] for the local stack's own origins (`base_url`, and the
/// same port on `localhost`). A key already there (a reused table) is left as it is.
pub async fn seed_widget(store: &Store, base_url: &str) -> Result<()> {
    use frontline::tenancy::widget::{normalize_origins, WidgetKey};
    let port = base_url.rsplit(':').next().unwrap_or_default();
    let origins = normalize_origins(&[base_url.to_string(), format!("http://localhost:{port}")])
        .map_err(anyhow::Error::msg)?;
    let row = WidgetKey {
        key: BRISTOL_WIDGET_KEY.into(),
        tenant_id: bristol().id,
        origins,
        created_at: "2026-11-01T00:00:00Z".into(),
        revoked_at: None,
        replaced_by: None,
        snippet: String::new(),
    };
    if store.widget_key(BRISTOL_WIDGET_KEY).await?.is_none() {
        store
            .put_widget_key(&row, "seed", chrono::Utc::now())
            .await?;
    }
    Ok(())
}
