//! The native side of `AsyncIdentityClient`: the async core client over
//! reqwest, on one shared multi-thread tokio runtime.
//!
//! A call converts its arguments with the GIL, spawns its work on the
//! runtime and returns at once; the Python side awaits an asyncio future it
//! created for the call. When the work finishes, the tokio thread does not
//! touch Python: it queues the outcome in the event loop's [`Completions`]
//! and, if the loop has not been woken since it last drained the queue,
//! writes one byte to a pipe the loop watches (`loop.add_reader`). The loop
//! then drains every queued outcome in one callback, on its own thread with
//! the GIL it already holds, and resolves the futures. So the tokio threads
//! never wait for the GIL, and a burst of completions costs the loop one
//! wake-up, not one per call. Loops without `add_reader` (the Windows
//! proactor loop) are woken with `call_soon_threadsafe` instead, once per
//! batch as well.

use std::future::Future;
use std::io::{PipeReader, PipeWriter, Read, Write};
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, mpsc};

use frontegg_identity_core::Error;
use frontegg_identity_reqwest::{ReqwestBuild, ReqwestClient};
use futures_util::FutureExt;
use futures_util::future::{AbortHandle, Abortable};
use pyo3::exceptions::PyNotImplementedError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::PyTuple;

use crate::config::{native_client, take_provider_error};
use crate::errors::{guarded, panic_error, to_pyerr};
use crate::logging;
use crate::routes::{self, Out};

enum Failure {
    Core(Error, Option<PyErr>),
    Panic(String),
}

/// A finished call, turned into its Python result or exception once the
/// event loop drains it.
struct Done(Result<Out, Failure>);

impl<'py> IntoPyObject<'py> for Done {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Self::Error> {
        guarded(py, || match self.0 {
            Ok(out) => out.into_py_result(py),
            Err(Failure::Core(e, cause)) => Err(to_pyerr(py, &e, cause)),
            Err(Failure::Panic(message)) => Err(panic_error(py, &message)),
        })
    }
}

/// A call's asyncio future and what resolves it. The future travels with
/// the work and comes back to the loop thread, so it is only ever released
/// with the GIL held.
struct Finished {
    future: Py<PyAny>,
    /// `None` when the call was cancelled from Python.
    done: Option<Done>,
}

/// The state a [`Completions`] shares with the tasks that feed it.
struct Shared {
    outbox: mpsc::Sender<Finished>,
    inbox: Mutex<mpsc::Receiver<Finished>>,
    /// Set by the first completion after a drain; the one that sets it wakes
    /// the loop. Cleared by the drain before it empties the queue.
    armed: AtomicBool,
    reader: PipeReader,
    writer: PipeWriter,
    /// For loops without `add_reader`: a `weakref.WeakMethod` of the loop's
    /// `call_soon_threadsafe` (weak, so that this does not keep the loop alive).
    threadsafe: OnceLock<Py<PyAny>>,
}

impl Shared {
    /// Queues a finished call and wakes the loop if nothing has since the
    /// last drain. Runs on tokio threads; takes the GIL only for loops that
    /// cannot watch the pipe.
    fn finish(self: &Arc<Self>, finished: Finished) {
        if self.outbox.send(finished).is_err() {
            return; // unreachable while `self` owns the receiver
        }
        if self.armed.swap(true, Ordering::AcqRel) {
            return; // a wake-up is already on its way
        }
        match self.threadsafe.get() {
            None => {
                // One byte per wake-up; the drain reads it. The pipe never
                // holds more than a couple of bytes, so this never blocks.
                let _ = (&self.writer).write(&[1]);
            }
            Some(weak) => {
                let _ = Python::try_attach(|py| -> PyResult<()> {
                    let schedule = weak.bind(py).call0()?;
                    if !schedule.is_none() {
                        let completions = Bound::new(
                            py,
                            Completions {
                                shared: Arc::clone(self),
                            },
                        )?;
                        schedule.call1((completions.getattr(intern!(py, "drain"))?,))?;
                    }
                    Ok(())
                });
            }
        }
    }
}

/// Where the calls started from one asyncio event loop come back to it. The
/// Python side keeps one per loop and registers it with
/// `loop.add_reader(completions.fileno(), completions.drain)`.
#[pyclass(frozen, module = "frontegg_identity._native")]
pub(crate) struct Completions {
    shared: Arc<Shared>,
}

#[pymethods]
impl Completions {
    #[new]
    fn new() -> PyResult<Self> {
        let (reader, writer) = std::io::pipe()?;
        let (outbox, inbox) = mpsc::channel();
        Ok(Self {
            shared: Arc::new(Shared {
                outbox,
                inbox: Mutex::new(inbox),
                armed: AtomicBool::new(false),
                reader,
                writer,
                threadsafe: OnceLock::new(),
            }),
        })
    }

    /// The pipe's read end, for `loop.add_reader` (made non-blocking by the caller).
    fn fileno(&self) -> PyResult<i64> {
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd;
            Ok(i64::from(self.shared.reader.as_raw_fd()))
        }
        #[cfg(not(unix))]
        {
            Err(PyNotImplementedError::new_err(
                "no file descriptor to watch on this platform",
            ))
        }
    }

    /// Switches to waking the loop with `call_soon_threadsafe`, given as a
    /// `weakref.WeakMethod`, for loops that cannot watch a pipe.
    fn wake_with(&self, call_soon_threadsafe: Py<PyAny>) -> PyResult<()> {
        self.shared
            .threadsafe
            .set(call_soon_threadsafe)
            .map_err(|_| PyNotImplementedError::new_err("the wake-up is already set"))
    }

    /// Resolves the futures of every call finished so far. Runs on the
    /// loop's thread.
    fn drain(&self, py: Python<'_>) {
        let shared = &*self.shared;
        if shared.threadsafe.get().is_none() {
            // Empty the pipe first, then disarm: a completion queued after
            // the disarm writes a new byte, one queued before it is drained below.
            let mut bytes = [0u8; 64];
            while let Ok(n) = (&shared.reader).read(&mut bytes) {
                if n < bytes.len() {
                    break;
                }
            }
        }
        // Acquire pairs with the completions' swap: what they queued is visible.
        shared.armed.swap(false, Ordering::AcqRel);
        let batch: Vec<Finished> = {
            let inbox = shared
                .inbox
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            inbox.try_iter().collect()
        };
        for Finished { future, done } in batch {
            let Some(done) = done else { continue };
            let future = future.bind(py);
            if let Err(err) = resolve(py, future, done) {
                err.write_unraisable(py, Some(future));
            }
        }
    }
}

/// Sets a future's result or exception, unless it was cancelled meanwhile.
fn resolve(py: Python<'_>, future: &Bound<'_, PyAny>, done: Done) -> PyResult<()> {
    if future.call_method0(intern!(py, "cancelled"))?.is_truthy()? {
        return Ok(());
    }
    match done.into_pyobject(py) {
        Ok(value) => future.call_method1(intern!(py, "set_result"), (value,))?,
        Err(err) => future.call_method1(intern!(py, "set_exception"), (err.into_value(py),))?,
    };
    Ok(())
}

/// A running call, to cancel it when the Python side is cancelled.
#[pyclass(frozen, module = "frontegg_identity._native")]
pub(crate) struct Call {
    abort: AbortHandle,
}

#[pymethods]
impl Call {
    /// Stops the call: its request is dropped wherever it is.
    fn cancel(&self) {
        self.abort.abort();
    }
}

/// The runtime every async call runs on, started on first use.
fn runtime() -> PyResult<&'static tokio::runtime::Runtime> {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    if let Some(rt) = RUNTIME.get() {
        return Ok(rt);
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("frontegg-identity")
        // New calls arrive in the global queue (they are spawned from the
        // event loop's thread); calls under way, woken by their sockets, wait
        // in the worker's own queue. Left to tune itself, tokio reads the
        // global queue after 200 µs' worth of polls, and a poll that sends a
        // request is long (it makes the system call), so under load it
        // started new calls every few tasks, between the answers of calls
        // under way: those then came back to the event loop in more, smaller
        // batches, and each batch costs the loop a turn. 127 is what the
        // tuning itself picks when polls are short; a worker with nothing
        // of its own to run still reads the global queue at once.
        .global_queue_interval(127)
        .build()?;
    // Another thread may have won the race; its runtime is used and this one dropped.
    let _ = RUNTIME.set(rt);
    RUNTIME
        .get()
        .ok_or_else(|| PyNotImplementedError::new_err("the async runtime could not start"))
}

/// Starts `work` on the shared runtime; its outcome resolves `future` through
/// `completions`. A panic inside it becomes `FronteggError`, never a lost
/// future.
pub(crate) fn spawn<F>(
    py: Python<'_>,
    completions: &Completions,
    future: Bound<'_, PyAny>,
    work: F,
) -> PyResult<Call>
where
    F: Future<Output = Result<Out, Error>> + Send + 'static,
{
    logging::refresh(py);
    let (abort, registration) = AbortHandle::new_pair();
    let shared = Arc::clone(&completions.shared);
    let future = future.unbind();
    runtime()?.spawn(async move {
        let done = match Abortable::new(AssertUnwindSafe(work).catch_unwind(), registration).await {
            Ok(Ok(Ok(out))) => Some(Done(Ok(out))),
            Ok(Ok(Err(e))) => Some(Done(Err(Failure::Core(e, take_provider_error())))),
            Ok(Err(payload)) => Some(Done(Err(Failure::Panic(crate::errors::panic_text(&*payload))))),
            Err(_aborted) => None,
        };
        shared.finish(Finished { future, done });
    });
    Ok(Call { abort })
}

native_client! {
    /// The native side of `AsyncIdentityClient`.
    AsyncClient(ReqwestClient, ReqwestBuild::build) {
    /// Starts the route with this id (its index in `ROUTES`) with `args`;
    /// `future` is resolved through `completions` when it finishes.
    #[pyo3(signature = (route, completions, future, *args))]
    fn start<'py>(
        &self,
        py: Python<'py>,
        route: usize,
        completions: &Bound<'py, Completions>,
        future: Bound<'py, PyAny>,
        args: &Bound<'py, PyTuple>,
    ) -> PyResult<Call> {
        guarded(py, || {
            let client = self.slot.get(py)?;
            routes::start_async(py, client, routes::route(route)?, completions.get(), future, args)
        })
    }
    }
}

/// An asyncio future whose Rust task panics, to test that the panic arrives
/// as `FronteggError` (see `_debug_panic`).
#[cfg(feature = "test-hooks")]
pub(crate) fn panicking_future(
    py: Python<'_>,
    completions: &Bound<'_, Completions>,
    future: Bound<'_, PyAny>,
) -> PyResult<Call> {
    spawn(py, completions.get(), future, async {
        if std::hint::black_box(true) {
            panic!("deliberate panic (test hook)");
        }
        Ok(Out::ListMine(Vec::new()))
    })
}
