//! Text and its encodings, knowing nothing of the service: byte scans, JSON, percent-encoding, SHA-256,
//! and the packed list a long id list is held in. Every layer above writes and reads through
//! these; they import nothing of the crate but its limits.

pub(crate) mod bytes;
pub(crate) mod json;
pub(crate) mod percent;
pub(crate) mod sha256;
pub(crate) mod string_list;
