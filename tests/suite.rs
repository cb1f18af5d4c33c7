//! The integration tests, built as one test program: each file beside this one is a module of
//! it, and `common/` holds what they share. One program is linked once, where a program per
//! file would link the whole simulator and its crates again for each of about fifty files.
//!
//! Run one file's tests with its module name as the filter, e.g.
//! `cargo test --test suite guard::`.

mod common;

mod backfill;
mod browser;
mod calibrate;
mod calibration;
mod charts;
mod cli;
mod compare;
mod contract;
mod control_room;
mod cost;
mod deferral;
mod docs;
mod field;
mod fit;
mod fit_bands;
mod fit_report;
mod fit_season;
mod followup_overtime;
mod fuzz;
mod guard;
mod hood;
mod hour_bands;
mod layers;
mod map;
mod map_example;
mod merge;
mod model;
mod mutual_aid;
mod new;
mod officers;
mod officers_hood;
mod officers_staff;
mod optimise;
mod overflow;
mod overtime;
mod pulls;
mod queueing;
mod records;
mod reference;
mod replay;
mod report;
mod shard;
mod shift_design;
mod shipped;
mod staff;
mod staff_dispatch;
mod sweep;
mod tutorial;
mod unit_overtime;
