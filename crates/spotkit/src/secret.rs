//! `secret_type!`: newtypes over [`secrecy::SecretString`] in the style of oauth2-rs.
//!
//! `Debug` prints `Name([redacted])`, there is no `Display`, and the value is only reachable
//! through `.secret()`, so a secret cannot slip into a log line or an error message by accident.

macro_rules! secret_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone)]
        pub struct $name(secrecy::SecretString);

        impl $name {
            /// Wraps a secret value.
            pub fn new(value: impl Into<String>) -> Self {
                Self(secrecy::SecretString::from(value.into()))
            }

            /// The secret value. Do not log it.
            pub fn secret(&self) -> &str {
                secrecy::ExposeSecret::expose_secret(&self.0)
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }

        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                // Not constant time: used to detect rotation and to check `state`, where the
                // attacker cannot measure our timing with useful precision.
                self.secret() == other.secret()
            }
        }
        impl Eq for $name {}
    };
}
