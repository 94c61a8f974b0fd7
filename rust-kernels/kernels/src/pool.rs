//! Splits work into tasks shared by the calling thread and the workers.
//!
//! In the threaded build (cargo feature `threads`, compiled with `+atomics`), every Web Worker
//! runs its own instance of this module over the same shared memory. `run` publishes a job,
//! bumps `GENERATION` and asks the host to wake sleeping workers (Rust 1.63 has no stable
//! wait/notify intrinsics, hence the `fv_host_wake`/`fv_host_wait` imports); then it claims
//! tasks itself like any worker. It returns once every task is *done*, never waiting for a
//! worker that has not started: on a busy machine a descheduled worker would otherwise stall
//! every job by a scheduler slice. Tasks are claimed with a compare-and-swap on one word holding
//! the job's generation and the next task index, so a worker that wakes late can only claim a
//! task of a job that is still running, and touches the job (a closure on the caller's stack)
//! only after such a claim. A worker that ran a job spins for the next one for a while before
//! it goes back to sleep in JS (`Atomics.wait` on `GENERATION`), since kernels come in bursts
//! and a wake-up costs tens of microseconds. Kernels never allocate inside tasks: the allocator is
//! not thread-safe, so scratch space is handed out per thread beforehand.
//!
//! The single-threaded build runs the tasks in a plain loop.

/// A task body: `(task index, thread index)`, thread 0 being the caller.
pub type Task<'a> = dyn Fn(usize, usize) + Sync + 'a;

#[cfg(feature = "threads")]
mod imp {
    use super::Task;
    use core::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering::SeqCst};

    extern "C" {
        /// Wakes every thread blocked on `addr` (JS: `Atomics.notify`).
        fn fv_host_wake(addr: *const AtomicU32);
        /// Blocks while `*addr == expected`, briefly (JS: `Atomics.wait` with a timeout); returns
        /// at once where the host cannot block.
        fn fv_host_wait(addr: *const AtomicU32, expected: u32);
    }

    /// How long the caller spins for the workers' last tasks before it blocks (~70 µs at
    /// ~3 GHz): tasks are short, and a blocked caller takes tens of µs to wake again.
    const CALLER_SPINS: u32 = 200_000;
    /// How long a worker spins for the next job before it sleeps (~0.3 ms): jobs come in bursts
    /// (64 per conv input gradient of a batch of 32) and between kernels, and a worker woken
    /// from sleep arrives ~50 µs late while the caller pays the wake-up syscall. 50k spins
    /// (~17 µs) left the worker asleep for a third of back-to-back small GEMMs.
    const WORKER_SPINS: u32 = 1_000_000;
    /// `next` of a job that is being set up: no task can be claimed.
    const CLOSED: u64 = u32::MAX as u64;

    pub static GENERATION: AtomicU32 = AtomicU32::new(0);
    static THREADS: AtomicUsize = AtomicUsize::new(1);
    /// `generation << 32 | next task index` of the current job.
    static CLAIM: AtomicU64 = AtomicU64::new(CLOSED);
    static TASKS: AtomicUsize = AtomicUsize::new(0);
    static DONE: AtomicU32 = AtomicU32::new(0);
    /// Address of the caller's `&Task`, read only by a thread holding a claimed task.
    static JOB: AtomicUsize = AtomicUsize::new(0);
    /// Per worker: the last generation it ran, so a repeated call from JS returns at once.
    static SEEN: [AtomicU32; 64] = [ZERO; 64];
    #[allow(clippy::declare_interior_mutable_const)]
    const ZERO: AtomicU32 = AtomicU32::new(0);

    pub fn threads() -> usize {
        THREADS.load(SeqCst)
    }

    pub fn set_threads(n: usize) {
        THREADS.store(n.max(1), SeqCst);
    }

    pub fn run(tasks: usize, f: &Task) {
        if threads() == 1 || tasks <= 1 {
            (0..tasks).for_each(|t| f(t, 0));
            return;
        }
        let generation = GENERATION.load(SeqCst).wrapping_add(1);
        let tag = (generation as u64) << 32;
        // Close the old job before its fields change: a claim compares the whole word, so a
        // worker that read the old generation can no longer succeed.
        CLAIM.store(tag | CLOSED, SeqCst);
        TASKS.store(tasks, SeqCst);
        DONE.store(0, SeqCst);
        JOB.store(&f as *const &Task as usize, SeqCst);
        CLAIM.store(tag, SeqCst);
        GENERATION.store(generation, SeqCst);
        unsafe { fv_host_wake(&GENERATION) };
        drain(0);
        let mut spins = 0;
        loop {
            let done = DONE.load(SeqCst);
            if done as usize == tasks {
                break;
            }
            if spins < CALLER_SPINS {
                spins += 1;
                core::hint::spin_loop();
            } else {
                unsafe { fv_host_wait(&DONE, done) };
            }
        }
    }

    /// Claims and runs tasks of the current job until none are left.
    fn drain(tid: usize) {
        loop {
            let word = CLAIM.load(SeqCst);
            let next = word & CLOSED;
            // Read before the claim, but a claim on `word` only succeeds while this job is the
            // current one, and its fields change only after all its tasks are done.
            let tasks = TASKS.load(SeqCst);
            if next >= tasks as u64 || CLAIM.compare_exchange(word, word + 1, SeqCst, SeqCst).is_err() {
                if next >= tasks as u64 {
                    return;
                }
                continue;
            }
            // Safety: the claimed task keeps the caller inside `run`, so `f` is alive.
            let f = unsafe { *(JOB.load(SeqCst) as *const &Task) };
            f(next as usize, tid);
            if DONE.fetch_add(1, SeqCst) as usize + 1 == tasks && tid != 0 {
                unsafe { fv_host_wake(&DONE) };
            }
        }
    }

    /// A worker's share of the current job and of any that follow while it spins; called by the
    /// worker's JS loop after each wake.
    #[no_mangle]
    pub extern "C" fn fv_worker_run(tid: usize) {
        let seen = SEEN.get(tid);
        let mut generation = GENERATION.load(SeqCst);
        if seen.map_or(false, |s| s.load(SeqCst) == generation) {
            return;
        }
        'jobs: loop {
            if let Some(s) = seen {
                s.store(generation, SeqCst);
            }
            drain(tid);
            for _ in 0..WORKER_SPINS {
                let now = GENERATION.load(SeqCst);
                if now != generation {
                    generation = now;
                    continue 'jobs;
                }
                core::hint::spin_loop();
            }
            return;
        }
    }

    /// Address of the generation counter the workers wait on.
    #[no_mangle]
    pub extern "C" fn fv_pool_generation() -> *const AtomicU32 {
        &GENERATION
    }
}

#[cfg(not(feature = "threads"))]
mod imp {
    use super::Task;

    pub fn threads() -> usize {
        1
    }

    pub fn set_threads(_n: usize) {}

    pub fn run(tasks: usize, f: &Task) {
        (0..tasks).for_each(|t| f(t, 0));
    }
}

pub use imp::{run, threads};

/// Sets how many threads (caller included) `run` spreads tasks over; the host calls it once its
/// workers are ready. The single-threaded build ignores it.
#[no_mangle]
pub extern "C" fn fv_set_threads(n: usize) {
    imp::set_threads(n)
}

/// Runs `body(start, end)` over `0..n` in chunks of at least `grain` items.
pub fn for_range(n: usize, grain: usize, body: &(dyn Fn(usize, usize) + Sync)) {
    let chunks = (n / grain.max(1)).clamp(1, threads() * 4);
    let size = (n + chunks - 1) / chunks.max(1);
    run(chunks, &|t, _| {
        let start = t * size;
        let end = (start + size).min(n);
        if start < end {
            body(start, end)
        }
    });
}
