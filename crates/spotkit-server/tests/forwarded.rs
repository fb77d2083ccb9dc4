//! Issue #18 (Low): which address the rate limits count, behind a trusted proxy, through real
//! sockets (the peer is 127.0.0.1). `X-Forwarded-For` is walked from the right past trusted
//! proxies (addresses or CIDR ranges); an entry that is not an address stops the walk, so what
//! a client wrote left of it is never used; IPv6 clients count per /64.

mod common;

use common::*;

/// `GET /me` without credentials behind `forwarded`: 401 while the per-IP API budget lasts,
/// then 429.
async fn status(server: &TestServer, forwarded: &str) -> u16 {
    spotkit::http::client()
        .unwrap()
        .get(format!("{}/me", server.url))
        .header("x-forwarded-for", forwarded)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn an_unparsable_entry_ends_the_walk_at_the_proxy() {
    let sandbox = sandbox().await;
    let server = server_with(&sandbox, None, |c| {
        c.trusted_proxies = vec![std::net::IpAddr::from([127, 0, 0, 1]).into()];
        c.rate_limits.api_per_ip_per_minute = 2;
    })
    .await;
    // A client that writes a new address left of junk each time is still counted as the proxy.
    let statuses = statuses_of(&server, |i| format!("198.51.100.{i}, unknown")).await;
    assert_eq!(statuses, [401, 401, 429, 429]);
}

#[tokio::test]
async fn ipv6_clients_count_per_64() {
    let sandbox = sandbox().await;
    let server = server_with(&sandbox, None, |c| {
        c.trusted_proxies = vec![std::net::IpAddr::from([127, 0, 0, 1]).into()];
        c.rate_limits.api_per_ip_per_minute = 2;
    })
    .await;
    let statuses = statuses_of(&server, |i| format!("2001:db8:5:6::{i}")).await;
    assert_eq!(statuses, [401, 401, 429, 429]);
    // Another /64 has its own budget.
    assert_eq!(status(&server, "2001:db8:5:7::1").await, 401);
}

#[tokio::test]
async fn trusted_proxies_take_cidr_ranges() {
    let sandbox = sandbox().await;
    let server = server_with(&sandbox, None, |c| {
        c.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
        c.rate_limits.api_per_ip_per_minute = 1;
    })
    .await;
    // 127.0.0.9 is a proxy of the range, so the client is the entry left of it: two clients,
    // two budgets.
    assert_eq!(status(&server, "203.0.113.5, 127.0.0.9").await, 401);
    assert_eq!(status(&server, "203.0.113.6, 127.0.0.9").await, 401);
    assert_eq!(status(&server, "203.0.113.5, 127.0.0.9").await, 429);
}

async fn statuses_of(server: &TestServer, forwarded: impl Fn(u32) -> String) -> Vec<u16> {
    let mut out = Vec::new();
    for i in 1..=4 {
        out.push(status(server, &forwarded(i)).await);
    }
    out
}
