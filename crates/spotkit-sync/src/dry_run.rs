//! The dry run: the plan with each download's chosen source, reported and not carried out.

use futures::StreamExt as _;

use crate::plan::Plan;
use crate::report::{Action, Event, PlanItem, Summary};
use crate::score::Decision;
use crate::worker::{Ctx, lock};

pub(crate) async fn dry_run(ctx: &Ctx<'_>, plan: Plan, mut summary: Summary) -> Summary {
    let resolved: Vec<(usize, PlanItem)> = futures::stream::iter(plan.work.iter().enumerate())
        .map(|(i, w)| async move {
            let decision = ctx.resolver.resolve(&w.track).await;
            let download = if w.clash.is_some() {
                Action::DownloadAside
            } else {
                Action::Download
            };
            let (action, source, score) = match decision {
                Ok(Decision::Unmatched { best }) => {
                    (Action::Unmatched, None, best.first().map(|b| b.score))
                }
                Ok(Decision::Matched(s)) => {
                    (download, Some(s.candidate.url.clone()), Some(s.score))
                }
                Err(e) => {
                    tracing::warn!("resolving {} failed: {}", w.track.label(), e.message);
                    (download, None, None)
                }
            };
            (
                i,
                PlanItem {
                    action,
                    id: w.track.id.clone(),
                    label: w.track.label(),
                    file: w.file.clone(),
                    source,
                    score,
                    instead_of: w.clash.clone(),
                },
            )
        })
        .buffer_unordered(ctx.opts.jobs)
        .collect()
        .await;
    let mut resolved = resolved;
    resolved.sort_by_key(|(i, _)| *i);
    let mut items: Vec<PlanItem> = resolved.into_iter().map(|(_, p)| p).collect();
    items.extend(plan.keep.iter().map(|(t, file)| PlanItem {
        action: Action::Keep,
        id: t.id.clone(),
        label: t.label(),
        file: file.clone(),
        source: None,
        score: None,
        instead_of: None,
    }));
    let manifest = lock(&ctx.manifest);
    for (id, e) in &manifest.tracks {
        if plan.delete_ids.contains(id) {
            items.push(PlanItem {
                action: Action::Delete,
                id: id.clone(),
                label: e.label.clone(),
                file: e.file.clone(),
                source: None,
                score: None,
                instead_of: None,
            });
        }
    }
    for item in &items {
        (ctx.on_event)(Event::Plan(item.clone()));
    }
    summary.deleted = 0;
    summary.plan = items;
    summary
}
