//! `weft --dump FILE`: a code dump reads exactly like the same files on disk.

mod common;

use common::*;

fn sorted_lines(o: &std::process::Output) -> Vec<String> {
    assert!(o.status.success(), "{}", stderr(o));
    let mut v: Vec<String> = stdout(o).lines().map(str::to_string).collect();
    v.sort();
    v
}

#[test]
fn a_dump_gives_the_graph_of_the_same_files_on_disk() {
    let disk = repo();
    let d = tempfile::tempdir().unwrap();
    let dump = d.path().join("shop.txt");
    let mut bytes = b"Packed for a model; ignored.\n".to_vec();
    bytes.extend(dump_of(REPO));
    std::fs::write(&dump, &bytes).unwrap();

    let o = weft(d.path(), &["index", "--dump", "shop.txt"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("indexed shop.txt"), "{}", stdout(&o));
    assert!(d.path().join(".weft/shop.txt.db").is_file());

    let from_disk = sorted_lines(&weft(disk.path(), &["--no-write", "export"]));
    let from_dump = sorted_lines(&weft(d.path(), &["--dump", "shop.txt", "export"]));
    assert!(from_disk.len() > 20, "{from_disk:?}");
    assert_eq!(from_disk, from_dump);

    // An edited dump refreshes like an edited tree: one file's content
    // changed, the rest comes from the snapshot.
    let mut files = REPO.to_vec();
    let price =
        b"pub fn total(xs: &[u32]) -> u32 {\n    xs.iter().copied().sum()\n}\n\npub fn tax() {}\n";
    files.iter_mut().find(|f| f.0 == "src/price.rs").unwrap().1 = price;
    std::fs::write(&dump, dump_of(&files)).unwrap();
    let o = weft(d.path(), &["--json", "index", "--dump", "shop.txt"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["snapshot"]["changed"], 1, "{v}");
    assert_eq!(v["snapshot"]["parsed"], 1, "{v}");
    let o = weft(d.path(), &["--dump", "shop.txt", "symbols", "tax"]);
    assert!(stdout(&o).contains("src/price.rs:5"), "{}", stdout(&o));
}

#[test]
fn a_file_that_is_not_a_dump_or_a_path_that_climbs_out_is_refused_clearly() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("notes.txt"), "just prose\n").unwrap();
    let o = weft(d.path(), &["index", "--dump", "notes.txt"]);
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("has no `FILE: <path>` line"),
        "{}",
        stderr(&o)
    );
    let o = weft(d.path(), &["index", "--dump", "missing.txt"]);
    assert!(stderr(&o).contains("reading the dump"), "{}", stderr(&o));

    std::fs::write(
        d.path().join("evil.txt"),
        "FILE: ../outside.rs\nfn x() {}\nFILE: ok.rs\nfn ok() {}\n",
    )
    .unwrap();
    let o = weft(d.path(), &["--json", "index", "--dump", "evil.txt"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["walk"]["files"], 1, "{v}");
    assert!(stderr(&o).contains("stay inside it"), "{}", stderr(&o));
    let o = weft(d.path(), &["--dump", "evil.txt", "serve"]);
    assert!(stderr(&o).contains("read a directory"), "{}", stderr(&o));
}
