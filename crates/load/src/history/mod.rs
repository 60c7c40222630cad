//! Other versions of the tree from git: reading them with gix
//! ([`repo`]) and holding several in one engine ([`versions`]). The
//! symbol-level diff and conflict prediction built on them are weft-ide's.

pub mod repo;
pub mod versions;
