//! Benchmark tools for hustings.
//!
//! - `gen-corpus` writes a deterministic, seed-like corpus of a given size:
//!   pages recombined and perturbed from the structure and text of `seeds/`
//!   (site headers, titles, bylines, bodies with in-article lists,
//!   boilerplate, comment threads in the shapes hustings reads, some CRLF
//!   line ends and non-ASCII text). Same arguments, same bytes.
//! - `bare-count` is the floor for this kind of work: UAX #29 words,
//!   lower-cased, counted per document and over the corpus with rayon, and
//!   written as two Parquet tables. `make bench` compares hustings with it.
//!
//! The generator's pieces live here so they can be unit-tested.

pub mod corpus;
