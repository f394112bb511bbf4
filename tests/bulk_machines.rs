//! The machines of bulk actions, driven to the end against a simulated service and clock: the one
//! request with its retries ([`Exchange`]: a read, a background start), the wait for an action
//! ([`ActionWait`]) and the listing of every action ([`ActionListing`]). The driver is the one
//! every machine test runs (`tests/common`), written once over the crate's [`Machine`] trait;
//! each run has a step cap, so a machine that never ends fails the test instead of hanging it.
#![cfg(not(target_arch = "wasm32"))]

use qstash_cancel::bulk_actions::{ActionState, ListQuery};
use qstash_cancel::js::{parse_call, parse_connection, Options};
use qstash_cancel::{
    ActionListing, ActionWait, CallOptions, CancelRuns, Cancellation, Error, ErrorCode, Exchange, Failure,
    HttpRequest, HttpResponse, Machine, RetryPolicy, Step, Transmit,
};

mod common;

use common::{simulate, Run};

/// Drives `machine` from time 0 against `service`, which answers each request at the time it is
/// sent; at most 2,000 polls (1,000 requests).
fn drive<M: Machine>(
    machine: M,
    mut service: impl FnMut(&HttpRequest, u64) -> Result<HttpResponse, Failure>,
) -> Run<M> {
    simulate(machine, None, 2_000, |http, now| (0, service(http, now)))
}

fn account() -> qstash_cancel::Account {
    parse_connection(
        &Options::new()
            .with("token", "tok")
            .with("baseUrl", "https://q.example.com"),
    )
    .unwrap()
}

fn answer(status: u16, body: String) -> Result<HttpResponse, Failure> {
    Ok(HttpResponse {
        status,
        body,
        ..HttpResponse::default()
    })
}

fn action(id: &str, state: &str, processed: u64, total: u64) -> String {
    format!(
        r#"{{"actionId":"{id}","kind":"cancel","state":"{state}","total":{total},"processed":{processed},"createdAt":1764000000000}}"#
    )
}

fn options(retries: u32, deadline_ms: Option<u64>) -> CallOptions {
    CallOptions {
        retry: RetryPolicy {
            retries,
            base_delay_ms: 100,
            max_delay_ms: 100,
        },
        deadline_ms,
        ..CallOptions::default()
    }
}

/// A wait of `ba_1` read every 100 ms with `retries`, and the transmit of its first reading.
fn reading_out(retries: u32) -> (ActionWait, Transmit) {
    let mut wait = ActionWait::new(&account(), "ba_1", &options(retries, None), 100, 0, 7).unwrap();
    let Step::Send(transmit) = wait.poll(0) else {
        panic!("no reading")
    };
    (wait, transmit)
}

/// A reading of `ba_1` in progress: `processed` of 9.
fn in_progress(processed: u64) -> HttpResponse {
    answer(200, action("ba_1", "IN_PROGRESS", processed, 9)).unwrap()
}

#[test]
fn a_read_is_sent_again_after_a_passing_failure_and_ends_on_the_answer() {
    let mut answers = vec![
        answer(503, String::new()),
        Err(Failure::TimedOut),
        answer(200, action("ba_1", "IN_PROGRESS", 3, 10)),
    ];
    answers.reverse();
    let read = Exchange::action(&account(), "ba_1", &options(5, None), 0, 7).unwrap();
    let run = drive(read, |_, _| answers.pop().unwrap());
    assert_eq!(run.requests.len(), 3);
    assert!(run
        .requests
        .iter()
        .all(|(_, url, _)| url == "https://q.example.com/v2/workflows/bulkActions/ba_1"));
    let got = run.result.unwrap();
    assert_eq!(
        (got.processed, got.total, got.state),
        (3, 10, ActionState::InProgress)
    );
}

#[test]
fn a_read_gives_up_as_its_options_say() {
    // Out of retries: the last failure, not a guess.
    let read = Exchange::action(&account(), "ba_1", &options(2, None), 0, 7).unwrap();
    let run = drive(read, |_, _| answer(502, String::new()));
    assert_eq!(
        (run.requests.len(), run.result.unwrap_err().status),
        (3, Some(502))
    );
    // maxRequests leaves room for that many attempts in all.
    let capped = CallOptions {
        max_requests: Some(2),
        ..options(5, None)
    };
    let read = Exchange::action(&account(), "ba_1", &capped, 0, 7).unwrap();
    assert_eq!(run_len(read), 2);
    // An answer that is no action is not retried into one.
    let read = Exchange::action(&account(), "ba_1", &options(5, None), 0, 7).unwrap();
    let run = drive(read, |_, _| {
        answer(404, r#"{"error":"Bulk action not found"}"#.into())
    });
    assert_eq!(
        (run.requests.len(), run.result.unwrap_err().code),
        (1, ErrorCode::HttpError)
    );
}

fn run_len<T>(exchange: Exchange<T>) -> usize {
    drive(exchange, |_, _| answer(503, String::new())).requests.len()
}

#[test]
fn a_background_start_is_never_sent_twice_once_the_service_may_have_acted() {
    let (account, request) = parse_call(
        &Options::new()
            .with("token", "tok")
            .with("label", "nightly")
            .with("async", true),
    )
    .unwrap();
    // A 503 says the start was not carried out: sent again, and its id read.
    let mut answers = vec![
        answer(503, String::new()),
        answer(200, r#"{"actionId":"ba_9"}"#.into()),
    ];
    answers.reverse();
    let start = Exchange::start(&account, &request, 0, 7).unwrap();
    let run = drive(start, |_, _| answers.pop().unwrap());
    assert_eq!((run.requests.len(), run.result.unwrap()), (2, "ba_9".to_owned()));
    // A lost answer may hide a started action: not sent again, and counted unconfirmed.
    for lost in [Failure::TimedOut, Failure::Network("reset".into())] {
        let start = Exchange::start(&account, &request, 0, 7).unwrap();
        let run = drive(start, |_, _| Err(lost.clone()));
        let err = run.result.unwrap_err();
        assert_eq!(run.requests.len(), 1, "{lost:?}");
        assert_eq!(err.partial.map(|p| p.unconfirmed), Some(1), "{lost:?}");
        assert!(
            err.message.contains("look with listBulkActions"),
            "{}",
            err.message
        );
    }
    // A cancel that counts runs is not a start.
    let (_, counted) = parse_call(&Options::new().with("token", "tok").with("label", "nightly")).unwrap();
    assert_eq!(
        Exchange::start(&account, &counted, 0, 7)
            .unwrap_err()
            .field
            .as_deref(),
        Some("async")
    );
}

#[test]
fn a_wait_reads_every_poll_ms_until_finished_and_reports_each_reading() {
    let mut readings = vec![(3, "IN_PROGRESS"), (7, "IN_PROGRESS"), (10, "FINISHED")];
    readings.reverse();
    let wait = ActionWait::new(&account(), "ba_1", &options(0, None), 250, 0, 7).unwrap();
    let run = drive(wait, |_, _| {
        let (processed, state) = readings.pop().unwrap();
        answer(200, action("ba_1", state, processed, 10))
    });
    assert_eq!(
        run.requests.iter().map(|(at, ..)| *at).collect::<Vec<_>>(),
        [0, 250, 500]
    );
    assert_eq!(
        run.reports.iter().map(|a| a.processed).collect::<Vec<_>>(),
        [3, 7, 10]
    );
    assert_eq!(run.result.unwrap().state, ActionState::Finished);
}

#[test]
fn a_stopped_wait_says_the_action_goes_on_with_the_last_reading() {
    // The deadline would pass before the next reading: stopped now, not after a useless wait.
    let wait = ActionWait::new(&account(), "ba_1", &options(0, Some(600)), 250, 0, 7).unwrap();
    let run = drive(wait, |_, _| answer(200, action("ba_1", "IN_PROGRESS", 3, 10)));
    let err = run.result.unwrap_err();
    assert_eq!((err.code, run.requests.len()), (ErrorCode::Timeout, 3));
    assert!(
        err.message
            .ends_with("bulk action ba_1 goes on in the service (last seen: 3 of 10 processed)"),
        "{}",
        err.message
    );
    // A reading that goes back ends the wait on the last good one.
    let mut readings = vec![5, 4];
    readings.reverse();
    let wait = ActionWait::new(&account(), "ba_1", &options(0, None), 100, 0, 7).unwrap();
    let run = drive(wait, |_, _| {
        answer(200, action("ba_1", "IN_PROGRESS", readings.pop().unwrap(), 10))
    });
    let err = run.result.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidResponse);
    assert!(
        err.message
            .contains("went backwards (4 of 10 processed after 5 of 10)"),
        "{}",
        err.message
    );
    assert!(err.message.contains("last seen: 5 of 10"), "{}", err.message);
    // The driver's own reason (a freed client) ends it the same way, keeping the reason's field.
    let (mut wait, transmit) = reading_out(0);
    let reading = wait.on_response(transmit, &in_progress(2), 0).unwrap();
    assert_eq!(reading.map(|a| a.processed), Some(2));
    wait.stop(Error::invalid("client", "was freed"));
    assert!(matches!(wait.poll(50), Step::Done));
    assert_eq!(wait.last().map(|a| a.processed), Some(2));
    let err = wait.finish().unwrap_err();
    assert_eq!(
        (err.code, err.field.as_deref()),
        (ErrorCode::InvalidOptions, Some("client"))
    );
    assert!(err.message.contains("last seen: 2 of 9"), "{}", err.message);
}

#[test]
fn an_abort_ends_a_wait_between_readings_and_during_one() {
    let (mut wait, transmit) = reading_out(0);
    wait.on_response(transmit, &in_progress(1), 0).unwrap();
    wait.abort();
    assert!(matches!(wait.poll(10), Step::Done));
    let err = wait.finish().unwrap_err();
    assert_eq!(err.code, ErrorCode::Aborted);
    assert!(
        err.message
            .starts_with("stopped waiting: the AbortSignal fired; bulk action ba_1 goes on"),
        "{}",
        err.message
    );
    // During a reading: the attempt is ended by the driver, and nothing more is sent.
    let (mut wait, transmit) = reading_out(5);
    wait.abort();
    assert!(matches!(wait.poll(0), Step::Wait(None)));
    wait.on_failure(transmit, Failure::Aborted, 5).unwrap();
    assert!(matches!(wait.poll(5), Step::Done));
    let err = wait.finish().unwrap_err();
    assert_eq!(err.code, ErrorCode::Aborted);
    assert!(
        err.message.starts_with("stopped waiting during a reading: "),
        "{}",
        err.message
    );
    assert!(
        err.message
            .ends_with("stopping the wait does not stop bulk action ba_1 in the service"),
        "{}",
        err.message
    );
}

#[test]
fn a_wait_refuses_a_poll_interval_outside_its_range() {
    for ms in [0, 99, 600_001] {
        let err = ActionWait::new(&account(), "ba_1", &options(0, None), ms, 0, 7).unwrap_err();
        assert_eq!(err.message, "pollMs: must be a whole number from 100 to 600000");
    }
    let err = ActionWait::new(&account(), "../runs", &options(0, None), 100, 0, 7).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("actionId"));
}

fn page(ids: &[&str], cursor: Option<&str>) -> String {
    let actions: Vec<String> = ids.iter().map(|id| action(id, "FINISHED", 1, 1)).collect();
    let cursor = cursor.map_or("null".to_owned(), |c| format!("\"{c}\""));
    format!(r#"{{"bulkActions":[{}],"cursor":{cursor}}}"#, actions.join(","))
}

#[test]
fn a_listing_pages_until_no_cursor_is_left_and_asks_with_each_cursor() {
    let listing = ActionListing::new(&account(), ListQuery::default(), &options(0, None), 10, 7).unwrap();
    let run = drive(listing, |request, _| {
        let body = match request.url.split_once("cursor=").map(|(_, c)| c) {
            None => page(&["ba_1", "ba_2"], Some("c2")),
            Some("c2") => page(&[], Some("c3")),
            Some("c3") => page(&["ba_3"], None),
            other => panic!("asked with {other:?}"),
        };
        answer(200, body)
    });
    let ids: Vec<String> = run
        .reports
        .iter()
        .flat_map(|p| p.bulk_actions.iter().map(|a| a.action_id.clone()))
        .collect();
    assert_eq!(ids, ["ba_1", "ba_2", "ba_3"]);
    assert_eq!(run.result.unwrap(), 3);
}

#[test]
fn a_listing_that_would_not_end_is_stopped_with_where_to_resume() {
    // maxPages: UNFINISHED, naming the option and the cursor, after the last page's actions.
    let mut n = 0;
    let listing = ActionListing::new(&account(), ListQuery::default(), &options(0, None), 3, 7).unwrap();
    let run = drive(listing, |_, _| {
        n += 1;
        answer(200, page(&["ba_x"], Some(&format!("c{n}"))))
    });
    let err = run.result.unwrap_err();
    assert_eq!(
        (run.reports.len(), err.code, err.field.as_deref(), err.limit),
        (3, ErrorCode::Unfinished, Some("maxPages"), Some(3))
    );
    assert!(err.message.ends_with("resume with cursor c3"), "{}", err.message);
    // A cursor given a second time would page forever.
    let listing = ActionListing::new(&account(), ListQuery::default(), &options(0, None), 100, 7).unwrap();
    let run = drive(listing, |_, _| answer(200, page(&["ba_x"], Some("again"))));
    let err = run.result.unwrap_err();
    assert_eq!((run.reports.len(), err.code), (2, ErrorCode::InvalidResponse));
    assert!(
        err.message.contains("cursor again a second time"),
        "{}",
        err.message
    );
}

#[test]
fn a_listing_asks_for_the_next_page_only_when_polled_again() {
    let mut listing = ActionListing::new(&account(), ListQuery::default(), &options(0, None), 10, 7).unwrap();
    let Step::Send(transmit) = listing.poll(0) else {
        panic!("no first page")
    };
    let first = listing
        .on_response(transmit, &answer(200, page(&["ba_1"], Some("c1"))).unwrap(), 0)
        .unwrap();
    assert_eq!(first.map(|p| p.bulk_actions.len()), Some(1));
    // A caller that stops here has sent nothing more; finishing says more may remain, and where.
    assert_eq!(listing.cursor(), Some("c1"));
    let err = listing.finish().unwrap_err();
    assert_eq!(err.code, ErrorCode::Unfinished);
    assert!(err.message.ends_with("resume with cursor c1"), "{}", err.message);
}

#[test]
fn a_transmit_goes_back_only_to_the_machine_that_made_it() {
    let mut one = Exchange::action(&account(), "ba_1", &options(0, None), 0, 7).unwrap();
    let mut other = Exchange::action(&account(), "ba_1", &options(0, None), 0, 7).unwrap();
    let (Step::Send(a), Step::Send(_)) = (one.poll(0), other.poll(0)) else {
        panic!("nothing sent")
    };
    let refused = other.on_failure(a, Failure::TimedOut, 0).unwrap_err();
    // Given back, it still ends the call that made it.
    one.on_failure(refused.into_transmit(), Failure::TimedOut, 0)
        .unwrap();
    assert!(matches!(one.poll(0), Step::Done));
    assert!(matches!(other.poll(0), Step::Wait(None)));
}

#[test]
fn an_abort_during_a_read_whose_answer_still_arrives_sends_nothing_after() {
    // The driver's abort comes once; the answer in flight may still arrive (and is kept), but
    // nothing is asked for after it: no next page, no next reading.
    let mut listing = ActionListing::new(&account(), ListQuery::default(), &options(0, None), 10, 7).unwrap();
    let Step::Send(transmit) = listing.poll(0) else {
        panic!("no first page")
    };
    listing.abort();
    let page = listing
        .on_response(transmit, &answer(200, page(&["ba_1"], Some("c1"))).unwrap(), 5)
        .unwrap();
    assert_eq!(page.map(|p| p.bulk_actions.len()), Some(1));
    assert!(
        matches!(listing.poll(5), Step::Done),
        "asked for a page after the abort"
    );
    assert_eq!(listing.finish().unwrap_err().code, ErrorCode::Aborted);

    let (mut wait, transmit) = reading_out(0);
    wait.abort();
    let reading = wait.on_response(transmit, &in_progress(4), 5).unwrap();
    assert_eq!(reading.map(|a| a.processed), Some(4));
    assert!(matches!(wait.poll(500), Step::Done), "read again after the abort");
    let err = wait.finish().unwrap_err();
    assert_eq!(err.code, ErrorCode::Aborted);
    assert!(err.message.contains("last seen: 4 of 9"), "{}", err.message);
}

#[test]
fn a_transmit_handed_to_another_kind_of_machine_is_refused_and_each_machine_stays_done() {
    let mut wait = ActionWait::new(&account(), "ba_1", &options(0, None), 100, 0, 7).unwrap();
    let mut listing = ActionListing::new(&account(), ListQuery::default(), &options(0, None), 10, 7).unwrap();
    let mut cancel = Cancellation::new(&account(), CancelRuns::all().check().unwrap(), 0, 7).unwrap();
    let (Step::Send(of_wait), Step::Send(of_listing), Step::Send(of_cancel)) =
        (wait.poll(0), listing.poll(0), cancel.poll(0))
    else {
        panic!("nothing sent")
    };
    let reading = answer(200, action("ba_1", "FINISHED", 1, 1)).unwrap();
    // Each transmit goes round the other kinds, refused by each, and ends its own machine.
    let of_wait = listing
        .on_response(of_wait, &reading, 0)
        .unwrap_err()
        .into_transmit();
    let of_wait = cancel
        .on_response(of_wait, &reading, 0)
        .unwrap_err()
        .into_transmit();
    let of_listing = wait
        .on_failure(of_listing, Failure::TimedOut, 0)
        .unwrap_err()
        .into_transmit();
    let of_listing = cancel
        .on_failure(of_listing, Failure::TimedOut, 0)
        .unwrap_err()
        .into_transmit();
    let of_cancel = wait
        .on_response(of_cancel, &reading, 0)
        .unwrap_err()
        .into_transmit();
    let of_cancel = listing
        .on_response(of_cancel, &reading, 0)
        .unwrap_err()
        .into_transmit();
    assert!(wait.on_response(of_wait, &reading, 0).unwrap().is_some());
    listing
        .on_response(of_listing, &answer(200, page(&[], None)).unwrap(), 0)
        .unwrap();
    cancel
        .on_response(of_cancel, &answer(200, r#"{"cancelled":0}"#.into()).unwrap(), 0)
        .unwrap();
    // Done, and done again at every later poll: nothing more goes out.
    for now in [0, 1_000, u64::MAX] {
        assert!(matches!(wait.poll(now), Step::Done));
        assert!(matches!(listing.poll(now), Step::Done));
        assert!(matches!(cancel.poll(now), Step::Done));
    }
    assert_eq!(wait.finish().unwrap().state, ActionState::Finished);
    assert_eq!(listing.finish().unwrap(), 1);
    assert_eq!(cancel.finish().unwrap().cancelled, 0);
}

#[test]
fn a_listing_refuses_max_pages_outside_its_range_naming_it() {
    for pages in [0, 100_001, u32::MAX] {
        let err =
            ActionListing::new(&account(), ListQuery::default(), &options(0, None), pages, 7).unwrap_err();
        assert_eq!(
            (err.code, err.field.as_deref()),
            (ErrorCode::InvalidOptions, Some("maxPages"))
        );
    }
}

#[test]
fn a_stop_during_a_reading_ends_the_wait_on_that_reading_and_sends_nothing_more() {
    let (mut wait, transmit) = reading_out(0);
    // Stopped while the reading is out: the wait waits for it, and takes it as the last.
    wait.stop(Error::invalid("client", "was freed"));
    assert!(matches!(wait.poll(0), Step::Wait(None)));
    let answer = in_progress(4);
    assert_eq!(
        wait.on_response(transmit, &answer, 5)
            .unwrap()
            .map(|a| a.processed),
        Some(4)
    );
    assert!(matches!(wait.poll(500), Step::Done));
    let err = wait.finish().unwrap_err();
    assert_eq!(err.field.as_deref(), Some("client"));
    assert!(err.message.contains("last seen: 4 of 9"), "{}", err.message);
    // Stopped while a reading waits to be sent again: it ends at once, nothing more is sent.
    let (mut wait, transmit) = reading_out(3);
    wait.on_failure(transmit, Failure::TimedOut, 0).unwrap();
    wait.stop(Error::invalid("client", "was freed"));
    assert!(matches!(wait.poll(10_000), Step::Done));
    let err = wait.finish().unwrap_err();
    assert!(
        err.message
            .ends_with("stopping the wait does not stop bulk action ba_1 in the service"),
        "{}",
        err.message
    );
}
