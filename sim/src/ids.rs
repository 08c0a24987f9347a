//! Generated names, uids and tokens, drawn from a seeded generator so that a seed repeats
//! them, and hashes for content derived from names.

use fastrand::Rng;
use std::hash::Hasher;

/// The characters Kubernetes draws `generateName` suffixes from (no vowels, no look-alikes).
pub const NAME_SUFFIX_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// A `generateName` suffix: 5 characters of [`NAME_SUFFIX_ALPHABET`].
pub fn name_suffix(rng: &mut Rng) -> String {
    (0..5)
        .map(|_| char::from(NAME_SUFFIX_ALPHABET[rng.usize(..NAME_SUFFIX_ALPHABET.len())]))
        .collect()
}

/// A random (version 4) UUID, as Kubernetes gives every object.
pub fn uid(rng: &mut Rng) -> String {
    let v = rng.u128(..) & !(0xf << 76) & !(0x3 << 62) | (0x4 << 76) | (0x2 << 62);
    let hex = format!("{v:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// `len` lowercase hex digits.
pub fn hex(rng: &mut Rng, len: usize) -> String {
    (0..len)
        .map(|_| char::from_digit(rng.u32(..16), 16).unwrap_or('0'))
        .collect()
}

/// A stable 64-bit hash (FNV-1a) of content derived from names: artifact bytes, input ids,
/// spec hashes.
pub fn content_hash(data: &[u8]) -> u64 {
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(data);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_names() {
        let (mut a, mut b) = (Rng::with_seed(7), Rng::with_seed(7));
        assert_eq!(name_suffix(&mut a), name_suffix(&mut b));
        assert_eq!(uid(&mut a), uid(&mut b));
        assert_eq!(hex(&mut a, 40), hex(&mut b, 40));
    }

    #[test]
    fn shapes() {
        let mut rng = Rng::with_seed(1);
        let suffix = name_suffix(&mut rng);
        assert_eq!(suffix.len(), 5);
        assert!(suffix.bytes().all(|c| NAME_SUFFIX_ALPHABET.contains(&c)));
        let uid = uid(&mut rng);
        let groups: Vec<&str> = uid.split('-').collect();
        assert_eq!(
            groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(groups[2].starts_with('4'), "{uid}");
        assert!(matches!(&groups[3][..1], "8" | "9" | "a" | "b"), "{uid}");
        let token = hex(&mut rng, 40);
        assert_eq!(token.len(), 40);
        assert!(token.bytes().all(|c| c.is_ascii_hexdigit()));
    }

    #[test]
    fn content_hash_is_fnv1a() {
        assert_eq!(content_hash(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(content_hash(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
