pub mod geometry;
pub mod queueing;
