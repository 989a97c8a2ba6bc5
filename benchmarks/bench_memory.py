"""Memory per learner on a hub: the peak resident memory of a kernel that runs the three notebooks.

    .venv/bin/python benchmarks/bench_memory.py

1. One kernel, started in notebooks/ as a hub starts it, runs every code cell of 01_what, 02_how and 03_why
   in turn (a learner who works through the course in one session): its resident memory after each notebook
   and its peak (VmHWM in /proc/<pid>/status, Linux only).
2. Each notebook in a fresh kernel of its own (JupyterLab keeps one kernel per open notebook): the peak of each.
3. A JupyterLab server with no kernel, as the single-user server of a hub runs it: its resident memory.

It prints the figures and a learners-per-node estimate; it does not fail. The README's "Teach it to a class"
section quotes them.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
sys.path.insert(0, str(ROOT / "tests" / "browser"))
import labharness as lh  # noqa: E402

MiB = 1024 * 1024


def memory(pid: int) -> dict[str, int]:
    """Resident (VmRSS) and peak resident (VmHWM) memory of a process, in bytes."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return {k: int(fields[k].split()[0]) * 1024 for k in ("VmRSS", "VmHWM")}


def tree_rss(pid: int) -> int:
    """Resident memory of a process and its children, in bytes (the server, not counting kernels: none run)."""
    total = memory(pid)["VmRSS"]
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        total += tree_rss(int(child))
    return total


def run_notebook(kc, path: Path) -> float:
    """Execute every code cell of the notebook in the kernel; return the seconds it took."""
    t0 = time.perf_counter()
    for i, cell in enumerate(nbformat.read(path, as_version=4).cells, 1):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        reply = kc.execute_interactive(cell.source, timeout=600, output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            content = reply["content"]
            raise RuntimeError(f"{path.name} cell {i}: {content.get('ename')}: {content.get('evalue')}")
    return time.perf_counter() - t0


def start_kernel() -> tuple[KernelManager, object]:
    """A python3 kernel of this environment, started in notebooks/ as a hub starts it."""
    km = KernelManager(kernel_name="python3")
    km.start_kernel(cwd=str(ROOT / "notebooks"))
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    return km, kc


def stop_kernel(km, kc) -> None:
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def main() -> int:
    if not Path("/proc/self/status").exists():
        print("bench_memory: needs Linux's /proc to read a kernel's memory")
        return 0
    print("1. one kernel runs the three notebooks in turn (started in notebooks/)")
    km, kc = start_kernel()
    pid = km.provisioner.process.pid
    print(f"   {'fresh kernel':<16} RSS {memory(pid)['VmRSS'] / MiB:6.0f} MiB")
    for path in NOTEBOOKS:
        seconds = run_notebook(kc, path)
        m = memory(pid)
        print(f"   {path.name:<16} RSS {m['VmRSS'] / MiB:6.0f} MiB, peak {m['VmHWM'] / MiB:6.0f} MiB ({seconds:.0f} s)")
    one_kernel = memory(pid)["VmHWM"]
    stop_kernel(km, kc)

    print("2. each notebook in a fresh kernel of its own")
    peaks = []
    for path in NOTEBOOKS:
        km, kc = start_kernel()
        run_notebook(kc, path)
        peaks.append(memory(km.provisioner.process.pid)["VmHWM"])
        stop_kernel(km, kc)
        print(f"   {path.name:<16} peak {peaks[-1] / MiB:6.0f} MiB")

    print("3. a JupyterLab server with no kernel")
    with lh.LabServer(ROOT / "notebooks") as server:
        time.sleep(2)
        server_rss = tree_rss(server.proc.pid)
    print(f"   JupyterLab server RSS {server_rss / MiB:6.0f} MiB")

    # A learner: the server plus the kernels of the three notebooks left open (the worst case of JupyterLab,
    # which keeps a kernel per open notebook); working through them in one kernel needs less.
    learner = server_rss + sum(peaks)
    print(f"\nper learner: one kernel for the course peaks at {one_kernel / MiB:.0f} MiB; "
          f"server + three open notebooks' kernels {learner / MiB:.0f} MiB")
    for node_gib in (8, 32):
        usable = node_gib * 1024 * MiB * 0.75          # a quarter left for the system, the hub and spikes
        print(f"a {node_gib} GiB node (75% for learners): {int(usable // learner)} learners "
              f"with three kernels each, {int(usable // (server_rss + one_kernel))} with one")
    return 0


if __name__ == "__main__":
    sys.exit(main())
