//! Tokens encrypted at rest, random secrets, and hashes of bearer values.
//!
//! [`Keyring`] holds the XChaCha20-Poly1305 keys named in the `[keys]` table of the config: one is
//! `current` (used to encrypt), the others only decrypt, so a key can be rotated without a flag
//! day (`spotkit-server rotate-key` re-encrypts every row with the current key). Each ciphertext
//! is `nonce (24 bytes) || ciphertext+tag` and is bound to the user it belongs to: the associated
//! data is the key id and the user id, so a row copied onto another user fails to decrypt.
//!
//! ```
//! use spotkit_server::crypto::Keyring;
//! let keys = Keyring::single("k1", [7u8; 32]);
//! let sealed = keys.seal("user-a", b"token").unwrap();
//! assert_eq!(keys.open("user-a", &sealed).unwrap(), b"token");
//! assert!(keys.open("user-b", &sealed).is_err());
//! ```

use std::collections::{BTreeMap, HashMap};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore as _;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

/// A sealed value: which key sealed it, and `nonce || ciphertext`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    /// The id of the key in the `[keys]` table.
    pub key_id: String,
    /// `nonce (24 bytes) || ciphertext || tag`.
    pub bytes: Vec<u8>,
}

/// Why a value could not be opened.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    /// The row names a key the config does not list.
    #[error(
        "a stored token was encrypted with key {0:?}, which is not in the [keys] table; add the old key back (keys can only be removed after `spotkit-server rotate-key`)"
    )]
    UnknownKey(String),
    /// Wrong key, wrong user, or a modified row.
    #[error("a stored token failed authentication (wrong key, copied between users, or modified)")]
    Corrupt,
}

/// Why the `[keys]` table cannot be used (the message says what to change).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct KeyError(String);

/// The encryption keys of the server.
pub struct Keyring {
    current: String,
    keys: HashMap<String, XChaCha20Poly1305>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut ids: Vec<_> = self.keys.keys().collect();
        ids.sort();
        f.debug_struct("Keyring")
            .field("current", &self.current)
            .field("key_ids", &ids)
            .finish()
    }
}

impl Keyring {
    /// One key, current (tests and examples).
    pub fn single(id: &str, key: [u8; 32]) -> Keyring {
        let mut keys = HashMap::new();
        keys.insert(id.to_owned(), XChaCha20Poly1305::new(&key.into()));
        Keyring {
            current: id.to_owned(),
            keys,
        }
    }

    /// From the `[keys]` table: `current = "<id>"` and `<id> = "<base64 of 32 bytes>"`.
    pub fn from_config(table: &BTreeMap<String, SecretString>) -> Result<Keyring, KeyError> {
        let invalid = KeyError;
        let current = table
            .get("current")
            .map(|s| s.expose_secret().to_owned())
            .ok_or_else(|| {
                invalid(
                    "no `current` key id; add a [keys] table with `current = \"k1\"` and \
                     `k1 = \"<base64 of 32 random bytes>\"` (e.g. `openssl rand -base64 32`), \
                     or set SPOTKIT_SERVER_KEYS__CURRENT and SPOTKIT_SERVER_KEYS__K1"
                        .into(),
                )
            })?;
        let mut keys = HashMap::new();
        for (id, value) in table {
            if id == "current" {
                continue;
            }
            let raw = STANDARD
                .decode(value.expose_secret().trim())
                .map_err(|_| invalid(format!("key {id:?} is not base64")))?;
            let bytes: [u8; 32] = raw.try_into().map_err(|_| {
                invalid(format!(
                    "key {id:?} must be 32 bytes (base64 of 32 random bytes)"
                ))
            })?;
            keys.insert(id.clone(), XChaCha20Poly1305::new(&bytes.into()));
        }
        if !keys.contains_key(&current) {
            return Err(invalid(format!(
                "`current = {current:?}` names no key in the [keys] table"
            )));
        }
        Ok(Keyring { current, keys })
    }

    /// The id of the key new values are sealed with.
    pub fn current_id(&self) -> &str {
        &self.current
    }

    fn aad(key_id: &str, user_id: &str) -> Vec<u8> {
        // Length-prefixed so that ("a", "bc") and ("ab", "c") differ.
        let mut aad = Vec::with_capacity(32 + key_id.len() + user_id.len());
        aad.extend_from_slice(b"spotkit-server/token/v1");
        aad.extend_from_slice(&(key_id.len() as u32).to_be_bytes());
        aad.extend_from_slice(key_id.as_bytes());
        aad.extend_from_slice(user_id.as_bytes());
        aad
    }

    /// Encrypts `plaintext` for `user_id` with the current key.
    pub fn seal(&self, user_id: &str, plaintext: &[u8]) -> Result<Sealed, CryptoError> {
        let cipher = self
            .keys
            .get(&self.current)
            .ok_or_else(|| CryptoError::UnknownKey(self.current.clone()))?;
        let mut nonce = [0u8; 24];
        rand::rng().fill_bytes(&mut nonce);
        let aad = Self::aad(&self.current, user_id);
        let ct = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: &aad,
                },
            )
            .map_err(|_| CryptoError::Corrupt)?;
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&ct);
        Ok(Sealed {
            key_id: self.current.clone(),
            bytes,
        })
    }

    /// Decrypts a value sealed for `user_id` by any key of the ring.
    pub fn open(&self, user_id: &str, sealed: &Sealed) -> Result<Vec<u8>, CryptoError> {
        let cipher = self
            .keys
            .get(&sealed.key_id)
            .ok_or_else(|| CryptoError::UnknownKey(sealed.key_id.clone()))?;
        if sealed.bytes.len() < 24 + 16 {
            return Err(CryptoError::Corrupt);
        }
        let (nonce, ct) = sealed.bytes.split_at(24);
        let aad = Self::aad(&sealed.key_id, user_id);
        cipher
            .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: &aad })
            .map_err(|_| CryptoError::Corrupt)
    }
}

/// `n` random bytes from the CSPRNG, base64url without padding.
pub fn random_token(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(&bytes)
}

/// SHA-256 of a bearer value (session id, API token, hand-off code), hex. These values are
/// 256-bit random, so a plain hash is enough to make a database dump useless.
pub fn hash(value: &str) -> String {
    let digest = Sha256::digest(value.as_bytes());
    digest.iter().fold(String::with_capacity(64), |mut s, b| {
        use std::fmt::Write as _;
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Compares two strings in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_and_binding() {
        let ring = Keyring::single("k1", [1; 32]);
        let a = ring.seal("alice", b"secret token").unwrap();
        let b = ring.seal("alice", b"secret token").unwrap();
        assert_ne!(a.bytes, b.bytes, "nonces are random");
        assert!(!a.bytes.windows(6).any(|w| w == b"secret"));
        assert_eq!(ring.open("alice", &a).unwrap(), b"secret token");
        assert!(matches!(ring.open("bob", &a), Err(CryptoError::Corrupt)));
        let mut tampered = a.clone();
        tampered.bytes[30] ^= 1;
        assert!(ring.open("alice", &tampered).is_err());
        let relabelled = Sealed {
            key_id: "k2".into(),
            ..a
        };
        assert!(matches!(
            ring.open("alice", &relabelled),
            Err(CryptoError::UnknownKey(_))
        ));
    }

    #[test]
    fn rotation_keeps_old_keys_readable() {
        let mut table = BTreeMap::new();
        table.insert("current".to_owned(), SecretString::from("k1".to_owned()));
        table.insert(
            "k1".to_owned(),
            SecretString::from(STANDARD.encode([1u8; 32])),
        );
        let old = Keyring::from_config(&table).unwrap();
        let sealed = old.seal("u", b"x").unwrap();
        table.insert(
            "k2".to_owned(),
            SecretString::from(STANDARD.encode([2u8; 32])),
        );
        table.insert("current".to_owned(), SecretString::from("k2".to_owned()));
        let new = Keyring::from_config(&table).unwrap();
        assert_eq!(new.current_id(), "k2");
        assert_eq!(new.open("u", &sealed).unwrap(), b"x");
        assert_eq!(new.seal("u", b"y").unwrap().key_id, "k2");
        table.insert("k3".to_owned(), SecretString::from("c2hvcnQ=".to_owned()));
        assert!(
            Keyring::from_config(&table)
                .unwrap_err()
                .to_string()
                .contains("32 bytes")
        );
    }

    #[test]
    fn helpers() {
        assert_eq!(hash("abc").len(), 64);
        assert_ne!(random_token(32), random_token(32));
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
    }
}
