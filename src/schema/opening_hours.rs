//! Opening hours (work in progress).
