//! Paging through every bulk action, as a state machine: a page after another while the service
//! gives a cursor, at most `maxPages` pages.
//!
//! Each page comes back from [`ActionListing::on_response`] as it arrives, and the next is only
//! asked for when the driver polls again, so a caller that stops reading sends nothing more. A
//! service that hands out a cursor it gave before would page forever: that ends the listing as
//! an `INVALID_RESPONSE`. Stopping at `maxPages` while more remain is `UNFINISHED`, never done,
//! and the error carries the cursor to resume from.

use crate::call::exchange::{hand_to, Exchange};
use crate::call::transmit::{next_random, Failure, ForeignTransmit, Machine, Step, Transmit};
use crate::error::{Error, ErrorCode};
use crate::rules::account::Account;
use crate::rules::bulk_read::{max_pages as checked_max_pages, ListQuery};
use crate::rules::call_options::CallOptions;
use crate::wire::bulk_action::BulkActionPage;
use crate::wire::response::HttpResponse;

/// A listing of every bulk action. See the module documentation.
#[derive(Debug)]
pub struct ActionListing {
    account: Account,
    /// The next page's query (its cursor moves on with each page).
    query: ListQuery,
    /// Of each page's read.
    call_options: CallOptions,
    max_pages: u32,
    pages: u32,
    /// A digest of every cursor the service gave so far, sorted. Digests rather than the cursors,
    /// and a sorted list rather than a set: a `BTreeSet<String>` measured 2.5 KB of wasm, and
    /// 100,000 pages of 1 KB cursors would hold 100 MB. (Two cursors share a 64-bit digest with a
    /// chance of about 1 in 10^10 at the largest `maxPages`.)
    seen: Vec<u64>,
    random: u64,
    page: Option<Exchange<BulkActionPage>>,
    /// Whether the caller stopped it: a page whose answer arrives after is the last.
    aborted: bool,
    /// How the listing ended: the pages read, or the error.
    end: Option<Result<u32, Error>>,
}

impl ActionListing {
    /// Plans the listing from `query` (its `cursor`, if any, is where it starts), at most
    /// `max_pages` pages, each read with `call_options`.
    pub fn new(
        account: &Account,
        query: ListQuery,
        call_options: &CallOptions,
        max_pages: u32,
        seed: u64,
    ) -> Result<Self, Error> {
        let max_pages = checked_max_pages(f64::from(max_pages))?;
        Ok(ActionListing {
            account: account.clone(),
            query,
            call_options: call_options.clone(),
            max_pages,
            pages: 0,
            seen: Vec::new(),
            random: seed | 1,
            page: None,
            aborted: false,
            end: None,
        })
    }

    /// Where the next page starts: after a stop at `maxPages`, the cursor to resume from (a
    /// listing made with it goes on where this one stopped).
    pub fn cursor(&self) -> Option<&str> {
        self.query.cursor.as_deref()
    }
}

impl Machine for ActionListing {
    type Report = BulkActionPage;
    type Output = u32;

    /// What to do at time `now_ms`: send the read of the next page, wait, or take the result.
    fn poll(&mut self, now_ms: u64) -> Step {
        loop {
            if let Some(page) = &mut self.page {
                match page.poll(now_ms) {
                    Step::Done => {
                        self.take_page();
                        continue;
                    }
                    step => return step,
                }
            }
            if self.aborted && self.end.is_none() {
                self.end = Some(Err(Error::aborted()));
            }
            if self.end.is_some() {
                return Step::Done;
            }
            let seed = (next_random(&mut self.random) * (1u64 << 53) as f64) as u64;
            let page = Exchange::page(&self.account, &self.query, &self.call_options, now_ms, seed);
            self.page = Some(page);
        }
    }

    /// The stop the caller asked for: the read in flight is ended, and no page is asked for after
    /// (a page whose answer does arrive is the last).
    fn abort(&mut self) {
        self.aborted = true;
        if let Some(page) = &mut self.page {
            page.abort();
        }
    }

    /// The answer to a page's `transmit` came in: the page, if it is one.
    fn on_response(
        &mut self,
        transmit: Transmit,
        response: &HttpResponse,
        now_ms: u64,
    ) -> Result<Option<BulkActionPage>, ForeignTransmit> {
        let ended = hand_to(&mut self.page, transmit, |read, t| {
            read.on_response(t, response, now_ms)
        })?;
        Ok(if ended { self.take_page() } else { None })
    }

    /// A page's `transmit` got no answer.
    fn on_failure(
        &mut self,
        transmit: Transmit,
        failure: Failure,
        now_ms: u64,
    ) -> Result<(), ForeignTransmit> {
        if hand_to(&mut self.page, transmit, |read, t| {
            read.on_failure(t, failure, now_ms)
        })? {
            self.take_page();
        }
        Ok(())
    }

    /// The pages read, once the service gave no further cursor; or the error the listing ended
    /// with. Called before [`Step::Done`], the listing is not done and says so.
    fn finish(self) -> Result<u32, Error> {
        match self.end {
            Some(end) => end,
            None => Err(self.unfinished(
                "the listing was finished before poll said Done while more pages may remain".into(),
            )),
        }
    }
}

impl ActionListing {
    /// Takes the ended read's result: the page (the next one is planned, or the listing ends).
    fn take_page(&mut self) -> Option<BulkActionPage> {
        let page = match self.page.take()?.finish() {
            Ok(page) => page,
            Err(err) => {
                self.end = Some(Err(err));
                return None;
            }
        };
        self.pages += 1;
        let seen = page
            .cursor
            .as_deref()
            .map(|next| (next, self.seen.binary_search(&digest(next))));
        match seen {
            None => self.end = Some(Ok(self.pages)),
            Some((next, Ok(_))) => {
                let why = format!("the service gave cursor {next} a second time; stopped paging");
                self.end = Some(Err(Error::new(ErrorCode::InvalidResponse, why)));
            }
            Some((next, Err(at))) => {
                // Inserted at `at`, where binary_search says it belongs (pushed and rotated into
                // place: `insert` compiles a panic in for an index it cannot see is in range).
                self.seen.push(digest(next));
                if let Some(tail) = self.seen.get_mut(at..) {
                    tail.rotate_right(tail.len().min(1));
                }
                self.query.cursor = Some(next.to_owned());
                if self.pages >= self.max_pages {
                    let why = format!(
                        "stopped after maxPages ({}) pages while more remain",
                        self.max_pages
                    );
                    self.end = Some(Err(self.unfinished(why).stopped_at("maxPages", self.max_pages)));
                }
            }
        }
        Some(page)
    }

    /// An `UNFINISHED` stop (`why`), saying the cursor to resume from, if there is one.
    fn unfinished(&self, why: String) -> Error {
        match &self.query.cursor {
            Some(cursor) => Error::new(
                ErrorCode::Unfinished,
                format!("{why}; resume with cursor {cursor}"),
            ),
            None => Error::new(ErrorCode::Unfinished, why),
        }
    }
}

/// A 64-bit digest of `cursor` (FNV-1a): what a cursor given twice is recognised by.
fn digest(cursor: &str) -> u64 {
    cursor.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
