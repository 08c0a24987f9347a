//! Lists as lazy streams: one page is fetched when the items of the previous one are used up.

use super::connection::{Client, Resend};
use crate::api::{Api, Operation, Page, Request};
use crate::error::Result;
use crate::model::ListResult;
use crate::transport::{MaybeSend, Transport};
use futures_util::stream::{self, Stream};
use serde::de::DeserializeOwned;
use std::collections::VecDeque;

/// Items per page requested by the list streams. Large, as the KubeSphere console asks for
/// whole lists: each page costs the server a read of the whole list (it sorts and pages
/// locally), so fewer pages make a long list much faster to read.
pub const PAGE_SIZE: u64 = 500;

struct Pages<F, D> {
    build: F,
    page: u64,
    seen: u64,
    buffer: VecDeque<D>,
    done: bool,
}

/// Streams the items of `operation`, built for each page by `build`. The stream ends after
/// a short or empty page, a page longer than asked for (a server that ignores paging), or
/// once the server's total is reached; an error ends it too.
pub(crate) fn paged<'a, T, D, F>(
    client: &'a Client<T>,
    operation: Operation,
    build: F,
) -> impl Stream<Item = Result<D>> + 'a
where
    T: Transport,
    D: DeserializeOwned + MaybeSend + 'a,
    F: Fn(&Api, Page) -> Result<Request> + MaybeSend + 'a,
{
    paged_with(client, operation, build, true)
}

/// [`paged`], for lists whose total is only the length of the page (bare JSON arrays):
/// with `trust_total` false only a short page ends the stream.
pub(crate) fn paged_with<'a, T, D, F>(
    client: &'a Client<T>,
    operation: Operation,
    build: F,
    trust_total: bool,
) -> impl Stream<Item = Result<D>> + 'a
where
    T: Transport,
    D: DeserializeOwned + MaybeSend + 'a,
    F: Fn(&Api, Page) -> Result<Request> + MaybeSend + 'a,
{
    let start = Pages {
        build,
        page: 1,
        seen: 0,
        buffer: VecDeque::new(),
        done: false,
    };
    stream::unfold(start, move |mut pages| async move {
        loop {
            if let Some(item) = pages.buffer.pop_front() {
                return Some((Ok(item), pages));
            }
            if pages.done {
                return None;
            }
            match fetch_page(client, operation, &pages.build, pages.page).await {
                Err(error) => {
                    pages.done = true;
                    return Some((Err(error), pages));
                }
                Ok(list) => {
                    let count = list.items.len() as u64;
                    pages.seen += count;
                    pages.page += 1;
                    let total_reached = trust_total
                        && list.total_items > 0
                        && pages.seen >= list.total_items as u64;
                    // A page longer than asked for is a server that does not page: it
                    // sent the whole list, and asking for the next page would repeat it.
                    pages.done = count != PAGE_SIZE || total_reached;
                    if pages.buffer.is_empty() {
                        // Takes the page's allocation over instead of copying it.
                        pages.buffer = list.items.into();
                    } else {
                        pages.buffer.extend(list.items);
                    }
                }
            }
        }
    })
}

async fn fetch_page<T: Transport, D: DeserializeOwned, F: Fn(&Api, Page) -> Result<Request>>(
    client: &Client<T>,
    operation: Operation,
    build: &F,
    page: u64,
) -> Result<ListResult<D>> {
    let api = client.api().await?;
    let request = build(&api, Page::new(page, PAGE_SIZE))?;
    let (headers, body) = client.fetch(operation, &request, Resend::ByMethod).await?;
    ListResult::from_json(&body).map_err(|e| {
        crate::decode::html_instead_of_json(operation, &headers, &body)
            .unwrap_or_else(|| e.context(operation))
    })
}
