//! The operation table of `crates/spotkit/README.md` is generated, never hand-edited: this test
//! builds it from the project's own table, `spotkit::api::operations::OPERATIONS`, and fails when
//! the README's text between `<!-- operations:start -->` and `<!-- operations:end -->` differs.
//! (The table itself is checked against Spotify's definition by `tests/coverage.rs` when the
//! conformance data is present.)
//!
//! To regenerate after changing the table, run
//! `SPOTKIT_BLESS=1 cargo test -p spotkit --test readme_operations` and review the diff.

use std::fmt::Write as _;

use spotkit::api::operations::{Availability, OPERATIONS};

const START: &str = "<!-- operations:start -->";
const END: &str = "<!-- operations:end -->";

fn table() -> String {
    let extended_only = OPERATIONS
        .iter()
        .filter(|o| o.availability == Availability::ExtendedQuotaOnly)
        .count();
    let mut out = format!(
        "{} operations of Spotify's Web API, each with a client method; {} are available to \
         Extended-Quota apps only (removed for Development-Mode apps in February 2026; their \
         methods are `#[deprecated]`). Scopes: the token needs the one that fits the target \
         (e.g. a public or a private playlist).\n\n\
         | operationId | method + path | client method | scopes | availability |\n\
         |---|---|---|---|---|\n",
        OPERATIONS.len(),
        extended_only
    );
    for op in OPERATIONS {
        let client = op
            .client_method
            .split(" / ")
            .map(|m| format!("`spotify.{m}`"))
            .collect::<Vec<_>>()
            .join(" / ");
        let scopes = if op.scopes.is_empty() {
            "—".to_owned()
        } else {
            op.scopes
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let availability = match op.availability {
            Availability::ExtendedQuotaOnly => "extended only (removed for Dev Mode)",
            _ => "dev + extended",
        };
        writeln!(
            out,
            "| `{}` | `{} {}` | {} | {} | {} |",
            op.operation_id, op.method, op.path, client, scopes, availability
        )
        .expect("writing to a String cannot fail");
    }
    out
}

#[test]
fn readme_operation_table_is_generated_from_the_spec() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let readme = std::fs::read_to_string(&path).expect("read README.md");
    let generated = format!("{START}\n{}{END}", table());
    let current = match (readme.find(START), readme.find(END)) {
        (Some(s), Some(e)) if s < e => &readme[s..e + END.len()],
        _ => "",
    };
    if current == generated {
        return;
    }
    if std::env::var_os("SPOTKIT_BLESS").is_some() {
        let updated = if current.is_empty() {
            format!(
                "{}\n## Operation coverage\n\n{generated}\n",
                readme.trim_end()
            )
        } else {
            readme.replacen(current, &generated, 1)
        };
        std::fs::write(&path, updated).expect("write README.md");
        return;
    }
    panic!(
        "the operation table in {} is out of date (or its markers are missing); run \
         `SPOTKIT_BLESS=1 cargo test -p spotkit --test readme_operations` and commit the result",
        path.display()
    );
}

#[test]
fn readme_table_lists_every_operation_once() {
    let t = table();
    assert_eq!(
        t.lines().filter(|l| l.starts_with("| `")).count(),
        OPERATIONS.len()
    );
    assert_eq!(OPERATIONS.len(), 97, "spotkit implements 97 operations");
}
