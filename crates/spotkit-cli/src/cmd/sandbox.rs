//! `spotkit sandbox`: the emulator in the foreground.

use anyhow::Result;

/// Runs the sandbox until Ctrl-C.
pub async fn run(flags: spotkit_sandbox::cli::Flags) -> Result<()> {
    let config = flags.into_config().map_err(anyhow::Error::msg)?;
    spotkit_sandbox::cli::run(config, |url| println!("spotkit-sandbox listening on {url}")).await?;
    Ok(())
}
