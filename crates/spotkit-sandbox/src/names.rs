//! Word lists and name builders for the generated catalogue.
//!
//! Names are meant to look like a real library, awkward parts included: accents, non-Latin scripts,
//! commas, quotes, "feat." credits and remaster suffixes, because exports and matchers must cope with them.

use rand::Rng;
use rand::seq::IndexedRandom;

const FIRST: &[&str] = &[
    "Ada", "Björn", "Chloé", "Dmitri", "Esmé", "Farah", "Gustav", "Hana", "Ibrahim", "Jonas",
    "Kira", "Léa", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Søren", "Tomás", "Uma",
    "Vera", "Wen", "Ximena", "Yusuf", "Zoë", "Ana", "Malik", "Ines", "Kenji",
];
const LAST: &[&str] = &[
    "Abara",
    "Brandt",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fontaine",
    "García",
    "Haddad",
    "Ivanova",
    "Jansen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "O'Connor",
    "Petrović",
    "Quinn",
    "Rossi",
    "Sánchez",
    "Takahashi",
    "Úlfarsson",
    "Varga",
    "Weiß",
    "Yilmaz",
    "Zhang",
];
const ADJ: &[&str] = &[
    "Electric", "Silent", "Golden", "Broken", "Velvet", "Neon", "Hollow", "Wild", "Crimson",
    "Quiet", "Distant", "Paper", "Midnight", "Frozen", "Burning", "Lonely", "Bright", "Northern",
    "Secret", "Sweet", "Endless", "Little", "Blue", "Strange", "Naïve", "Über", "Dear", "Last",
    "Lucky", "Late",
];
const NOUN: &[&str] = &[
    "Heart",
    "River",
    "City",
    "Dream",
    "Fire",
    "Summer",
    "Ocean",
    "Light",
    "Shadow",
    "Garden",
    "Highway",
    "Mirror",
    "Signal",
    "Machine",
    "Island",
    "Storm",
    "Letter",
    "Window",
    "Satellite",
    "Parade",
    "Mountain",
    "Echo",
    "Harbor",
    "Café",
    "Canyon",
    "Horizon",
    "Radio",
    "Season",
    "Stranger",
    "Train",
    "Wolf",
    "Moon",
    "Avenue",
    "Diamond",
    "Ghost",
    "Kingdom",
    "Mélodie",
    "東京",
    "Corazón",
];
const VERB: &[&str] = &[
    "Running", "Falling", "Dancing", "Waiting", "Dreaming", "Chasing", "Leaving", "Breaking",
    "Calling", "Holding", "Burning", "Drifting", "Singing", "Turning", "Walking",
];
const LABELS: &[&str] = &[
    "Northern Lights Records",
    "Velvet Tape",
    "Harbor Sound",
    "Blue Canyon Music",
    "Paper Moon Recordings",
    "Satellite Audio",
    "Independent",
    "Mélodie Musique",
    "Kingdom Entertainment",
    "Parade Records",
];
/// Genres as Spotify spells them.
pub const GENRES: &[&str] = &[
    "indie pop",
    "alternative rock",
    "dream pop",
    "synthwave",
    "modern rock",
    "k-pop",
    "latin pop",
    "neo soul",
    "folk",
    "jazz fusion",
    "hip hop",
    "deep house",
    "chanson",
    "post-punk",
    "ambient",
    "art pop",
    "reggaeton",
    "city pop",
    "bossa nova",
    "shoegaze",
];
const PODCAST_TOPICS: &[&str] = &[
    "History",
    "Science",
    "Design",
    "Music Theory",
    "Cooking",
    "Startups",
    "Cinema",
    "Space",
];
const BOOK_WORDS: &[&str] = &[
    "Chronicles",
    "Memoir",
    "Guide",
    "Journey",
    "Secrets",
    "Letters",
    "Atlas",
    "Tales",
];
const MARKETS: &[&str] = &[
    "DE", "FR", "GB", "JP", "SE", "US", "BR", "MX", "ES", "IT", "NL", "PL",
];

fn pick<'a>(rng: &mut impl Rng, list: &'a [&'a str]) -> &'a str {
    list.choose(rng).copied().unwrap_or("Untitled")
}

/// A person's or band's name.
pub fn artist(rng: &mut impl Rng) -> String {
    match rng.random_range(0..10) {
        0..=3 => format!("{} {}", pick(rng, FIRST), pick(rng, LAST)),
        4..=6 => format!("The {} {}s", pick(rng, ADJ), pick(rng, NOUN)),
        7 => format!("{} & the {}s", pick(rng, FIRST), pick(rng, NOUN)),
        8 => pick(rng, LAST).to_uppercase(),
        _ => format!("{} {}", pick(rng, ADJ), pick(rng, NOUN)),
    }
}

/// A song title (without credits or suffixes).
pub fn title(rng: &mut impl Rng) -> String {
    match rng.random_range(0..12) {
        0..=2 => format!("{} {}", pick(rng, ADJ), pick(rng, NOUN)),
        3 | 4 => format!("{} {}", pick(rng, VERB), pick(rng, NOUN)),
        5 => format!("The {} of {}", pick(rng, NOUN), pick(rng, NOUN)),
        6 => pick(rng, NOUN).to_string(),
        7 => format!("{}, {}", pick(rng, NOUN), pick(rng, NOUN)),
        8 => format!("\"{}\"", pick(rng, NOUN)),
        9 => format!("{} {} {}", pick(rng, VERB), pick(rng, ADJ), pick(rng, NOUN)),
        10 => format!("{} in the {}", pick(rng, NOUN), pick(rng, NOUN)),
        _ => format!("{} (Interlude)", pick(rng, NOUN)),
    }
}

/// An album title.
pub fn album(rng: &mut impl Rng) -> String {
    match rng.random_range(0..6) {
        0 | 1 => format!("{} {}", pick(rng, ADJ), pick(rng, NOUN)),
        2 => format!("{}s", pick(rng, NOUN)),
        3 => format!("Songs from the {}", pick(rng, NOUN)),
        4 => format!("{} & {}", pick(rng, NOUN), pick(rng, NOUN)),
        _ => pick(rng, NOUN).to_string(),
    }
}

/// A record label.
pub fn label(rng: &mut impl Rng) -> String {
    pick(rng, LABELS).to_string()
}

/// A podcast name and its publisher.
pub fn show(rng: &mut impl Rng) -> (String, String) {
    let topic = pick(rng, PODCAST_TOPICS);
    (
        format!("{} {}: {}", pick(rng, ADJ), pick(rng, NOUN), topic),
        format!("{} Media", pick(rng, LAST)),
    )
}

/// An audiobook title.
pub fn book(rng: &mut impl Rng) -> String {
    format!("The {} {}", pick(rng, NOUN), pick(rng, BOOK_WORDS))
}

/// A genre.
pub fn genre(rng: &mut impl Rng) -> &'static str {
    GENRES.choose(rng).copied().unwrap_or("pop")
}

/// All markets the sandbox knows.
pub fn markets() -> &'static [&'static str] {
    MARKETS
}
