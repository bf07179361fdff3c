"""A module imported on its first use, not when the importing module loads: route modules
name the logic they call this way, so a cold start imports only what its first request
needs (a trending read never loads bcrypt, the mailer or the live fan-out pool).

Thread-safe: `importlib.import_module` takes the module's import lock, and a second thread
finds the module in sys.modules."""
from __future__ import annotations

import importlib
from typing import Any


class LazyModule:
    __slots__ = ("_name", "_module")

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: Any = None

    def __getattr__(self, attribute: str) -> Any:
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}{'' if self._module is None else ' (loaded)'}>"


def lazy(name: str) -> Any:
    """`flows = lazy("chalicelib.accounts.flows")`: attribute access imports it."""
    return LazyModule(name)
