//! `spotkit login`, `logout`, `status`, `profiles` and `config`.

use std::io::{BufRead, IsTerminal};
use std::net::IpAddr;
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result, anyhow};
use serde_json::json;
use spotkit::auth::{LoopbackConfig, LoopbackListener, RedirectUri};

use crate::cli::ConfigAction;
use crate::config::Settings;
use crate::hint::human_duration;
use crate::output::print_json;

/// Scopes asked for by default: what every command needs, so one login serves them all
/// (export and sync read; import writes playlists and the library; player reads and controls
/// playback).
pub const DEFAULT_SCOPES: &[&str] = &[
    "user-read-private",
    "user-read-email",
    "user-library-read",
    "user-library-modify",
    "user-follow-read",
    "user-follow-modify",
    "playlist-read-private",
    "playlist-read-collaborative",
    "playlist-modify-private",
    "playlist-modify-public",
    "user-read-playback-state",
    "user-modify-playback-state",
    "user-read-currently-playing",
];

/// Flags of `spotkit login`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
Register this redirect URI for your app at https://developer.spotify.com/dashboard:
  http://127.0.0.1:8888/callback   (or the --port you choose)
Spotify refuses `localhost` redirect URIs; use the loopback IP literal 127.0.0.1.

Without a browser (SSH, Docker): `spotkit login --no-browser`, open the printed URL anywhere,
log in, then paste the address the browser ends up on (it may show an error page; that is fine).")]
pub struct LoginArgs {
    /// Port of the loopback redirect `http://127.0.0.1:PORT/callback` (must be registered).
    #[arg(long, default_value_t = 8888)]
    port: u16,
    /// Address the loopback listener binds (e.g. 0.0.0.0 inside Docker with the port published).
    #[arg(long)]
    bind: Option<IpAddr>,
    /// Do not open a browser or listen; paste the redirect URL instead.
    #[arg(long)]
    no_browser: bool,
    /// Scopes to ask for (comma separated); default: what every spotkit command needs.
    #[arg(long, value_delimiter = ',')]
    scopes: Vec<String>,
    /// Seconds to wait for the browser's redirect.
    #[arg(long, default_value_t = 300)]
    timeout: u64,
}

/// Runs `spotkit login`.
pub async fn login(settings: &Settings, args: LoginArgs) -> Result<()> {
    let spotify = settings.client()?;
    let scopes: Vec<&str> = if args.scopes.is_empty() {
        DEFAULT_SCOPES.to_vec()
    } else {
        args.scopes.iter().map(String::as_str).collect()
    };
    check_scopes(&scopes)?;
    let say = |line: String| {
        // With --json stdout is for the result only; instructions go to stderr.
        if settings.json {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    };
    let register = |redirect: &str| {
        say(format!(
            "Redirect URI to register in your Spotify app (developer.spotify.com/dashboard): {redirect}\n(`localhost` is refused by Spotify; it must be the IP literal 127.0.0.1)"
        ));
    };

    // No loopback listener possible (port taken, sandboxed network): fall back to pasting.
    let listener = if args.no_browser {
        None
    } else {
        let mut config = LoopbackConfig::default().port(args.port);
        if let Some(bind) = args.bind {
            config = config.bind_addr(bind);
        }
        match LoopbackListener::bind(config).await {
            Ok(l) => Some(l),
            Err(e) => {
                eprintln!(
                    "spotkit: cannot listen for the login redirect on port {} ({e}); falling back to pasting the redirect URL",
                    args.port
                );
                None
            }
        }
    };
    let token = if let Some(listener) = listener {
        register(listener.redirect_uri().as_str());
        let quiet_browser = std::env::var_os("SPOTKIT_NO_OPEN").is_some();
        spotify
            .auth()
            .login_with_loopback(
                listener,
                &scopes,
                Duration::from_secs(args.timeout),
                |url| {
                    say(format!("Open this URL in a browser and log in:\n{url}"));
                    say(waiting_note(args.timeout));
                    flush_stdout();
                    if !quiet_browser
                        && std::io::stdout().is_terminal()
                        && let Err(e) = open::that_detached(url.as_str())
                    {
                        eprintln!(
                            "spotkit: could not open a browser ({e}); open the URL above yourself"
                        );
                    }
                },
            )
            .await
            .context("logging in")?
    } else {
        let redirect = format!("http://127.0.0.1:{}/callback", args.port);
        register(&redirect);
        let redirect_uri = RedirectUri::new(&redirect)?;
        let request = spotify.auth().authorize_url(&redirect_uri, &scopes)?;
        say(format!(
            "Open this URL in a browser and log in:\n{}",
            request.url()
        ));
        say("Then paste the address the browser was sent to (it starts with http://127.0.0.1) and press Enter:".to_owned());
        flush_stdout();
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("reading the pasted redirect URL from stdin")?;
        spotify
            .auth()
            .login_with_pasted_url(request, &line)
            .await
            .context("logging in with the pasted URL")?
    };
    settings.remember_profile()?;
    let me = match spotify.users().me().send().await {
        Ok(me) => Some(me),
        // The login worked, but Spotify refuses the app itself: say so now, not at the next command.
        Err(
            e @ (spotkit::Error::OwnerPremiumRequired { .. }
            | spotkit::Error::UserNotRegistered { .. }),
        ) => {
            return Err(anyhow::Error::new(e).context(format!(
                "logged in (token saved to {}), but Spotify refuses this app's requests",
                settings.token_path()?.display()
            )));
        }
        Err(_) => None,
    };
    let user = me
        .as_ref()
        .and_then(|m| m.id.as_ref().map(ToString::to_string));
    if settings.json {
        print_json(&json!({
            "profile": settings.profile,
            "user": user,
            "scopes": token.scopes(),
            "token_file": settings.token_path()?,
        }))?;
    } else {
        println!(
            "Logged in as {} (profile `{}`); token saved to {}",
            user.as_deref().unwrap_or("?"),
            settings.profile,
            settings.token_path()?.display()
        );
    }
    Ok(())
}

/// Refuses scopes Spotify does not define before the browser is sent anywhere: Spotify answers
/// them with an "Illegal scope" page and never redirects back, so the login would only time out.
fn check_scopes(scopes: &[&str]) -> Result<()> {
    let unknown: Vec<&str> = scopes
        .iter()
        .copied()
        .filter(|s| !spotkit::auth::SCOPES.contains(s))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(crate::hint::Hinted::new(
        format!(
            "{} not a Spotify scope: Spotify would show an \"Illegal scope\" page and never send the browser back",
            unknown
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
                + if unknown.len() == 1 { " is" } else { " are" }
        ),
        format!(
            "check the spelling in --scopes; Spotify's scopes are: {}",
            spotkit::auth::SCOPES.join(", ")
        ),
    )
    .into())
}

/// What to watch for in the browser while the loopback login waits.
fn waiting_note(timeout: u64) -> String {
    format!(
        "Waiting up to {} for the browser to come back. If the page says \"Illegal scope\", Spotify \
         refused a scope and will not come back: press Ctrl-C and log in again with scopes from \
         https://developer.spotify.com/documentation/web-api/concepts/scopes. If it says \
         \"INVALID_CLIENT: Invalid redirect URI\", register the redirect URI above for your app.",
        human_duration(timeout)
    )
}

fn flush_stdout() {
    use std::io::Write;
    // Tests and pipes read the URL line by line; a failed flush only delays it.
    let _ = std::io::stdout().flush();
}

/// Runs `spotkit logout`.
pub async fn logout(settings: &Settings) -> Result<()> {
    let path = settings.token_path()?;
    let existed = path.exists();
    if settings.client_id.is_some() {
        settings.client()?.auth().logout().await?;
    } else if existed {
        std::fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
    }
    settings.forget_profile()?;
    if settings.json {
        print_json(&json!({"profile": settings.profile, "was_logged_in": existed}))?;
    } else if existed {
        println!(
            "Logged out of profile `{}` (removed {})",
            settings.profile,
            path.display()
        );
    } else {
        println!("Profile `{}` was not logged in", settings.profile);
    }
    Ok(())
}

/// Runs `spotkit status`.
pub async fn status(settings: &Settings) -> Result<()> {
    let spotify = settings.logged_in_client().await?;
    let token = spotify
        .auth()
        .token()
        .await?
        .ok_or_else(|| anyhow!("the token disappeared while reading it"))?;
    let me = spotify.users().me().send().await?;
    let expires = token.expires_at().map(|at| {
        let left = at.duration_since(SystemTime::now()).unwrap_or_default();
        (time::OffsetDateTime::from(at), left)
    });
    let path = settings.token_path()?;
    if settings.json {
        print_json(&json!({
            "profile": settings.profile,
            "user": {"id": me.id, "display_name": me.display_name},
            "scopes": token.scopes(),
            "expires_at": expires.map(|(at, _)| at.unix_timestamp()),
            "has_refresh_token": token.refresh_token().is_some(),
            "token_file": path,
            "client_id": settings.client_id,
        }))?;
    } else {
        println!("Profile:    {}", settings.profile);
        println!(
            "User:       {} ({})",
            me.display_name.as_deref().unwrap_or("?"),
            me.id.as_deref().unwrap_or("?")
        );
        println!("Scopes:     {}", token.scopes().join(" "));
        match expires {
            Some((at, left)) => println!(
                "Expires:    {} UTC (in {}; renewed automatically)",
                at.format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
                human_duration(left.as_secs())
            ),
            None => println!("Expires:    unknown"),
        }
        println!("Token file: {}", path.display());
    }
    Ok(())
}

/// Runs `spotkit profiles`: the token files in the store.
pub fn profiles(settings: &Settings) -> Result<()> {
    let dir = settings.store().dir().to_path_buf();
    let mut names: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().into_string().ok()?;
                name.strip_suffix(".json").map(str::to_owned)
            })
            .filter(|n| !n.starts_with('.'))
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e).with_context(|| format!("cannot list {}", dir.display())),
    };
    names.sort();
    if settings.json {
        let list: Vec<_> = names
            .iter()
            .map(|n| json!({"profile": n, "active": *n == settings.profile, "client_id": settings.file.profiles.get(n).and_then(|p| p.client_id.clone())}))
            .collect();
        print_json(&list)?;
    } else if names.is_empty() {
        println!("No saved logins in {}; run `spotkit login`", dir.display());
    } else {
        for n in names {
            let mark = if n == settings.profile { "*" } else { " " };
            println!("{mark} {n}");
        }
    }
    Ok(())
}

/// Runs `spotkit config path|show`.
pub fn config(settings: &Settings, action: ConfigAction) -> Result<()> {
    match action {
        ConfigAction::Path => {
            if settings.json {
                print_json(
                    &json!({"config_file": settings.config_path(), "tokens_dir": settings.store().dir()}),
                )?;
            } else {
                println!("{}", settings.config_path().display());
            }
        }
        ConfigAction::Show => {
            // The config file holds no secrets (tokens live in their own 0600 files).
            print_json(&settings.file)?;
        }
    }
    Ok(())
}
