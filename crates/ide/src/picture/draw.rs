//! Pictures as text other tools draw: Graphviz's DOT and Mermaid's
//! flowchart (which GitHub renders in comments and Markdown).

use std::fmt::Write;

use rustc_hash::FxHashMap;
use weft_db::api::answer::{Picture, PictureEdge, PictureNode};

pub(super) const ROOT_FILL: &str = "#ffe9a8";
pub(super) const NODE_FILL: &str = "#f4f6f8";
const CLUSTER_COLOR: &str = "#9aa5b1";

/// The nodes grouped by cluster, clusters in the order they first appear;
/// each node with its index (its name in the drawing is `n{index}`).
fn clusters(p: &Picture) -> Vec<(&str, Vec<(usize, &PictureNode)>)> {
    let mut order: Vec<(&str, Vec<(usize, &PictureNode)>)> = Vec::new();
    let mut at: FxHashMap<&str, usize> = FxHashMap::default();
    for (i, n) in p.nodes.iter().enumerate() {
        let k = *at.entry(n.cluster.as_str()).or_insert_with(|| {
            order.push((n.cluster.as_str(), Vec::new()));
            order.len() - 1
        });
        order[k].1.push((i, n));
    }
    order
}

fn index(p: &Picture) -> FxHashMap<&str, usize> {
    p.nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect()
}

pub fn edge_label(e: &PictureEdge) -> String {
    let mut s = e.kind.to_string();
    if e.count > 1 {
        let _ = write!(s, " ×{}", e.count);
    }
    if e.heuristic {
        s.push_str(" (heuristic)");
    }
    s
}

/// What the cap left out, as a sentence; `None` when nothing was.
pub fn left_out(p: &Picture) -> Option<String> {
    let l = p.left_out;
    (l.nodes > 0 || l.edges > 0).then(|| {
        format!(
            "{} nodes and {} edges left out (raise --limit to see them)",
            l.nodes, l.edges
        )
    })
}

/// A DOT string literal.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn dot_shape(kind: &str) -> &'static str {
    match kind {
        "file" => "note",
        "folder" => "folder",
        "module" => "component",
        _ => "box",
    }
}

/// Graphviz's DOT: clusters as `subgraph cluster_N`, heuristic edges
/// dashed, the root filled. (`newrank`: Graphviz 2.4x's default ranking
/// fails on many clustered graphs, "trouble in init_rank", exit 1.)
pub fn dot(p: &Picture) -> String {
    let mut s = String::new();
    let w = &mut s;
    let _ = writeln!(w, "digraph weft {{");
    let _ = writeln!(
        w,
        "  graph [newrank=true, rankdir=LR, fontname=\"Helvetica\", fontsize=10];"
    );
    let _ = writeln!(
        w,
        "  node [shape=box, style=\"rounded,filled\", fillcolor=\"{NODE_FILL}\", fontname=\"Helvetica\", fontsize=10];"
    );
    let _ = writeln!(
        w,
        "  edge [fontname=\"Helvetica\", fontsize=8, color=\"#52606d\"];"
    );
    if let Some(note) = &p.note {
        let _ = writeln!(w, "  label={}; labelloc=t;", q(note));
    }
    for (k, (cluster, nodes)) in clusters(p).into_iter().enumerate() {
        let indent = if cluster.is_empty() { "  " } else { "    " };
        if !cluster.is_empty() {
            let _ = writeln!(w, "  subgraph cluster_{k} {{");
            let _ = writeln!(
                w,
                "    label={}; style=\"rounded\"; color={};",
                q(cluster),
                q(CLUSTER_COLOR)
            );
        }
        for (i, n) in nodes {
            let root = p.root.as_deref() == Some(n.id.as_str());
            let fill = if root {
                format!(", fillcolor={}, penwidth=2", q(ROOT_FILL))
            } else {
                String::new()
            };
            let _ = writeln!(
                w,
                "{indent}n{i} [label={}, tooltip={}, shape={}{fill}];",
                q(&n.label),
                q(&format!("{} {}", n.kind, n.title)),
                dot_shape(&n.kind)
            );
        }
        if !cluster.is_empty() {
            let _ = writeln!(w, "  }}");
        }
    }
    let at = index(p);
    for e in &p.edges {
        let (Some(a), Some(b)) = (at.get(e.from.as_str()), at.get(e.to.as_str())) else {
            continue;
        };
        let mut attrs = format!("label={}", q(&edge_label(e)));
        if e.heuristic {
            attrs.push_str(", style=dashed");
        }
        if e.count > 1 {
            let width = 1.0 + f64::from(e.count).log2().min(4.0);
            let _ = write!(attrs, ", penwidth={width:.1}");
        }
        let _ = writeln!(w, "  n{a} -> n{b} [{attrs}];");
    }
    if let Some(more) = left_out(p) {
        let _ = writeln!(
            w,
            "  left_out [shape=plaintext, style=\"\", label={}];",
            q(&more)
        );
    }
    s.push_str("}\n");
    s
}

/// A Mermaid label in double quotes: quotes and angle brackets as
/// Mermaid's entity codes, so no text closes the label or becomes HTML.
fn m(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            '\n' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn mermaid_node(i: usize, n: &PictureNode) -> String {
    let label = m(&n.label);
    match n.kind.as_str() {
        "file" => format!("n{i}[/{label}/]"),
        "folder" | "module" => format!("n{i}[({label})]"),
        _ => format!("n{i}[{label}]"),
    }
}

/// A Mermaid flowchart: clusters as subgraphs, heuristic edges dotted,
/// the root highlighted.
pub fn mermaid(p: &Picture) -> String {
    let mut s = String::new();
    let w = &mut s;
    if let Some(note) = &p.note {
        let _ = writeln!(w, "---\ntitle: {}\n---", note.replace(['\n', ':'], " "));
    }
    let _ = writeln!(w, "flowchart LR");
    for (k, (cluster, nodes)) in clusters(p).into_iter().enumerate() {
        let indent = if cluster.is_empty() { "  " } else { "    " };
        if !cluster.is_empty() {
            let _ = writeln!(w, "  subgraph c{k}[{}]", m(cluster));
        }
        for (i, n) in nodes {
            let _ = writeln!(w, "{indent}{}", mermaid_node(i, n));
        }
        if !cluster.is_empty() {
            let _ = writeln!(w, "  end");
        }
    }
    let at = index(p);
    for e in &p.edges {
        let (Some(a), Some(b)) = (at.get(e.from.as_str()), at.get(e.to.as_str())) else {
            continue;
        };
        let arrow = if e.heuristic { "-.->" } else { "-->" };
        let _ = writeln!(w, "  n{a} {arrow}|{}| n{b}", m(&edge_label(e)));
    }
    if let Some(more) = left_out(p) {
        let _ = writeln!(w, "  left_out>{}]", m(&more));
    }
    if let Some(i) = p.root.as_deref().and_then(|r| at.get(r)) {
        let _ = writeln!(
            w,
            "  classDef root fill:{ROOT_FILL},stroke:#b7791f,stroke-width:2px"
        );
        let _ = writeln!(w, "  class n{i} root");
    }
    s
}
