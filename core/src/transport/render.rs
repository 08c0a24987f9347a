//! What the transports need beyond [`Request::url`]: the body with its content type (the
//! server URL is checked by [`super::server_url`]).

use crate::api::{Body, Request};

/// The body bytes and the content type to send them with: the request's own `Content-Type`
/// header if it has one, else the type the body's kind implies.
pub(crate) fn body_and_type(request: &Request) -> Option<(Vec<u8>, Option<&'static str>)> {
    let body = request.body.as_ref()?;
    let implied = match body {
        Body::Json(_) => "application/json",
        Body::Form(_) => "application/x-www-form-urlencoded",
    };
    let missing_type = request.content_type().is_none();
    Some((body.to_bytes(), missing_type.then_some(implied)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Method;
    use serde_json::json;

    #[test]
    fn a_body_without_content_type_gets_the_one_its_kind_implies() {
        let mut r = Request::new(Method::Post, "/oauth/token");
        r.body = Some(Body::Form(vec![("grant_type".into(), "password".into())]));
        let (bytes, implied) = body_and_type(&r).unwrap();
        assert_eq!(bytes, b"grant_type=password");
        assert_eq!(implied, Some("application/x-www-form-urlencoded"));
        r.body = Some(Body::Json(json!({"a": 1})));
        assert_eq!(body_and_type(&r).unwrap().1, Some("application/json"));
        r.headers
            .push(("content-type".into(), "application/merge-patch+json".into()));
        assert_eq!(
            body_and_type(&r).unwrap().1,
            None,
            "the request's own header is kept"
        );
        assert!(body_and_type(&Request::new(Method::Get, "/")).is_none());
    }
}
