//! The service's wire format: the HTTP requests a checked cancel or bulk-action read turns into
//! (split into batches a request can carry), and the reading of the service's answers into a
//! count, a bulk action or a typed error. One request and one answer at a time; what to send
//! next is the `call` layer's decision.

pub(crate) mod batch;
pub(crate) mod bulk_action;
pub(crate) mod http_date;
pub(crate) mod http_request;
pub(crate) mod response;
