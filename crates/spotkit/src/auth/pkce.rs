//! PKCE (RFC 7636) with the S256 method.

use rand::{RngCore, TryRngCore};

secret_type!(
    /// A PKCE code verifier: 43–128 characters of `[A-Za-z0-9-._~]`. Made from 64 bytes of the
    /// operating system's CSPRNG (86 base64url characters); sent only with the code exchange.
    PkceVerifier
);

/// The S256 challenge derived from a [`PkceVerifier`]; this part goes into the authorization URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PkceChallenge {
    challenge: String,
}

impl PkceVerifier {
    /// A fresh verifier from the OS CSPRNG.
    pub fn random() -> Self {
        let mut bytes = [0u8; 64];
        if rand::rngs::OsRng.try_fill_bytes(&mut bytes).is_err() {
            // The thread-local generator is a CSPRNG seeded from the OS as well.
            rand::rng().fill_bytes(&mut bytes);
        }
        let verifier = base64url(&bytes);
        bytes.fill(0);
        PkceVerifier::new(verifier)
    }

    /// Checks RFC 7636 §4.1: length 43..=128, unreserved characters only.
    pub fn is_valid(&self) -> bool {
        let s = self.secret();
        (43..=128).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
    }
}

impl PkceChallenge {
    /// `BASE64URL(SHA256(ASCII(verifier)))` without padding.
    ///
    /// # Panics
    ///
    /// If the verifier is not 43–128 characters long (the `oauth2` crate asserts it). Verifiers
    /// from [`PkceVerifier::random`] always are; check one received from elsewhere with
    /// [`PkceVerifier::is_valid`] first.
    pub fn s256(verifier: &PkceVerifier) -> Self {
        let challenge = oauth2::PkceCodeChallenge::from_code_verifier_sha256(
            &oauth2::PkceCodeVerifier::new(verifier.secret().to_owned()),
        );
        PkceChallenge {
            challenge: challenge.as_str().to_owned(),
        }
    }

    /// The challenge string.
    pub fn as_str(&self) -> &str {
        &self.challenge
    }

    /// Always `S256`: spotkit never uses the `plain` method.
    pub fn method(&self) -> &'static str {
        "S256"
    }

    pub(crate) fn to_oauth2(&self) -> oauth2::PkceCodeChallenge {
        // oauth2 5 only builds S256 challenges from a verifier; rebuild it through serde to keep
        // the one we computed (identical by construction).
        serde_json::from_value(serde_json::json!({
            "code_challenge": self.challenge,
            "code_challenge_method": "S256",
        }))
        .unwrap_or_else(|_| unreachable_challenge())
    }
}

#[cold]
fn unreachable_challenge() -> oauth2::PkceCodeChallenge {
    // The JSON above always matches oauth2's serde shape; fall back to a fresh pair rather
    // than panicking if a future oauth2 changes it (the exchange would then fail loudly).
    oauth2::PkceCodeChallenge::new_random_sha256().0
}

fn base64url(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b_vector() {
        let verifier = PkceVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert!(verifier.is_valid());
        let challenge = PkceChallenge::s256(&verifier);
        assert_eq!(
            challenge.as_str(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert_eq!(challenge.method(), "S256");
        assert_eq!(challenge.to_oauth2().as_str(), challenge.as_str());
    }

    #[test]
    fn rfc7636_appendix_b_octets_encode_to_the_verifier() {
        // The 32 octets listed in appendix B encode to the verifier above.
        let octets = [
            116u8, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212,
            37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        assert_eq!(
            base64url(&octets),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
    }

    #[test]
    fn random_verifiers_are_valid_and_distinct() {
        let a = PkceVerifier::random();
        let b = PkceVerifier::random();
        assert!(a.is_valid() && b.is_valid());
        assert_eq!(a.secret().len(), 86);
        assert_ne!(a, b);
        assert!(!format!("{a:?}").contains(a.secret()));
    }

    #[test]
    fn invalid_verifiers_are_detected() {
        assert!(!PkceVerifier::new("short").is_valid());
        assert!(!PkceVerifier::new("a".repeat(129)).is_valid());
        assert!(!PkceVerifier::new(format!("{}+", "a".repeat(50))).is_valid());
    }
}
