//! Ctrl-C (SIGINT) and SIGTERM: the command stops at once, as before, but cleanly: the files
//! being written are removed (their targets keep what they held), folders this run created and
//! left empty are removed, what was finished is reported, and the exit status is 130 or 143 as
//! shells expect (128 + the signal's number).
//!
//! The handler runs on its own task and exits the process; destructors do not run, which is why
//! temp files are tracked by [`spotkit_files::atomic::remove_unfinished`] and folders by
//! [`crate::output`].

/// Starts listening; call once, inside the runtime.
pub fn install() {
    tokio::spawn(async {
        let Some((name, code)) = wait().await else {
            return;
        };
        let removed = spotkit_files::atomic::remove_unfinished();
        let cleaned = crate::output::clean_up_after_interrupt();
        let finished = crate::output::finished_files();
        let mut what = Vec::new();
        if finished.is_empty() {
            what.push("no file was finished".to_owned());
        } else {
            const SHOWN: usize = 5;
            let mut list: Vec<String> = finished
                .iter()
                .take(SHOWN)
                .map(|p| p.display().to_string())
                .collect();
            if finished.len() > SHOWN {
                list.push(format!("and {} more", finished.len() - SHOWN));
            }
            what.push(format!(
                "{} file{} finished before the stop {} complete ({})",
                finished.len(),
                if finished.len() == 1 { "" } else { "s" },
                if finished.len() == 1 { "is" } else { "are" },
                list.join(", ")
            ));
        }
        match removed {
            0 => {}
            1 => what.push("the file being written was removed".to_owned()),
            n => what.push(format!("the {n} files being written were removed")),
        }
        for dir in cleaned {
            what.push(format!("the empty folder {} was removed", dir.display()));
        }
        eprintln!("spotkit: stopped by {name}: {}", what.join("; "));
        eprintln!("  hint: run the same command again to finish (files are replaced whole)");
        std::process::exit(code);
    });
}

#[cfg(unix)]
async fn wait() -> Option<(&'static str, i32)> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut int = signal(SignalKind::interrupt()).ok()?;
    let mut term = signal(SignalKind::terminate()).ok()?;
    tokio::select! {
        _ = int.recv() => Some(("Ctrl-C (SIGINT)", 130)),
        _ = term.recv() => Some(("SIGTERM", 143)),
    }
}

#[cfg(not(unix))]
async fn wait() -> Option<(&'static str, i32)> {
    tokio::signal::ctrl_c().await.ok()?;
    Some(("Ctrl-C", 130))
}
