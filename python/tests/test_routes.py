"""No layer misses a route: core's route table (``_native.ROUTES``) against
the Python clients' declarations, and the native module against its stub
(stubtest checks the signatures in ``scripts/python-check``)."""

from __future__ import annotations

import ast
import inspect
import pathlib
from typing import Dict, Set, Type

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
    import pytest

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
