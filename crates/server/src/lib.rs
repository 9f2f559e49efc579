//! # ipfirm-server — visitor identification without keeping a single IP
//!
//! A cookieless snippet (`/t.js`) sends a beacon per page view to `POST /collect`. The server
//! takes the client address (from the socket, or from forwarding headers of configured trusted
//! proxies only), looks it up once in the in-memory ipfirm database and drops it. An identified
//! company becomes a visit event (company snapshot, page, referrer, time and a visit key hashed
//! with a salt that lives in memory for one day); anything else only increments a per-day
//! per-class counter. Site owners read the result through the portal API (secret key) or the
//! server-rendered dashboard (accounts with argon2id passwords).
//!
//! The router is [`app::app`]; tests drive it with `tower::ServiceExt::oneshot`.
#![deny(missing_docs)]

pub mod app;
pub mod auth;
pub mod config;
pub mod dashboard;
pub mod demo;
pub mod httpc;
pub mod ingest;
pub mod ipdb;
pub mod metrics;
pub mod optout;
pub mod portal;
pub mod server;
pub mod store;
pub mod util;
