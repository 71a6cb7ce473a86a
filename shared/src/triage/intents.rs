//! Intent cues: the rules' reading of what a caller wants (book, move, cancel, ask, reach
//! a person, the owner's own questions, not a lead). Patterns are word families with short
//! gaps (see `pattern`), in English and Spanish. The model weighs this reading with the
//! words themselves (`model`), so these lists are evidence, not the final word.

use super::pattern;
use super::{Intent, ServiceType};

fn any(tokens: &[&str], specs: &[&str]) -> Option<(usize, usize)> {
    specs.iter().find_map(|s| pattern::find(s, tokens))
}

fn has(tokens: &[&str], words: &[&str]) -> bool {
    tokens.iter().any(|t| {
        words
            .iter()
            .any(|w| w.strip_suffix('*').map_or(*t == *w, |p| t.starts_with(p)))
    })
}

fn has_phrase(tokens: &[&str], specs: &[&str]) -> bool {
    any(tokens, specs).is_some()
}

/// Calls that are not leads: misdials, sales and robocalls, calls meant for another
/// business, and housekeeping (paying a bill, saying thanks).
const NOT_A_LEAD: &[&str] = &[
    "wrong number",
    "butt dialed",
    "dialed wrong",
    // Calls meant for a doctor's office or a clinic.
    "appointment with the|my doctor|dentist|dr|clinic|doctora",
    "appointment with dr|doctor|dentist",
    "cita con el|la doctor|doctora|dentista|medico|medica",
    "es|esta la clinica|farmacia|escuela|oficina del",
    "is this the clinic|pharmacy|doctor's|dentist|dentist's",
    "misdial*",
    "pocket dial*",
    "sorry wrong",
    "number equivocado",
    "numero equivocado",
    "press one|1|2|two|nine|9",
    "oprima|marque uno|1|dos|2",
    "extended warranty",
    "vehicle's|car's warranty",
    "final notice",
    "automated message|call",
    "this is a recorded|automated",
    "business listing",
    "google listing|ranking|page|profile|reviews",
    "seo|ranking|rankings|leads|advertising|marketing",
    "merchant services",
    "credit card processing",
    "business loan|funding",
    "energy bill",
    "solar panels|savings",
    "are you hiring",
    "you're|youre|you hiring",
    "send|email|drop resume|resumes|cv",
    "apprentice|apprenticeship position*|opening*|program",
    "hiring apprentice*|helper*|plumber*|electrician*|tech*",
    "looking for work",
    "looking for a job",
    "apply for|job opening|application",
    "submit|drop off resume",
    "trabajo|empleo",
    "quick survey",
    "calling from marketing|media|solutions|services|group|agency",
    // A pitch names what it sells to the shop, not a job at a house.
    "helping|help businesses|companies|contractors|plumbers|electricians",
    "company|business|outfit that sells|offers|leases|rents",
    "great|special|amazing|best deals|prices|pricing|offers on|right",
    "deals on|for trucks|vans|fleet|equipment|software",
    "home service|services businesses|companies|pros",
    "more calls|customers|leads|reviews|jobs from|on|through",
    "grow your|the business",
    "your online presence|reputation",
    "a partnership|sponsorship",
    "courtesy call",
    "calling from supply|supplies|distributor|distributors|distributing|wholesale|wholesaler",
    "for your trucks|vans|techs|technicians|crews|fleet|employees",
    "deal|special|promotion|promo this month|week on",
    "fleet|fuel card|cards|program|discount*|savings",
    "who handles|manages|does|makes purchasing|buying|ordering|marketing|payroll|fleet|decisions",
    "in charge of purchasing|buying|ordering|marketing|payroll|fleet",
    "decision maker",
    "sell|selling|supply|supplying to contractors|plumbers|electricians|businesses|companies|shops",
    "bulk pricing|order|orders|discount|discounts",
    "signing|sign up contractors|plumbers|electricians|vendors|providers|companies",
    "our|their network",
    "vendor agreement|agreements|program|application",
    "send you jobs|leads|work|calls|customers",
    "your order's|order ready",
    "is this the dentist|doctor|dr|clinic|pharmacy|restaurant|school|office|vet|pizza|hospital|bank",
    "is this dr",
    // A slot is one word: "isn't" and "is not" are two patterns.
    "oh this isn't",
    "oh this is not",
    "this isn't the|a|an shop|restaurant|office|place|pizza|store|clinic",
    "this is not the|a|an shop|restaurant|office|place|pizza|store|clinic",
    "equivoque|equivoco|equivocamos|equivocado|equivocada numero",
    "es la|el taqueria|restaurante|pizzeria|farmacia|clinica|consultorio",
    "taqueria|pizzeria",
    "pedido para llevar",
    "order for pickup|delivery",
    "for pickup",
    "to go order",
    "wrong place|business|company|shop|office",
    "lawn guy",
    "do you mow",
    "pet clinic",
];

/// Calls about the business's own paperwork or courtesy: not a lead, but someone to hear.
const HOUSEKEEPING: &[&str] = &[
    "pay the|my invoice|bill",
    "email|send|text|mail me|us receipt|invoice|bill|statement",
    "copy of receipt|invoice|bill",
    "question|questions|problem about|on|with bill|invoice|statement|charge|receipt",
    "not happy|satisfied",
    "unhappy|disappointed",
    "file|make a complaint",
    "say thanks|thank",
    "invoice|bill|receipt|statement went|sent|goes|go to old|wrong|email|address",
    "update|change email|billing|card on file",
    "new|old|wrong email|billing address",
    "returning a missed call",
    "we're all good",
    "all good",
];

/// The business owner asking about their own book of work.
const OWNER_QUERY: &[&str] = &[
    "this is the owner",
    "this is in|from the office",
    "in|from the office did|has|have|is|was the|that|anyone|anybody|somebody",
    "read me",
    "today's jobs",
    "what's|what on my|the schedule|calendar",
    "my schedule today|tomorrow|look|for",
    "my first appointment|job",
    "mi primera|primer|siguiente|proxima cita|trabajo|servicio|llamada",
    "my two|three|one|four|ten|eleven|nine o'clock",
    "block off",
    "how many calls|jobs|bookings|leads",
    "any new bookings|leads|calls|messages",
    "any cancellations|emergencies|callbacks",
    "did we get",
    "did the|that job|customer|appointment get|go|pay",
    "did the|that lady|guy|man|woman|customer|client|homeowner|landlord",
    "what's|what|does today|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday look",
    "truck's|van's|crew's schedule|day|route",
    "'s truck|van|crew",
    "jobs booked",
    "job get scheduled|booked|done",
];

const HUMAN: &[&str] = &[
    "talk|speak to|with someone|somebody|person|human|manager|owner|tech|real|alguien|anyone",
    "hablar con",
    "representative",
    "operator",
    "agent agent",
    "get me a human",
    "is someone|somebody|anybody|anyone around|there|available",
    "real person",
    "talk|speak to|with whoever*",
    "talk|speak to|with the foreman|super|superintendent|supervisor|lead|crew",
    "connect|transfer|put me through|over",
    "connect|transfer me",
];

const CANCEL: &[&str] = &[
    "call off",
    "don't|dont send anybody|anyone|someone|somebody|the|your|a",
    "do not send anybody|anyone|someone|somebody|the|your|a",
    "went|going|gone with another|someone|somebody",
    "went|going|gone with the|a other|different",
    "found someone|somebody else",
    "won't|wont need after all",
    "don't|dont need after all",
    "don't|dont need you|anyone|anybody|somebody|someone to come",
    "not need after all",
    "won't|wont be needing",
    "don't need the|you|anyone|anybody anymore",
    "don't|dont need him|her|them|it|you|anyone|anybody|somebody|someone now|anymore",
    "won't need the|you",
    "take|taking us|me|it off the schedule|calendar|books|list",
    "no longer need",
    "don't|won't need the|my|our|that appointment|visit|cita",
    "do not need the|my|our|that appointment|visit|cita",
];

/// Words that say an appointment already exists ("we have the plumber coming monday").
const EXISTING_BOOKING: &[&str] = &[
    "i'm|im|we're|were down|booked|scheduled|on for",
    "booked|scheduled you|y'all|yall",
    "set up|made|booked|scheduled a|an|the appointment|appt|visit|cita",
    "i|we am|are down|booked|scheduled for",
    "won't|wont|can't|cant be home|there|around for",
    "not be home|there|around for",
    "have|has|had|got a|an|the|my|you appointment|visit|install|plumber|electrician|handyman|tech|technician|guy|someone|somebody|upgrade|job|service|repair|inspection|cleaning|estimate",
    "have|had|got the|our|my thing|visit|appointment|appt on|for|this|tomorrow|today|monday|tuesday|wednesday|thursday|friday|saturday|sunday",
    "have|has|had|got coming|scheduled|booked|down",
    "has|have somebody|someone coming",
    "you're|you|plumber|tech|guy supposed to come|be",
    "had you down",
    "got|have|had|put me|us down",
    "my appointment",
    "our appointment",
    "mi cita",
    "tengo|tenemos|tenia|teniamos cita",
];

/// Words that ask for a different time than the one booked.
const MOVE_CUES: &[&str] = &[
    "instead",
    "push it|back|to",
    "bump it|us|me",
    "move it|us|me|the|my|that|this|our",
    "switch it|my|the|to",
    "change it|my|the",
    "can|could it be",
    "could|can we do|make",
    "could|can you make it|do",
    "anything later|earlier|else",
    "something later|earlier",
    "different day|time",
    "later the same day",
    "rather it|have|do|make|come|be",
    "move|moved to|till|until",
    "another day|time",
];

const QUESTION: &[&str] = &[
    "do you|y'all|yall|ya",
    "y'all|yall do|service|cover|go|work|come",
    "you guys do|service|cover|go|work|come",
    "do|does your|anyone",
    "can it wait",
    "emergency or",
    "are you|y'all",
    "how much|far|long|soon",
    "what's|what your|are",
    "what's the price|cost|charge",
    "what does that|it run|cost",
    "what brands|kind|are|should|do",
    "where are",
    "is there a|someone|anyone",
    "is this the",
    "cuanto",
    "hablan",
    "trabajan",
    "ustedes",
    "is that|it normal|bad|safe|okay|ok",
    // "is that just the battery?": asking what a sign means.
    "is that|it|this battery|batteries|pila|bateria",
    "should i|we",
    "will that|my|it",
    "wondering if|whether",
    "get|send a text|call|heads when|before|up",
    "text|call me when|before",
];

/// Words that say a question is coming ("I wanted to ask", "quick question").
const ASKS_OUTRIGHT: &[&str] = &[
    "wanted|want|wanna|gonna to ask|know what|how|whether|if|about",
    "wanted|want|wanna ask what|how|whether|if|about",
    "quick|random|general question",
    "have|had a question",
    "una pregunta",
    "what|how should i|we set|do|leave|turn|keep",
];

/// A question about policy, price or advice; a booking request phrased with it is still
/// a question ("will you put in a sink I got myself").
const POLICY_QUESTION: &[&str] = &[
    "do you|y'all",
    "how much",
    "price|cost|charge|financing",
    "bought|got myself|ourselves",
    "my|our own",
    "is this the number|right",
    "is that|it normal|bad|safe",
    "should i|we",
    "wondering if|whether",
];

const REQUEST: &[&str] = &[
    "come out|by|over|look|check",
    "send someone|somebody|a",
    "look at",
    "i need",
    "we need",
    "need a|someone|somebody|my|it|to",
    "i'd like",
    "id like",
    "would like",
    "we want|wanna",
    "i want to|wanna",
    "get on the books",
    "set up",
    "schedule",
    "book",
    "appointment",
    "necesito",
    "necesitamos",
    "queremos",
    "quisiera",
    "pueden|podrian venir|mandar",
    "cita",
    "get somebody|someone",
    "have someone|somebody",
    "can|could you check|fix|come|send|look|replace|install|take|snake|clean",
    "can|could somebody|someone",
    "give us a quote",
    "get a quote",
    "get an estimate",
    "upgraded|installed|replaced|fixed|cleaned|serviced|scoped",
    "to get my|our",
];

/// Something is broken: a description of a fault is a request for a visit.
const FAULT: &[&str] = &[
    "won't|wont|doesn't|isn't|not|can't work*|start*|spin*|drain*|turn*|flush*|stop*|heat*|cool*|light*|come",
    "no hot water",
    "broke|broken|busted|stopped|quit|died|dead",
    "hums|humming|clogged|backed|leaking|leaks|dripping|drips|tripping|flickering",
];

/// A rule confidence at which the rules' intent stands whatever the model weighs: the
/// caller said what they want in so many words.
pub const DECISIVE: f32 = 0.95;

/// "I need to cancel", "we have to cancel our appointment".
const SAID_OUTRIGHT_CANCEL: &[&str] = &[
    "need|have|want|gotta|got|going|wanna|like to cancel",
    "gonna|hafta|wanna|gotta cancel",
    "please cancel",
    "cancel my|our|the appointment|visit|cita",
    "quiero|necesito cancelar",
    "tengo que cancelar",
];

/// "I need to reschedule", "can we move our appointment".
const SAID_OUTRIGHT_MOVE: &[&str] = &[
    "need|have|want|gotta|got|going|wanna|like to reschedule|postpone",
    "need|have|want|gotta|got|going|wanna|like to re schedule",
    "gonna|hafta|wanna|gotta reschedule|postpone",
    "please reschedule",
    "reschedule my|our|the appointment|visit|cita",
    "quiero|necesito reprogramar",
    "tengo que reprogramar",
    "quiero|necesito cambiar mi|la cita",
    "tengo que cambiar mi|la cita",
    "quiero|necesito cambiarla|moverla|reprogramarla|cambiarle",
    "tengo que cambiarla|moverla|reprogramarla|cambiarle",
];

/// The business's own paperwork or courtesy ("a question on my bill", "email me a
/// receipt"): not a lead, but someone for the owner to hear.
pub fn housekeeping(tokens: &[&str]) -> bool {
    has_phrase(tokens, HOUSEKEEPING)
}

/// A cancellation said in so many words ("cancel it", "we won't need you after all"),
/// not one the model reads into "I can't make it Friday", and not a denied one ("don't
/// cancel it, move it").
pub fn cancel_said(tokens: &[&str]) -> bool {
    let denied = |i: usize| {
        tokens[i.saturating_sub(2)..i]
            .iter()
            .any(|w| matches!(*w, "don't" | "dont" | "not" | "no" | "never"))
    };
    tokens
        .iter()
        .enumerate()
        .any(|(i, w)| (w.starts_with("cancel") || *w == "cancelar") && !denied(i))
        || has_phrase(tokens, CANCEL)
}

/// The caller speaks of a job already on the books ("we've got your electrician friday",
/// "tengo una cita el jueves"). `tokens` are normalized.
pub fn existing_booking(tokens: &[&str]) -> bool {
    has_phrase(tokens, EXISTING_BOOKING)
}

/// A call that is not a lead: a wrong number, a robocall, a sales pitch, a job seeker.
pub fn not_a_lead(tokens: &[&str]) -> bool {
    has_phrase(tokens, NOT_A_LEAD)
}

/// Words that are not someone asked for in "is X there".
const NOT_A_PERSON: &[&str] = &[
    "it",
    "that",
    "this",
    "there",
    "water",
    "gas",
    "power",
    "anything",
    "something",
    "everything",
    "someone",
    "somebody",
    "anyone",
    "anybody",
    "a",
    "the",
];

/// The rules' intent of a non-emergency utterance, with a confidence 0..1.
pub fn intent(tokens: &[&str], joking: bool) -> (Intent, f32) {
    let t = tokens;
    if t.is_empty() {
        return (Intent::Other, 0.0);
    }
    if has_phrase(t, NOT_A_LEAD) || has_phrase(t, HOUSEKEEPING) || joking {
        return (Intent::Other, 0.8);
    }
    if has_phrase(t, OWNER_QUERY) {
        return (Intent::OwnerQuery, 0.8);
    }
    // "is <someone> around?": a caller asking for a particular person.
    let asks_for_person = t.windows(3).any(|w| {
        w[0] == "is"
            && (matches!(w[2], "around" | "available")
                || w[2] == "there" && !NOT_A_PERSON.contains(&w[1]))
    });
    if has_phrase(t, HUMAN) || asks_for_person {
        return (Intent::Human, 0.85);
    }
    // "I need to reschedule": said outright, the caller's own words stand.
    // Not when it is asked about ("what if I need to cancel", "is there a fee").
    let asked_about = has(t, &["if", "si", "policy", "fee", "charge*", "cobran"])
        || has_phrase(t, &["how do|can|would i|we", "can|could|do i|we"]);
    if !asked_about && has_phrase(t, SAID_OUTRIGHT_CANCEL) {
        return (Intent::Cancel, DECISIVE);
    }
    if !asked_about && has_phrase(t, SAID_OUTRIGHT_MOVE) {
        return (Intent::Reschedule, DECISIVE);
    }
    let existing = has_phrase(t, EXISTING_BOOKING);
    // "I had a man coming Saturday… so I don't need him now": a job on the books and no
    // need of it is a cancel, however long the story around it.
    if has(t, &["cancel*", "cancelar"]) || has_phrase(t, CANCEL) {
        return (Intent::Cancel, if existing { DECISIVE } else { 0.85 });
    }
    if has(t, &["reschedul*", "postpone", "reprogramar"])
        || has_phrase(
            t,
            &[
                "re schedule",
                "cambiar mi|la cita",
                "cambiar el|la|mi dia|fecha|hora|cita",
                "cambiarla|moverla|pasarla para|a",
                "change|move|switch|push my|the|our appointment|visit|cita",
                "appointment|appt|visit|cita can|could|should move|moved|switch|switched|change|changed",
                "move|moving|push|bump|switch the|our|my plumber|electrician|tech|technician|guy|handyman|crew|appointment|visit from",
                "from monday|tuesday|wednesday|thursday|friday|saturday|sunday to|till|until monday|tuesday|wednesday|thursday|friday|saturday|sunday",
            ],
        )
        || (existing || has_phrase(t, &["schedule changed", "something came up"]))
            && has_phrase(t, MOVE_CUES)
    {
        return (Intent::Reschedule, 0.85);
    }
    let question = has_phrase(t, QUESTION);
    let request = has_phrase(t, REQUEST);
    // "I wanted to ask what I should set the thermostat at": a question said to be one,
    // with nothing and nobody asked for, is one.
    if has_phrase(t, ASKS_OUTRIGHT) && !request && !has_phrase(t, &["talk|speak to|with"]) {
        return (Intent::Faq, DECISIVE);
    }
    let policy = has_phrase(t, POLICY_QUESTION);
    if (question || policy && has_phrase(t, &["can|could you"])) && (!request || policy) {
        return (Intent::Faq, 0.8);
    }
    if request {
        return (Intent::Schedule, 0.85);
    }
    if super::service::classify(t) != ServiceType::Other || has_phrase(t, FAULT) {
        return (Intent::Schedule, 0.6);
    }
    if question {
        return (Intent::Faq, 0.6);
    }
    (Intent::Other, 0.3)
}
