//! Reading versions of a tree out of git with gix (pure Rust, no `git`
//! binary): revisions, merge bases, tree listings, tree differences and
//! blob contents. Only paths weft reads (sources by extension, build
//! manifests) are kept.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Result, anyhow, bail};
use gix::ObjectId;

pub struct Repo {
    repo: gix::Repository,
}

/// A path whose content differs between two trees; `None` where absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delta {
    pub path: String,
    pub old: Option<ObjectId>,
    pub new: Option<ObjectId>,
}

/// Every weft-readable file of a tree, by path.
pub type Listing = BTreeMap<String, ObjectId>;

/// Does weft read this path?
pub fn wanted(path: &str) -> bool {
    weft_queries::languages::is_indexed(path)
}

impl Repo {
    /// The repository containing `dir` (bare ones included).
    pub fn discover(dir: &Path) -> Result<Repo> {
        let mut repo = gix::discover(dir)
            .map_err(|e| anyhow!("{}: not inside a git repository ({e})", dir.display()))?;
        repo.object_cache_size_if_unset(64 << 20);
        Ok(Repo { repo })
    }

    /// The working tree's root, if the repository has one.
    pub fn workdir(&self) -> Option<&Path> {
        self.repo.workdir()
    }

    /// A revision (`HEAD`, a branch, a tag, `main~2`, an id) as a commit.
    pub fn commit(&self, spec: &str) -> Result<ObjectId> {
        let id = self
            .repo
            .rev_parse_single(spec)
            .map_err(|e| anyhow!("{spec}: not a revision of this repository ({e})"))?;
        let commit = id
            .object()
            .and_then(|o| o.peel_to_commit())
            .map_err(|e| anyhow!("{spec}: does not name a commit ({e})"))?;
        Ok(commit.id)
    }

    pub fn merge_base(&self, a: ObjectId, b: ObjectId) -> Result<ObjectId> {
        match self.repo.merge_base(a, b) {
            Ok(Some(id)) => Ok(id.detach()),
            Ok(None) => bail!("{a} and {b} have no common ancestor; pass --base"),
            Err(e) => Err(anyhow!("finding the merge base of {a} and {b}: {e}")),
        }
    }

    /// The root tree of a commit.
    pub fn tree_of(&self, commit: ObjectId) -> Result<ObjectId> {
        let c = self
            .repo
            .find_commit(commit)
            .map_err(|e| anyhow!("reading commit {commit}: {e}"))?;
        c.tree_id()
            .map(|t| t.detach())
            .map_err(|e| anyhow!("reading the tree of {commit}: {e}"))
    }

    /// Every wanted file under a tree.
    pub fn list(&self, tree: ObjectId) -> Result<Listing> {
        let mut out = Listing::new();
        self.list_into(tree, "", &mut out)?;
        Ok(out)
    }

    fn list_into(&self, tree: ObjectId, prefix: &str, out: &mut Listing) -> Result<()> {
        for (name, kind, oid) in self.entries(tree)? {
            let path = format!("{prefix}{name}");
            match kind {
                Kind::Tree => self.list_into(oid, &format!("{path}/"), out)?,
                Kind::Blob if wanted(&path) => {
                    out.insert(path, oid);
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The wanted paths whose content differs between two trees, by path.
    /// Subtrees with equal ids are skipped without being read, so this
    /// costs in proportion to what changed.
    pub fn diff(&self, old: ObjectId, new: ObjectId) -> Result<Vec<Delta>> {
        let mut out = Vec::new();
        self.diff_into(Some(old), Some(new), "", &mut out)?;
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    fn diff_into(
        &self,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
        prefix: &str,
        out: &mut Vec<Delta>,
    ) -> Result<()> {
        if old == new {
            return Ok(());
        }
        let mut both: BTreeMap<String, [Option<(Kind, ObjectId)>; 2]> = BTreeMap::new();
        for (side, tree) in [old, new].into_iter().enumerate() {
            if let Some(t) = tree {
                for (name, kind, oid) in self.entries(t)? {
                    both.entry(name).or_default()[side] = Some((kind, oid));
                }
            }
        }
        for (name, [o, n]) in both {
            if o == n {
                continue;
            }
            let path = format!("{prefix}{name}");
            let pick = |e: Option<(Kind, ObjectId)>, k: Kind| e.filter(|e| e.0 == k).map(|e| e.1);
            let (ot, nt) = (pick(o, Kind::Tree), pick(n, Kind::Tree));
            if ot.is_some() || nt.is_some() {
                self.diff_into(ot, nt, &format!("{path}/"), out)?;
            }
            let (ob, nb) = (pick(o, Kind::Blob), pick(n, Kind::Blob));
            if ob != nb && wanted(&path) {
                out.push(Delta {
                    path,
                    old: ob,
                    new: nb,
                });
            }
        }
        Ok(())
    }

    fn entries(&self, tree: ObjectId) -> Result<Vec<(String, Kind, ObjectId)>> {
        let t = self
            .repo
            .find_tree(tree)
            .map_err(|e| anyhow!("reading tree {tree}: {e}"))?;
        let decoded = t
            .decode()
            .map_err(|e| anyhow!("decoding tree {tree}: {e}"))?;
        Ok(decoded
            .entries
            .iter()
            .map(|e| {
                let kind = if e.mode.is_tree() {
                    Kind::Tree
                } else if e.mode.is_blob() {
                    Kind::Blob
                } else {
                    Kind::Other // symlinks, submodules
                };
                (e.filename.to_string(), kind, e.oid.to_owned())
            })
            .collect())
    }

    /// A blob's bytes.
    pub fn read(&self, oid: ObjectId) -> Result<Vec<u8>> {
        let blob = self
            .repo
            .find_blob(oid)
            .map_err(|e| anyhow!("reading blob {oid}: {e}"))?;
        Ok(blob.detach().data)
    }

    /// A handle other threads can open their own reader from.
    pub fn shared(&self) -> gix::ThreadSafeRepository {
        self.repo.clone().into_sync()
    }
}

/// Read many blobs on rayon's threads, each with its own repository handle.
pub fn read_many(repo: &gix::ThreadSafeRepository, oids: &[ObjectId]) -> Vec<Result<Vec<u8>>> {
    use rayon::prelude::*;
    oids.par_iter()
        .map_init(
            || repo.to_thread_local(),
            |r, &oid| {
                r.find_blob(oid)
                    .map(|b| b.detach().data)
                    .map_err(|e| anyhow!("reading blob {oid}: {e}"))
            },
        )
        .collect()
}

/// The git blob id of some bytes, as `git hash-object` computes it.
pub fn blob_id(bytes: &[u8]) -> ObjectId {
    gix::objs::compute_hash(gix::hash::Kind::Sha1, gix::objs::Kind::Blob, bytes)
        .expect("sha1 is built in")
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Tree,
    Blob,
    Other,
}
