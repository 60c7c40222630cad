use weft_db::api::answer::{LeftOut, Picture, PictureEdge, PictureNode};

use super::{dot, mermaid, svg_in_process};

pub(super) fn node(id: &str, label: &str, cluster: &str) -> PictureNode {
    PictureNode {
        id: id.into(),
        label: label.into(),
        kind: "function".into(),
        title: format!("m::{label}"),
        cluster: cluster.into(),
        distance: 0,
    }
}

/// Labels that would end a quoted string or become markup if written as
/// they are.
pub(super) fn awkward() -> Picture {
    Picture {
        kind: "calls",
        root: Some("a".into()),
        nodes: vec![
            node("a", "say \"hi\"\\n", "src/a b.rs"),
            node("b", "Vec<T> #1", "src/a b.rs"),
            node("c", "plain", ""),
        ],
        edges: vec![
            PictureEdge {
                from: "a".into(),
                to: "b".into(),
                kind: "calls",
                heuristic: true,
                count: 1,
            },
            PictureEdge {
                from: "b".into(),
                to: "c".into(),
                kind: "imports",
                heuristic: false,
                count: 5,
            },
        ],
        left_out: LeftOut { nodes: 2, edges: 3 },
        note: None,
    }
}

#[test]
fn dot_escapes_labels_and_groups_clusters() {
    let d = dot(&awkward());
    assert!(d.contains(r#"n0 [label="say \"hi\"\\n""#), "{d}");
    assert!(d.contains("label=\"Vec<T> #1\""), "{d}");
    assert_eq!(
        d.matches("subgraph cluster_").count(),
        1,
        "one cluster; `plain` has none: {d}"
    );
    assert!(d.contains("n0 -> n1 [label=\"calls (heuristic)\", style=dashed]"));
    assert!(
        d.contains("n1 -> n2 [label=\"imports ×5\", penwidth=3.3]"),
        "{d}"
    );
    assert!(d.contains("2 nodes and 3 edges left out"));
}

#[test]
fn mermaid_escapes_what_it_would_read_as_markup() {
    let m = mermaid(&awkward());
    assert!(m.contains("n0[\"say #quot;hi#quot;\\n\"]"), "{m}");
    assert!(m.contains("n1[\"Vec#lt;T#gt; #35;1\"]"), "{m}");
    assert!(m.contains("subgraph c0[\"src/a b.rs\"]"));
    assert!(m.contains("n0 -.->|\"calls (heuristic)\"| n1"));
    assert!(m.contains("class n0 root"));
    assert!(m.contains("left_out>\"2 nodes and 3 edges left out"));
}

#[test]
fn the_in_process_layout_draws_every_node() {
    let svg = svg_in_process(&awkward()).unwrap();
    assert!(svg.starts_with("<svg") || svg.contains("<svg"), "{svg}");
    for label in ["plain", "src/a b.rs", "left out"] {
        assert!(svg.contains(label), "{label} missing");
    }
}

#[test]
fn svg_refuses_a_picture_too_big_to_lay_out_quickly() {
    let mut p = awkward();
    p.nodes = (0..=super::SVG_NODES)
        .map(|i| node(&i.to_string(), "n", ""))
        .collect();
    let err = super::Drawn::new(p, Some(weft_db::api::Drawing::Svg)).unwrap_err();
    assert!(err.to_string().contains("at most 300 nodes"), "{err}");
}
