//! The native side of `AsyncIdentityClient`: the async core client over
//! hyper, on one shared multi-thread tokio runtime.
//!
//! A call converts its arguments with the GIL, spawns its work on the
//! runtime and returns at once a [`Call`], which the generated method awaits.
//! When the work finishes, the tokio thread does not touch Python: it queues
//! the outcome in the event loop's [`Completions`] and, if the loop has not
//! been woken since it last drained the queue, writes one byte to a pipe the
//! loop watches (`loop.add_reader`). The loop then drains every queued
//! outcome in one callback, on its own thread with the GIL it already holds,
//! resolves the calls and wakes the tasks awaiting them. So the tokio threads
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
use frontegg_identity_hyper::{HyperBuild, HyperClient};
use futures_util::FutureExt;
use futures_util::future::{AbortHandle, Abortable};
use pyo3::exceptions::{
    PyKeyboardInterrupt, PyNotImplementedError, PyRuntimeError, PyStopIteration, PySystemExit,
};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::pyclass::{PyTraverseError, PyVisit};
use pyo3::sync::PyOnceLock;

pyo3::import_exception!(asyncio, CancelledError);
pyo3::import_exception!(asyncio, InvalidStateError);
use pyo3::types::{PyDict, PyTuple};

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

/// A finished call on its way back to the loop. The call travels with the
/// work and comes back to the loop's thread, so it is only ever released
/// with the GIL held.
struct Finished {
    call: Py<Call>,
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

    /// Resolves every call finished so far and wakes the tasks awaiting
    /// them. Runs on the loop's thread, as a callback of the loop.
    fn drain(&self, py: Python<'_>) -> PyResult<()> {
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
        let mut wakes = Vec::with_capacity(batch.len());
        for Finished { call, done } in batch {
            let Some(done) = done else { continue };
            Call::finish(call.bind(py), done, &mut wakes);
        }
        // The callbacks run here, as asyncio would run them from its queue a
        // turn later: each in its context, an exception reported to the
        // loop's handler, KeyboardInterrupt and SystemExit let through (with
        // the callbacks not yet run put in the loop's queue, so that no task
        // is left waiting).
        let mut wakes = wakes.into_iter();
        while let Some(wake) = wakes.next() {
            let Err(err) = wake.run(py).or_else(|err| wake.report(py, err)) else {
                continue;
            };
            for rest in wakes {
                if let Err(lost) = rest.schedule(py) {
                    lost.write_unraisable(py, None);
                }
            }
            return Err(err);
        }
        Ok(())
    }
}

/// Whether asyncio lets this exception out of the loop rather than report
/// it: `KeyboardInterrupt` and `SystemExit`.
fn leaves_the_loop(py: Python<'_>, err: &PyErr) -> bool {
    err.is_instance_of::<PyKeyboardInterrupt>(py) || err.is_instance_of::<PySystemExit>(py)
}

/// Where a call stands.
enum State {
    Pending,
    /// Its result, or the exception it raises.
    Done(Result<Py<PyAny>, Py<PyAny>>),
    /// Cancelled from Python, with the message given to `cancel`.
    Cancelled(Option<Py<PyAny>>),
}

/// A callback added with `add_done_callback`, with the call it is given and
/// the `contextvars.Context` it runs in.
struct Wake {
    call: Py<Call>,
    callback: Py<PyAny>,
    context: Py<PyAny>,
}

impl Wake {
    /// The call's loop.
    fn event_loop(&self, py: Python<'_>) -> Py<PyAny> {
        self.call.bind(py).borrow().event_loop.clone_ref(py)
    }

    /// Runs the callback now.
    fn run(&self, py: Python<'_>) -> PyResult<()> {
        self.context
            .bind(py)
            .call_method1(intern!(py, "run"), (&self.callback, &self.call))
            .map(drop)
    }

    /// Puts the callback in its loop's queue (`call_soon`), as an asyncio
    /// future does; fails as `call_soon` does (a closed loop).
    fn schedule(self, py: Python<'_>) -> PyResult<()> {
        let event_loop = self.event_loop(py);
        let kwargs = PyDict::new(py);
        kwargs.set_item(intern!(py, "context"), &self.context)?;
        event_loop
            .bind(py)
            .call_method(
                intern!(py, "call_soon"),
                (&self.callback, &self.call),
                Some(&kwargs),
            )
            .map(drop)
    }

    /// Hands an exception the callback raised to the loop's exception
    /// handler, as asyncio does for a callback it runs. `KeyboardInterrupt`
    /// and `SystemExit` (raised by the callback or the handler) come back,
    /// to leave the loop.
    fn report(&self, py: Python<'_>, err: PyErr) -> PyResult<()> {
        if leaves_the_loop(py, &err) {
            return Err(err);
        }
        let event_loop = self.event_loop(py);
        let event_loop = event_loop.bind(py);
        let reported = (|| {
            let context = PyDict::new(py);
            context.set_item("message", "Exception in a callback of a frontegg_identity call")?;
            // `into_value`, not `value`: it carries the traceback.
            context.set_item("exception", err.into_value(py))?;
            context.set_item("future", &self.call)?;
            event_loop.call_method1(intern!(py, "call_exception_handler"), (context,))
        })();
        match reported {
            Err(err) if leaves_the_loop(py, &err) => Err(err),
            Err(err) => {
                err.write_unraisable(py, Some(event_loop));
                Ok(())
            }
            Ok(_) => Ok(()),
        }
    }
}

/// A running call: what the generated method awaits. It speaks the part of
/// asyncio's future protocol that a task uses (`_asyncio_future_blocking`,
/// `get_loop`, `add_done_callback`, `result`, `cancel`, ...), so the drain
/// wakes the awaiting task directly, where an asyncio future would put the
/// wake-up in the loop's queue with a Python-level `call_soon` and the loop
/// would run it a turn later. Cancelling it (as a task does when it is
/// cancelled) drops the request wherever it is. It is awaited once, by the
/// coroutine that started it; a second `await` while it runs raises
/// `RuntimeError`.
#[pyclass(module = "frontegg_identity._native")]
pub(crate) struct Call {
    event_loop: Py<PyAny>,
    abort: AbortHandle,
    state: State,
    /// `_asyncio_future_blocking`: set when the call is yielded to the
    /// task awaiting it, which clears it.
    blocking: bool,
    /// Whether `__next__` has yielded the call (an await yields it once).
    yielded: bool,
    callbacks: Vec<(Py<PyAny>, Py<PyAny>)>,
}

impl Call {
    /// Resolves a call that is still pending with its outcome, and collects
    /// its callbacks into `wakes`.
    fn finish(call: &Bound<'_, Call>, done: Done, wakes: &mut Vec<Wake>) {
        let py = call.py();
        if !matches!(call.borrow().state, State::Pending) {
            return; // cancelled meanwhile
        }
        // Converted with the call not borrowed: building the records runs Python.
        let outcome = match done.into_pyobject(py) {
            Ok(value) => Ok(value.unbind()),
            Err(err) => Err(err.into_value(py).into_any()),
        };
        if matches!(call.borrow().state, State::Pending) {
            Self::settle(call, State::Done(outcome), wakes);
        }
    }

    /// Moves a pending call to `state` and its callbacks, each with its
    /// call and context, into `wakes` (to run or schedule). Borrows the call
    /// only meanwhile.
    fn settle(call: &Bound<'_, Call>, state: State, wakes: &mut Vec<Wake>) {
        let mut this = call.borrow_mut();
        this.state = state;
        wakes.extend(this.callbacks.drain(..).map(|(callback, context)| Wake {
            call: call.clone().unbind(),
            callback,
            context,
        }));
    }

    /// The error `result()` raises for a cancelled call.
    fn cancelled_error(py: Python<'_>, message: Option<&Py<PyAny>>) -> PyErr {
        match message {
            Some(message) => CancelledError::new_err((message.clone_ref(py),)),
            None => CancelledError::new_err(()),
        }
    }

    /// What awaiting the finished call gives: `StopIteration` carrying the
    /// result, or the call's exception.
    fn outcome(&self, py: Python<'_>) -> PyErr {
        match &self.state {
            State::Done(Ok(value)) => {
                let value = value.bind(py);
                // A tuple given as the exception's value would be taken as
                // its arguments; wrapped, it is the one argument.
                if value.is_instance_of::<PyTuple>() {
                    PyStopIteration::new_err((value.clone().unbind(),))
                } else {
                    PyStopIteration::new_err(value.clone().unbind())
                }
            }
            State::Done(Err(exception)) => PyErr::from_value(exception.bind(py).clone()),
            State::Cancelled(message) => Self::cancelled_error(py, message.as_ref()),
            State::Pending => PyRuntimeError::new_err("await wasn't used with future"),
        }
    }
}

#[pymethods]
impl Call {
    #[getter(_asyncio_future_blocking)]
    fn blocking(&self) -> bool {
        self.blocking
    }

    #[setter(_asyncio_future_blocking)]
    fn set_blocking(&mut self, value: bool) {
        self.blocking = value;
    }

    /// The event loop the call was started on.
    fn get_loop(&self, py: Python<'_>) -> Py<PyAny> {
        self.event_loop.clone_ref(py)
    }

    /// Calls `callback(call)` in `context` (a copy of the current one when
    /// not given) once the call is done: at once, through the loop's queue,
    /// if it is done already.
    #[pyo3(signature = (callback, *, context=None))]
    fn add_done_callback(
        slf: &Bound<'_, Self>,
        callback: Bound<'_, PyAny>,
        context: Option<Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let py = slf.py();
        let context = match context {
            Some(context) => context,
            None => {
                static COPY: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
                COPY.import(py, "contextvars", "copy_context")?.call0()?
            }
        };
        let mut this = slf.borrow_mut();
        if matches!(this.state, State::Pending) {
            this.callbacks.push((callback.unbind(), context.unbind()));
            return Ok(());
        }
        drop(this);
        Wake {
            call: slf.clone().unbind(),
            callback: callback.unbind(),
            context: context.unbind(),
        }
        .schedule(py)
    }

    /// Removes every registration of a callback equal to `callback`;
    /// returns how many there were. If a comparison raises, nothing is
    /// removed.
    fn remove_done_callback(slf: &Bound<'_, Self>, callback: &Bound<'_, PyAny>) -> PyResult<usize> {
        let py = slf.py();
        // Compared with the call not borrowed: `!=` runs Python, which may
        // use this call.
        let registered: Vec<Py<PyAny>> = slf
            .borrow()
            .callbacks
            .iter()
            .map(|(registered, _)| registered.clone_ref(py))
            .collect();
        let mut equal = Vec::new();
        for registered in registered {
            if !registered.bind(py).ne(callback)? {
                equal.push(registered);
            }
        }
        if equal.is_empty() {
            return Ok(0);
        }
        let mut this = slf.borrow_mut();
        let before = this.callbacks.len();
        this.callbacks
            .retain(|(registered, _)| !equal.iter().any(|e| e.is(registered)));
        Ok(before - this.callbacks.len())
    }

    /// The call's result; raises its exception, `CancelledError` if it was
    /// cancelled, `InvalidStateError` while it runs.
    fn result(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        match &self.state {
            State::Done(Ok(value)) => Ok(value.clone_ref(py)),
            State::Pending => Err(InvalidStateError::new_err("Result is not ready.")),
            _ => Err(self.outcome(py)),
        }
    }

    /// The call's exception, or `None` if it returned; raises
    /// `CancelledError` if it was cancelled, `InvalidStateError` while it runs.
    fn exception(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        match &self.state {
            State::Done(Ok(_)) => Ok(None),
            State::Done(Err(exception)) => Ok(Some(exception.clone_ref(py))),
            State::Pending => Err(InvalidStateError::new_err("Exception is not set.")),
            State::Cancelled(message) => Err(Self::cancelled_error(py, message.as_ref())),
        }
    }

    fn done(&self) -> bool {
        !matches!(self.state, State::Pending)
    }

    fn cancelled(&self) -> bool {
        matches!(self.state, State::Cancelled(_))
    }

    /// Stops the call (its request is dropped wherever it is) and schedules
    /// its callbacks; `False` if it had finished already. Raises what
    /// scheduling raised first (a closed loop), after scheduling the rest.
    #[pyo3(signature = (msg=None))]
    fn cancel(slf: &Bound<'_, Self>, msg: Option<Bound<'_, PyAny>>) -> PyResult<bool> {
        let py = slf.py();
        {
            let this = slf.borrow();
            if !matches!(this.state, State::Pending) {
                return Ok(false);
            }
            this.abort.abort();
        }
        let mut wakes = Vec::new();
        Self::settle(slf, State::Cancelled(msg.map(Bound::unbind)), &mut wakes);
        let mut failed = None;
        for wake in wakes {
            if let Err(err) = wake.schedule(py) {
                failed.get_or_insert(err);
            }
        }
        failed.map_or(Ok(true), Err)
    }

    /// The message given to `cancel` (`asyncio.gather` reads it).
    #[getter]
    fn _cancel_message(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        match &self.state {
            State::Cancelled(Some(message)) => Some(message.clone_ref(py)),
            _ => None,
        }
    }

    /// The `CancelledError` the call raises once cancelled (`asyncio.gather`
    /// asks for it).
    fn _make_cancelled_error(&self, py: Python<'_>) -> Py<PyAny> {
        let message = match &self.state {
            State::Cancelled(message) => message.as_ref(),
            _ => None,
        };
        Self::cancelled_error(py, message).into_value(py).into_any()
    }

    fn __await__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __iter__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    /// Yields the call to the task awaiting it while it runs; then ends
    /// with its result (or raises its exception).
    fn __next__(slf: Bound<'_, Self>) -> PyResult<Bound<'_, Self>> {
        let mut this = slf.borrow_mut();
        if matches!(this.state, State::Pending) && !this.yielded {
            this.yielded = true;
            this.blocking = true;
            drop(this);
            return Ok(slf);
        }
        Err(this.outcome(slf.py()))
    }

    /// What the call holds, for the cycle collector: an exception it
    /// raised holds, through its traceback, the frame that awaited it, and
    /// that frame holds the call.
    fn __traverse__(&self, visit: PyVisit<'_>) -> Result<(), PyTraverseError> {
        visit.call(&self.event_loop)?;
        match &self.state {
            State::Done(Ok(value) | Err(value)) | State::Cancelled(Some(value)) => visit.call(value)?,
            State::Pending | State::Cancelled(None) => {}
        }
        for (callback, context) in &self.callbacks {
            visit.call(callback)?;
            visit.call(context)?;
        }
        Ok(())
    }

    /// Breaks a cycle the collector found. (The loop stays: a cycle through
    /// it is broken at the loop's own attributes.)
    fn __clear__(&mut self) {
        self.state = State::Cancelled(None);
        self.callbacks.clear();
    }

    fn __repr__(&self) -> &'static str {
        match self.state {
            State::Pending => "<Call pending>",
            State::Done(Ok(_)) => "<Call finished>",
            State::Done(Err(_)) => "<Call failed>",
            State::Cancelled(_) => "<Call cancelled>",
        }
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

/// Starts `work` on the shared runtime, as a [`Call`] of `event_loop`
/// whose outcome comes back through `completions`. A panic inside it becomes
/// `FronteggError`, never a call left pending.
pub(crate) fn spawn<'py, F>(
    py: Python<'py>,
    event_loop: Bound<'py, PyAny>,
    completions: &Completions,
    work: F,
) -> PyResult<Bound<'py, Call>>
where
    F: Future<Output = Result<Out, Error>> + Send + 'static,
{
    logging::refresh(py);
    let (abort, registration) = AbortHandle::new_pair();
    let shared = Arc::clone(&completions.shared);
    let call = Bound::new(
        py,
        Call {
            event_loop: event_loop.unbind(),
            abort,
            state: State::Pending,
            blocking: false,
            yielded: false,
            callbacks: Vec::new(),
        },
    )?;
    let handle = call.clone().unbind();
    runtime()?.spawn(async move {
        let done = match Abortable::new(AssertUnwindSafe(work).catch_unwind(), registration).await {
            Ok(Ok(Ok(out))) => Some(Done(Ok(out))),
            Ok(Ok(Err(e))) => Some(Done(Err(Failure::Core(e, take_provider_error())))),
            Ok(Err(payload)) => Some(Done(Err(Failure::Panic(crate::errors::panic_text(&*payload))))),
            Err(_aborted) => None,
        };
        shared.finish(Finished { call: handle, done });
    });
    Ok(call)
}

native_client! {
    /// The native side of `AsyncIdentityClient`.
    AsyncClient(HyperClient, HyperBuild::build) {
    /// Starts the route with this id (its index in `ROUTES`) with `args`,
    /// as a call of `event_loop` that comes back through `completions`.
    #[pyo3(signature = (route, event_loop, completions, *args))]
    fn start<'py>(
        &self,
        py: Python<'py>,
        route: usize,
        event_loop: Bound<'py, PyAny>,
        completions: &Bound<'py, Completions>,
        args: &Bound<'py, PyTuple>,
    ) -> PyResult<Bound<'py, Call>> {
        guarded(py, || {
            let client = self.slot.get(py)?;
            routes::start_async(py, client, routes::route(route)?, event_loop, completions.get(), args)
        })
    }
    }
}

/// A call whose Rust task panics, to test that the panic arrives as
/// `FronteggError` (see `_debug_panic`).
#[cfg(feature = "test-hooks")]
pub(crate) fn panicking_call<'py>(
    py: Python<'py>,
    event_loop: Bound<'py, PyAny>,
    completions: &Bound<'py, Completions>,
) -> PyResult<Bound<'py, Call>> {
    spawn(py, event_loop, completions.get(), async {
        if std::hint::black_box(true) {
            panic!("deliberate panic (test hook)");
        }
        Ok(Out::ListMine(Vec::new()))
    })
}
