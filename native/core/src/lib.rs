//! Porter's pure routing logic, free of any Node.js binding.

pub mod wire;
