//! Artist names: reading credits and comparing names, also across scripts.

use crate::normalize::{has_abjad, normalize};
use crate::similarity::contains_words;

/// Words that open a credit for a guest, in the languages credits turn up in: "feat.", "ft.",
/// "featuring", "with", German "mit", Spanish/Italian "con", French "avec", Portuguese "part."
/// and "com" (normalised, so without their dots).
pub const CREDIT_WORDS: &[&str] = &[
    "feat",
    "ft",
    "featuring",
    "with",
    "w",
    "mit",
    "con",
    "avec",
    "part",
    "com",
];

/// Whether a normalised word opens a guest credit inside a title ("Title ft. X"). Only the words
/// that cannot be part of a title: "with", "mit", "con" can ("Dancing with Myself"), so they count
/// only at the start of a bracket, see [`is_credit_group`].
pub fn is_inline_credit(word: &str) -> bool {
    matches!(word, "feat" | "ft" | "featuring")
}

/// Whether a normalised bracket group ("(feat. X)", "(mit X)", "[with X]") is a guest credit.
pub fn is_credit_group(norm: &str) -> bool {
    let mut words = norm.split(' ');
    words.next().is_some_and(|w| CREDIT_WORDS.contains(&w)) && words.next().is_some()
}

/// The names in a credit line, raw (not normalised), split at ",", ";", "/", "&", "+", " x ",
/// " vs ", " and " and the words of [`CREDIT_WORDS`] and their language's "and" ("und", "y",
/// "et", "e"): "A feat. B, C & D" → A, B, C, D. A name that holds one of these ("Simon &
/// Garfunkel") is also split; callers compare the whole line too.
pub fn split_names(credit: &str) -> Vec<String> {
    let mut names = Vec::new();
    for part in credit.split([',', ';', '/', '&', '+', '、', '，']) {
        let mut current: Vec<&str> = Vec::new();
        for word in part.split_whitespace() {
            let w = normalize(word);
            if CREDIT_WORDS.contains(&w.as_str())
                || matches!(w.as_str(), "x" | "vs" | "and" | "und" | "y" | "et" | "e")
            {
                if !current.is_empty() {
                    names.push(current.join(" "));
                }
                current.clear();
            } else {
                current.push(word.trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']')));
            }
        }
        if !current.is_empty() {
            names.push(current.join(" "));
        }
    }
    names.retain(|n| !normalize(n).is_empty());
    names
}

/// How alike two artist names are, 0..=1, whatever script each is written in: equal when their
/// normalised forms are (ignoring spaces), else their [`similarity`](crate::similarity()) on the normalised
/// (transliterated) forms; a name in Hebrew or Arabic script against one in another script is
/// compared on consonant skeletons, since those scripts mostly leave vowels out.
pub fn name_similarity(a: &str, b: &str) -> f64 {
    let (na, nb) = (normalize(a), normalize(b));
    if na.is_empty() || nb.is_empty() {
        return 0.0;
    }
    if na == nb || na.replace(' ', "") == nb.replace(' ', "") {
        return 1.0;
    }
    let plain = strsim::normalized_levenshtein(&na, &nb);
    if has_abjad(a) != has_abjad(b) {
        let (sa, sb) = (skeleton(a), skeleton(b));
        // Short skeletons say little: "dm" fits many names.
        if sa.len() >= 3 && sa == sb {
            return 1.0;
        }
        if sa.len() >= 3 && sb.len() >= 3 {
            return plain.max(strsim::normalized_levenshtein(&sa, &sb));
        }
    }
    plain
}

/// Whether a normalised name appears whole in a normalised text, or equals it without spaces.
pub fn names_in(text: &str, name: &str) -> bool {
    !name.is_empty()
        && (text == name
            || text.replace(' ', "") == name.replace(' ', "")
            || contains_words(text, name))
}

/// The consonants of a name, spelled alike whichever script it came from: Hebrew's vowel letters
/// (א, ע, ה, ו and י inside a word) and Latin vowels dropped, sounds that scripts spell apart
/// merged (b/v/w, c/k/q/kh/ch, f/ph/p, s/sh, ts/tz/z).
fn skeleton(raw: &str) -> String {
    let abjad = has_abjad(raw);
    let ascii = any_ascii::any_ascii(raw).to_ascii_lowercase();
    let mut out = String::new();
    for word in ascii.split(|c: char| !(c.is_ascii_alphanumeric() || c == '\'' || c == '`')) {
        let mut w = word.to_owned();
        if abjad {
            // ו inside a Hebrew word is mostly a vowel (o, u); doubled (וו) it is "v".
            let mut kept = String::new();
            let chars: Vec<char> = w.chars().collect();
            let mut i = 0;
            while i < chars.len() {
                if chars[i] == 'v' && i > 0 {
                    if chars.get(i + 1) == Some(&'v') {
                        kept.push('v');
                        i += 2;
                        continue;
                    }
                    i += 1;
                    continue;
                }
                kept.push(chars[i]);
                i += 1;
            }
            w = kept;
        }
        for (from, to) in [
            ("sh", "s"),
            ("ch", "k"),
            ("kh", "k"),
            ("ph", "f"),
            ("tz", "z"),
            ("ts", "z"),
            ("ck", "k"),
        ] {
            w = w.replace(from, to);
        }
        let mut last = None;
        for c in w.chars() {
            let c = match c {
                'b' | 'w' => 'v',
                'c' | 'q' => 'k',
                'p' => 'f',
                c => c,
            };
            if matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'h' | '\'' | '`') || last == Some(c)
            {
                continue;
            }
            out.push(c);
            last = Some(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credits_split_in_many_languages() {
        assert_eq!(split_names("A feat. B, C & D"), ["A", "B", "C", "D"]);
        assert_eq!(split_names("Kuur x Kbubs x DCB"), ["Kuur", "Kbubs", "DCB"]);
        assert_eq!(split_names("Mark Forster mit Lea"), ["Mark Forster", "Lea"]);
        assert_eq!(split_names("Rosalía con J Balvin"), ["Rosalía", "J Balvin"]);
        assert_eq!(
            split_names("Aya Nakamura avec Damso"),
            ["Aya Nakamura", "Damso"]
        );
        assert_eq!(split_names("Anitta part. Cardi B"), ["Anitta", "Cardi B"]);
        assert!(is_credit_group(&normalize("mit Lea")));
        assert!(is_credit_group(&normalize("feat. Pharrell Williams")));
        assert!(!is_credit_group(&normalize("Live")));
    }

    #[test]
    fn names_compare_across_scripts() {
        assert!(name_similarity("Zemfira", "Земфира") > 0.99);
        assert!(name_similarity("Aimyon", "あいみょん") >= 0.8);
        assert!(name_similarity("Omer Adam", "עומר אדם") >= 0.9);
        assert!(name_similarity("Eyal Golan", "אייל גולן") >= 0.9);
        assert!(name_similarity("Noa Kirel", "נועה קירל") >= 0.9);
        // Not any Hebrew name fits any Latin one.
        assert!(name_similarity("Omer Adam", "אייל גולן") < 0.8);
        assert!(name_similarity("Lost Kings", "Lost Frequencies") < 0.8);
        assert!(name_similarity("TheVelvetFoxes", "The Velvet Foxes") > 0.99);
    }
}
