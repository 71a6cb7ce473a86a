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
    ("c o", "co"),
    ("wont", "won't"),
    ("cant", "can't"),
    ("dont", "don't"),
    ("didnt", "didn't"),
    ("doesnt", "doesn't"),
    ("isnt", "isn't"),
    ("arent", "aren't"),
    ("theres", "there's"),
    ("whats", "what's"),
    ("tune-up", "tune up"),
    ("tuneup", "tune up"),
    ("g f c i", "gfci"),
    ("g f i", "gfi"),
];

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
    let tokens: Vec<&str> = out
        .split_whitespace()
        .map(|t| t.trim_matches('\''))
        .filter(|t| !t.is_empty())
        .collect();
    let mut joined = format!(" {} ", tokens.join(" "));
    for (from, to) in REPAIRS {
        let pat = format!(" {from} ");
        let rep = format!(" {to} ");
        // Two passes catch back-to-back matches that share a space ("a c a c"); a bounded
        // count, because a repair whose output contained its input would never settle.
        for _ in 0..2 {
            if !joined.contains(&pat) {
                break;
            }
            joined = joined.replace(&pat, &rep);
        }
    }
    joined.trim().to_string()
}

/// Spanish function and request words that English callers do not use.
const SPANISH: &[&str] = &[
    "hola",
    "necesito",
    "quisiera",
    "tengo",
    "tenemos",
    "hay",
    "esta",
    "el",
    "los",
    "las",
    "una",
    "cita",
    "agua",
    "por",
    "favor",
    "gracias",
    "cuanto",
    "cuesta",
    "hablan",
    "ustedes",
    "trabajan",
    "para",
    "que",
    "mi",
    "casa",
    "se",
    "del",
    "con",
    "puedo",
    "hablar",
    "alguien",
    "espanol",
    "sabados",
    "manana",
    "tarde",
    "calefaccion",
    "tuberia",
    "tubo",
    "baño",
    "bano",
    "donde",
    "muy",
    "mucho",
    "nada",
    "todo",
    "todos",
    "cambiar",
    "arreglan",
];

/// True when at least two tokens are Spanish words (one alone is often a name or loan word).
pub fn looks_spanish(tokens: &[&str]) -> bool {
    tokens.iter().filter(|t| SPANISH.contains(t)).count() >= 2
        || (tokens.len() <= 3
            && tokens
                .iter()
                .any(|t| matches!(*t, "hola" | "gracias" | "espanol")))
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
