//! Splits work into tasks shared by the calling thread and the workers.
//!
//! In the threaded build (cargo feature `threads`, compiled with `+atomics`), every Web Worker runs its own instance of this module over
//! the same shared memory. Idle workers block in JS (`Atomics.wait` on `GENERATION`); `run`
//! publishes a job, bumps the generation and asks the host to wake them (Rust 1.63 has no stable
//! wait/notify intrinsics, hence the `fv_host_wake`/`fv_host_wait` imports). The caller, once
//! out of tasks, spins briefly for the workers to check out and then blocks (where the host
//! allows it: not on a browser's main thread), so a descheduled worker gets the core back. Every worker takes part in every
//! job and checks out when the task counter runs dry, so the job (a closure on the caller's
//! stack) stays alive until nobody can touch it. Kernels never allocate inside tasks: the
//! allocator is not thread-safe, so scratch space is handed out per thread beforehand.
//!
//! The single-threaded build runs the tasks in a plain loop.

/// A task body: `(task index, thread index)`, thread 0 being the caller.
pub type Task<'a> = dyn Fn(usize, usize) + Sync + 'a;

#[cfg(feature = "threads")]
mod imp {
    use super::Task;
    use core::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

    extern "C" {
        /// Wakes every thread blocked on `addr` (JS: `Atomics.notify`).
        fn fv_host_wake(addr: *const AtomicU32);
        /// Blocks while `*addr == expected`, briefly (JS: `Atomics.wait` with a timeout); returns
        /// at once where the host cannot block.
        fn fv_host_wait(addr: *const AtomicU32, expected: u32);
    }

    /// Spins before blocking: a worker that is running checks out within microseconds.
    const SPINS: u32 = 20_000;

    pub static GENERATION: AtomicU32 = AtomicU32::new(0);
    static THREADS: AtomicUsize = AtomicUsize::new(1);
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    static TASKS: AtomicUsize = AtomicUsize::new(0);
    static CHECKED_IN: AtomicU32 = AtomicU32::new(0);
    /// The job's fat pointer, written before `GENERATION` is bumped.
    static mut JOB: Option<&'static Task<'static>> = None;

    pub fn threads() -> usize {
        THREADS.load(Ordering::Relaxed)
    }

    pub fn set_threads(n: usize) {
        THREADS.store(n.max(1), Ordering::SeqCst);
    }

    pub fn run(tasks: usize, f: &Task) {
        let workers = threads() - 1;
        if workers == 0 || tasks <= 1 {
            (0..tasks).for_each(|t| f(t, 0));
            return;
        }
        // Safety: the reference is erased to 'static only for the duration of this call; we
        // return after every worker has checked out.
        unsafe { JOB = Some(core::mem::transmute::<&Task, &'static Task<'static>>(f)) };
        TASKS.store(tasks, Ordering::SeqCst);
        NEXT.store(0, Ordering::SeqCst);
        CHECKED_IN.store(workers as u32, Ordering::SeqCst);
        GENERATION.fetch_add(1, Ordering::SeqCst);
        unsafe { fv_host_wake(&GENERATION) };
        drain(f, 0);
        let mut spins = 0;
        loop {
            let left = CHECKED_IN.load(Ordering::Acquire);
            if left == 0 {
                break;
            }
            if spins < SPINS {
                spins += 1;
                core::hint::spin_loop();
            } else {
                unsafe { fv_host_wait(&CHECKED_IN, left) };
            }
        }
        unsafe { JOB = None };
    }

    fn drain(f: &Task, tid: usize) {
        let tasks = TASKS.load(Ordering::Acquire);
        loop {
            let t = NEXT.fetch_add(1, Ordering::AcqRel);
            if t >= tasks {
                break;
            }
            f(t, tid);
        }
    }

    /// A worker's share of the current job; called by the worker's JS loop after each wake.
    #[no_mangle]
    pub extern "C" fn fv_worker_run(tid: usize) {
        if let Some(f) = unsafe { JOB } {
            drain(f, tid);
        }
        if CHECKED_IN.fetch_sub(1, Ordering::AcqRel) == 1 {
            unsafe { fv_host_wake(&CHECKED_IN) };
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
