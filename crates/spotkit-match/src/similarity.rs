//! How alike two normalised texts are.

/// Similarity of two [`normalize`](crate::normalize())d texts, 0..=1: the better of the
/// normalised Levenshtein similarity (typos, spellings) and the F1 of their common words (word
/// order, extra words).
pub fn similarity(a: &str, b: &str) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    strsim::normalized_levenshtein(a, b).max(word_f1(a, b))
}

/// F1 of the words two texts have in common (0 when either is empty).
pub fn word_f1(a: &str, b: &str) -> f64 {
    let ta: Vec<&str> = a.split(' ').filter(|w| !w.is_empty()).collect();
    let tb: Vec<&str> = b.split(' ').filter(|w| !w.is_empty()).collect();
    if ta.is_empty() || tb.is_empty() {
        return 0.0;
    }
    let common = ta.iter().filter(|w| tb.contains(w)).count() as f64;
    if common == 0.0 {
        return 0.0;
    }
    let p = common / tb.len() as f64;
    let r = common / ta.len() as f64;
    2.0 * p * r / (p + r)
}

/// Whether `needle`'s words appear, in order and together, among `haystack`'s.
pub fn contains_words(haystack: &str, needle: &str) -> bool {
    !needle.is_empty() && format!(" {haystack} ").contains(&format!(" {needle} "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_and_word_order_are_close_other_words_are_not() {
        assert!((similarity("halo", "halo") - 1.0).abs() < f64::EPSILON);
        assert!(similarity("beyonce", "beyonse") > 0.8);
        assert!(similarity("one two three", "three two one") > 0.99);
        assert!(similarity("blue water", "red fire") < 0.5);
        assert!(contains_words("the velvet foxes", "velvet foxes"));
        assert!(!contains_words("the velvet foxes", "velvet fox"));
    }
}
