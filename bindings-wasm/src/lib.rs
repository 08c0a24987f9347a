//! WebAssembly binding (wasm-bindgen).
