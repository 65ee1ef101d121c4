//! Text kept compressed in memory: the rendered bodies of a whole archive
//! are the largest part of the site model (about 9 KB of HTML and plain
//! text a briefing, 1.8 GB at 200,000 briefings), and each is read once or
//! twice per build (its page, the feed, the search index). LZ4 packs HTML
//! to about a third and unpacks at gigabytes a second.

/// A text, compressed. Packing the same text always gives the same bytes.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct PackedText(Box<[u8]>);

impl PackedText {
    pub fn pack(text: &str) -> PackedText {
        if text.is_empty() {
            return PackedText::default();
        }
        PackedText(lz4_flex::compress_prepend_size(text.as_bytes()).into_boxed_slice())
    }

    /// The text as it was packed.
    pub fn unpack(&self) -> String {
        if self.0.is_empty() {
            return String::new();
        }
        let bytes = lz4_flex::decompress_size_prepended(&self.0)
            .expect("packed by `pack`, which always gives a valid block");
        String::from_utf8(bytes).expect("packed from a str")
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The bytes it takes in memory.
    pub fn packed_len(&self) -> usize {
        self.0.len()
    }
}

impl std::fmt::Debug for PackedText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.unpack())
    }
}

impl From<&str> for PackedText {
    fn from(text: &str) -> PackedText {
        PackedText::pack(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unpacks_to_the_text_packed_in_every_script_and_size() {
        let long = "<p>Kim Jong Un met Vladimir Putin in Pyongyang.</p>\n".repeat(500);
        for text in [
            "",
            "a",
            "김정은과 블라디미르 푸틴 — Ким Чен Ын, 金正恩 🇰🇵",
            long.as_str(),
        ] {
            let packed = PackedText::pack(text);
            assert_eq!(packed.unpack(), text);
            assert_eq!(packed, PackedText::pack(text), "packing is deterministic");
        }
        assert!(PackedText::pack(&long).packed_len() < long.len() / 4);
    }
}
