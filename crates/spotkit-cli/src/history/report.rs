//! `spotkit history report`: one self-contained HTML page (inline CSS, inline SVG drawn here, no
//! script, nothing fetched) from the figures of [`super::stats`].

use std::fmt::Write as _;

use super::stats::{Entry, Stats};

/// Escapes text for HTML and SVG.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn hours(ms: i64) -> f64 {
    ms as f64 / 3_600_000.0
}

/// Every month from the first to the last with plays (gaps as zero), with its hours.
fn month_series(stats: &Stats) -> Vec<(String, f64)> {
    let (Some(first), Some(last)) = (stats.by_month.first(), stats.by_month.last()) else {
        return Vec::new();
    };
    let ym = |m: &str| -> Option<(i32, u32)> {
        let (y, mo) = m.split_once('-')?;
        Some((y.parse().ok()?, mo.parse().ok()?))
    };
    let (Some((mut y, mut m)), Some(end)) = (ym(&first.month), ym(&last.month)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while (y, m) <= end && out.len() < 1200 {
        let key = format!("{y:04}-{m:02}");
        let ms = stats
            .by_month
            .iter()
            .find(|b| b.month == key)
            .map_or(0, |b| b.ms_played);
        out.push((key, hours(ms)));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// Bar chart of hours per month.
fn months_svg(stats: &Stats) -> String {
    let series = month_series(stats);
    let (w, h, left, bottom) = (960.0, 280.0, 48.0, 40.0);
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="Hours per month">"#
    );
    if series.is_empty() {
        svg.push_str(r#"<text x="20" y="40">No plays in this range.</text></svg>"#);
        return svg;
    }
    let max = series.iter().map(|s| s.1).fold(0.0_f64, f64::max).max(1.0);
    let plot_w = w - left - 10.0;
    let plot_h = h - bottom - 10.0;
    let slot = plot_w / series.len() as f64;
    for i in 0..=4 {
        let v = max * f64::from(i) / 4.0;
        let y = 10.0 + plot_h - plot_h * f64::from(i) / 4.0;
        let _ = write!(
            svg,
            r##"<line x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#e3e3e3"/><text x="{}" y="{:.1}" class="axis" text-anchor="end">{v:.0}</text>"##,
            w - 10.0,
            left - 6.0,
            y + 4.0
        );
    }
    let every = (series.len() / 12).max(1);
    for (i, (month, hrs)) in series.iter().enumerate() {
        let bh = plot_h * hrs / max;
        let x = left + slot * i as f64;
        let _ = write!(
            svg,
            r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{bh:.1}" fill="#1db954"><title>{month}: {hrs:.1} h</title></rect>"##,
            x + slot * 0.1,
            10.0 + plot_h - bh,
            (slot * 0.8).max(1.0)
        );
        if i % every == 0 {
            let _ = write!(
                svg,
                r#"<text x="{:.1}" y="{}" class="axis" text-anchor="middle">{month}</text>"#,
                x + slot / 2.0,
                h - bottom + 18.0
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars of the top artists by time.
fn artists_svg(top: &[Entry]) -> String {
    let row = 26.0;
    let (w, label) = (960.0, 260.0);
    let h = (row * top.len() as f64).max(30.0) + 10.0;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="Top artists by time">"#
    );
    if top.is_empty() {
        svg.push_str(r#"<text x="20" y="24">No artists in this range.</text></svg>"#);
        return svg;
    }
    let max = top.iter().map(|e| e.ms_played).max().unwrap_or(1).max(1) as f64;
    for (i, e) in top.iter().enumerate() {
        let y = 5.0 + row * i as f64;
        let bw = (w - label - 90.0) * e.ms_played as f64 / max;
        let name: String = e.name.chars().take(36).collect();
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end">{}</text><rect x="{label}" y="{y:.1}" width="{bw:.1}" height="{:.1}" fill="#1e88e5"/><text x="{:.1}" y="{:.1}" class="axis">{:.1} h</text>"##,
            label - 8.0,
            y + 16.0,
            esc(&name),
            row - 6.0,
            label + bw + 6.0,
            y + 16.0,
            hours(e.ms_played)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Weekday × hour heatmap of time played.
fn heatmap_svg(stats: &Stats) -> String {
    let (cell, left, top) = (34.0, 100.0, 24.0);
    let w = left + cell * 24.0 + 10.0;
    let h = top + cell * 7.0 + 10.0;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="Listening by weekday and hour (UTC)">"#
    );
    let hw = &stats.hour_weekday;
    let max = hw
        .ms_played
        .iter()
        .flatten()
        .copied()
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    for hour in 0..24 {
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="16" class="axis" text-anchor="middle">{hour:02}</text>"#,
            left + cell * f64::from(hour) + cell / 2.0
        );
    }
    for (d, name) in hw.weekdays.iter().enumerate() {
        let y = top + cell * d as f64;
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="end">{name}</text>"#,
            left - 8.0,
            y + cell / 2.0 + 5.0
        );
        for hour in 0..24 {
            let ms = hw.ms_played[d][hour];
            let t = ms as f64 / max;
            // From near-white to Spotify green as time grows.
            let light = 96.0 - 60.0 * t;
            let _ = write!(
                svg,
                r#"<rect x="{:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="hsl(141, 60%, {light:.0}%)"><title>{name} {hour:02}:00 UTC: {:.1} h, {} plays</title></rect>"#,
                left + cell * hour as f64 + 1.0,
                cell - 2.0,
                cell - 2.0,
                hours(ms),
                hw.plays[d][hour]
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

fn table(title: &str, rows: &[Entry]) -> String {
    let mut out = format!(
        "<section><h2>{}</h2><table><tr><th>#</th><th>Name</th><th>Plays</th><th>Hours</th></tr>",
        esc(title)
    );
    for (i, e) in rows.iter().enumerate() {
        let name = match &e.artist {
            Some(a) if !a.is_empty() => format!("{} — {}", esc(&e.name), esc(a)),
            _ => esc(&e.name),
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{name}</td><td>{}</td><td>{:.1}</td></tr>",
            i + 1,
            e.plays,
            hours(e.ms_played)
        );
    }
    out.push_str("</table></section>");
    out
}

/// The whole page.
pub fn render(stats: &Stats) -> String {
    let t = &stats.totals;
    let range = match (&stats.range.from, &stats.range.to) {
        (None, None) => "all time".to_owned(),
        (from, to) => format!(
            "{} to {}",
            from.as_deref().unwrap_or("the start"),
            to.as_deref().unwrap_or("the end")
        ),
    };
    let first = stats
        .first_play
        .as_ref()
        .map_or("—".to_owned(), |p| esc(&p.time[..10]));
    let last = stats
        .last_play
        .as_ref()
        .map_or("—".to_owned(), |p| esc(&p.time[..10]));
    let streak = stats.streaks.longest.as_ref().map_or("—".to_owned(), |s| {
        format!("{} days ({} to {})", s.days, s.from, s.to)
    });
    let mut html = String::with_capacity(64 * 1024);
    let _ = write!(
        html,
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Listening history — spotkit</title>
<style>
body {{ font: 15px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; background: #fafafa; color: #191414; }}
main {{ max-width: 1000px; margin: 0 auto; padding: 24px; }}
h1 {{ margin: 0 0 4px; }} h2 {{ margin: 28px 0 8px; font-size: 18px; }}
.sub {{ color: #666; margin-bottom: 16px; }}
.cards {{ display: flex; flex-wrap: wrap; gap: 12px; }}
.card {{ background: #fff; border: 1px solid #e0e0e0; border-radius: 8px; padding: 10px 16px; min-width: 150px; }}
.card b {{ display: block; font-size: 22px; }}
svg {{ max-width: 100%; height: auto; background: #fff; border: 1px solid #e0e0e0; border-radius: 8px; }}
svg text {{ font: 12px system-ui, sans-serif; fill: #333; }} svg .axis {{ fill: #777; font-size: 11px; }}
table {{ border-collapse: collapse; background: #fff; width: 100%; }}
th, td {{ text-align: left; padding: 4px 8px; border-bottom: 1px solid #eee; }}
.two {{ display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }}
</style></head><body><main>
<h1>Listening history</h1>
<div class="sub">{range} · times in UTC · made by spotkit from Spotify's streaming history</div>
<div class="cards">
<div class="card"><b>{plays}</b>plays</div>
<div class="card"><b>{hours:.1}</b>hours</div>
<div class="card"><b>{artists}</b>artists</div>
<div class="card"><b>{first}</b>first play</div>
<div class="card"><b>{last}</b>last play</div>
<div class="card"><b>{streak}</b>longest streak</div>
</div>
<h2>Hours per month</h2>
{months}
<h2>Top artists by time</h2>
{artists_svg}
<h2>When you listen (UTC)</h2>
{heatmap}
<div class="two">{tracks}{albums}</div>
<div class="two">{by_plays}{shows}</div>
</main></body></html>
"#,
        range = esc(&range),
        plays = t.plays,
        hours = hours(t.ms_played),
        artists = t.distinct_artists,
        months = months_svg(stats),
        artists_svg = artists_svg(&stats.top_artists.by_time),
        heatmap = heatmap_svg(stats),
        tracks = table("Top tracks by time", &stats.top_tracks.by_time),
        albums = table("Top albums by time", &stats.top_albums.by_time),
        by_plays = table("Top tracks by plays", &stats.top_tracks.by_plays),
        shows = table("Top shows by time", &stats.top_shows.by_time),
    );
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_names() {
        assert_eq!(
            esc(r#"<a href="x">&'"#),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
