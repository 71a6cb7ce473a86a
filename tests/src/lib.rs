//! Helpers shared by the end-to-end tests that are not about driving the stack.

pub mod template;
