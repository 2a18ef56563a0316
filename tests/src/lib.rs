//! Holds the corpus test harnesses of the shenhe workspace; see `tests/README.md`.
