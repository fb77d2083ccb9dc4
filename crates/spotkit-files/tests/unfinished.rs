//! `remove_unfinished` acts on the whole process, so it is tested in a process of its own.

use std::io::Write;

use spotkit_files::{AtomicFile, Mode, atomic::remove_unfinished};

#[test]
fn unfinished_files_are_removed_on_request_and_targets_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("big.csv");
    std::fs::write(&target, b"old").unwrap();
    let mut f = AtomicFile::create(&target, Mode::Shared).unwrap();
    f.write_all(b"part").unwrap();
    f.flush().unwrap();
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    assert_eq!(remove_unfinished(), 1);
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["big.csv"]);
    assert_eq!(std::fs::read(&target).unwrap(), b"old");
    drop(f);
    assert_eq!(remove_unfinished(), 0);
}
