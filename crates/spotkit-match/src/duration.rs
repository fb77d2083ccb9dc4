//! How close two durations are.

/// Closeness of two durations in seconds, 0..=1: full marks within 2 s (encodings and fades
/// differ that much), then falling fast: 0.93 at 3 s apart, 0.48 at 5 s, 0.02 at 9 s.
pub fn closeness(a_secs: f64, b_secs: f64) -> f64 {
    let diff = (a_secs - b_secs).abs();
    if diff <= 2.0 {
        1.0
    } else {
        (-((diff - 2.0) / 3.5).powi(2)).exp()
    }
}

#[cfg(test)]
mod tests {
    use super::closeness;

    #[test]
    fn full_within_two_seconds_then_falling() {
        assert!((closeness(200.0, 201.9) - 1.0).abs() < f64::EPSILON);
        assert!(closeness(200.0, 204.0) > 0.7);
        assert!(closeness(200.0, 210.0) < 0.01);
        assert!((closeness(10.0, 13.0) - closeness(13.0, 10.0)).abs() < f64::EPSILON);
    }
}
