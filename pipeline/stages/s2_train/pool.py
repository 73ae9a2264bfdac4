"""Training several models at once on a multi-core CPU: one process per core, each computing
with one thread, each taking the next model (longest first) when it finishes one.

Why: a small model's step on two threads leaves the second core idle in every step's serial
parts (the optimiser, the loss, Python), so two one-thread processes finish the MLP models
sooner than one process on both cores. Conv bodies gain nothing from it, so they start first and
overlap with the MLP models. The measurements are in BENCHMARKS.md ("What paid, and what did not").

Results: a model trained in a worker computes with one thread wherever it runs, so its numbers
do not depend on which worker took it or on the order (`train.processes` is part of the stage
key). One thread and two need not give the same weights (float sums in another order): the
stage key holds the setting for that reason. Workers are *spawned*,
not forked: a fork after torch's OpenMP has started is not safe. They ignore Ctrl-C; the parent
stops them.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import pickle
import threading
from pathlib import Path
from typing import Any, Callable

import torch
from tqdm import tqdm

from pipeline.core.errors import PipelineError
from pipeline.core.workers import process_count, start_worker
from .specs import ModelSpec
from .training import count_params, load_mnist, train_job

# A conv body's epoch (the conv AE-2 and the CNN judge) costs about 6 MLP epochs (specs.py).
CONV_COST = 6


def processes_for(setting: int, device: str, n_models: int) -> int:
    """How many training processes: 1 off the CPU (a GPU runs one model at a time); on a CPU,
    ``setting`` (``train.processes``) or, for 0, one per core this process may use; never more
    than there are models."""
    if device != "cpu":
        return 1
    return process_count(setting, n_models)


def cost(spec: ModelSpec) -> int:
    """A model's training time in MLP epochs (to start the longest first)."""
    return spec.epochs * (CONV_COST if spec.body == "conv" or spec.kind == "judge" else 1)


def _worker(cfg: Any, data_path: Path, conn: Any, parent: int) -> None:
    """A worker process: one thread, the images loaded once, then the models the parent sends
    over ``conn`` until it sends None. Reports ("epoch" | "done" | "error", model id, payload)."""
    start_worker(parent)  # dies with the parent, which handles Ctrl-C and stops us
    # A worker shows no bars, but tqdm's default lock is a multiprocessing semaphore, which a
    # worker the parent terminates right after its last model never unregisters: every build
    # ended with resource_tracker's "1 leaked semaphore objects" warning. A thread lock will do.
    tqdm.set_lock(threading.RLock())
    torch.set_num_threads(1)
    from pipeline.core.devices import configure_cpu_math
    configure_cpu_math()  # before the first parallel op, as in the parent (devices.py)
    mid = None
    try:
        data = load_mnist(data_path)
        while (task := conn.recv()) is not None:
            spec, path = task
            mid = spec.id
            model, test = train_job(cfg, spec, data, path, "cpu", progress=False,
                                    on_epoch=lambda entry: conn.send(("epoch", spec.id, None)))
            conn.send(("done", spec.id, (test, count_params(model))))
    except Exception as error:  # sent to the parent, which raises it
        try:
            pickle.dumps(error)
        except Exception:
            error = RuntimeError(f"{type(error).__name__}: {error}")
        conn.send(("error", mid, error))


def train_parallel(cfg: Any, specs: list[ModelSpec], data_path: Path, models_dir: Path,
                   processes: int, on_done: Callable[[ModelSpec, dict[str, float], int], None]
                   | None = None) -> dict[str, tuple[dict[str, float], int]]:
    """Train every spec in ``processes`` one-thread worker processes, writing each checkpoint
    to ``models_dir/<id>.pt``; {id: (test metrics, parameter count)}. ``on_done(spec, test,
    params)`` is called in this process as each model finishes (the train stage caches it). A worker's error (e.g. a
    DivergenceError) is raised here at once, and a worker that dies raises a PipelineError; in
    either case, and on Ctrl-C, the workers are stopped before this returns. Each worker has a
    pipe of its own (no shared queue: nothing for a Ctrl-C exit to leave behind)."""
    ctx = multiprocessing.get_context("spawn")
    todo = [(s, models_dir / f"{s.id}.pt") for s in sorted(specs, key=cost, reverse=True)]
    bar = tqdm(total=sum(s.epochs for s in specs), unit="epoch", dynamic_ncols=True, leave=False,
               desc=f"train {len(specs)} models in {processes} processes", disable=None)
    workers: dict[Any, Any] = {}  # parent's end of the pipe -> process
    results: dict[str, tuple[dict[str, float], int]] = {}
    by_id = {s.id: s for s in specs}
    try:
        for i in range(processes):
            mine, theirs = ctx.Pipe()
            workers[mine] = ctx.Process(target=_worker, args=(cfg, data_path, theirs, os.getpid()),
                                        daemon=True, name=f"train-worker-{i}")
            workers[mine].start()
            theirs.close()
        busy = [conn for conn in workers if _send_next(conn, todo)]
        while busy:
            for conn in multiprocessing.connection.wait(busy):
                kind, mid, payload = _receive(conn, workers[conn])
                if kind == "epoch":
                    bar.update()
                elif kind == "done":
                    results[mid] = payload
                    if on_done:
                        on_done(by_id[mid], *payload)
                    if not _send_next(conn, todo):
                        busy.remove(conn)
                else:
                    raise payload
        return {s.id: results[s.id] for s in specs}
    finally:
        for process in workers.values():
            if process.is_alive():
                process.terminate()
            process.join()
        for conn in workers:
            conn.close()
        bar.close()


def _send_next(conn: Any, todo: list[tuple[ModelSpec, Path]]) -> bool:
    """Send the worker the longest model left, or the stop sign; whether it got a model."""
    task = todo.pop(0) if todo else None
    conn.send(task)
    return task is not None


def _receive(conn: Any, process: Any) -> tuple[str, str | None, Any]:
    """A worker's next report; a PipelineError if it died without one."""
    try:
        return conn.recv()
    except (EOFError, ConnectionError):
        process.join(timeout=5)
        raise PipelineError(
            f"a training worker process stopped with exit code {process.exitcode} (killed, or "
            "out of memory?). Nothing of this stage was kept; run again, or set "
            "train.processes=1 to train in this process.") from None
