//! TLS for every HTTP client the workspace builds: rustls with the *ring* crypto provider and the
//! operating system's certificate verifier.
//!
//! reqwest's `rustls` feature brings the aws-lc-rs provider, whose C library took most of a cold
//! build; the server's database driver already brings *ring*. So reqwest is built without a
//! provider and every client gets this configuration explicitly, with no process-wide default
//! installed behind the caller's back.

use std::sync::Arc;

use rustls::ClientConfig;
use rustls_platform_verifier::BuilderVerifierExt;

use crate::{Error, Result};

/// A `reqwest` client builder with spotkit's TLS: start here instead of
/// `reqwest::Client::builder()` (which, built without a crypto provider, panics).
///
/// ```
/// let http = spotkit::http::client_builder()?
///     .timeout(std::time::Duration::from_secs(30))
///     .build()
///     .expect("a client");
/// # let _ = http;
/// # Ok::<(), spotkit::Error>(())
/// ```
#[allow(clippy::disallowed_methods)] // the one place that may: it adds the TLS configuration
pub fn client_builder() -> Result<reqwest::ClientBuilder> {
    Ok(reqwest::Client::builder().tls_backend_preconfigured(config()?))
}

/// A client with spotkit's TLS and reqwest's other defaults.
pub fn client() -> Result<reqwest::Client> {
    client_builder()?
        .build()
        .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))
}

fn config() -> Result<ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(BuilderVerifierExt::with_platform_verifier)
        .map_err(|e| Error::Config(format!("cannot set up TLS: {e}")))?
        .with_no_client_auth();
    // A preconfigured client is used as it is: offer HTTP/2 as reqwest would.
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_client_builds_without_a_process_wide_provider() {
        assert!(rustls::crypto::CryptoProvider::get_default().is_none());
        super::client().expect("a client");
        assert!(
            rustls::crypto::CryptoProvider::get_default().is_none(),
            "spotkit installed a process-wide provider"
        );
    }
}
