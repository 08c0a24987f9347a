//! Rendering a request as a JSON object (method, URL, headers, body), secrets masked as in
//! its curl form: for dry runs that print JSON.

use super::request::{is_credential_header, Body, Request};
use crate::Secret;
use serde_json::{json, Map, Value};

impl Request {
    /// `{"method", "url", "headers", "body"}` against `base`. The bearer token, when given,
    /// every credential header and every secret in the body are shown as `***`; a JSON body
    /// is a JSON value, a form body its encoded text.
    pub fn to_json(&self, base: &str, token: Option<&Secret>) -> Value {
        let mut headers = Map::new();
        // The KubeSphere token never goes to another server (Jenkins' own URL).
        if token.is_some() && self.base.is_none() {
            headers.insert(
                "Authorization".into(),
                format!("Bearer {}", Secret::MASK).into(),
            );
        }
        for (name, value) in &self.headers {
            let shown = if is_credential_header(name) {
                Secret::MASK
            } else {
                value.as_str()
            };
            headers.insert(name.clone(), shown.into());
        }
        let body = self.masked_body().map(|body| match body {
            Body::Json(value) => value,
            form @ Body::Form(_) => String::from_utf8_lossy(&form.to_bytes()).into(),
        });
        json!({
            "method": self.method.as_str(),
            "url": self.url(base),
            "headers": headers,
            "body": body,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::api::{Api, ApiLayout, OAuthClient};
    use crate::Secret;

    #[test]
    fn secrets_are_masked_in_the_json_form() {
        let api = Api::new(ApiLayout::V4);
        let login = api
            .login("admin", &Secret::new("planted-pw"), &OAuthClient::default())
            .unwrap();
        let shown = login.to_json("http://h", None);
        assert_eq!(shown["method"], "POST");
        assert_eq!(shown["url"], "http://h/oauth/token");
        assert!(shown["body"].as_str().unwrap().contains("password=***"));
        assert!(!shown.to_string().contains("planted-pw"));
        let mut list = api.get_pipeline("demo", "build").unwrap();
        list.headers
            .push(("Cookie".into(), "planted-cookie".into()));
        let shown = list.to_json("http://h", Some(&Secret::new("planted-token")));
        assert_eq!(shown["headers"]["Authorization"], "Bearer ***");
        assert_eq!(shown["headers"]["Cookie"], "***");
        assert!(shown["body"].is_null());
        assert!(!shown.to_string().contains("planted"));
    }
}
