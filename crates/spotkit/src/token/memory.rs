//! [`MemoryStore`]: tokens that live as long as the process.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;

use super::{Token, TokenStore, validate_profile};
use crate::error::Result;

/// Keeps tokens in memory; for tests, servers that persist elsewhere, and one-off scripts.
#[derive(Debug, Default)]
pub struct MemoryStore {
    tokens: Mutex<HashMap<String, Token>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn with<R>(&self, f: impl FnOnce(&mut HashMap<String, Token>) -> R) -> R {
        // A poisoned lock only means another thread panicked mid-insert of a whole value;
        // the map itself is still consistent.
        let mut guard = self
            .tokens
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut guard)
    }
}

#[async_trait]
impl TokenStore for MemoryStore {
    async fn load(&self, profile: &str) -> Result<Option<Token>> {
        validate_profile(profile)?;
        Ok(self.with(|m| m.get(profile).cloned()))
    }

    async fn save(&self, profile: &str, token: &Token) -> Result<()> {
        validate_profile(profile)?;
        self.with(|m| m.insert(profile.to_owned(), token.clone()));
        Ok(())
    }

    async fn delete(&self, profile: &str) -> Result<()> {
        validate_profile(profile)?;
        self.with(|m| m.remove(profile));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::AccessToken;

    #[tokio::test]
    async fn profiles_are_separate() {
        let store = MemoryStore::new();
        let t = Token::new(AccessToken::new("a"), None, None, vec![]);
        store.save("one", &t).await.unwrap();
        assert!(store.load("one").await.unwrap().is_some());
        assert!(store.load("two").await.unwrap().is_none());
        store.delete("one").await.unwrap();
        store.delete("one").await.unwrap();
        assert!(store.load("one").await.unwrap().is_none());
        assert!(store.save("../etc", &t).await.is_err());
    }
}
