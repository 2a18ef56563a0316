//! An ordered parallel map for batches: `jobs` worker threads take items in order, results are
//! handed to the caller in input order as soon as each is next, and a worker does not start an
//! item more than `window` places ahead of the last one handed over — so memory stays bounded
//! however many items there are and however slow one of them is.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex, PoisonError};

struct Progress {
    /// Next item to start.
    next: usize,
    /// Items handed to the caller.
    done: usize,
}

/// Runs `work(i)` for `i` in `0..n` on `jobs` threads and calls `sink(i, result)` in order of
/// `i`, on the calling thread. A panic in `work` becomes `on_panic(i)`. `sink` returns false
/// to stop early (the remaining items are not started).
pub fn ordered<T, W, P, S>(n: usize, jobs: usize, window: usize, work: W, on_panic: P, mut sink: S)
where
    T: Send,
    W: Fn(usize) -> T + Sync,
    P: Fn(usize) -> T + Sync,
    S: FnMut(usize, T) -> bool,
{
    let jobs = jobs.clamp(1, n.max(1));
    let window = window.max(jobs);
    let state = Mutex::new(Progress { next: 0, done: 0 });
    let turn = Condvar::new();
    let (tx, rx) = mpsc::channel::<(usize, T)>();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let tx = tx.clone();
            let (state, turn, work, on_panic) = (&state, &turn, &work, &on_panic);
            scope.spawn(move || {
                loop {
                    let i = {
                        let mut s = state.lock().unwrap_or_else(PoisonError::into_inner);
                        if s.next >= n {
                            return;
                        }
                        let i = s.next;
                        s.next += 1;
                        while i >= s.done.saturating_add(window) && s.next <= n {
                            s = turn.wait(s).unwrap_or_else(PoisonError::into_inner);
                        }
                        if s.next > n {
                            // Stopped early.
                            return;
                        }
                        i
                    };
                    let result =
                        catch_unwind(AssertUnwindSafe(|| work(i))).unwrap_or_else(|_| on_panic(i));
                    if tx.send((i, result)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, T> = BTreeMap::new();
        let mut expected = 0usize;
        let mut stopped = false;
        for (i, result) in rx.iter() {
            if stopped {
                continue;
            }
            pending.insert(i, result);
            while let Some(result) = pending.remove(&expected) {
                let go_on = sink(expected, result);
                expected += 1;
                let mut s = state.lock().unwrap_or_else(PoisonError::into_inner);
                s.done = expected;
                if !go_on {
                    // Make every waiting or future worker stop.
                    s.next = n + 1;
                    stopped = true;
                    pending.clear();
                }
                drop(s);
                turn.notify_all();
                if stopped {
                    break;
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_order() {
        let mut got = Vec::new();
        ordered(
            200,
            4,
            8,
            |i| {
                // Earlier items take longer.
                std::thread::sleep(std::time::Duration::from_micros(
                    ((200 - i) % 7) as u64 * 50,
                ));
                i * 2
            },
            |_| usize::MAX,
            |i, r| {
                got.push((i, r));
                true
            },
        );
        let want: Vec<(usize, usize)> = (0..200).map(|i| (i, i * 2)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_panic_becomes_a_result() {
        let mut got = Vec::new();
        ordered(
            5,
            2,
            2,
            |i| if i == 2 { panic!("boom") } else { i as i64 },
            |_| -1,
            |_, r| {
                got.push(r);
                true
            },
        );
        assert_eq!(got, [0, 1, -1, 3, 4]);
    }

    #[test]
    fn stopping_early_leaves_the_rest() {
        let started = std::sync::atomic::AtomicUsize::new(0);
        let mut got = Vec::new();
        ordered(
            1000,
            2,
            4,
            |i| {
                started.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                i
            },
            |_| 0,
            |i, _| {
                got.push(i);
                i < 9
            },
        );
        assert_eq!(got, (0..10).collect::<Vec<_>>());
        assert!(started.load(std::sync::atomic::Ordering::SeqCst) <= 10 + 4 + 2);
    }

    #[test]
    fn no_items() {
        let mut called = false;
        ordered(
            0,
            2,
            4,
            |i| i,
            |i| i,
            |_, _| {
                called = true;
                true
            },
        );
        assert!(!called);
    }
}
