//! Property: concurrent offset paging yields exactly what sequential paging yields (same items,
//! same order), for random library sizes, page sizes, concurrency and fault seeds, while the
//! sandbox injects 5xx, 429 and connection resets.

mod common;

use std::time::Duration;

use common::pkce_client;
use proptest::prelude::*;
use spotkit_sandbox::Sandbox;

async fn check(
    total: usize,
    limit: u32,
    concurrency: usize,
    seed: u64,
    offset: u32,
) -> Result<(), TestCaseError> {
    let sandbox = Sandbox::builder()
        .seed(seed)
        .liked(total)
        .fail_5xx(0.1)
        .fail_429(0.05)
        .fail_reset(0.02)
        .retry_after(Duration::ZERO)
        .start()
        .await
        .unwrap();
    let (spotify, _) = pkce_client(&sandbox).await;
    let sequential = spotify
        .tracks()
        .saved()
        .limit(limit)
        .offset(offset)
        .concurrency(1)
        .all()
        .await
        .unwrap();
    let concurrent = spotify
        .tracks()
        .saved()
        .limit(limit)
        .offset(offset)
        .concurrency(concurrency)
        .all()
        .await
        .unwrap();
    prop_assert_eq!(sequential.len(), total.saturating_sub(offset as usize));
    let seq = serde_json::to_value(&sequential).unwrap();
    let conc = serde_json::to_value(&concurrent).unwrap();
    prop_assert!(
        seq == conc,
        "concurrent paging differs from sequential (total {total}, limit {limit}, offset {offset}, concurrency {concurrency}, seed {seed})"
    );
    Ok(())
}

proptest! {
    // Each case starts a sandbox and fetches a library twice: keep the count small.
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn concurrent_paging_equals_sequential_paging(
        total in 0usize..400,
        limit in 1u32..=50,
        concurrency in 2usize..=10,
        seed in any::<u64>(),
        offset in prop_oneof![Just(0u32), 0u32..60],
    ) {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        rt.block_on(check(total, limit, concurrency, seed, offset))?;
    }
}
