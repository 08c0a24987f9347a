//! Text from a byte stream that may split a character between chunks.

/// Turns byte chunks into text chunks without ever splitting a character: the bytes of a
/// character cut off at the end of a chunk wait for the next chunk. Bytes that are not UTF-8
/// become U+FFFD, as in `String::from_utf8_lossy`. The concatenated text equals the lossy
/// decoding of the concatenated bytes.
#[derive(Debug, Default, Clone)]
pub struct Utf8Chunks {
    pending: Vec<u8>,
}

impl Utf8Chunks {
    pub fn new() -> Self {
        Self::default()
    }

    /// The text of `bytes` and of what was held back before, less an unfinished character.
    pub fn feed(&mut self, bytes: &[u8]) -> String {
        self.pending.extend_from_slice(bytes);
        let complete = self.pending.len() - unfinished_tail(&self.pending);
        let text = String::from_utf8_lossy(&self.pending[..complete]).into_owned();
        self.pending.drain(..complete);
        text
    }

    /// What is still held back, at the end of the stream (a cut-off character as U+FFFD).
    pub fn finish(&mut self) -> String {
        let text = String::from_utf8_lossy(&self.pending).into_owned();
        self.pending.clear();
        text
    }
}

/// How many bytes at the end of `bytes` start a character that is not complete yet.
fn unfinished_tail(bytes: &[u8]) -> usize {
    let from = bytes.len().saturating_sub(3);
    for i in (from..bytes.len()).rev() {
        let needed = match bytes[i] {
            0x80..=0xBF => continue,
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => return 0,
        };
        let present = bytes.len() - i;
        return if present < needed { present } else { 0 };
    }
    0
}

#[cfg(test)]
mod tests {
    use super::Utf8Chunks;

    fn decode_in_chunks(bytes: &[u8], size: usize) -> String {
        let mut decoder = Utf8Chunks::new();
        let mut text: String = bytes.chunks(size).map(|c| decoder.feed(c)).collect();
        text.push_str(&decoder.finish());
        text
    }

    #[test]
    fn every_split_gives_the_same_text() {
        let bytes = "Größe: 5 € — 🚀 done\n".as_bytes();
        for size in 1..=bytes.len() {
            assert_eq!(
                decode_in_chunks(bytes, size),
                "Größe: 5 € — 🚀 done\n",
                "{size}"
            );
        }
    }

    #[test]
    fn invalid_bytes_read_as_replacement_characters() {
        let bytes = b"a\xffb\xe2\x82";
        for size in 1..=bytes.len() {
            assert_eq!(
                decode_in_chunks(bytes, size),
                String::from_utf8_lossy(bytes),
                "{size}"
            );
        }
    }

    #[test]
    fn a_held_back_character_is_not_lost() {
        let mut decoder = Utf8Chunks::new();
        assert_eq!(decoder.feed(&[0xe2, 0x82]), "");
        assert_eq!(decoder.feed(&[0xac, b'!']), "€!");
        assert_eq!(decoder.finish(), "");
    }
}
