//! Pictures as SVG: laid out by Graphviz's `dot` when it is installed (it
//! draws clusters), else in process by layout-rs (no clusters: each label
//! says its file instead).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use weft_db::api::answer::Picture;

use super::draw::{NODE_FILL, ROOT_FILL, dot, left_out};

/// How long Graphviz may take to lay a picture out (a few hundred nodes
/// take well under a second).
const DOT_TIMEOUT: Duration = Duration::from_secs(10);

/// Who laid a picture out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    Graphviz,
    InProcess,
}

/// The most nodes the in-process layout takes: its time grows much faster
/// than the picture (measured here: 100 nodes 3.4 s, 150 nodes 9.7 s, 300
/// nodes 185 s; Graphviz lays out 300 in 1.7 s).
pub const IN_PROCESS_NODES: usize = 100;

/// The picture as SVG, by Graphviz when installed, else in process.
pub fn svg(p: &Picture) -> Result<(String, Layout)> {
    svg_with(p, graphviz())
}

/// [`svg`] with this `dot`, or none.
fn svg_with(p: &Picture, graphviz: Option<PathBuf>) -> Result<(String, Layout)> {
    let mut why = "Graphviz's `dot` is not installed (apt install graphviz)".to_string();
    if let Some(dot_exe) = graphviz {
        match run_dot(&dot_exe, &dot(p)) {
            Ok(svg) => return Ok((svg, Layout::Graphviz)),
            Err(e) => {
                tracing::warn!("Graphviz could not draw the picture ({e:#})");
                why = format!("Graphviz could not draw it ({e:#})");
            }
        }
    }
    if p.nodes.len() > IN_PROCESS_NODES {
        bail!(
            "no SVG: {why}, and the in-process layout takes at most {IN_PROCESS_NODES} nodes (this picture has {}): lower --limit, or use --format dot or mermaid",
            p.nodes.len()
        );
    }
    match svg_in_process(p) {
        Ok(svg) => Ok((svg, Layout::InProcess)),
        Err(e) => Err(e.context(format!(
            "no SVG: {why}, and the in-process layout failed; --format dot or mermaid still work"
        ))),
    }
}

/// `dot` on the PATH.
fn graphviz() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("dot"))
        .find(|p| is_executable(p))
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

fn run_dot(exe: &Path, text: &str) -> Result<String> {
    let mut child = Command::new(exe)
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("running {}", exe.display()))?;
    let mut stdin = child.stdin.take().expect("piped");
    let input = text.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    // both streams drained while it runs, so neither pipe can fill and stall it
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut out = String::new();
            r.read_to_string(&mut out).map(|_| out)
        })
    };
    let reader = drain(Box::new(child.stdout.take().expect("piped")));
    let errors = drain(Box::new(child.stderr.take().expect("piped")));
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break s;
        }
        if started.elapsed() > DOT_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            bail!("`dot` took longer than {}s", DOT_TIMEOUT.as_secs());
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let _ = writer.join();
    let out = reader
        .join()
        .map_err(|_| anyhow!("reading `dot`'s output"))??;
    if !status.success() {
        let err = errors.join().ok().and_then(Result::ok).unwrap_or_default();
        bail!("`dot` failed ({status}): {}", err.trim());
    }
    Ok(out)
}

/// The picture laid out by layout-rs. It has no clusters, so a node's
/// label carries its cluster's name.
pub fn svg_in_process(p: &Picture) -> Result<String> {
    use layout::backends::svg::SVGWriter;
    use layout::core::base::Orientation;
    use layout::core::color::Color;
    use layout::core::geometry::Point;
    use layout::core::style::{LineStyleKind, StyleAttr};
    use layout::std_shapes::shapes::{Arrow, Element, LineEndKind, ShapeKind};
    use layout::topo::layout::VisualGraph;

    // (only read, so nothing is left half-changed by a panic)
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut g = VisualGraph::new(Orientation::LeftToRight);
        let handles: rustc_hash::FxHashMap<&str, _> = p
            .nodes
            .iter()
            .map(|n| {
                let label = if n.cluster.is_empty() {
                    n.label.clone()
                } else {
                    format!("{}\n{}", n.label, n.cluster)
                };
                let root = p.root.as_deref() == Some(n.id.as_str());
                let fill = if root { ROOT_FILL } else { NODE_FILL };
                let look = StyleAttr::new(
                    Color::fast("#52606d"),
                    if root { 2 } else { 1 },
                    Some(Color::fast(fill)),
                    5,
                    10,
                );
                let size = Point::new(
                    20.0 + 7.0 * label.lines().map(str::len).max().unwrap_or(1) as f64,
                    16.0 + 14.0 * label.lines().count() as f64,
                );
                let e = Element::create(
                    ShapeKind::new_box(&label),
                    look,
                    Orientation::LeftToRight,
                    size,
                );
                (n.id.as_str(), g.add_node(e))
            })
            .collect();
        for e in &p.edges {
            let (Some(&a), Some(&b)) = (handles.get(e.from.as_str()), handles.get(e.to.as_str()))
            else {
                continue;
            };
            let mut look = StyleAttr::simple();
            look.font_size = 8;
            let dash = if e.heuristic {
                LineStyleKind::Dashed
            } else {
                LineStyleKind::Normal
            };
            let arrow = Arrow::new(
                LineEndKind::None,
                LineEndKind::Arrow,
                dash,
                &super::draw::edge_label(e),
                &look,
                &None,
                &None,
            );
            g.add_edge(arrow, a, b);
        }
        if let Some(more) = left_out(p) {
            let e = Element::create(
                ShapeKind::new_box(&more),
                StyleAttr::simple(),
                Orientation::LeftToRight,
                Point::new(20.0 + 7.0 * more.len() as f64, 30.0),
            );
            g.add_node(e);
        }
        let mut out = SVGWriter::new();
        g.do_it(false, false, false, &mut out);
        out.finalize()
    }))
    .map_err(|panic| {
        let why = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "it panicked".into());
        anyhow!("the in-process layout failed: {why}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wide(n: usize) -> Picture {
        let mut p = crate::picture::tests::awkward();
        p.nodes = (0..n)
            .map(|i| crate::picture::tests::node(&i.to_string(), "n", ""))
            .collect();
        p
    }

    #[test]
    fn without_graphviz_a_big_picture_is_refused_with_the_way_out() {
        let err = svg_with(&wide(IN_PROCESS_NODES + 1), None).unwrap_err();
        let msg = format!("{err:#}");
        assert!(
            msg.contains("not installed") && msg.contains("at most 100 nodes"),
            "{msg}"
        );
        // small enough: laid out in process
        let (svg, how) = svg_with(&wide(3), None).unwrap();
        assert_eq!(how, Layout::InProcess);
        assert!(svg.contains("<svg"));
    }

    #[test]
    fn a_failing_graphviz_is_reported() {
        let err = svg_with(&wide(IN_PROCESS_NODES + 1), Some("/bin/false".into())).unwrap_err();
        assert!(
            format!("{err:#}").contains("Graphviz could not draw it"),
            "{err:#}"
        );
        // a small picture falls back to the in-process layout
        assert_eq!(
            svg_with(&wide(3), Some("/bin/false".into())).unwrap().1,
            Layout::InProcess
        );
    }
}
