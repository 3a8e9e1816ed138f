//! Municipality boundaries (work in progress).
