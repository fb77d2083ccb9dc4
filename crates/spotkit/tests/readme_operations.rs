//! The operation table of `crates/spotkit/README.md` is generated, never hand-edited: this test
//! builds it from the spec (operationId, method, path, deprecated) and
//! `spotkit::api::operations::OPERATIONS` (client method), and fails when the README's text
//! between `<!-- operations:start -->` and `<!-- operations:end -->` differs.
//!
//! To regenerate after changing the table or the spec, run
//! `SPOTKIT_BLESS=1 cargo test -p spotkit --test readme_operations` and review the diff.

mod common;

use std::fmt::Write as _;

use common::operations::spec_operations;
use spotkit::api::operations::find;

const START: &str = "<!-- operations:start -->";
const END: &str = "<!-- operations:end -->";

fn table() -> String {
    let ops = spec_operations();
    let deprecated = ops.iter().filter(|o| o.deprecated).count();
    let mut out = format!(
        "{} operations of `fixed-spotify-open-api.yml`, each with a client method; {} are \
         available to Extended-Quota apps only (removed for Development-Mode apps in February \
         2026; their methods are `#[deprecated]`).\n\n\
         | operationId | method + path | client method | availability |\n|---|---|---|---|\n",
        ops.len(),
        deprecated
    );
    for op in &ops {
        let client = find(&op.operation_id)
            .map_or("(missing)", |o| o.client_method)
            .split(" / ")
            .map(|m| format!("`spotify.{m}`"))
            .collect::<Vec<_>>()
            .join(" / ");
        let availability = if op.deprecated {
            "extended only (removed for Dev Mode)"
        } else {
            "dev + extended"
        };
        writeln!(
            out,
            "| `{}` | `{} {}` | {} | {} |",
            op.operation_id, op.method, op.path, client, availability
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
    let ops = spec_operations();
    assert_eq!(
        t.lines().filter(|l| l.starts_with("| `")).count(),
        ops.len()
    );
    assert!(
        !t.contains("(missing)"),
        "an operation has no client method:\n{t}"
    );
}
