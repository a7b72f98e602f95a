//! Charts as inline SVG, drawn by plotters' SVG backend. Text and axes are
//! drawn in a stand-in colour that becomes `currentColor`, so a chart takes
//! the page's text colour in light and dark mode; bars and points are drawn
//! in [`MARK`], so a chart's marks can be counted in the page.

use plotters::coord::Shift;
use plotters::prelude::*;

/// The colour of every bar and point.
pub const MARK: RGBColor = RGBColor(0x3b, 0x82, 0xc4);
/// `MARK` as the SVG writes it.
pub const MARK_HEX: &str = "#3B82C4";
/// The stand-in for the text colour.
const INK: RGBColor = RGBColor(1, 2, 3);
const INK_HEX: &str = "#010203";
/// Grid lines: a light grey that reads on white and on near-black.
const GRID: RGBColor = RGBColor(0x88, 0x88, 0x88);

const WIDTH: u32 = 560;

/// What went wrong drawing a chart (plotters' error, as text).
fn drawing<E: std::fmt::Debug>(e: E) -> String {
    format!("drawing a chart: {e:?}")
}

/// 1234567 as "1,234,567".
fn grouped(n: u64) -> String {
    crate::html::thousands(n)
}

fn finish(svg: String) -> String {
    svg.replace(INK_HEX, "currentColor")
}

fn font(size: u32) -> TextStyle<'static> {
    ("sans-serif", size).into_font().color(&INK)
}

/// A chart on an SVG of `height` pixels, drawn by `draw`.
fn svg(height: u32, draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), String>) -> Result<String, String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, height)).into_drawing_area();
        draw(&root)?;
        root.present().map_err(drawing)?;
    }
    Ok(finish(out))
}

/// Vertical bars, one per label, the y axis from 0.
pub fn bars(labels: &[String], values: &[u64], x_desc: &str, y_desc: &str) -> Result<String, String> {
    let n = labels.len().max(1);
    let top = values.iter().copied().max().unwrap_or(0).max(1);
    let top = top + top / 10 + 1;
    svg(320, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .x_label_area_size(if labels.iter().any(|l| l.len() > 4) && n > 8 { 64 } else { 40 })
            .y_label_area_size(56)
            .build_cartesian_2d((0..(n - 1).max(1)).into_segmented(), 0u64..top)
            .map_err(drawing)?;
        let step = n.div_ceil(8).max(1);
        // A gap between bars where they are wide enough to keep one.
        let gap = if n <= 60 { 2 } else { 0 };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID.mix(0.4))
            .axis_style(INK)
            .x_labels(n)
            .y_labels(6)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) if i % step == 0 => labels.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_label_formatter(&|v| grouped(*v))
            .x_desc(x_desc)
            .y_desc(y_desc)
            .label_style(font(14))
            .axis_desc_style(font(15))
            .draw()
            .map_err(drawing)?;
        chart
            .draw_series(values.iter().enumerate().map(|(i, &v)| {
                let mut bar = Rectangle::new([(SegmentValue::Exact(i), 0), (SegmentValue::Exact(i + 1), v)], MARK.filled());
                bar.set_margin(0, 0, gap, gap);
                bar
            }))
            .map_err(drawing)?;
        Ok(())
    })
}

/// Horizontal bars, one per label from the top, for long labels (rules, terms).
pub fn hbars(labels: &[String], values: &[f64], x_desc: &str) -> Result<String, String> {
    let n = labels.len().max(1);
    let top = values.iter().copied().fold(0.0f64, f64::max).max(1.0) * 1.1;
    let height = (40 + 24 * n as u32).max(120);
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(4) as u32;
    svg(height + 40, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size((longest * 8 + 16).clamp(60, 260))
            .build_cartesian_2d(0f64..top, (0..(n - 1).max(1)).into_segmented())
            .map_err(drawing)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID.mix(0.4))
            .axis_style(INK)
            .y_labels(n)
            .x_labels(6)
            .x_label_formatter(&|v| grouped(v.round() as u64))
            .y_label_formatter(&|v| match v {
                // Row 0 at the top.
                SegmentValue::CenterOf(i) => (*i < n).then(|| labels.get(n - 1 - *i).cloned()).flatten().unwrap_or_default(),
                _ => String::new(),
            })
            .x_desc(x_desc)
            .label_style(font(14))
            .axis_desc_style(font(15))
            .draw()
            .map_err(drawing)?;
        chart
            .draw_series(values.iter().enumerate().map(|(i, &v)| {
                let row = n - 1 - i;
                let mut bar = Rectangle::new([(0.0, SegmentValue::Exact(row)), (v, SegmentValue::Exact(row + 1))], MARK.filled());
                bar.set_margin(3, 3, 0, 0);
                bar
            }))
            .map_err(drawing)?;
        Ok(())
    })
}

/// A line through points, each point marked.
pub fn line(points: &[(u64, u64)], x_desc: &str, y_desc: &str) -> Result<String, String> {
    let xmax = points.iter().map(|p| p.0).max().unwrap_or(0).max(1);
    let ymax = points.iter().map(|p| p.1).max().unwrap_or(0).max(1);
    svg(320, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(64)
            .build_cartesian_2d(0u64..xmax + xmax / 20 + 1, 0u64..ymax + ymax / 10 + 1)
            .map_err(drawing)?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(GRID.mix(0.4))
            .axis_style(INK)
            .x_labels(6)
            .x_label_formatter(&|v| grouped(*v))
            .y_label_formatter(&|v| grouped(*v))
            .x_desc(x_desc)
            .y_desc(y_desc)
            .label_style(font(14))
            .axis_desc_style(font(15))
            .draw()
            .map_err(drawing)?;
        chart.draw_series(LineSeries::new(points.iter().copied(), MARK.stroke_width(2))).map_err(drawing)?;
        chart.draw_series(points.iter().map(|&p| Circle::new(p, 3, MARK.filled()))).map_err(drawing)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(svg: &str) -> usize {
        svg.matches(&format!("fill=\"{MARK_HEX}\"")).count()
    }

    #[test]
    fn every_bar_and_point_is_one_mark_and_the_ink_follows_the_page() {
        let labels: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let svg = bars(&labels, &[3, 0, 5], "x", "y").expect("drawn");
        assert_eq!(marks(&svg), 3, "a zero bar is a mark too");
        for one in [bars(&labels[..1], &[4], "x", "y").expect("drawn"), hbars(&labels[..1], &[4.0], "x").expect("drawn")] {
            assert_eq!(marks(&one), 1);
            assert!(!one.contains("width=\"-") && !one.contains("height=\"-"), "no negative sizes: {one}");
        }
        assert!(svg.contains("currentColor") && !svg.contains(INK_HEX));
        assert_eq!(marks(&hbars(&labels, &[1.0, 2.5, 0.5], "x").expect("drawn")), 3);
        assert_eq!(marks(&line(&[(0, 0), (10, 4), (20, 6)], "x", "y").expect("drawn")), 3);
    }
}
