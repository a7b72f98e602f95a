//! Atomic replacement of the output folder.

use std::path::{Path, PathBuf};

use crate::Error;

/// A temporary folder beside the output folder that replaces it on
/// [`OutputDir::commit`] and is removed if dropped uncommitted.
#[derive(Debug)]
pub struct OutputDir {
    target: PathBuf,
    tmp: PathBuf,
    committed: bool,
}

impl OutputDir {
    /// Create `.<name>.hustings-tmp-<pid>` beside `target`.
    pub fn create(target: &Path) -> Result<OutputDir, Error> {
        let name = target.file_name().ok_or_else(|| Error::io(target, std::io::Error::other("output path has no folder name")))?;
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        if target.exists() && !target.is_dir() {
            return Err(Error::io(target, std::io::Error::other("output path exists and is not a folder")));
        }
        let mut tmp_name = std::ffi::OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(".hustings-tmp-{}", std::process::id()));
        let tmp = parent.join(tmp_name);
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(|e| Error::io(&tmp, e))?;
        }
        std::fs::create_dir(&tmp).map_err(|e| Error::io(&tmp, e))?;
        Ok(OutputDir { target: target.to_owned(), tmp, committed: false })
    }

    /// Where files are written until commit.
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Swap the temporary folder into place of the target.
    pub fn commit(mut self) -> Result<(), Error> {
        let mut old = None;
        if self.target.exists() {
            let mut old_name = self.tmp.clone().into_os_string();
            old_name.push(".old");
            let old_path = PathBuf::from(old_name);
            std::fs::rename(&self.target, &old_path).map_err(|e| Error::io(&self.target, e))?;
            old = Some(old_path);
        }
        if let Err(e) = std::fs::rename(&self.tmp, &self.target) {
            if let Some(old) = &old {
                // Put the previous output back; the new one stays in tmp and is dropped.
                let _ = std::fs::rename(old, &self.target);
            }
            return Err(Error::io(&self.target, e));
        }
        self.committed = true;
        if let Some(old) = old {
            std::fs::remove_dir_all(&old).map_err(|e| Error::io(&old, e))?;
        }
        Ok(())
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(std::fs::read_dir(base.path()).expect("ls").count(), 1, "and no temporary folder");

        let out = OutputDir::create(&target).expect("create");
        std::fs::write(out.path().join("new.txt"), "new").expect("write");
        out.commit().expect("commit");
        assert!(target.join("new.txt").exists());
        assert!(!target.join("old.txt").exists());
        assert_eq!(std::fs::read_dir(base.path()).expect("ls").count(), 1);
    }
}
