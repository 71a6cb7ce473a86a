//! Text clean-up before matching: lower case, accents folded, punctuation dropped, and
//! common speech-recognition slips repaired (split or misheard words for the things
//! trades callers talk about).

/// Sound-alike repairs, applied on whole-token boundaries. These are recogniser habits
/// (a word split in two, a homophone), not caller sentences.
const REPAIRS: &[(&str, &str)] = &[
    ("bass mint", "basement"),
    ("base mint", "basement"),
    ("out lit", "outlet"),
    ("out let", "outlet"),
    ("toy let", "toilet"),
    ("over flowing", "overflowing"),
    ("over flowed", "overflowed"),
    ("over flow", "overflow"),
    ("heat her", "heater"),
    ("a pointment", "appointment"),
    ("tank list", "tankless"),
    ("tank less", "tankless"),
    ("re schedule", "reschedule"),
    ("car bun", "carbon"),
    ("car bon", "carbon"),
    ("mon oxide", "monoxide"),
    ("mono oxide", "monoxide"),
    ("mono side", "monoxide"),
    ("mono nox side", "monoxide"),
    ("monoxide's", "monoxide"),
    ("warshing", "washing"),
    ("gaz", "gas"),
    ("burs", "burst"),
    ("bursted", "burst"),
    ("a c", "ac"),
    ("a slash c", "ac"),
    ("air conditioner", "ac"),
    ("air conditioning", "ac"),
    ("hot water tank", "water heater"),
    ("hot water heater", "water heater"),
    ("furnance", "furnace"),
    // A furnace's or water heater's exhaust pipe, heard as the illness.
    ("flu pipe", "flue pipe"),
    ("flu vent", "flue vent"),
    ("flu liner", "flue liner"),
    ("flu cap", "flue cap"),
    ("flu collar", "flue collar"),
    ("c o", "co"),
    ("wont", "won't"),
    ("cant", "can't"),
    ("dont", "don't"),
    ("didnt", "didn't"),
    ("doesnt", "doesn't"),
    ("isnt", "isn't"),
    ("arent", "aren't"),
    ("theres", "there's"),
    ("waters", "water's"),
    ("whats", "what's"),
    ("tune-up", "tune up"),
    ("tuneup", "tune up"),
    ("g f c i", "gfci"),
    ("g f i", "gfi"),
    // Phone-line mishearings of the trades' words.
    ("some pump", "sump pump"),
    ("sum pump", "sump pump"),
    ("furnish", "furnace"),
    ("furnaces", "furnace"),
    ("brake her", "breaker"),
    ("braker", "breaker"),
    ("brakers", "breakers"),
    ("sub panel", "subpanel"),
    ("fossett", "faucet"),
    ("fawcett", "faucet"),
    ("fosset", "faucet"),
    ("water heeder", "water heater"),
    ("heeder", "heater"),
    ("see oh", "co"),
    ("c02", "co2"),
    ("c o 2", "co2"),
    ("c o two", "co2"),
    ("pro pain", "propane"),
    ("thermal stat", "thermostat"),
    ("leek", "leak"),
    ("leeking", "leaking"),
    ("leeks", "leaks"),
    ("oder", "odor"),
    ("sulfer", "sulfur"),
    ("sewar", "sewer"),
    ("sour line", "sewer line"),
    ("sour backing", "sewer backing"),
    ("sour backed", "sewer backed"),
    ("sour backup", "sewer backup"),
    ("sour smell", "sewer smell"),
    ("dish washer", "dishwasher"),
    ("electric shin", "electrician"),
    ("circuit braker", "circuit breaker"),
    ("power lion", "power line"),
    ("power lions", "power lines"),
    ("guess smell", "gas smell"),
    ("burse", "burst"),
    ("pipe bus", "pipe burst"),
    ("wooder", "water"),
    ("warter", "water"),
    ("burnin", "burning"),
    ("leakin", "leaking"),
    ("sparkin", "sparking"),
    ("smokin", "smoking"),
    ("floodin", "flooding"),
    ("beepin", "beeping"),
    ("goin", "going"),
    ("comin", "coming"),
    ("smellin", "smelling"),
    // A double letter dropped by a typed or transcribed report.
    ("smel", "smell"),
    ("smels", "smells"),
    ("smeling", "smelling"),
    ("hissin", "hissing"),
    ("poppin", "popping"),
    ("buzzin", "buzzing"),
    ("runnin", "running"),
    ("drippin", "dripping"),
    ("sprayin", "spraying"),
    ("backin", "backing"),
    ("chirpin", "chirping"),
    ("detecor", "detector"),
    ("detecter", "detector"),
    ("dectector", "detector"),
    ("hasnt", "hasn't"),
    ("havent", "haven't"),
    ("wasnt", "wasn't"),
    ("nothings", "nothing's"),
    ("pourin", "pouring"),
    ("gushin", "gushing"),
    ("out lits", "outlets"),
    ("out lets", "outlets"),
    ("new born", "newborn"),
    ("furnis", "furnace"),
    ("furnes", "furnace"),
    ("for degrees", "four degrees"),
    ("sump pomp", "sump pump"),
    ("gas lick", "gas leak"),
    ("his sing", "hissing"),
    ("soar water", "sewer water"),
    ("sue ridge", "sewage"),
    ("breiker", "breaker"),
    ("flodeando", "inundando"),
    ("bursteo", "revento"),
    ("co two", "co2"),
];

/// A number said as a word or written ("two", "oh", "nineteen", "cinco", "7"): repeats
/// of it are meant ("nineteen nineteen" is the house number 1919).
fn is_digit_word(t: &str) -> bool {
    t.chars().all(|c| c.is_ascii_digit())
        || matches!(
            t,
            "ten"
                | "eleven"
                | "twelve"
                | "thirteen"
                | "fourteen"
                | "fifteen"
                | "sixteen"
                | "seventeen"
                | "eighteen"
                | "nineteen"
                | "twenty"
                | "thirty"
                | "forty"
                | "fifty"
                | "sixty"
                | "seventy"
                | "eighty"
                | "ninety"
                | "diez"
                | "once"
                | "doce"
                | "veinte"
                | "treinta"
                | "cuarenta"
                | "cincuenta"
                | "sesenta"
                | "setenta"
                | "ochenta"
                | "noventa"
        )
        || matches!(
            t,
            "zero"
                | "oh"
                | "one"
                | "two"
                | "three"
                | "four"
                | "five"
                | "six"
                | "seven"
                | "eight"
                | "nine"
                | "cero"
                | "uno"
                | "dos"
                | "tres"
                | "cuatro"
                | "cinco"
                | "seis"
                | "siete"
                | "ocho"
                | "nueve"
        )
}

/// [`REPAIRS`] as they are matched: each side padded with a space, built once.
static PADDED_REPAIRS: std::sync::LazyLock<Vec<(String, String)>> =
    std::sync::LazyLock::new(|| {
        REPAIRS
            .iter()
            .map(|(from, to)| (format!(" {from} "), format!(" {to} ")))
            .collect()
    });

/// Lower-cases, folds accents, drops punctuation (keeping apostrophes inside words) and
/// applies [`REPAIRS`]. Output tokens are separated by single spaces.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let c = match c {
            'á' | 'Á' | 'à' => 'a',
            'é' | 'É' | 'è' => 'e',
            'í' | 'Í' => 'i',
            'ó' | 'Ó' => 'o',
            'ú' | 'Ú' | 'ü' => 'u',
            'ñ' | 'Ñ' => 'n',
            '’' | '‘' | '`' => '\'',
            c => c,
        };
        if c.is_alphanumeric() || c == '\'' {
            out.extend(c.to_lowercase());
        } else {
            out.push(' ');
        }
    }
    let mut tokens: Vec<&str> = out
        .split_whitespace()
        .map(|t| t.trim_matches('\''))
        .filter(|t| !t.is_empty())
        .collect();
    // A bad line repeats words ("the the water", "no no prende"): one of each is enough,
    // but for digits said one at a time ("one four two two five", "cinco cinco") and
    // letters spelled out ("r e e d").
    tokens.dedup_by(|a, b| a == b && !is_digit_word(a) && a.chars().count() > 1);
    let mut joined = format!(" {} ", tokens.join(" "));
    for (pat, rep) in PADDED_REPAIRS.iter() {
        // Two passes catch back-to-back matches that share a space ("a c a c"); a bounded
        // count, because a repair whose output contained its input would never settle.
        for _ in 0..2 {
            if !joined.contains(pat.as_str()) {
                break;
            }
            joined = joined.replace(pat.as_str(), rep);
        }
    }
    joined.trim().to_string()
}

/// Spanish words that English callers do not use (function words, common verbs and the
/// nouns of the trades). Words spelled the same in English ("no", "me", "come", "gas")
/// are left out.
const SPANISH: &[&str] = &[
    "hola",
    "bueno",
    "buenas",
    "oiga",
    "mande",
    "pues",
    "senor",
    "senora",
    "senorita",
    "necesito",
    "necesitamos",
    "quisiera",
    "quiero",
    "queremos",
    "puede",
    "pueden",
    "podria",
    "podrian",
    "tengo",
    "tiene",
    "tienen",
    "tenemos",
    "hay",
    "esta",
    "estan",
    "estoy",
    "es",
    "soy",
    "el",
    "la",
    "los",
    "las",
    "un",
    "una",
    "unos",
    "de",
    "del",
    "en",
    "y",
    "que",
    "por",
    "para",
    "con",
    "sin",
    "mi",
    "mis",
    "su",
    "sus",
    "se",
    "le",
    "les",
    "lo",
    "muy",
    "mucho",
    "mucha",
    "nada",
    "todo",
    "todos",
    "toda",
    "todas",
    "pero",
    "porque",
    "cuando",
    "donde",
    "como",
    "tambien",
    "hoy",
    "ahora",
    "ahorita",
    "manana",
    "tarde",
    "noche",
    "semana",
    "favor",
    "gracias",
    "cuanto",
    "cuanta",
    "cuesta",
    "cobran",
    "hablan",
    "habla",
    "hablar",
    "ustedes",
    "usted",
    "trabajan",
    "alguien",
    "espanol",
    "sabados",
    "agua",
    "casa",
    "cocina",
    "bano",
    "baño",
    "techo",
    "piso",
    "pared",
    "sotano",
    "luz",
    "calor",
    "frio",
    "fria",
    "olor",
    "huele",
    "fuga",
    "tubo",
    "tuberia",
    "caneria",
    "llave",
    "calefaccion",
    "calentador",
    "estufa",
    "enchufe",
    "drenaje",
    "inodoro",
    "excusado",
    "cita",
    "cambiar",
    "cancelar",
    "arreglar",
    "arreglan",
    "reparar",
    "revisar",
    "venir",
    "vengan",
    "mandar",
    "manden",
    "llamar",
    "llame",
    "sale",
    "salir",
    "prende",
    "sirve",
    "funciona",
    "tapado",
    "tapada",
    "roto",
    "rota",
    "revento",
    "rompio",
    "mojado",
    "abuela",
    "bebe",
    "ayuda",
    "ayudar",
    "gotea",
    "goteando",
    "saliendo",
    "quemado",
    "chispas",
];

/// True when the utterance reads as Spanish: at least two Spanish-only words and as many
/// as a third of the words, or a short greeting or thanks in Spanish.
pub fn looks_spanish(tokens: &[&str]) -> bool {
    let es = tokens.iter().filter(|t| SPANISH.contains(t)).count();
    (es >= 2 && es * 3 >= tokens.len())
        || (es >= 4)
        || (tokens.len() <= 3
            && tokens
                .iter()
                .any(|t| matches!(*t, "hola" | "gracias" | "espanol" | "bueno")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_split_words_and_punctuation() {
        assert_eq!(
            normalize("Our bass mint has water!"),
            "our basement has water"
        );
        assert_eq!(normalize("my A/C quit"), "my ac quit");
        assert_eq!(normalize("¿Cuánto cuesta?"), "cuanto cuesta");
    }

    #[test]
    fn repeated_words_collapse_but_repeated_digits_stay() {
        assert_eq!(normalize("the the water is is up"), "the water is up");
        assert_eq!(
            normalize("one four two two five blackfoot"),
            "one four two two five blackfoot"
        );
        assert_eq!(normalize("cinco cinco 55 55"), "cinco cinco 55 55");
    }
}

#[cfg(test)]
mod repair_tests {
    use super::*;

    #[test]
    fn no_repair_reproduces_its_own_input() {
        for (from, to) in REPAIRS {
            assert!(
                !format!(" {to} ").contains(&format!(" {from} ")),
                "repair {from:?} -> {to:?} would match its own output"
            );
        }
    }

    #[test]
    fn repeated_and_adjacent_slips_are_all_repaired() {
        assert_eq!(
            normalize("car bun car bun monoxide"),
            "carbon carbon monoxide"
        );
        assert_eq!(normalize("a c a c"), "ac ac");
    }
}
