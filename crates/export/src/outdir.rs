//! The output folder, replaced atomically.
//!
//! A run writes into a temporary folder beside the output,
//! `.<name>.hustings-tmp-<pid>-<nanos>`, and [`OutputDir::commit`] swaps it
//! into place. On Linux the swap is one `renameat2(RENAME_EXCHANGE)`, so at
//! every instant the output is either the complete old tables or the
//! complete new ones, even if the process is killed. Where the filesystem
//! refuses the exchange (`EINVAL`/`ENOTSUP`, as some network filesystems
//! do) or on other systems, the fallback is two renames: the old folder
//! first becomes `.<name>.hustings-old-…`, and a run that finds that folder
//! with no output beside it (a run killed between the renames) puts it back
//! before anything else.
//!
//! While a run holds an [`OutputDir`] it holds an advisory lock
//! (`flock`, on Unix) on `.<name>.hustings.lock` beside the output, so a second run
//! into the same output fails at once with a clear message. Holding the lock
//! also means any temporary folder of this output that is still there
//! belongs to a run that died: [`OutputDir::create`] removes those and says
//! how many ([`OutputDir::stale_removed`]).
//!
//! The temporary folders in use are listed in a process-wide registry, so a
//! signal handler can remove them ([`remove_temporaries`]) before the
//! process exits.

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::Error;

/// Temporary folders of this process not yet committed or removed.
static ACTIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn active() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    // A panic while holding the lock leaves the list itself intact.
    ACTIVE.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Remove every temporary folder this process is writing, for a signal
/// handler that is about to exit. Returns how many were removed. The
/// registry stays locked while it runs, so no commit can happen meanwhile.
pub fn remove_temporaries() -> usize {
    STOPPING.store(true, std::sync::atomic::Ordering::SeqCst);
    remove_matching(|_| true)
}

/// Set once [`remove_temporaries`] has begun: the process is stopping, and
/// errors from the folders vanishing under the run are not the run's.
static STOPPING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether a signal handler is removing the temporary folders.
pub fn stopping() -> bool {
    STOPPING.load(std::sync::atomic::Ordering::SeqCst)
}

fn remove_matching(pick: impl Fn(&Path) -> bool) -> usize {
    let mut list = active();
    let mut removed = 0;
    let (picked, kept): (Vec<PathBuf>, Vec<PathBuf>) = list.drain(..).partition(|p| pick(p));
    *list = kept;
    for dir in picked {
        // A worker may still be creating files in it: try a few times.
        for _ in 0..20 {
            match std::fs::remove_dir_all(&dir) {
                Ok(()) => {
                    removed += 1;
                    break;
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => break,
                Err(_) => std::thread::sleep(std::time::Duration::from_millis(5)),
            }
        }
    }
    removed
}

/// A temporary folder beside the output folder that replaces it on
/// [`OutputDir::commit`] and is removed if dropped uncommitted.
#[derive(Debug)]
pub struct OutputDir {
    /// The output's parent, resolved (absolute, no symlinks or `..`).
    parent: PathBuf,
    /// The output's own name in `parent`.
    name: OsString,
    tmp: PathBuf,
    stale: usize,
    committed: bool,
    /// Held for the life of the run; the lock goes with the file.
    _lock: File,
}

fn hidden(name: &OsStr, suffix: &str) -> OsString {
    let mut s = OsString::from(".");
    s.push(name);
    s.push(suffix);
    s
}

/// `parent` and name of the output folder, resolved. An existing output is
/// resolved through symlinks (the folder it points to is the one swapped);
/// otherwise its parent is created and resolved.
fn locate(target: &Path) -> Result<(PathBuf, OsString), Error> {
    let resolved = match std::fs::canonicalize(target) {
        Ok(real) => real,
        Err(_) => {
            let name =
                target.file_name().ok_or_else(|| Error::io(target, std::io::Error::other("output path does not end in a folder name")))?;
            let parent = match target.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
                _ => PathBuf::from("."),
            };
            std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
            std::fs::canonicalize(&parent).map_err(|e| Error::io(&parent, e))?.join(name)
        }
    };
    if resolved.exists() && !resolved.is_dir() {
        return Err(Error::io(target, std::io::Error::other("output path exists and is not a folder")));
    }
    match (resolved.parent(), resolved.file_name()) {
        (Some(p), Some(n)) => Ok((p.to_owned(), n.to_owned())),
        _ => Err(Error::io(target, std::io::Error::other("the output cannot be the root folder"))),
    }
}

impl OutputDir {
    /// Lock the output, clear what dead runs left beside it, and create a
    /// fresh temporary folder.
    pub fn create(target: &Path) -> Result<OutputDir, Error> {
        let (parent, name) = locate(target)?;
        let lock_path = parent.join(hidden(&name, ".hustings.lock"));
        let lock = File::options().create(true).truncate(false).write(true).open(&lock_path).map_err(|e| Error::io(&lock_path, e))?;
        #[cfg(unix)]
        match rustix::fs::flock(&lock, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => {}
            Err(rustix::io::Errno::WOULDBLOCK) => return Err(Error::Busy { output: parent.join(&name), lock: lock_path }),
            Err(e) => return Err(Error::io(&lock_path, e.into())),
        }
        let stale = recover_and_clear(&parent, &name)?;
        // Created and registered under the list's lock: a signal handler
        // waits for the registration, and so removes the folder too.
        let mut list = active();
        let tmp = fresh_temporary(&parent, &name)?;
        list.push(tmp.clone());
        drop(list);
        Ok(OutputDir { parent, name, tmp, stale, committed: false, _lock: lock })
    }

    /// Where files are written until commit.
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// The output folder, resolved.
    pub fn target(&self) -> PathBuf {
        self.parent.join(&self.name)
    }

    /// Temporary folders of interrupted runs removed when this one started.
    pub fn stale_removed(&self) -> usize {
        self.stale
    }

    /// Put the temporary folder in place of the output.
    pub fn commit(mut self) -> Result<(), Error> {
        let mut list = active();
        if !self.tmp.is_dir() {
            // Removed by a signal handler: nothing to put in place.
            return Err(Error::io(&self.tmp, std::io::Error::other("temporary folder removed before the commit")));
        }
        let displaced = swap(&self.parent, &self.name, &self.tmp)?;
        self.committed = true;
        list.retain(|p| p != &self.tmp);
        // The previous tables stay registered while they are removed, so
        // that a signal in the meantime still removes them; if they cannot
        // be removed now, the next run into this output removes them.
        list.extend(displaced.clone());
        drop(list);
        if let Some(old) = displaced {
            let _ = std::fs::remove_dir_all(&old);
            active().retain(|p| p != &old);
        }
        Ok(())
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            let mut list = active();
            list.retain(|p| p != &self.tmp);
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

/// A new, empty temporary folder whose name no other run uses: the PID
/// and the clock's nanoseconds, with a counter should even that collide.
fn fresh_temporary(parent: &Path, name: &OsStr) -> Result<PathBuf, Error> {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let pid = std::process::id();
    let mut attempt = 0u32;
    loop {
        let tmp = parent.join(hidden(name, &format!(".hustings-tmp-{pid}-{nanos:x}-{attempt}")));
        match std::fs::create_dir(&tmp) {
            Ok(()) => return Ok(tmp),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => attempt += 1,
            Err(e) => return Err(Error::io(&tmp, e)),
        }
    }
}

/// With the lock held: put back an output displaced by a run killed in the
/// middle of a fallback commit, then remove every temporary folder of this
/// output (dead runs' work). Returns how many were removed.
fn recover_and_clear(parent: &Path, name: &OsStr) -> Result<usize, Error> {
    let tmp_prefix = hidden(name, ".hustings-tmp-").into_encoded_bytes();
    let old_prefix = hidden(name, ".hustings-old-").into_encoded_bytes();
    let mut temporaries = Vec::new();
    let mut displaced = Vec::new();
    let entries = std::fs::read_dir(parent).map_err(|e| Error::io(parent, e))?;
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let bytes = file_name.as_encoded_bytes();
        if bytes.starts_with(&tmp_prefix) {
            temporaries.push(entry.path());
        } else if bytes.starts_with(&old_prefix) {
            displaced.push(entry.path());
        }
    }
    displaced.sort();
    let target = parent.join(name);
    if !target.exists()
        && let Some(old) = displaced.pop()
    {
        std::fs::rename(&old, &target).map_err(|e| Error::io(&old, e))?;
    }
    temporaries.extend(displaced);
    let mut removed = 0;
    for dir in temporaries {
        std::fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        removed += 1;
    }
    Ok(removed)
}

/// Swap `tmp` into `parent/name`; returns where the previous output now is,
/// to be removed.
fn swap(parent: &Path, name: &OsStr, tmp: &Path) -> Result<Option<PathBuf>, Error> {
    let target = parent.join(name);
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{RenameFlags, renameat_with};
        use rustix::io::Errno;
        let cwd = rustix::fs::CWD;
        let exists = target.exists();
        let flags = if exists { RenameFlags::EXCHANGE } else { RenameFlags::NOREPLACE };
        match renameat_with(cwd, tmp, cwd, &target, flags) {
            Ok(()) => return Ok(exists.then(|| tmp.to_owned())),
            // The filesystem or kernel lacks renameat2 or this flag: fall back.
            Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {}
            Err(e) => return Err(Error::io(&target, e.into())),
        }
    }
    fallback_swap(parent, name, tmp, &target)
}

/// Two renames: the old output aside under a name the next run recognises,
/// then the new one in place.
fn fallback_swap(parent: &Path, name: &OsStr, tmp: &Path, target: &Path) -> Result<Option<PathBuf>, Error> {
    let mut old = None;
    if target.exists() {
        let tmp_name = tmp.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let unique = tmp_name.rsplit_once(".hustings-tmp-").map_or("0", |(_, u)| u);
        let aside = parent.join(hidden(name, &format!(".hustings-old-{unique}")));
        std::fs::rename(target, &aside).map_err(|e| Error::io(target, e))?;
        old = Some(aside);
    }
    if let Err(e) = std::fs::rename(tmp, target) {
        if let Some(aside) = &old {
            // Put the previous output back; the new one stays in tmp and is dropped.
            let _ = std::fs::rename(aside, target);
        }
        return Err(Error::io(target, e));
    }
    Ok(old)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            std::fs::read_dir(dir).expect("ls").flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn replaces_only_on_commit() {
        let base = tempfile::tempdir().expect("tempdir");
        let target = base.path().join("out");
        std::fs::create_dir(&target).expect("mkdir");
        std::fs::write(target.join("old.txt"), "old").expect("write");

        let dropped = OutputDir::create(&target).expect("create");
        std::fs::write(dropped.path().join("new.txt"), "new").expect("write");
        drop(dropped);
        assert!(target.join("old.txt").exists(), "an uncommitted run leaves the old output");
        assert_eq!(names(base.path()), [".out.hustings.lock", "out"], "and no temporary folder");

        let out = OutputDir::create(&target).expect("create");
        std::fs::write(out.path().join("new.txt"), "new").expect("write");
        out.commit().expect("commit");
        assert!(target.join("new.txt").exists());
        assert!(!target.join("old.txt").exists());
        assert_eq!(names(base.path()), [".out.hustings.lock", "out"]);
    }

    #[test]
    fn dot_dot_in_the_output_path_is_resolved() {
        let base = tempfile::tempdir().expect("tempdir");
        let target = base.path().join("out");
        std::fs::create_dir(&target).expect("mkdir");
        std::fs::write(target.join("old.txt"), "old").expect("write");
        let out = OutputDir::create(&base.path().join("out/../out")).expect("create");
        std::fs::write(out.path().join("new.txt"), "new").expect("write");
        out.commit().expect("commit");
        assert_eq!(names(&target), ["new.txt"]);
    }

    #[test]
    fn a_second_run_into_the_same_output_is_refused() {
        let base = tempfile::tempdir().expect("tempdir");
        let target = base.path().join("out");
        let first = OutputDir::create(&target).expect("create");
        let second = OutputDir::create(&target);
        assert!(matches!(second, Err(Error::Busy { .. })), "{second:?}");
        drop(first);
        OutputDir::create(&target).expect("free again");
    }

    #[test]
    fn dead_runs_are_cleared_and_a_displaced_output_restored() {
        let base = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(base.path().join(".out.hustings-tmp-1-abc-0")).expect("mkdir");
        let old = base.path().join(".out.hustings-old-abc-0");
        std::fs::create_dir(&old).expect("mkdir");
        std::fs::write(old.join("old.txt"), "old").expect("write");
        let out = OutputDir::create(&base.path().join("out")).expect("create");
        assert_eq!(out.stale_removed(), 1);
        assert_eq!(names(&base.path().join("out")), ["old.txt"], "the displaced output is back");
        drop(out);
        assert_eq!(names(base.path()), [".out.hustings.lock", "out"]);
    }

    #[test]
    fn the_fallback_commit_also_replaces() {
        let base = tempfile::tempdir().expect("tempdir");
        let target = base.path().join("out");
        std::fs::create_dir(&target).expect("mkdir");
        std::fs::write(target.join("old.txt"), "old").expect("write");
        let tmp = base.path().join(".out.hustings-tmp-7-ff-0");
        std::fs::create_dir(&tmp).expect("mkdir");
        std::fs::write(tmp.join("new.txt"), "new").expect("write");
        let old = fallback_swap(base.path(), OsStr::new("out"), &tmp, &target).expect("swap").expect("old");
        assert_eq!(names(&target), ["new.txt"]);
        assert_eq!(names(&old), ["old.txt"]);
    }

    #[test]
    fn signal_cleanup_removes_the_temporary_folder() {
        let base = tempfile::tempdir().expect("tempdir");
        let out = OutputDir::create(&base.path().join("out")).expect("create");
        std::fs::write(out.path().join("t.csv"), "x").expect("write");
        let mine = out.path().to_owned();
        assert_eq!(remove_matching(|p| p == mine), 1);
        assert!(!out.path().exists());
        assert!(out.commit().is_err(), "nothing is put in place after the cleanup");
    }
}
