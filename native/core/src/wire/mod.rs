//! BGP-4 wire codec (RFC 4271 and extensions); see docs/wire-model.md.
