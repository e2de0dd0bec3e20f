"""The jobs every feature declares, by name. Each feature's ``tasks.py`` registers its own."""

import importlib
from collections.abc import Callable
from typing import Any

# The modules that declare jobs; read the first time a job is looked up, never at start-up,
# so the web app does not import what only jobs use.
TASK_MODULES = (
    "workflow.core.tasks",
    "workflow.plans.tasks",
    "workflow.planning.tasks",
    "workflow.oversight.tasks",
    "workflow.signoff.tasks",
    "workflow.imports.tasks",
    "workflow.accounts.tasks",
)

JobFunction = Callable[..., dict[str, Any] | None]
FailureHandler = Callable[..., None]
_jobs: dict[str, JobFunction] = {}
_failure_handlers: dict[str, FailureHandler] = {}
_loaded = False


class JobRefused(Exception):
    """A job that cannot succeed however often it is tried: it fails at once, with this reason."""


def job(
    name: str, *, on_failure: FailureHandler | None = None
) -> Callable[[JobFunction], JobFunction]:
    """Register a function as the job called ``name``; its keyword arguments must be JSON.

    ``on_failure(error, **args)`` runs once the job has failed for good (refused, or out of
    tries), in a transaction of its own: the feature tells its users why, where they look.
    """

    def register(function: JobFunction) -> JobFunction:
        _jobs[name] = function
        if on_failure is not None:
            _failure_handlers[name] = on_failure
        return function

    return register


def job_named(name: str) -> JobFunction:
    """The job's function, or KeyError for a name no feature declares."""
    load_task_modules()
    return _jobs[name]


def failure_handler(name: str) -> FailureHandler | None:
    load_task_modules()
    return _failure_handlers.get(name)


def known_jobs() -> list[str]:
    load_task_modules()
    return sorted(_jobs)


def load_task_modules() -> None:
    global _loaded
    if _loaded:
        return
    for module in TASK_MODULES:
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name != module:  # a module that exists but imports something missing
                raise
    _loaded = True
