//! Draws the chart of `docs/benchmarks.md` from the results `bench/run.py` wrote.
//!
//! ```text
//! chart RESULTS.json OUT.svg
//! ```
//!
//! One panel per workload: a bar per client at its median, a whisker from its fastest to its
//! slowest run, and the floor (what the latency or the rate limit allows) as a dashed line.

use plotters::prelude::*;
use serde_json::Value;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const COLOURS: [RGBColor; 3] = [
    RGBColor(0x1d, 0xb9, 0x54), // spotkit
    RGBColor(0x3b, 0x6e, 0xa8), // spotipy
    RGBColor(0xd9, 0x7a, 0x1c), // rspotify
];

fn colour(client: &str) -> RGBColor {
    match client {
        "spotkit" => COLOURS[0],
        "spotipy" => COLOURS[1],
        _ => COLOURS[2],
    }
}

fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        return Err("usage: chart RESULTS.json OUT.svg".into());
    };
    let results: Value = serde_json::from_slice(&std::fs::read(input)?)?;
    let workloads = results["workloads"]
        .as_array()
        .ok_or("the results have no workloads")?;

    let root = SVGBackend::new(output, (1100, 760)).into_drawing_area();
    root.fill(&WHITE)?;
    let (title, body) = root.split_vertically(48);
    title.draw(&Text::new(
        format!(
            "spotkit vs spotipy vs rspotify against the sandbox ({})",
            results["machine"]["summary"]
                .as_str()
                .unwrap_or("this machine")
        ),
        (20, 14),
        ("sans-serif", 22).into_font(),
    ))?;
    let cols = 2;
    let rows = workloads.len().div_ceil(cols).max(1);
    let panels = body.split_evenly((rows, cols));
    for (w, panel) in workloads.iter().zip(panels.iter()) {
        draw_panel(panel, w)?;
    }
    root.present()?;
    Ok(())
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    w: &Value,
) -> Result<(), BoxError>
where
    DB::ErrorType: 'static,
{
    let clients = w["clients"].as_array().cloned().unwrap_or_default();
    let unit = w["unit"].as_str().unwrap_or("s");
    let floor = w["floor"].as_f64();
    let top = clients
        .iter()
        .filter_map(|c| c["max"].as_f64())
        .chain(floor)
        .fold(0.0_f64, f64::max)
        .max(1e-3)
        * 1.25;
    let n = clients.len().max(1);
    let mut chart = ChartBuilder::on(area)
        .caption(w["title"].as_str().unwrap_or(""), ("sans-serif", 16))
        .margin(14)
        .x_label_area_size(28)
        .y_label_area_size(56)
        .build_cartesian_2d(0.0..n as f64, 0.0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        // Client names go on the bars themselves: tick positions are plotters' choice.
        .x_labels(0)
        .y_desc(unit)
        .draw()?;
    for (i, c) in clients.iter().enumerate() {
        let name = c["client"].as_str().unwrap_or("?");
        let x = i as f64;
        let Some(median) = c["median"].as_f64() else {
            // Every run failed: say so where the bar would be.
            chart.draw_series(std::iter::once(Text::new(
                format!("{name}: all runs failed"),
                (x + 0.2, top * 0.05),
                ("sans-serif", 14).into_font().color(&RED),
            )))?;
            continue;
        };
        let fill = colour(name);
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x + 0.2, 0.0), (x + 0.8, median)],
            fill.filled(),
        )))?;
        if let (Some(lo), Some(hi)) = (c["min"].as_f64(), c["max"].as_f64()) {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x + 0.5, lo), (x + 0.5, hi)],
                BLACK.stroke_width(2),
            )))?;
        }
        let failures = c["failures"].as_u64().unwrap_or(0);
        let label = if failures > 0 {
            format!("{name}: {median:.2} {unit} ({failures} failed)")
        } else {
            format!("{name}: {median:.2} {unit}")
        };
        chart.draw_series(std::iter::once(Text::new(
            label,
            (x + 0.22, median + top * 0.06),
            ("sans-serif", 13).into_font(),
        )))?;
    }
    if let Some(f) = floor {
        chart
            .draw_series(DashedLineSeries::new(
                vec![(0.0, f), (n as f64, f)],
                6,
                4,
                RED.stroke_width(1),
            ))?
            .label(format!("floor {f:.2} {unit}"))
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], RED));
        chart
            .configure_series_labels()
            .border_style(BLACK)
            .background_style(WHITE.mix(0.8))
            .draw()?;
    }
    Ok(())
}
