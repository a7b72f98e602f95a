//! CPU seconds spent by each thread of this process, so a benchmark can say
//! how much of a run's work sits on one thread (the serial share).
//!
//! Read from `/proc/self/task/*/stat` (Linux): each thread's user and system
//! time, in the kernel's user-visible clock ticks, which are 1/100 s on every
//! Linux architecture (`USER_HZ`). Elsewhere the list is empty.

/// Clock ticks per second of `/proc`'s times (`USER_HZ`, fixed at 100).
const TICKS_PER_SECOND: f64 = 100.0;

/// One thread's name and the CPU seconds it has used so far.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreadCpu {
    /// The thread's name (`comm`, at most 15 bytes): "hustings" for the
    /// main thread, "hustings-w0", "hustings-w1", … for the workers.
    pub name: String,
    /// User plus system CPU seconds.
    pub seconds: f64,
}

/// Every live thread of this process, in thread-id order. Threads that have
/// already ended are not listed (their time is no longer kept per thread).
pub fn thread_cpu() -> Vec<ThreadCpu> {
    let Ok(entries) = std::fs::read_dir("/proc/self/task") else { return Vec::new() };
    let mut found: Vec<(u64, ThreadCpu)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let tid = e.file_name().to_str()?.parse::<u64>().ok()?;
            let stat = std::fs::read_to_string(e.path().join("stat")).ok()?;
            let (name, ticks) = parse_stat(&stat)?;
            Some((tid, ThreadCpu { name, seconds: ticks as f64 / TICKS_PER_SECOND }))
        })
        .collect();
    found.sort_by_key(|f| f.0);
    found.into_iter().map(|f| f.1).collect()
}

/// The name and the user plus system ticks in one `stat` line: "tid (comm)
/// state ppid …", where utime and stime are the 14th and 15th fields. The
/// name may hold spaces and brackets, so it runs to the last ')'.
fn parse_stat(line: &str) -> Option<(String, u64)> {
    let open = line.find('(')?;
    let close = line.rfind(')')?;
    let name = line.get(open + 1..close)?.to_owned();
    // Past the name, field 3 (the state) comes first: utime is 11 on, stime 12.
    let mut rest = line.get(close + 1..)?.split_whitespace().skip(11);
    let utime: u64 = rest.next()?.parse().ok()?;
    let stime: u64 = rest.next()?.parse().ok()?;
    Some((name, utime + stime))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn a_stat_line_gives_its_name_and_cpu_ticks() {
        let line =
            "4242 (hustings-w0) S 4240 4240 2372 0 -1 4194368 1834 0 0 0 1250 37 0 0 20 0 3 0 4707071 3133440 362 18446744073709551615";
        assert_eq!(parse_stat(line), Some(("hustings-w0".to_owned(), 1287)));
        // A name with a space and a bracket in it.
        let line = "7 (a (b) c) R 1 1 1 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 1 1 1 1";
        assert_eq!(parse_stat(line), Some(("a (b) c".to_owned(), 11)));
        assert_eq!(parse_stat("7 (cut short) R 1"), None);
        assert_eq!(parse_stat("garbage"), None);
    }

    #[test]
    fn this_process_lists_its_own_thread() {
        if !Path::new("/proc/self/task").exists() {
            return; // not Linux: nothing to read
        }
        let threads = thread_cpu();
        assert!(!threads.is_empty());
        assert!(threads.iter().all(|t| t.seconds >= 0.0 && !t.name.is_empty()));
    }
}
