//! Percent-encoding of path segments, query values, form bodies, branch and artifact names.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but RFC 3986 unreserved characters is encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Encodes one path segment: `/`, `%`, spaces and every other reserved byte become `%XX`.
pub(crate) fn encode_segment(segment: &str) -> String {
    utf8_percent_encode(segment, COMPONENT).to_string()
}

/// Encodes a query name or value (a space becomes `%20`).
pub(crate) fn encode_query_value(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}

/// `application/x-www-form-urlencoded` serialization (a space becomes `+`).
pub(crate) fn encode_form(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// Characters Jenkins' branch-api encodes when it turns an SCM branch into a job name.
const JENKINS_ENCODED: &[char] = &['/', '\\', ':', '?', '#', '*', '<', '>', '|', '"'];

/// The Jenkins job name of a branch. A value with a character Jenkins encodes (such as the `/`
/// of `feat/x`) is a display name and is encoded the way Jenkins does (`feat%2Fx`); any other
/// value is taken as the Jenkins name already (`feat%2Fx`, `main`) and returned unchanged.
pub fn jenkins_branch_name(branch: &str) -> String {
    if !branch.contains(JENKINS_ENCODED) {
        return branch.to_owned();
    }
    let mut out = String::with_capacity(branch.len() + 8);
    for c in branch.chars() {
        if c == '%' || JENKINS_ENCODED.contains(&c) {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// The `filename` query value of an artifact download. The server decodes the query value a
/// second time (`url.QueryUnescape`), so the two characters that decoding changes, `%` and
/// `+`, are escaped once here; other characters go through as they are.
pub(crate) fn artifact_filename_query(filename: &str) -> String {
    filename.replace('%', "%25").replace('+', "%2B")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_encode_reserved_characters() {
        assert_eq!(encode_segment("feat%2Fx"), "feat%252Fx");
        assert_eq!(encode_segment("a b/c"), "a%20b%2Fc");
        assert_eq!(encode_segment("main-1.0_x~"), "main-1.0_x~");
    }

    #[test]
    fn branch_display_names_become_jenkins_names() {
        assert_eq!(jenkins_branch_name("feat/x"), "feat%2Fx");
        assert_eq!(jenkins_branch_name("feat%2Fx"), "feat%2Fx");
        assert_eq!(jenkins_branch_name("main"), "main");
        assert_eq!(jenkins_branch_name("a/50%"), "a%2F50%25");
    }

    #[test]
    fn form_encoding_uses_plus_for_space() {
        let pairs = vec![("a".to_owned(), "x y&z".to_owned())];
        assert_eq!(encode_form(&pairs), "a=x+y%26z");
    }

    #[test]
    fn artifact_names_survive_a_second_decoding() {
        assert_eq!(artifact_filename_query("target/app.jar"), "target/app.jar");
        assert_eq!(artifact_filename_query("a+b%c"), "a%2Bb%25c");
    }
}
