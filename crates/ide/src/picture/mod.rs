//! `weft graph` and `weft cycles --format`: parts of the graph as
//! pictures. `build` chooses the nodes and edges (a neighbourhood walked
//! breadth first, the module map merged into folders, the cycles), `draw`
//! writes them as DOT or Mermaid, `svg` lays them out.

mod build;
mod draw;
mod svg;

use anyhow::{Result, bail};
use weft_db::api::Drawing;
use weft_db::api::answer::Picture;

pub use build::{cycles, modules, neighbourhood};
pub use draw::{dot, mermaid};
pub use svg::{Layout, svg, svg_in_process};

/// The most nodes an SVG is laid out for: the layout runs while the
/// answer holds the database (a writer waits for it), so it must stay
/// short.
pub const SVG_NODES: usize = 300;

/// A picture and, unless it is asked for as JSON, its drawing.
#[derive(Debug)]
pub struct Drawn {
    pub picture: Picture,
    pub format: Option<Drawing>,
    /// DOT, Mermaid or SVG text.
    pub text: Option<String>,
}

impl Drawn {
    pub fn new(picture: Picture, format: Option<Drawing>) -> Result<Drawn> {
        let text = match format {
            None => None,
            Some(Drawing::Dot) => Some(dot(&picture)),
            Some(Drawing::Mermaid) => Some(mermaid(&picture)),
            Some(Drawing::Svg) if picture.nodes.len() > SVG_NODES => bail!(
                "SVG is laid out for at most {SVG_NODES} nodes and this picture has {}: lower --limit, or take --format dot to a tool of your own",
                picture.nodes.len()
            ),
            Some(Drawing::Svg) => Some(svg(&picture)?.0),
        };
        Ok(Drawn {
            picture,
            format,
            text,
        })
    }

    /// The format's name, as `--format` spells it.
    pub fn format_name(&self) -> &'static str {
        match self.format {
            None => "json",
            Some(Drawing::Dot) => "dot",
            Some(Drawing::Mermaid) => "mermaid",
            Some(Drawing::Svg) => "svg",
        }
    }
}

#[cfg(test)]
mod tests;
