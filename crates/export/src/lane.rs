//! A table's writer at work on the thread pool: jobs handed to a [`Lane`]
//! run one at a time, in the order they were handed over, on whichever
//! worker is free, so the thread that hands them over only queues them.
//! Without a pool a job runs at once, on the calling thread.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use crate::Error;

/// Jobs queued and not yet begun, past which [`Lane::submit`] waits for
/// the lane to catch up: the memory a lane holds stays bounded even where
/// the workers fall behind.
const MAX_QUEUED: usize = 16;

type Job<T> = Box<dyn FnOnce(&mut T) -> Result<(), Error> + Send>;

/// A value (a table's writer) that jobs change in turn, on a thread pool.
pub struct Lane<T: Send + 'static> {
    shared: Arc<Shared<T>>,
    pool: Option<Arc<rayon::ThreadPool>>,
}

struct Shared<T> {
    state: Mutex<State<T>>,
    /// Signalled whenever a job ends and when the lane falls idle.
    changed: Condvar,
}

struct State<T> {
    /// The value, out of the lock while a job runs on it.
    value: Option<T>,
    queue: VecDeque<Job<T>>,
    /// A worker is draining the queue.
    running: bool,
    /// The first job's error, until handed to the owner; every later job
    /// is dropped unrun.
    failed: Option<Error>,
    /// An error has been handed to the owner: the lane takes no more jobs.
    stopped: bool,
    /// The owner is gone: drop what is queued.
    abandoned: bool,
    /// CPU time the lane's jobs took, summed.
    cpu: Duration,
}

impl<T: Send + 'static> Lane<T> {
    /// A lane for `value`, its jobs run on `pool` (or at once without one).
    pub fn new(value: T, pool: Option<Arc<rayon::ThreadPool>>) -> Lane<T> {
        let state = State {
            value: Some(value),
            queue: VecDeque::new(),
            running: false,
            failed: None,
            stopped: false,
            abandoned: false,
            cpu: Duration::ZERO,
        };
        Lane { shared: Arc::new(Shared { state: Mutex::new(state), changed: Condvar::new() }), pool }
    }

    /// Run the jobs handed over from now on on `pool`.
    pub fn set_pool(&mut self, pool: Arc<rayon::ThreadPool>) {
        self.pool = Some(pool);
    }

    /// Queue `job` after the jobs queued so far. An earlier job's error is
    /// returned here (once) instead of queuing more.
    pub fn submit(&self, job: impl FnOnce(&mut T) -> Result<(), Error> + Send + 'static) -> Result<(), Error> {
        let mut state = self.shared.lock();
        if let Some(e) = state.failed.take() {
            state.stopped = true;
            return Err(e);
        }
        if state.stopped {
            return Err(stopped());
        }
        let Some(pool) = &self.pool else {
            drop(state);
            return self.run_here(job);
        };
        while state.queue.len() >= MAX_QUEUED && state.failed.is_none() {
            state = self.shared.wait(state);
        }
        state.queue.push_back(Box::new(job));
        if !state.running {
            state.running = true;
            let shared = Arc::clone(&self.shared);
            pool.spawn(move || shared.drain());
        }
        Ok(())
    }

    fn run_here(&self, job: impl FnOnce(&mut T) -> Result<(), Error>) -> Result<(), Error> {
        let mut state = self.shared.lock();
        let start = thread_cpu();
        let done = match state.value.as_mut() {
            Some(value) => job(value),
            None => Err(Error::Schema("a lane used after it was finished".into())),
        };
        state.cpu += thread_cpu().saturating_sub(start);
        state.stopped |= done.is_err();
        done
    }

    /// Wait for every queued job to end, and give back the value and the
    /// CPU time the jobs took; or the first job's error.
    pub fn finish(self) -> Result<(T, Duration), Error> {
        let mut state = self.shared.lock();
        while state.running {
            state = self.shared.wait(state);
        }
        if let Some(e) = state.failed.take() {
            return Err(e);
        }
        if state.stopped {
            return Err(stopped());
        }
        let cpu = state.cpu;
        state.value.take().map(|v| (v, cpu)).ok_or_else(|| Error::Schema("a lane finished twice".into()))
    }
}

impl<T: Send + 'static> Drop for Lane<T> {
    /// Drop what is queued and wait for the running job, so that no worker
    /// still writes once the owner (and the folder it writes in) is gone.
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        state.abandoned = true;
        state.queue.clear();
        while state.running {
            state = self.shared.wait(state);
        }
    }
}

impl<T> Shared<T> {
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        // A job that panicked aborts the process (rayon's default), so a
        // poisoned lock holds nothing half-done worth refusing.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn wait<'a>(&self, guard: MutexGuard<'a, State<T>>) -> MutexGuard<'a, State<T>> {
        self.changed.wait(guard).unwrap_or_else(|p| p.into_inner())
    }

    /// Run the queued jobs in order until the queue is empty.
    fn drain(&self) {
        let mut state = self.lock();
        loop {
            let job = if state.abandoned || state.failed.is_some() { None } else { state.queue.pop_front() };
            let Some((job, mut value)) = job.and_then(|job| Some((job, state.value.take()?))) else {
                state.queue.clear();
                state.running = false;
                self.changed.notify_all();
                return;
            };
            drop(state);
            let start = thread_cpu();
            let done = job(&mut value);
            let cpu = thread_cpu().saturating_sub(start);
            state = self.lock();
            state.value = Some(value);
            state.cpu += cpu;
            if let Err(e) = done {
                state.failed = Some(e);
            }
            self.changed.notify_all();
        }
    }
}

fn stopped() -> Error {
    Error::Schema("a table's writer was given rows after it had failed".into())
}

/// CPU time of the calling thread so far (zero where it cannot be read).
pub(crate) fn thread_cpu() -> Duration {
    #[cfg(unix)]
    {
        let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
        Duration::new(t.tv_sec.max(0) as u64, t.tv_nsec.clamp(0, 999_999_999) as u32)
    }
    #[cfg(not(unix))]
    {
        Duration::ZERO
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pool(threads: usize) -> Arc<rayon::ThreadPool> {
        Arc::new(rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool"))
    }

    #[test]
    fn jobs_run_in_the_order_they_were_handed_over_on_any_pool() {
        for pool in [None, Some(pool(1)), Some(pool(4))] {
            let lanes: Vec<Lane<Vec<u32>>> = (0..3).map(|_| Lane::new(Vec::new(), pool.clone())).collect();
            for i in 0..500u32 {
                for lane in &lanes {
                    lane.submit(move |v| {
                        v.push(i);
                        Ok(())
                    })
                    .expect("queued");
                }
            }
            for lane in lanes {
                let (v, _) = lane.finish().expect("finished");
                assert_eq!(v, (0..500).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn the_first_error_stops_the_lane() {
        for pool in [None, Some(pool(2))] {
            let inline = pool.is_none();
            let ran = Arc::new(Mutex::new(0u32));
            let lane = Lane::new((), pool);
            let mut refused = 0;
            for _ in 0..10 {
                let ran = Arc::clone(&ran);
                let job = move |_: &mut ()| {
                    let mut n = ran.lock().expect("lock");
                    *n += 1;
                    if *n == 3 { Err(Error::Schema("third job".into())) } else { Ok(()) }
                };
                refused += usize::from(lane.submit(job).is_err());
            }
            assert!(lane.finish().is_err(), "a failed lane does not finish");
            // Jobs after the failing one are refused or dropped unrun.
            assert_eq!(*ran.lock().expect("lock"), 3);
            if inline {
                // Run at once: the third job's error comes back from its submit.
                assert_eq!(refused, 8);
            }
        }
    }

    #[test]
    fn a_dropped_lane_waits_for_its_running_job() {
        let pool = pool(2);
        let done = Arc::new(Mutex::new(0u32));
        {
            let lane = Lane::new((), Some(pool));
            for _ in 0..4 {
                let done = Arc::clone(&done);
                lane.submit(move |_| {
                    std::thread::sleep(Duration::from_millis(20));
                    *done.lock().expect("lock") += 1;
                    Ok(())
                })
                .expect("queued");
            }
        }
        // Whatever ran had ended when the lane was dropped; nothing runs later.
        let seen = *done.lock().expect("lock");
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(*done.lock().expect("lock"), seen);
    }
}
