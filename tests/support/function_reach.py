"""What each deployed Lambda function can reach: the chalicelib modules its handler imports,
transitively (module level, inside functions and through lazy.lazy: the code imports lazily), read with ast.
Over-approximates (every function of a reached module counts): a policy built from it may
grant a little more than one run needs, never less."""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, Iterable, Set

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGE = ROOT / "chalicelib"

# Settings attributes that read a secret, and the secret each reads (config.py).
SECRET_PROPERTIES = {
    "database_url": "DATABASE_URL", "jwt_secret": "JWT_SECRET", "cloudinary_url": "CLOUDINARY_URL",
    "cursor_secret": "CURSOR_SECRET", "viewer_key_secret": "VIEWER_KEY_SECRET",
    "origin_secrets": "ORIGIN_SECRET",
}


def _file_of(module: str) -> Path | None:
    base = ROOT / Path(*module.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def _module_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_lazy_module(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "lazy"
            and len(node.args) == 1 and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str))


def _imports(tree: ast.AST, module: str, is_package: bool) -> Set[str]:
    here = module.split(".") if is_package else module.split(".")[:-1]
    found: Set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = here[: len(here) - node.level + 1] if node.level else []
            target = ".".join(base + (node.module.split(".") if node.module else []))
            found.add(target)
            found.update(f"{target}.{a.name}" for a in node.names)
        elif _is_lazy_module(node):  # `flows = lazy("chalicelib.accounts.flows")` (lazy.py)
            found.add(node.args[0].value)
    return {m for m in found if m.startswith("chalicelib") and _file_of(m)}


# A function of a module that runs only where the Lambda function it stands in for is not
# configured (locally, in tests), with the variable whose presence in prod rules it out there
# (tests/test_iam_policy.py checks the variable is set): its imports are no caller's reach.
LOCAL_FALLBACKS = {"chalicelib/trending/purge_call.py": ("_inline", "TRENDING_PURGE_FUNCTION")}


def parsed(path: Path) -> ast.Module:
    """The module as deployed: without its local fallback, if it has one."""
    tree = ast.parse(path.read_text())
    fallback = LOCAL_FALLBACKS.get(path.relative_to(ROOT).as_posix())
    if fallback:
        tree.body = [n for n in tree.body if not (isinstance(n, ast.FunctionDef) and n.name == fallback[0])]
    return tree


def reach(start: Iterable[Path]) -> Set[Path]:
    """Every chalicelib file reachable from the files `start` (packages' __init__ included)."""
    todo, seen = list(start), set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        module = _module_of(path)
        for name in _imports(parsed(path), module, path.name == "__init__.py"):
            parts = name.split(".")
            for i in range(1, len(parts) + 1):  # importing a.b.c runs a and a.b too
                parent = _file_of(".".join(parts[:i]))
                if parent is not None and parent not in seen:
                    todo.append(parent)
    return seen


def _own_functions(tree: ast.Module, function: str) -> Set[str]:
    """`function` and the module-level functions it calls, transitively."""
    defs = {n.name: n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    todo, found = [function], set()
    while todo:
        name = todo.pop()
        if name in found or name not in defs:
            continue
        found.add(name)
        todo.extend(n.id for n in ast.walk(defs[name]) if isinstance(n, ast.Name) and n.id in defs)
    return found


def handler_reach(module: str, function: str) -> Set[Path]:
    """Files a handler reaches: its own module's top-level imports and the imports inside the
    handler and the module's functions it calls (not those of the module's other handlers)."""
    path = _file_of(module)
    tree = ast.parse(path.read_text())
    own_functions = _own_functions(tree, function)
    own = ast.Module(body=[n for n in tree.body if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                           or n.name in own_functions], type_ignores=[])
    start = {_file_of(m) for m in _imports(own, module, False)}
    return reach(start) | {path}


# Chalice's deployed name of each WebSocket route's function.
WEBSOCKET_FUNCTIONS = {"$connect": "websocket_connect", "$default": "websocket_message",
                       "$disconnect": "websocket_disconnect"}


def deployed_handlers(app) -> Dict[str, str]:
    """{Lambda function name: handler string} of every function besides the API's."""
    out = {s.name: s.handler_string for s in app.event_sources}
    out.update((f.name, f.handler_string) for f in app.pure_lambda_functions)
    out.update((WEBSOCKET_FUNCTIONS[k], h.handler_string) for k, h in app.websocket_handlers.items())
    return out


def function_reach(handler_string: str) -> Set[Path]:
    """A handler's reach; app.py's own handlers (WebSocket, live welcome) only delegate, so
    theirs is that of the chalicelib functions they call (`live_ws.connect(event)`)."""
    module, function = handler_string.rsplit(".", 1)
    if module != "app":
        return handler_reach(module, function)
    tree = ast.parse((ROOT / "app.py").read_text())
    [handler] = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function]
    # app.py's imports and the handler's own (a handler that alone needs a module imports it)
    imported = {a.asname or a.name: f"{n.module}.{a.name}" for n in [*tree.body, *ast.walk(handler)]
                if isinstance(n, ast.ImportFrom) and n.module for a in n.names}
    found: Set[Path] = {ROOT / "app.py"}
    for node in ast.walk(handler):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id in imported):
            found |= handler_reach(imported[node.func.value.id], node.func.attr)
    assert len(found) > 1, f"{handler_string} delegates to no chalicelib function"
    return found


def api_reach() -> Set[Path]:
    return reach(sorted((PACKAGE / "chalice_app").glob("*.py")))


def secrets_read(files: Iterable[Path]) -> Set[str]:
    """Secret names the files read: `settings().<secret property>` and `.secret("NAME")`."""
    from chalicelib.config import SECRET_NAMES

    names: Set[str] = set()
    for path in files:
        if path.name == "config.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in SECRET_PROPERTIES:
                names.add(SECRET_PROPERTIES[node.attr])
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "secret" and node.args
                    and isinstance(node.args[0], ast.Constant) and node.args[0].value in SECRET_NAMES):
                names.add(node.args[0].value)
    return names
