//! Which words a file holds, as a Bloom filter: what lets a structural
//! search (`weft grep`) skip the files that cannot match without reading
//! them. A word is a maximal run of letters, digits and `_`, compared
//! without case (keywords of some languages are case-blind). The filter
//! never says no to a word the text holds; it says yes to about one word
//! in a hundred it does not, which costs only a parse.
//!
//! The bytes are stored in the snapshot beside each content's facts, so
//! the hash and layout below are a format: change them together with
//! `schema::SCHEMA_VERSION`.

/// Bits per distinct word: with [`PROBES`] probes, ~1% false positives.
const BITS_PER_WORD: usize = 10;
const PROBES: u8 = 6;

/// A text's words as a Bloom filter: one byte of probe count, then the bits.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct WordFilter(Box<[u8]>);

impl WordFilter {
    /// The filter of every word of `text`.
    pub fn of(text: &str) -> WordFilter {
        let mut hashes: Vec<u64> = words(text).map(word_hash).collect();
        hashes.sort_unstable();
        hashes.dedup();
        let bytes = (hashes.len() * BITS_PER_WORD).div_ceil(8).max(8);
        let mut b = vec![0u8; bytes + 1];
        b[0] = PROBES;
        let bits = (bytes * 8) as u64;
        for h in hashes {
            for bit in probes(h, PROBES, bits) {
                b[1 + (bit / 8) as usize] |= 1 << (bit % 8);
            }
        }
        WordFilter(b.into_boxed_slice())
    }

    /// A stored filter; `None` when the bytes cannot be one.
    pub fn from_bytes(b: &[u8]) -> Option<WordFilter> {
        (b.len() >= 2 && b[0] >= 1).then(|| WordFilter(b.into()))
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Might the text hold `word` (one word, any case)? `false` is certain.
    pub fn may_hold(&self, word: &str) -> bool {
        let bits = ((self.0.len() - 1) * 8) as u64;
        let h = word_hash(word);
        probes(h, self.0[0], bits).all(|bit| self.0[1 + (bit / 8) as usize] & (1 << (bit % 8)) != 0)
    }
}

/// The words of a text, as [`WordFilter`] cuts them.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
}

pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// FNV-1a over the word's lowercase UTF-8: stable across platforms and
/// releases (it is stored).
fn word_hash(word: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: u8| {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    };
    for c in word.chars() {
        if c.is_ascii() {
            eat(c.to_ascii_lowercase() as u8);
        } else {
            let mut buf = [0u8; 4];
            for l in c.to_lowercase() {
                l.encode_utf8(&mut buf).bytes().for_each(&mut eat);
            }
        }
    }
    h
}

/// The bits a word's hash sets: double hashing (Kirsch–Mitzenmacher).
fn probes(h: u64, k: u8, bits: u64) -> impl Iterator<Item = u64> {
    let mut z = h.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    let h2 = (z ^ (z >> 31)) | 1;
    (0..k as u64).map(move |i| h.wrapping_add(i.wrapping_mul(h2)) % bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_of_the_text_is_held_in_any_case() {
        let text = "fn parse_header(h: &HeaderMap) -> Résumé { h.get(\"Host\").unwrap() }";
        let f = WordFilter::of(text);
        for w in words(text) {
            assert!(f.may_hold(w), "{w}");
            assert!(f.may_hold(&w.to_uppercase()), "{w}");
        }
        assert!(f.may_hold("résumé") && f.may_hold("RÉSUMÉ"));
        assert_eq!(
            words("a.b_c::d1(ß)").collect::<Vec<_>>(),
            ["a", "b_c", "d1", "ß"]
        );
    }

    #[test]
    fn most_absent_words_are_refused() {
        let text: String = (0..500).map(|i| format!("word{i} ")).collect();
        let f = WordFilter::of(&text);
        let false_yes = (0..10_000)
            .filter(|i| f.may_hold(&format!("other{i}")))
            .count();
        // ~1% by design; 3% would mean the probes or sizing broke
        assert!(false_yes < 300, "{false_yes} of 10000 absent words held");
        assert!(!WordFilter::of("").may_hold("x"));
    }

    #[test]
    fn stored_bytes_round_trip_and_bad_ones_are_refused() {
        let f = WordFilter::of("alpha beta");
        let back = WordFilter::from_bytes(f.as_bytes()).unwrap();
        assert!(back.may_hold("beta") && back == f);
        assert!(WordFilter::from_bytes(&[]).is_none());
        assert!(WordFilter::from_bytes(&[0, 1, 2]).is_none());
    }
}
