"""scratchnn.functional against PyTorch: conv2d forward, forward+backward, max-pool 2x2/2.

Each library runs in its own process with one thread (OMP/OpenBLAS/MKL set
before NumPy or torch are imported, and ``torch.set_num_threads(1)``); the
parent alternates blocks of three timed runs between the two processes so that
both see the same background load. For
every config the script prints the median time of each library (process CPU
time by default, ``--clock wall`` for wall-clock time) and the ratio
scratch / torch (below 1: scratch is faster), then the geometric means and
the forward's share of the machine's single-thread GEMM peak, measured here
with a large NumPy matmul. Ratios depend on the CPU (AVX2 or AVX-512, cache
sizes), so the CPU model and vector ISA are printed beside the peak.

The scratch side runs ``impl="auto"`` (what the layers use) unless
``--impl`` names another implementation. Last, the float32 error of the
Winograd tile sizes on the 3×3 stride-1 layers, relative to PyTorch in
float64 (``max |y - y_ref| / max |y_ref|``).

    python benchmarks/conv_vs_torch.py            # 9 timed runs per case
    python benchmarks/conv_vs_torch.py --quick    # 3 timed runs per case
    python benchmarks/conv_vs_torch.py --impl im2col
    python benchmarks/conv_vs_torch.py --passes 3   # three whole passes and their mean
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")

# (N, C_in, C_out, H=W, k, stride, padding, dilation)
CONFIGS = [
    (32, 3, 16, 32, 3, 1, 1, 1),
    (32, 16, 32, 32, 3, 1, 1, 1),
    (64, 32, 64, 16, 3, 1, 1, 1),
    (8, 64, 64, 56, 3, 1, 1, 1),
    (32, 3, 16, 32, 5, 2, 2, 1),
    (32, 16, 16, 32, 3, 1, 2, 2),
]
DTYPES = ("float32", "float64")
CASES = ("forward", "forward+backward", "maxpool fwd+bwd")
CLOCKS = ("wall", "cpu")


def _conv_flops(cfg) -> float:
    """Multiply-adds times two of the forward convolution."""
    from scratchnn.functional.sizes import conv_output_size
    n, c_in, c_out, size, k, s, p, d = cfg
    out = conv_output_size(size, k, s, p, d)
    return 2.0 * n * c_out * out * out * c_in * k * k


def _numpy_cases(cfg, dtype, rng, impl="auto"):
    import numpy as np
    import scratchnn.functional as F
    n, c_in, c_out, size, k, s, p, d = cfg
    x = rng.standard_normal((n, c_in, size, size)).astype(dtype)
    w = rng.standard_normal((c_out, c_in, k, k)).astype(dtype)
    b = rng.standard_normal(c_out).astype(dtype)
    y = F.conv2d(x, w, b, s, p, d, impl=impl)
    g = rng.standard_normal(y.shape).astype(dtype)
    gp = rng.standard_normal((n, c_out, y.shape[2] // 2, y.shape[3] // 2)).astype(dtype)

    def fwd_bwd():
        F.conv2d(x, w, b, s, p, d, impl=impl)
        F.conv2d_backward(g, x, w, s, p, d, impl=impl)

    def pool():
        F.max_pool2d(y, 2, 2)
        F.max_pool2d_backward(gp, y, 2, 2)
    return {"forward": lambda: F.conv2d(x, w, b, s, p, d, impl=impl), "forward+backward": fwd_bwd,
            "maxpool fwd+bwd": pool}


def _torch_cases(cfg, dtype, rng):
    import torch
    import torch.nn.functional as F
    n, c_in, c_out, size, k, s, p, d = cfg
    tdt = getattr(torch, dtype)
    x = torch.tensor(rng.standard_normal((n, c_in, size, size)), dtype=tdt, requires_grad=True)
    w = torch.tensor(rng.standard_normal((c_out, c_in, k, k)), dtype=tdt, requires_grad=True)
    b = torch.tensor(rng.standard_normal(c_out), dtype=tdt, requires_grad=True)
    with torch.no_grad():
        y0 = F.conv2d(x, w, b, s, p, d)
    g = torch.tensor(rng.standard_normal(tuple(y0.shape)), dtype=tdt)
    yp = y0.clone().requires_grad_(True)
    gp = torch.tensor(rng.standard_normal((n, c_out, y0.shape[2] // 2, y0.shape[3] // 2)), dtype=tdt)

    def fwd():
        with torch.no_grad():
            F.conv2d(x, w, b, s, p, d)

    def fwd_bwd():
        x.grad = w.grad = b.grad = None
        F.conv2d(x, w, b, s, p, d).backward(g)

    def pool():
        yp.grad = None
        F.max_pool2d(yp, 2, 2).backward(gp)
    return {"forward": fwd, "forward+backward": fwd_bwd, "maxpool fwd+bwd": pool}


def cpu_line() -> str:
    """CPU model and widest vector ISA, e.g. ``AMD EPYC | AVX-512 | 2 logical CPUs``."""
    import platform
    model, flags = "", set()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() == "model name" and not model:
                    model = value.strip()
                elif key.strip() in ("flags", "Features") and not flags:
                    flags = set(value.split())
    except OSError:
        pass
    model = model or platform.processor() or platform.machine()
    isa = ("AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else
           "AVX" if "avx" in flags else "NEON/ASIMD" if "asimd" in flags else "unknown ISA")
    return f"{model} | {isa} | {os.cpu_count()} logical CPUs"


def winograd_errors() -> list[tuple]:
    """``(config, tile, errors)`` in float32 on the 3×3 stride-1 configs vs torch float64.

    ``errors`` = relative error of (forward, input gradient, weight gradient).
    """
    import numpy as np
    import torch
    import scratchnn.functional as F
    rows = []
    for cfg in CONFIGS:
        n, c_in, c_out, size, k, s, p, d = cfg
        if (k, s, d) != (3, 1, 1):
            continue
        rng = np.random.default_rng(0)
        x = rng.standard_normal((n, c_in, size, size)).astype(np.float32)
        w = rng.standard_normal((c_out, c_in, k, k)).astype(np.float32)
        g = rng.standard_normal((n, c_out, size, size)).astype(np.float32)
        xt, wt = (torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in (x, w))
        yt = torch.nn.functional.conv2d(xt, wt, padding=p)
        yt.backward(torch.tensor(g, dtype=torch.float64))
        refs = [t.detach().numpy() for t in (yt, xt.grad, wt.grad)]
        for impl, tile in (("im2col", "im2col"), ("winograd2", "F(2x2,3x3)"),
                           ("winograd", "F(4x4,3x3)")):
            ours = (F.conv2d(x, w, None, 1, p, impl=impl),) + F.conv2d_backward(
                g, x, w, 1, p, impl=impl)[:2]
            rows.append((cfg, tile, [float(np.abs(a - r).max() / np.abs(r).max())
                                     for a, r in zip(ours, refs)]))
    return rows


def _gemm_peak(dtype) -> float:
    """Single-thread GFLOP/s of a large square NumPy matmul (best of 3)."""
    import time
    import numpy as np
    a = np.random.default_rng(0).standard_normal((1536, 1536)).astype(dtype)
    a @ a
    best = min(_timed(lambda: a @ a, time) for _ in range(3))
    return 2 * 1536 ** 3 / best / 1e9


def _timed(fn, time):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def worker(library: str, impl: str = "auto") -> None:
    """Serve timing requests for one library: one JSON line in, one JSON line out.

    Request ``{"case": "dtype|config|case", "runs": r, "warmup": w}`` -> list of
    r times in seconds; ``{"info": true}`` -> threads, BLAS and GEMM peak.
    """
    import time
    import numpy as np
    if library == "torch":
        import torch
        torch.set_num_threads(1)
        make = _torch_cases
    else:
        def make(cfg, dtype, rng):
            return _numpy_cases(cfg, dtype, rng, impl)
    current = {}
    for line in sys.stdin:
        request = json.loads(line)
        if "info" in request:
            if library == "torch":
                info = {"threads": torch.get_num_threads(),
                        "mkldnn": torch.backends.mkldnn.is_available()}
            else:
                from threadpoolctl import threadpool_info
                info = {"blas": [(p.get("internal_api"), p.get("version"), p.get("num_threads"))
                                 for p in threadpool_info()],
                        "gemm_gflops": {dt: _gemm_peak(dt) for dt in DTYPES}}
            reply = info
        else:
            dtype, ci, case = request["case"].split("|")
            if current.get("key") != (dtype, ci):  # build one config's arrays at a time
                current = {"key": (dtype, ci),
                           "cases": make(CONFIGS[int(ci)], dtype, np.random.default_rng(int(ci)))}
            fn = current["cases"][case]
            for _ in range(request["warmup"]):
                fn()
            reply = []
            for _ in range(request["runs"]):
                wall, cpu = time.perf_counter(), time.process_time()
                fn()
                reply.append((time.perf_counter() - wall, time.process_time() - cpu))
        print(json.dumps(reply), flush=True)


class _Worker:
    """A library's own process, with one thread for every BLAS/OpenMP pool."""

    def __init__(self, library: str, impl: str = "auto"):
        env = dict(os.environ, **{v: "1" for v in THREAD_VARS})
        self.proc = subprocess.Popen([sys.executable, __file__, "--worker", library, "--impl", impl],
                                     env=env,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def ask(self, request: dict):
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def _blocks(repeats: int, size: int = 3) -> list[int]:
    """Split the timed runs into blocks of back-to-back runs (caches stay warm inside one)."""
    return [size] * (repeats // size) + ([repeats % size] if repeats % size else [])


def measure(repeats: int, impl: str = "auto") -> tuple[dict, dict, dict]:
    """Median times of both libraries, their timed runs interleaved.

    The machine may be shared: alternating blocks of three back-to-back runs
    between the two processes exposes both to the same background load, so the
    ratio stays fair, while caches stay warm within a block.
    """
    scratch, torch = _Worker("numpy", impl), _Worker("torch")
    try:
        info = {"numpy": scratch.ask({"info": True}), "torch": torch.ask({"info": True})}
        medians = {"numpy": {}, "torch": {}}
        for dtype in DTYPES:
            for ci in range(len(CONFIGS)):
                for case in CASES:
                    key = f"{dtype}|{ci}|{case}"
                    for worker_ in (scratch, torch):
                        worker_.ask({"case": key, "runs": 0, "warmup": 2})
                    times = {"numpy": [], "torch": []}
                    for block in _blocks(repeats):
                        times["numpy"] += scratch.ask({"case": key, "runs": block, "warmup": 0})
                        times["torch"] += torch.ask({"case": key, "runs": block, "warmup": 0})
                    for lib, runs in times.items():
                        medians[lib][key] = {clock: sorted(r[c] for r in runs)[repeats // 2]
                                             for c, clock in enumerate(CLOCKS)}
        end_peak = scratch.ask({"info": True})["gemm_gflops"]
        info["numpy"]["gemm_gflops"] = {dt: max(v, end_peak[dt])
                                        for dt, v in info["numpy"]["gemm_gflops"].items()}
    finally:
        scratch.close()
        torch.close()
    return info["numpy"], info["torch"], medians


def _geomean(values) -> float:
    import math
    return math.exp(sum(math.log(v) for v in values) / len(values))


def _ratios(medians, clock: str) -> dict:
    """scratch / torch per case key (``dtype|config|case``) for one pass."""
    return {key: medians["numpy"][key][clock] / medians["torch"][key][clock]
            for key in medians["numpy"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 timed runs per case instead of 9")
    parser.add_argument("--worker", choices=("numpy", "torch"), help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=None, help="timed runs per case")
    parser.add_argument("--passes", type=int, default=1,
                        help="whole measurements, each with fresh processes; on a shared machine "
                             "one pass moves by 20-40%% per config, so compare the mean of three")
    parser.add_argument("--impl", default="auto",
                        help="scratchnn convolution implementation (default auto, as the layers)")
    parser.add_argument("--clock", choices=CLOCKS, default="cpu",
                        help="time for the table: process CPU time (default; robust when other "
                             "jobs share the cores) or wall-clock time")
    args = parser.parse_args()
    repeats = args.repeats or (3 if args.quick else 9)
    if args.worker:
        worker(args.worker, args.impl)
        return
    if args.passes < 1:
        parser.error(f"--passes={args.passes} must be at least 1")
    passes = [measure(repeats, args.impl) for _ in range(args.passes)]
    numpy_info, torch_info, medians = passes[0]
    peak = {dt: max(p[0]["gemm_gflops"][dt] for p in passes) for dt in DTYPES}
    print(f"threads: {', '.join(f'{v}=1' for v in THREAD_VARS)}; torch threads "
          f"{torch_info['threads']} (mkldnn {torch_info['mkldnn']}); numpy BLAS "
          f"{numpy_info['blas']}")
    print(f"CPU: {cpu_line()}")
    print("single-thread GEMM peak (numpy matmul 1536^3, best of before and after): "
          + ", ".join(f"{dt} {peak[dt]:.1f} GFLOP/s" for dt in DTYPES))
    print(f"scratchnn conv2d impl: {args.impl!r}")
    print(f"median of {repeats} runs after 2 warm-up runs, the libraries alternating in blocks of 3; "
          f"table clock: {args.clock}; ratio = scratch time / torch time"
          + (f"; {args.passes} passes (ms of pass 1, the ratio of each pass)" if args.passes > 1
             else "") + "\n")
    ratio_head = " ".join(f"{'ratio' if args.passes == 1 else f'pass {k + 1}':>6}"
                          for k in range(args.passes))
    header = f"{'dtype':8} {'config (N, Cin->Cout, H, k, s, p, d)':38} {'case':17} " \
             f"{'scratch ms':>10} {'torch ms':>9} {ratio_head} {'%peak':>6}"
    print(header)
    print("-" * len(header))
    per_pass = {clock: [_ratios(m, clock) for _, _, m in passes] for clock in CLOCKS}
    for dtype in DTYPES:
        for ci, cfg in enumerate(CONFIGS):
            n, c_in, c_out, size, k, s, p, d = cfg
            name = f"({n}, {c_in}->{c_out}, {size}, {k}, {s}, {p}, {d})"
            for case in CASES:
                key = f"{dtype}|{ci}|{case}"
                a, b = medians["numpy"][key][args.clock], medians["torch"][key][args.clock]
                share = ""
                if case == "forward":
                    share = f"{100 * _conv_flops(cfg) / a / 1e9 / peak[dtype]:5.1f}%"
                ratios = " ".join(f"{r[key]:6.2f}" for r in per_pass[args.clock])
                print(f"{dtype:8} {name:38} {case:17} {1e3 * a:10.2f} {1e3 * b:9.2f} "
                      f"{ratios} {share:>6}")

    def geomean(clock, dtype, case, ratios):
        return _geomean([r[f"{dtype}|{ci}|{case}"] for ci in range(len(CONFIGS))
                         for r in ratios])
    print("\ngeometric mean of ratios over the six configs (scratch / torch):")
    columns = ([f"pass {k + 1}" for k in range(args.passes)] + ["all"]) if args.passes > 1 else []
    print(f"  {'':8} {'':17} {'cpu':>6} {'wall':>6}" + "".join(f" {c:>7}" for c in columns)
          + (f"   ({args.clock})" if columns else ""))
    for dtype in DTYPES:
        for case in CASES:
            line = f"  {dtype:8} {case:17} " + " ".join(
                f"{geomean(clock, dtype, case, per_pass[clock]):5.2f}x" for clock in ("cpu", "wall"))
            if columns:
                line += "".join(f" {geomean(args.clock, dtype, case, [r]):6.2f}x"
                                for r in per_pass[args.clock])
                line += f" {geomean(args.clock, dtype, case, per_pass[args.clock]):6.2f}x"
            print(line)
    print("\nfloat32 error relative to torch float64 (max |a - a_ref| / max |a_ref|), "
          "3x3 stride-1 configs:")
    print(f"  {'config':22} {'method':11} {'forward':>9} {'grad_x':>9} {'grad_w':>9}")
    for cfg, tile, errors in winograd_errors():
        n, c_in, c_out, size = cfg[:4]
        print(f"  {f'({n}, {c_in}->{c_out}, {size})':22} {tile:11} "
              + " ".join(f"{e:9.2e}" for e in errors))

if __name__ == "__main__":
    if "--worker" in sys.argv:  # before NumPy or torch is imported anywhere
        for var in THREAD_VARS:
            os.environ[var] = "1"
    main()
