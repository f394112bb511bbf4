//! One `DELETE` through the global `fetch` with a bearer token, the answer's length back: what
//! any cancel must do, with nothing of ours (no validation, retries, splitting or errors).
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch, catch)]
    fn global_fetch(url: &str, init: &web_sys::RequestInit) -> Result<js_sys::Promise, JsValue>;
}

#[cfg(feature = "serialize")]
#[derive(serde::Serialize)]
struct Summary {
    cancelled: u32,
    requests: u32,
}

/// `cancelRuns(url, token)`.
#[wasm_bindgen(js_name = cancelRuns)]
pub async fn cancel_runs(url: String, token: String) -> Result<JsValue, JsValue> {
    let init = web_sys::RequestInit::new();
    init.set_method("DELETE");
    let headers = web_sys::Headers::new()?;
    headers.set("Authorization", &token)?;
    init.set_headers(&headers);
    let response: web_sys::Response = JsFuture::from(global_fetch(&url, &init)?).await?.dyn_into()?;
    let text = JsFuture::from(response.text()?).await?;
    let length = text.as_string().map_or(0, |s| s.len()) as u32;
    #[cfg(feature = "serialize")]
    {
        let summary = Summary {
            cancelled: length,
            requests: 1,
        };
        Ok(serde::Serialize::serialize(
            &summary,
            &serde_wasm_bindgen::Serializer::json_compatible(),
        )?)
    }
    #[cfg(not(feature = "serialize"))]
    Ok(JsValue::from(length))
}
