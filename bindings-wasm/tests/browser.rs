//! The binding in a real browser (headless Chromium through chromedriver): the values it
//! returns go straight into the browser's own `Request` and `Headers`, as a web console or an
//! extension would use them. The vectors run in Node (tests/*.test.mjs).
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect, Uint8Array};
use ksdevops_wasm::{build_request, check_parameters, decode_response, parse_jenkinsfile};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &key.into()).expect("readable property")
}

fn args(json: &str) -> JsValue {
    js_sys::JSON::parse(json).expect("valid JSON")
}

#[wasm_bindgen_test]
fn a_built_request_becomes_a_browser_request() {
    let request = build_request(
        "create_pipeline_run",
        args(r#"{"devops": "demo", "pipeline": "app", "branch": "feat/x", "parameters": [{"name": "A", "value": "1"}]}"#),
        None,
    )
    .expect("valid arguments");
    let init = web_sys::RequestInit::new();
    init.set_method(&request.method());
    init.set_headers(&request.headers().unwrap());
    init.set_body(
        &request
            .body_text()
            .map(JsValue::from)
            .unwrap_or(JsValue::NULL),
    );
    let url = request.url("https://ks.example.com");
    let browser =
        web_sys::Request::new_with_str_and_init(&url, &init).expect("the browser accepts it");
    assert_eq!(browser.method(), "POST");
    assert_eq!(browser.url(), url);
    assert!(url.contains("branch=feat%252Fx"), "{url}");
    assert_eq!(
        browser.headers().get("content-type").unwrap().as_deref(),
        Some("application/json")
    );
}

#[wasm_bindgen_test]
fn a_fetch_response_decodes_with_its_headers_object_and_bytes() {
    let headers = web_sys::Headers::new().unwrap();
    headers.set("Content-Type", "application/json").unwrap();
    let body = Uint8Array::from(br#"{"items": null, "totalItems": 0}"#.as_slice());
    let value = decode_response("list_pipelines", 200, headers.into(), body.into())
        .expect("a list decodes");
    assert_eq!(get(&value, "totalItems"), JsValue::from(0));
    let items = get(&value, "items");
    assert!(
        Array::is_array(&items),
        "\"items\": null reads as an empty array"
    );
    assert_eq!(Array::from(&items).length(), 0);

    let headers = web_sys::Headers::new().unwrap();
    headers
        .set("Content-Type", "text/plain; charset=utf-8")
        .unwrap();
    let error = decode_response("get_pipeline", 404, headers.into(), "not found".into())
        .expect_err("a 404 is an error");
    assert!(error.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&error, "kind"), JsValue::from("not_found"));
    assert_eq!(get(&error, "status"), JsValue::from(404));
}

#[wasm_bindgen_test]
fn bad_arguments_throw_an_error_naming_the_field() {
    let error = build_request("list_pipelines", args(r#"{"devops": "Not_Valid"}"#), None)
        .err()
        .expect("an invalid name is refused");
    let error: js_sys::Error = error.dyn_into().expect("a JS Error");
    assert_eq!(get(&error, "kind"), JsValue::from("invalid_input"));
    assert_eq!(get(&error, "field"), JsValue::from("devops"));
    assert!(String::from(error.message()).contains("Not_Valid"));
}

#[wasm_bindgen_test]
fn jenkinsfile_parameters_are_checked_in_the_browser() {
    let report = parse_jenkinsfile(
        "pipeline { agent any\n parameters { choice(name: 'T', choices: ['a', 'b']) }\n stages { stage('s') { steps { echo 'x' } } } }",
    )
    .unwrap();
    assert_eq!(get(&report, "accepted"), JsValue::TRUE);
    let parameters = get(&report, "parameters");
    let checked = check_parameters(parameters.clone(), args(r#"{"T": "b"}"#), None).unwrap();
    let first = Array::from(&checked).get(0);
    assert_eq!(get(&first, "value"), JsValue::from("b"));
    let refused = check_parameters(parameters, args(r#"{"T": "z"}"#), None).unwrap_err();
    assert_eq!(get(&refused, "field"), JsValue::from("parameters.T"));
}
