//! Native encoding cost (`bench/run.sh` runs it): options for 10, 1,000 and 100,000 ids checked,
//! split and built into requests (each handed out by the call and answered at once), both
//! encodings; the median of repeated runs.
use std::time::Instant;

use qstash_cancel::js::{parse_call, Options, Value};
use qstash_cancel::{Cancellation, HttpResponse, Machine, Step};

fn main() {
    println!("| ids | encoding | requests | median ms (native) |\n|---|---|---|---|");
    for n in [10usize, 1_000, 100_000] {
        let ids = Value::Array((0..n).map(|i| Value::String(format!("wfr_{i:08}"))).collect());
        for encoding in ["body", "query"] {
            let options = Options::new()
                .with("token", "bench")
                .with("workflowRunIds", ids.clone())
                .with("encoding", encoding);
            let repeats = if n == 100_000 { 15 } else { 200 };
            let mut times = Vec::with_capacity(repeats);
            let mut requests = 0;
            for _ in 0..repeats {
                let started = Instant::now();
                let (account, request) = parse_call(&options).expect("valid options");
                let mut call = Cancellation::new(&account, request, 0, 0).expect("buildable");
                requests = call.requests_per_pass();
                let answer = HttpResponse {
                    status: 200,
                    body: r#"{"cancelled":1}"#.into(),
                    ..Default::default()
                };
                while let Step::Send(transmit) = call.poll(0) {
                    call.on_response(transmit, &answer, 0).expect("its own transmit");
                }
                call.finish().expect("every batch answered");
                times.push(started.elapsed().as_secs_f64() * 1000.0);
            }
            times.sort_by(f64::total_cmp);
            println!("| {n} | {encoding} | {requests} | {:.3} |", times[repeats / 2]);
        }
    }
}
