//! Porter's pure routing logic, free of any Node.js binding.

pub mod ecmp;
pub mod wire;
