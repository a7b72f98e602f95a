//! The run's work cut into parts, in input order. A file that is one page
//! is a task of its own, read later on a worker; a file of many pages (an
//! archive, a record file, a WET file) is read here, in file order, and its
//! pages become tasks as they come, so a part may hold pages of several
//! files and a file's pages may span many parts.

use hustings_sources::{Failure, Item, Options, Page};

use crate::Shard;
use crate::discover::Input;

/// One page's worth of work.
pub(crate) enum Task<'a> {
    /// A file that is one page (read on the worker), or an input refused at discovery.
    Input(&'a Input),
    /// A page read out of a file of many.
    Page(&'a Input, Page),
    /// A member or record of a file of many (or the whole file) that could not be read.
    Failed(&'a Input, Failure),
}

impl Task<'_> {
    /// Bytes the task holds or will read.
    fn size(&self) -> u64 {
        match self {
            Task::Input(input) => input.size(),
            Task::Page(_, page) => page.bytes.len() as u64,
            Task::Failed(..) => 0,
        }
    }
}

/// Consecutive tasks done by one worker, and how many inputs they finish.
pub(crate) struct Part<'a> {
    pub tasks: Vec<Task<'a>>,
    /// Inputs whose last task is in this part (for the progress bar).
    pub files_done: u64,
}

/// Cuts the tasks into parts of at most `files` tasks, ending before they
/// pass `max_bytes` (a larger task is a part of its own).
struct Cutter<'a, F> {
    files: usize,
    max_bytes: u64,
    part: Part<'a>,
    bytes: u64,
    send: F,
    stopped: bool,
}

impl<'a, F: FnMut(Part<'a>) -> bool> Cutter<'a, F> {
    fn push(&mut self, task: Task<'a>) {
        let len = task.size();
        if !self.part.tasks.is_empty() && (self.part.tasks.len() == self.files || self.bytes + len > self.max_bytes) {
            self.flush();
        }
        self.bytes += len;
        self.part.tasks.push(task);
    }

    fn flush(&mut self) {
        if self.part.tasks.is_empty() && self.part.files_done == 0 {
            return;
        }
        let part = std::mem::replace(&mut self.part, Part { tasks: Vec::new(), files_done: 0 });
        self.bytes = 0;
        if !self.stopped && !(self.send)(part) {
            self.stopped = true;
        }
    }
}

/// The location a page of a file of many is sharded by: `rel#record`.
fn locator(rel: &str, record: Option<&str>) -> String {
    match record {
        Some(r) => format!("{rel}#{r}"),
        None => rel.to_owned(),
    }
}

/// Hand the inputs' tasks to `send`, part by part, in input order, until it
/// returns false. A shard keeps the pages of files of many pages that hash
/// to it (by file and record); single-page inputs were sharded when found.
pub(crate) fn feed<'a>(
    inputs: &'a [Input],
    options: &Options,
    shard: Option<Shard>,
    files: usize,
    max_bytes: u64,
    send: impl FnMut(Part<'a>) -> bool,
) {
    let mut cut = Cutter { files, max_bytes, part: Part { tasks: Vec::new(), files_done: 0 }, bytes: 0, send, stopped: false };
    for input in inputs {
        if cut.stopped {
            return;
        }
        match input {
            Input::File { path, rel, kind, .. } if input.holds_many() => {
                let keep = |record: Option<&str>| shard.is_none_or(|s| s.holds(&locator(rel, record)));
                hustings_sources::read(path, *kind, options, &mut |item| match item {
                    Item::Page(page) if keep(page.record.as_deref()) => cut.push(Task::Page(input, page)),
                    Item::Failed(f) if keep(f.record.as_deref()) => cut.push(Task::Failed(input, f)),
                    Item::Page(_) | Item::Failed(_) => {}
                });
            }
            _ => cut.push(Task::Input(input)),
        }
        cut.part.files_done += 1;
    }
    cut.flush();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_of_many_pages_are_cut_into_parts_with_single_pages_between() {
        let dir = tempfile::tempdir().expect("tempdir");
        let lines: String = (1..=5).map(|i| format!("{{\"text\": \"page {i}\"}}\n")).collect();
        std::fs::write(dir.path().join("b.jsonl"), lines).expect("write");
        std::fs::write(dir.path().join("a.txt"), "a").expect("write");
        std::fs::write(dir.path().join("c.txt"), "c").expect("write");
        let inputs = crate::discover(dir.path(), &crate::Filter::default());
        let mut parts = Vec::new();
        feed(&inputs, &Options::default(), None, 3, 1 << 20, |p| {
            let names: Vec<String> = p
                .tasks
                .iter()
                .map(|t| match t {
                    Task::Input(i) => i.rel().to_owned(),
                    Task::Page(i, page) => format!("{}#{}", i.rel(), page.record.as_deref().unwrap_or("")),
                    Task::Failed(i, _) => format!("{} failed", i.rel()),
                })
                .collect();
            parts.push((names, p.files_done));
            true
        });
        let expect = |names: &[&str], done| (names.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(), done);
        assert_eq!(
            parts,
            [
                expect(&["a.txt", "b.jsonl#line=1", "b.jsonl#line=2"], 1),
                expect(&["b.jsonl#line=3", "b.jsonl#line=4", "b.jsonl#line=5"], 1),
                expect(&["c.txt"], 1),
            ]
        );
    }
}
