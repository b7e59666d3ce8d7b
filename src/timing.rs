//! Stage timings, for whoever profiles the tool.
//!
//! With `MDBOOK_RUNBOOK_TIMINGS=1` in the environment, every stage wrapped
//! in a [`phase`] prints one line on stderr when it ends: its wall time, the
//! CPU time of its thread where the system tells it (Linux; 10 ms steps,
//! and not counting helper threads), the thread it ran on (`build-fr`,
//! `build-en`) and its name. Off by default, when a phase costs one load.

use std::borrow::Cow;
use std::sync::OnceLock;
use std::time::Instant;

/// A running stage; prints its time when dropped.
pub struct Phase {
    name: Cow<'static, str>,
    start: Instant,
    cpu: Option<f64>,
}

/// Starts timing the stage `name` (nothing when timings are off).
pub fn phase(name: impl Into<Cow<'static, str>>) -> Option<Phase> {
    enabled().then(|| Phase {
        name: name.into(),
        start: Instant::now(),
        cpu: thread_cpu_seconds(),
    })
}

/// The CPU time (user and system) of the calling thread so far.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the parenthesised command name; utime and stime are the
    // 14th and 15th fields, in clock ticks (100 per second on Linux).
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split(' ').skip(11);
    let user: f64 = fields.next()?.parse().ok()?;
    let system: f64 = fields.next()?.parse().ok()?;
    Some((user + system) / 100.0)
}

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| {
        std::env::var_os("MDBOOK_RUNBOOK_TIMINGS")
            .is_some_and(|value| !value.is_empty() && value != "0")
    })
}

impl Drop for Phase {
    fn drop(&mut self) {
        let thread = std::thread::current();
        let cpu = match (self.cpu, thread_cpu_seconds()) {
            (Some(start), Some(end)) => format!("{:>7.0} ms cpu", (end - start) * 1000.0),
            _ => String::new(),
        };
        eprintln!(
            "timing: {:>9.1} ms {cpu}  {:<10} {}",
            self.start.elapsed().as_secs_f64() * 1000.0,
            thread.name().unwrap_or("-"),
            self.name
        );
    }
}
