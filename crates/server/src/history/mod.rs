//! Change intelligence over git history: reading versions with gix
//! ([`repo`]), holding several versions in one engine ([`versions`]), and
//! the symbol-level diff and conflict prediction built on them
//! ([`changes`]).

pub mod changes;
pub mod repo;
pub mod versions;
