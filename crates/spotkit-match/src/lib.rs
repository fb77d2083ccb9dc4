//! # spotkit-match
//!
//! Text matching for music metadata, shared by `spotkit import` and `spotkit sync` so that both
//! read titles and names the same way.
//!
//! * [`normalize()`]: the one comparable form of a text: NFKC, transliterated to ASCII, lower
//!   case, punctuation as spaces, `&` (and a free-standing `+`) as "and";
//! * [`names`]: credits (feat., ft., with, mit, con, avec, part., x, `&`, `,`) and artist
//!   names compared across scripts;
//! * [`title`]: the *core* of a title (what names the recording) and its explicit/clean marks;
//! * [`version`]: words that mark another recording or edition;
//! * [`similarity()`] and [`duration::closeness`].
//!
//! Policy (weights, gates) stays with the callers.
//!
//! ```
//! use spotkit_match::{normalize, similarity, title::title_core};
//!
//! assert_eq!(normalize("Beyoncé & JAY-Z"), "beyonce and jay z");
//! let artists = [normalize("Daft Punk")];
//! assert_eq!(title_core("Daft Punk - Get Lucky (Official Audio) ft. Pharrell", &artists), "get lucky");
//! assert!(similarity("get lucky", "get lucky") > 0.99);
//! ```

pub mod duration;
pub mod names;
pub mod normalize;
pub mod similarity;
pub mod title;
pub mod version;

pub use normalize::normalize;
pub use similarity::{contains_words, similarity};
