"""One declaration per route, for both clients.

A route is declared once, in a mixin shared by a sync group and its async
twin, as a typed stub (its signature and docstring) decorated with
:func:`route`::

    class _PhoneNumberRoutes:
        __slots__ = ()

        @route("preverify")
        def preverify(self, phone_number: str) -> OtcToken:
            \"\"\"Sends a code to ``phone_number`` ...\"\"\"

    class PhoneNumbers(_PhoneNumberRoutes, SyncGroup): ...
    class AsyncPhoneNumbers(_PhoneNumberRoutes, AsyncGroup): ...

A concrete group class gets a plain function per declared route, generated
from the stub's signature (as :mod:`dataclasses` generates ``__init__``) on
the method's first use: ``self._n.call(ROUTE_ID, *args)`` on a sync group,
and on an async group a coroutine that starts the call with ``self._n.start``
and awaits the call it returns. So a call costs what a hand-written shell
costs, and ``help()`` shows the stub's signature and docstring. The route id
is the route's index in ``_native.ROUTES``, core's route table; a name that
is not there fails at import.

For type checkers the declaration is a descriptor, generic over the stub's
parameters: on a sync group it is ``Callable[P, R]``, on an async group
``Callable[P, Coroutine[Any, Any, R]]``.

The stub's parameters must be the native row's, by name and in order
(``_native.ROUTE_PARAMS``, from ``crates/python/src/routes.rs``): a class whose
declarations do not match fails when it is made, that is at import.

Adding a route to the Python layer:

1. one row in the ``routes!`` table of ``crates/python/src/routes.rs``: the
   core ``Route`` variant, its arguments' kinds (``Phone``, ``Code``, ``Otc``,
   ...), its output type and its call on a core client;
2. one declaration, ``@route("name")`` on a typed stub with its docstring, in
   the group's mixin in ``_client.py``. A new group also needs its mixin, its
   two classes (``class Mfa(_MfaRoutes, SyncGroup)`` and ``class
   AsyncMfa(_MfaRoutes, AsyncGroup)``, with ``__slots__ = ()``) and an entry
   in each client's ``_groups`` and ``__slots__``.

``python/tests/test_routes.py`` fails until both are there.
"""

from __future__ import annotations

import os
import weakref

from . import _native

TYPE_CHECKING = False  # as `typing.TYPE_CHECKING`, without importing `typing` (see `__init__`)
if TYPE_CHECKING:
    import asyncio
    from typing import (
        Any,
        AsyncIterator,
        Callable,
        ClassVar,
        Coroutine,
        Dict,
        Generic,
        Iterator,
        Optional,
        Tuple,
        TypeVar,
        overload,
    )

    from typing_extensions import Concatenate, ParamSpec

    from ._types import Page, PhoneNumber

    _P = ParamSpec("_P")
    _R = TypeVar("_R")
    _S = TypeVar("_S")
    _A = TypeVar("_A")
else:
    # Importing the package does not import `typing` (it costs more than the
    # package itself): annotations are strings, and the one generic class,
    # `Declared`, subscripts this stand-in, which ignores its parameters.
    class Generic:
        __slots__ = ()

        def __class_getitem__(cls, parameters):
            return cls

    def overload(function):
        return function

    _P = _S = _A = None

__all__ = ["Declared", "route", "every_item", "Group", "SyncGroup", "AsyncGroup"]

# --- The asyncio side of a native call.

_completions: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _native.Completions] = (
    weakref.WeakKeyDictionary()
)


def _running_loop() -> asyncio.AbstractEventLoop:
    """``asyncio.get_running_loop``, imported on the first async call so that
    importing the package does not import asyncio."""
    global _running_loop
    from asyncio import get_running_loop

    _running_loop = get_running_loop
    return get_running_loop()


def _register(loop: asyncio.AbstractEventLoop) -> _native.Completions:
    """Makes and registers the loop's :class:`_native.Completions` (on its first call).

    Finished native calls queue their outcomes there; the loop drains them when
    the pipe it watches becomes readable, or, on loops that cannot watch a pipe
    (the Windows proactor loop), from ``call_soon_threadsafe``."""
    completions = _native.Completions()
    try:
        fd = completions.fileno()
        os.set_blocking(fd, False)
        loop.add_reader(fd, completions.drain)
    except (NotImplementedError, OSError):
        completions.wake_with(weakref.WeakMethod(loop.call_soon_threadsafe))
    _completions[loop] = completions
    return completions


# The loop of the last call (weakly) and its completions, as one tuple read
# once, so that a thread sees a consistent pair whatever another thread
# stores meanwhile: most programs run one loop, and calling a weak reference
# costs less than the weak dictionary's lookup. The entry goes when its loop
# goes, so the completions (and their pipe) live no longer than through
# `_completions`.
_last: Optional[Tuple[weakref.ReferenceType[asyncio.AbstractEventLoop], _native.Completions]] = None


def _forget(gone: weakref.ReferenceType[asyncio.AbstractEventLoop]) -> None:
    """Drops the last-loop entry when its loop is collected. (If another
    thread stored a new entry meanwhile and this drops it, the next call
    stores it again.)"""
    global _last
    last = _last
    if last is not None and last[0] is gone:
        _last = None


def _begin() -> Tuple[asyncio.AbstractEventLoop, _native.Completions]:
    """The running loop, for one native call, and where its calls complete."""
    global _last
    loop = _running_loop()
    last = _last
    if last is not None and last[0]() is loop:
        return loop, last[1]
    completions = _completions.get(loop) or _register(loop)
    _last = (weakref.ref(loop, _forget), completions)
    return loop, completions


def _awaiting(start: str, result: str, indent: str) -> str:
    """The generated lines that start a native call (``start``, a
    :class:`_native.Call`, which asyncio's tasks await as they would a
    future) and await it into ``result``: cancelling the awaiting task
    cancels the call. (The task cancels it itself; the ``except`` covers a
    coroutine closed or thrown into some other way. Any exception at the
    ``await`` is that, or the call's own outcome, in which case the call has
    finished and ``cancel`` does nothing.) Written into the method rather
    than awaited from a helper coroutine: one coroutine per call, not two."""
    lines = (
        "loop, completions = _begin()",
        f"call = {start}",
        "try:",
        f"    {result} = await call",
        "except BaseException:",
        "    call.cancel()",
        "    raise",
    )
    return "".join(f"{indent}{line}\n" for line in lines)


# --- Declarations.


class Declared(Generic[_P, _S, _A]):
    """A method declared once: ``Callable[P, S]`` on a sync group,
    ``Callable[P, A]`` on an async group. On a concrete group class the first
    access (a call, ``help()``, ...) generates the function and installs it
    on that class, where later calls find it as any method's."""

    __slots__ = ("route", "stub", "shape", "doc", "name")

    def __init__(self, route: str, stub: Callable[..., Any], shape: str, doc: Optional[str]) -> None:
        self.route = route
        self.stub = stub
        self.shape = shape
        self.doc = doc
        self.name = ""
        """The attribute it is bound to in its class body (``__set_name__``)."""

    def __set_name__(self, owner: type, name: str) -> None:
        if self.name and self.name != name:
            raise TypeError(f"{owner.__qualname__}: {self.name} and {name} are one declaration; declare each once")
        self.name = name

    @overload
    def __get__(self, group: None, owner: Any) -> Declared[_P, _S, _A]: ...
    @overload
    def __get__(self, group: SyncGroup, owner: Any) -> Callable[_P, _S]: ...
    @overload
    def __get__(self, group: AsyncGroup, owner: Any) -> Callable[_P, _A]: ...
    def __get__(self, group: Optional[Group], owner: Any) -> Any:
        flavour = getattr(owner, "_flavour", None)
        if flavour is None:
            if group is None:
                return self
            raise TypeError(f"{owner.__name__} is neither a SyncGroup nor an AsyncGroup")
        home = self._home(owner)
        function = _generate(home or owner, flavour, self)
        if home is not None:
            setattr(home, self.name, function)
        return function if group is None else function.__get__(group, owner)

    def _home(self, owner: type) -> Optional[type]:
        """The group class the generated function goes on: in ``owner``'s
        MRO, the nearest below the class declaring it that does not define
        the name itself. So an override further down, which may call it with
        ``super()``, stays in place. ``None`` when there is none (an override
        on the class that also inherits the declaration): then the function
        is made for each access."""
        mro = owner.__mro__
        declaring = next((i for i, klass in enumerate(mro) if vars(klass).get(self.name) is self), 0)
        for klass in reversed(mro[:declaring]):
            if getattr(klass, "_flavour", None) is not None and self.name not in vars(klass):
                return klass
        return None


def route(name: str) -> Callable[[Callable[Concatenate[Any, _P], _R]], Declared[_P, _R, Coroutine[Any, Any, _R]]]:
    """Declares a method calling the route ``name`` (a name in ``_native.ROUTES``)
    with its arguments, in the order of the stub's parameters."""

    def declare(stub: Callable[Concatenate[Any, _P], _R]) -> Declared[_P, _R, Coroutine[Any, Any, _R]]:
        return Declared(name, stub, "call", stub.__doc__)

    return declare


def every_item(
    pages: Declared[_P, Page, Any], doc: str
) -> Declared[_P, Iterator[PhoneNumber], AsyncIterator[PhoneNumber]]:
    """Declares an iterator over every item of a paged route (``list``), taking
    the same arguments, fetching pages as it is read with core's pager: an
    iterator on a sync group, an async iterator on an async group."""
    return Declared(pages.route, pages.stub, "pages", doc)


# --- The generated methods.

_BODIES = {
    ("sync", "call"): "def {name}(self, {params}):\n"
    "    return self._n.call({route}, {args})\n",
    ("async", "call"): "async def {name}(self, {params}):\n"
    + _awaiting("self._n.start({route}, loop, completions, {args})", "result", "    ")
    + "    return result\n",
    ("sync", "pages"): "def {name}(self, {params}):\n"
    "    pager = _Pager({args})\n"
    "    native = self._n\n"
    "    while not pager.done:\n"
    "        yield from pager.next(native).items\n",
    ("async", "pages"): "async def {name}(self, {params}):\n"
    "    pager = _Pager({args})\n"
    "    native = self._n\n"
    "    while not pager.done:\n"
    + _awaiting("pager.start_next(native, loop, completions)", "page", "        ")
    + "        for item in page.items:\n"
    "            yield item\n",
}


def _parameters(declared: Declared[Any, Any, Any]) -> Tuple[Tuple[str, ...], str, Dict[str, Any]]:
    """The stub's parameters after ``self``: their names, their text for a
    ``def`` line (defaults as ``_d_<name>``, a ``*`` before the keyword-only
    ones) and their defaults. Read from the code object: ``inspect.signature``
    costs more, and this runs for every method at import."""
    code = declared.stub.__code__
    if code.co_flags & 0x0C or code.co_posonlyargcount:  # CO_VARARGS | CO_VARKEYWORDS
        raise TypeError(f"{declared.route}: only plain and keyword-only parameters are supported")
    positional = code.co_varnames[1 : code.co_argcount]
    keyword = code.co_varnames[code.co_argcount : code.co_argcount + code.co_kwonlyargcount]
    defaults = dict(zip(reversed(positional), reversed(declared.stub.__defaults__ or ())))
    defaults.update(declared.stub.__kwdefaults__ or {})
    texts = [f"{n}=_d_{n}" if n in defaults else n for n in positional]
    if keyword:
        texts += ["*", *(f"{n}=_d_{n}" if n in defaults else n for n in keyword)]
    return positional + keyword, ", ".join(texts), defaults


def _checked(group: type, name: str, declared: Declared[Any, Any, Any]) -> Tuple[int, Tuple[str, ...], str, Dict[str, Any]]:
    """The route id of a declaration, with its parameters (see
    :func:`_parameters`), once checked against the native binding."""
    where = f"{group.__module__}.{group.__qualname__}.{name}"
    if declared.route not in _native.ROUTES:
        raise TypeError(f"{where}: no route {declared.route!r} in core's table (_native.ROUTES)")
    route_id = _native.ROUTES.index(declared.route)
    names, params, defaults = _parameters(declared)
    if _native.ROUTE_PARAMS[route_id] != names:
        raise TypeError(
            f"{where}: the declaration of route {declared.route!r} takes {names}, "
            f"the native binding {_native.ROUTE_PARAMS[route_id]}"
        )
    return route_id, names, params, defaults


def _generate(group: type, flavour: str, declared: Declared[Any, Any, Any]) -> Callable[..., Any]:
    """The function of a declaration on ``group``, with the stub's parameters
    (defaults, keyword-only markers), annotations and docstring. Made on the
    method's first use rather than at import, where compiling every method
    of every group cost more than the rest of the package's import."""
    name = declared.name
    route_id, names, params, defaults = _checked(group, name, declared)
    source = _BODIES[flavour, declared.shape].format(name=name, params=params, route=route_id, args=", ".join(names))
    namespace: Dict[str, Any] = {"_begin": _begin, "_Pager": _native.Pager}
    namespace.update((f"_d_{k}", v) for k, v in defaults.items())
    exec(compile(source, f"<{group.__module__}.{group.__qualname__}>", "exec"), namespace)
    function: Callable[..., Any] = namespace[name]
    function.__doc__ = declared.doc
    function.__module__ = group.__module__
    function.__qualname__ = f"{group.__qualname__}.{name}"
    function.__annotations__ = dict(declared.stub.__annotations__)
    if declared.shape == "pages":
        function.__annotations__["return"] = f"{'' if flavour == 'sync' else 'Async'}Iterator[PhoneNumber]"
    return function


class Group:
    """A group of routes (``client.phone_numbers``, ...) over a native client."""

    __slots__ = ("_n",)

    _flavour: ClassVar[Optional[str]] = None
    routes: ClassVar[Dict[str, str]] = {}
    """The declared methods: method name to route name."""

    def __init__(self, native: Any) -> None:
        self._n = native

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared: Dict[str, Declared[Any, Any, Any]] = {}
        for klass in reversed(cls.__mro__):
            declared.update((k, v) for k, v in vars(klass).items() if isinstance(v, Declared))
        cls.routes = {name: d.route for name, d in declared.items()}
        if cls._flavour is not None:
            # Checked now, so that a declaration that does not match its
            # route fails at import; generated on first use (`Declared.__get__`).
            for name, d in declared.items():
                _checked(cls, name, d)


class SyncGroup(Group):
    """A group of an :class:`~frontegg_identity.IdentityClient`: its methods block."""

    __slots__ = ()
    _flavour = "sync"
    _n: _native.SyncClient


class AsyncGroup(Group):
    """A group of an :class:`~frontegg_identity.AsyncIdentityClient`: its methods are coroutines."""

    __slots__ = ()
    _flavour = "async"
    _n: _native.AsyncClient
