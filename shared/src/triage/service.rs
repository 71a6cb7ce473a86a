//! Service types: the kinds of job a trades business books.

use serde::{Deserialize, Serialize};

/// The service taxonomy (shared with the evaluation data and the tenant's catalogue).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ServiceType {
    LeakRepair,
    BurstPipe,
    FrozenPipe,
    Flooding,
    WaterHeater,
    TanklessInstall,
    DrainClog,
    SewerBackup,
    NoWater,
    ToiletRepair,
    FaucetRepair,
    SumpPump,
    GasSmell,
    CoAlarm,
    NoHeat,
    NoAc,
    HvacRepair,
    Maintenance,
    SparkingOutlet,
    BurningSmell,
    PanelRepair,
    PowerOutage,
    ElectricalRepair,
    Handyman,
    Estimate,
    Inspection,
    Other,
}

impl ServiceType {
    /// Every service type, in declaration order (the model's class order).
    pub const ALL: [ServiceType; 27] = [
        Self::LeakRepair,
        Self::BurstPipe,
        Self::FrozenPipe,
        Self::Flooding,
        Self::WaterHeater,
        Self::TanklessInstall,
        Self::DrainClog,
        Self::SewerBackup,
        Self::NoWater,
        Self::ToiletRepair,
        Self::FaucetRepair,
        Self::SumpPump,
        Self::GasSmell,
        Self::CoAlarm,
        Self::NoHeat,
        Self::NoAc,
        Self::HvacRepair,
        Self::Maintenance,
        Self::SparkingOutlet,
        Self::BurningSmell,
        Self::PanelRepair,
        Self::PowerOutage,
        Self::ElectricalRepair,
        Self::Handyman,
        Self::Estimate,
        Self::Inspection,
        Self::Other,
    ];

    /// The service type of a wire name.
    pub fn parse(name: &str) -> Option<ServiceType> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// The wire name (`leak_repair`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::LeakRepair => "leak_repair",
            Self::BurstPipe => "burst_pipe",
            Self::FrozenPipe => "frozen_pipe",
            Self::Flooding => "flooding",
            Self::WaterHeater => "water_heater",
            Self::TanklessInstall => "tankless_install",
            Self::DrainClog => "drain_clog",
            Self::SewerBackup => "sewer_backup",
            Self::NoWater => "no_water",
            Self::ToiletRepair => "toilet_repair",
            Self::FaucetRepair => "faucet_repair",
            Self::SumpPump => "sump_pump",
            Self::GasSmell => "gas_smell",
            Self::CoAlarm => "co_alarm",
            Self::NoHeat => "no_heat",
            Self::NoAc => "no_ac",
            Self::HvacRepair => "hvac_repair",
            Self::Maintenance => "maintenance",
            Self::SparkingOutlet => "sparking_outlet",
            Self::BurningSmell => "burning_smell",
            Self::PanelRepair => "panel_repair",
            Self::PowerOutage => "power_outage",
            Self::ElectricalRepair => "electrical_repair",
            Self::Handyman => "handyman",
            Self::Estimate => "estimate",
            Self::Inspection => "inspection",
            Self::Other => "other",
        }
    }

    /// A default spoken label when the tenant's catalogue has none.
    pub fn label(self) -> &'static str {
        match self {
            Self::LeakRepair => "leak repair",
            Self::BurstPipe => "burst pipe repair",
            Self::FrozenPipe => "frozen pipe work",
            Self::Flooding => "water cleanup and repair",
            Self::WaterHeater => "water heater service",
            Self::TanklessInstall => "tankless water heater visit",
            Self::DrainClog => "drain cleaning",
            Self::SewerBackup => "sewer line service",
            Self::NoWater => "no-water call",
            Self::ToiletRepair => "toilet repair",
            Self::FaucetRepair => "faucet repair",
            Self::SumpPump => "sump pump service",
            Self::GasSmell => "gas leak call",
            Self::CoAlarm => "carbon monoxide call",
            Self::NoHeat => "no-heat repair",
            Self::NoAc => "air conditioning repair",
            Self::HvacRepair => "heating and cooling repair",
            Self::Maintenance => "maintenance visit",
            Self::SparkingOutlet => "outlet repair",
            Self::BurningSmell => "burning smell call",
            Self::PanelRepair => "electrical panel work",
            Self::PowerOutage => "power outage call",
            Self::ElectricalRepair => "electrical repair",
            Self::Handyman => "handyman visit",
            Self::Estimate => "estimate visit",
            Self::Inspection => "inspection",
            Self::Other => "service visit",
        }
    }

    /// Whether a later, more specific mention should replace this one.
    pub fn is_generic(self) -> bool {
        matches!(self, Self::Other | Self::Estimate)
    }
}

/// Keyword families for ordinary (non-emergency) work, most specific first. Each entry is
/// a list of token prefixes or `a b` two-token phrases.
const FAMILIES: &[(ServiceType, &[&str])] = &[
    (
        ServiceType::Maintenance,
        &[
            "tune up",
            "maintenance",
            "mantenimiento",
            "winteriz",
            "flush",
            "check up",
            "checkup",
            "revisen",
            "annual service",
            "membership",
        ],
    ),
    // Asked for by name ("a camera inspection", "have the line scoped"); "the inspector
    // said…" is about something else and is left to the trade families.
    (
        ServiceType::Inspection,
        &[
            "inspection",
            "inspeccion",
            "pressure test",
            "camera",
            "scope",
        ],
    ),
    (ServiceType::TanklessInstall, &["tankless"]),
    (
        ServiceType::WaterHeater,
        &[
            "water heater",
            "calentador",
            "heater's",
            "relief valve",
            "hot water",
        ],
    ),
    (
        ServiceType::BurstPipe,
        &["burst", "busted pipe", "reventad", "broken pipe"],
    ),
    (ServiceType::SumpPump, &["sump"]),
    (
        ServiceType::SewerBackup,
        &["sewer", "sewage", "main line", "aguas negras"],
    ),
    (
        ServiceType::DrainClog,
        &[
            "drain",
            "clog",
            "slow",
            "snake",
            "drenaje",
            "destap",
            "backed up",
        ],
    ),
    (ServiceType::ToiletRepair, &["toilet", "inodoro", "commode"]),
    (
        ServiceType::FaucetRepair,
        &[
            "faucet",
            "spigot",
            "shower handle",
            "llave",
            "grifo",
            "hose bib",
        ],
    ),
    (
        ServiceType::FrozenPipe,
        &["froze", "frozen", "freez", "insulat", "congel"],
    ),
    (
        ServiceType::PanelRepair,
        &["panel", "breaker", "amp", "fuse box", "service upgrade"],
    ),
    (
        ServiceType::NoAc,
        &[
            "ac not",
            "ac isn't",
            "ac won't",
            "ac quit",
            "ac stopped",
            "not cooling",
            "isn't cooling",
            "no ac",
            "no cool",
        ],
    ),
    (
        ServiceType::NoHeat,
        &[
            "no heat",
            "calefaccion",
            "heat isn't",
            "heat won't",
            "heat quit",
            "not heating",
            "blowing cold",
        ],
    ),
    (
        ServiceType::HvacRepair,
        &[
            "furnace",
            "boiler",
            "heat pump",
            "mini split",
            "thermostat",
            "hvac",
            "duct",
            "blower",
            "ac",
            "aire",
        ],
    ),
    (
        ServiceType::ElectricalRepair,
        &[
            "outlet",
            "gfci",
            "gfi",
            "switch",
            "light",
            "fixture",
            "wiring",
            "ceiling fan",
            "exhaust fan",
            "bath fan",
            "bathroom fan",
            "vent fan",
            "ev charger",
            "electric",
            "enchufe",
            "chandelier",
            "dimmer",
            "smoke detector",
        ],
    ),
    (
        ServiceType::LeakRepair,
        &[
            "leak",
            "drip",
            "gotea",
            "fuga",
            "water damage",
            "dishwasher",
        ],
    ),
    (
        ServiceType::Estimate,
        &[
            "estimate",
            "quote",
            "bid",
            "presupuesto",
            "cotiza",
            "remodel",
        ],
    ),
    (
        ServiceType::Handyman,
        &[
            "handyman",
            "drywall",
            "patch",
            "paint",
            "deck",
            "door",
            "shelves",
            "shelf",
            "tv mount",
            "caulk",
            "gutter",
            "fence",
            "mirror",
            "curtain",
            "blinds",
            "grab bar",
            "handrail",
            "hand rail",
            "railing",
            "baseboard",
            "towel bar",
            "cabinet",
        ],
    ),
];

/// Repair words that an estimate request outranks ("an estimate on the storm damage").
const ESTIMATE_OUTRANKS: &[ServiceType] = &[
    ServiceType::LeakRepair,
    ServiceType::FrozenPipe,
    ServiceType::Handyman,
    ServiceType::HvacRepair,
    ServiceType::ElectricalRepair,
];

fn family_hit(tokens: &[&str], needles: &[&str]) -> bool {
    needles.iter().any(|n| match n.split_once(' ') {
        Some((a, b)) => tokens.windows(2).any(|w| w[0] == a && w[1].starts_with(b)),
        // Short needles ("ac", "amp") would prefix-match unrelated words ("actually").
        None if n.len() <= 3 => tokens
            .iter()
            .any(|t| *t == *n || t.strip_suffix('s') == Some(n)),
        None => tokens.iter().any(|t| t.starts_with(n)),
    })
}

/// The most specific service family mentioned; `Other` when none is.
pub fn classify(tokens: &[&str]) -> ServiceType {
    let hits: Vec<ServiceType> = FAMILIES
        .iter()
        .filter(|(_, n)| family_hit(tokens, n))
        .map(|(s, _)| *s)
        .collect();
    let Some(&first) = hits.first() else {
        return ServiceType::Other;
    };
    if hits.contains(&ServiceType::Estimate) && ESTIMATE_OUTRANKS.contains(&first) {
        return ServiceType::Estimate;
    }
    first
}
