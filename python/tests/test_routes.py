"""No layer misses a route: core's route table (``_native.ROUTES``) against
the Python clients' declarations, and the native module against its stub
(stubtest checks the signatures in ``scripts/python-check``)."""

from __future__ import annotations

import ast
import inspect
import os
import pathlib
import subprocess
import sys
import typing
from typing import Dict, Set, Type

import pytest

import frontegg_identity as fi
from frontegg_identity import _native
from frontegg_identity._client import _Client

INTERNAL = {"vendor_auth"}
"""Routes the SDK calls on its own, never a method."""


def declared(client: Type[_Client]) -> Dict[str, Set[str]]:
    """Route name to the methods (``group.method``) that call it."""
    routes: Dict[str, Set[str]] = {}
    for attr, group in client._groups.items():
        for method, route in group.routes.items():
            routes.setdefault(route, set()).add(f"{attr}.{method}")
    return routes


def test_both_clients_declare_every_route_of_core() -> None:
    core = set(_native.ROUTES)
    assert INTERNAL <= core
    for client in (fi.IdentityClient, fi.AsyncIdentityClient):
        routes = declared(client)
        assert sorted(core - INTERNAL - set(routes)) == [], f"{client.__name__} misses these routes"
        assert sorted(set(routes) - core) == [], f"{client.__name__} declares routes core does not have"
        assert not INTERNAL & set(routes)


def test_the_native_table_binds_every_route_of_core() -> None:
    assert len(_native.ROUTE_PARAMS) == len(_native.ROUTES)
    unbound = [name for name, params in zip(_native.ROUTES, _native.ROUTE_PARAMS) if params is None]
    assert unbound == sorted(INTERNAL), "crates/python/src/routes.rs has no row for these routes"


def test_the_declarations_take_the_native_parameters() -> None:
    # Checked when the group classes are made; a mismatch fails at import.
    for client in (fi.IdentityClient, fi.AsyncIdentityClient):
        for group in client._groups.values():
            for method, route in group.routes.items():
                params = list(inspect.signature(getattr(group, method)).parameters)[1:]
                assert tuple(params) == _native.ROUTE_PARAMS[_native.ROUTES.index(route)], method


def test_the_sync_and_async_clients_have_the_same_methods() -> None:
    assert declared(fi.IdentityClient) == declared(fi.AsyncIdentityClient)
    assert fi.IdentityClient._groups.keys() == fi.AsyncIdentityClient._groups.keys()
    for attr, sync_group in fi.IdentityClient._groups.items():
        async_group = fi.AsyncIdentityClient._groups[attr]
        for method in sync_group.routes:
            s, a = getattr(sync_group, method), getattr(async_group, method)
            assert inspect.signature(s).parameters == inspect.signature(a).parameters, method
            assert s.__doc__ and s.__doc__ == a.__doc__, method
            assert inspect.isfunction(s) and not inspect.iscoroutinefunction(s), method
            assert inspect.iscoroutinefunction(a) or inspect.isasyncgenfunction(a), method
            assert s.__qualname__ == f"{sync_group.__qualname__}.{method}"


def test_the_stub_lists_what_the_native_module_has() -> None:
    stub = pathlib.Path(fi.__file__).with_name("_native.pyi")
    tree = ast.parse(stub.read_text(encoding="utf-8"))
    (names,) = [
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
    ]
    assert sorted(names) == sorted(_native.__all__)


def test_every_class_has_what_its_stub_base_class_declares() -> None:
    # The stub's private base classes (``_Secret``, ``_Client``) have no
    # runtime twin. stubtest checks each method a class has against them, but
    # not that the class has every method they declare: this does.
    stub = pathlib.Path(fi.__file__).with_name("_native.pyi")
    tree = ast.parse(stub.read_text(encoding="utf-8"))
    classes = {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}
    checked = 0
    for name, node in classes.items():
        for base in node.bases:
            if isinstance(base, ast.Name) and base.id.startswith("_"):
                declared = [m.name for m in classes[base.id].body if isinstance(m, ast.FunctionDef)]
                assert declared
                missing = [m for m in declared if m not in vars(getattr(_native, name))]
                assert not missing, f"{name} lacks {missing}, declared by {base.id}"
                checked += 1
    assert checked == 10


def test_a_declaration_that_does_not_match_its_native_row_fails_when_its_class_is_made() -> None:
    from frontegg_identity._routes import SyncGroup, route

    class Swapped:
        __slots__ = ()

        @route("vendor_add")
        def vendor_add(self, phone_number: str, user_id: str) -> None:
            """Arguments in another order than the native row's."""

    with pytest.raises(TypeError, match="vendor_add"):
        type("Group", (Swapped, SyncGroup), {"__slots__": ()})

    class Unknown:
        __slots__ = ()

        @route("no_such_route")
        def nope(self) -> None:
            """A route core does not have."""

    with pytest.raises(TypeError, match="no_such_route"):
        type("Group", (Unknown, SyncGroup), {"__slots__": ()})


def test_a_method_is_generated_on_first_use_and_then_is_the_class_s_own() -> None:
    from frontegg_identity._client import _PhoneNumberRoutes
    from frontegg_identity._routes import AsyncGroup, Declared, SyncGroup

    class Fresh(_PhoneNumberRoutes, SyncGroup):
        __slots__ = ()

    class AsyncFresh(_PhoneNumberRoutes, AsyncGroup):
        __slots__ = ()

    assert "preverify" not in vars(Fresh)
    declared = vars(_PhoneNumberRoutes)["preverify"]
    assert isinstance(declared, Declared)
    for group in (Fresh, AsyncFresh):
        method = getattr(group, "preverify")
        assert vars(group)["preverify"] is method, "installed on the class, found there by later calls"
        assert getattr(group, "preverify") is method
        assert method.__qualname__.endswith(f".{group.__name__}.preverify")
    assert inspect.isfunction(Fresh.preverify) and inspect.iscoroutinefunction(AsyncFresh.preverify)
    with pytest.raises(TypeError, match="neither a SyncGroup nor an AsyncGroup"):
        typing.cast(typing.Any, declared).__get__(object(), object)


class _Native:
    """Stands for a native client: records the calls."""

    def call(self, route: int, *args: object) -> typing.Tuple[str, object]:
        return ("native", (_native.ROUTES[route], args))


def test_an_override_calling_super_stays_in_place() -> None:
    class Mine(fi.PhoneNumbers):
        __slots__ = ()

        def preverify(self, phone_number: str) -> typing.Any:
            return ("mine", super().preverify(phone_number))

    from frontegg_identity._client import _PhoneNumberRoutes
    from frontegg_identity._routes import SyncGroup

    class Direct(_PhoneNumberRoutes, SyncGroup):
        __slots__ = ()

        def preverify(self, phone_number: str) -> typing.Any:
            return ("direct", super().preverify(phone_number))

    expected = ("native", ("preverify", ("+1",)))
    for group, name in ((Mine, "mine"), (Direct, "direct")):
        mine = group(_Native())
        for _ in range(2):  # the first call generates the function, the second finds it
            assert mine.preverify("+1") == (name, expected)
    override = vars(Direct)["preverify"]
    assert override.__qualname__.endswith("Direct.preverify"), "nowhere to put it: made for each call"


def test_a_declaration_under_two_names_fails_when_its_class_is_made() -> None:
    from frontegg_identity._routes import route

    # Python 3.11 wraps what __set_name__ raises in a RuntimeError; 3.12 does not.
    with pytest.raises((TypeError, RuntimeError)) as raised:

        class Twice:
            __slots__ = ()

            @route("preverify")
            def preverify(self, phone_number: str) -> None:
                """Sends a code."""

            send_code = preverify

    error = raised.value.__cause__ or raised.value
    assert isinstance(error, TypeError) and "preverify and send_code are one declaration" in str(error)


def test_importing_the_package_leaves_typing_dataclasses_and_asyncio_unimported(tmp_path: pathlib.Path) -> None:
    # What keeps `import frontegg_identity` cheap (the records, the type
    # aliases and the route methods are made on first use) is checked here
    # by what it imports, not by a timing; docs/benchmarks.md has the time.
    heavy = ["asyncio", "dataclasses", "datetime", "inspect", "logging", "typing", "frontegg_identity._types"]
    assert probe(f"import frontegg_identity; print([m for m in {heavy!r} if m in sys.modules])", tmp_path) == []
    # The records are made by the first client (and the probe sees imports).
    made = "import frontegg_identity as fi; fi.IdentityClient(user_token='t.t.t', base_url='http://127.0.0.1:9')"
    assert probe(f"{made}; print([m for m in {heavy!r} if m in sys.modules])", tmp_path) == [
        "dataclasses",
        "datetime",
        "inspect",
        "typing",
        "frontegg_identity._types",
    ]


def test_the_names_made_on_first_use_are_the_package_s_like_the_others(tmp_path: pathlib.Path) -> None:
    # In a fresh interpreter: here other tests have already named them.
    lazy = probe("import frontegg_identity as fi; print([n for n in fi.__all__ if n not in vars(fi)])", tmp_path)
    from frontegg_identity import _types

    assert lazy and sorted(lazy) == sorted(n for n in fi.__all__ if n in vars(_types) and not hasattr(_native, n))
    assert probe(
        "import frontegg_identity as fi; from frontegg_identity import _types; "
        f"print([n for n in {lazy!r} if getattr(fi, n) is not getattr(_types, n) or n not in vars(fi)])",
        tmp_path,
    ) == [], "each is _types' own, looked up once"
    assert probe(f"from frontegg_identity import *; print([n for n in {lazy!r} if n not in globals()])", tmp_path) == []
    assert set(fi.__all__) <= set(dir(fi))
    assert "TYPE_CHECKING" not in dir(fi)
    assert typing.get_args(fi.Region) == ("eu", "us", "ca", "au")
    assert typing.get_args(fi.AuthResult) == (fi.SignedIn, fi.MfaRequired)
    assert typing.get_type_hints(fi.PhoneNumber)["verified"] is bool, "tools that read the records' annotations"
    with pytest.raises(AttributeError, match="no attribute 'PhoneNumbr'"):
        getattr(fi, "PhoneNumbr")


def probe(code: str, cwd: pathlib.Path) -> typing.List[str]:
    """What a fresh interpreter prints (a list literal) after ``import sys`` and
    ``code``. Run with ``-S`` (no ``site``, whose ``.pth`` files may import
    anything), finding this test's packages through ``PYTHONPATH``."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    command = [sys.executable, "-S", "-c", f"import sys; {code}"]
    out = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return typing.cast(typing.List[str], ast.literal_eval(out.stdout.strip()))
