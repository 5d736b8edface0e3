"""scratchnn.functional against PyTorch: conv2d forward, forward+backward, max-pool 2x2/2.

Each library runs in its own process with one thread (OMP/OpenBLAS/MKL set
before NumPy or torch are imported, and ``torch.set_num_threads(1)``). For
every config the script prints the median time of each library and the ratio
scratch / torch (below 1: scratch is faster), then the geometric means and
the forward's share of the machine's single-thread GEMM peak, measured here
with a large NumPy matmul.

    python benchmarks/conv_vs_torch.py            # 9 timed runs per case
    python benchmarks/conv_vs_torch.py --quick    # 3 timed runs per case
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


def _median_time(fn, repeats: int) -> float:
    import time
    fn()  # warm-up
    fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2]


def _conv_flops(cfg) -> float:
    """Multiply-adds times two of the forward convolution."""
    n, c_in, c_out, size, k, s, p, d = cfg
    out = (size + 2 * p - d * (k - 1) - 1) // s + 1
    return 2.0 * n * c_out * out * out * c_in * k * k


def _numpy_cases(cfg, dtype, rng):
    import numpy as np
    import scratchnn.functional as F
    n, c_in, c_out, size, k, s, p, d = cfg
    x = rng.standard_normal((n, c_in, size, size)).astype(dtype)
    w = rng.standard_normal((c_out, c_in, k, k)).astype(dtype)
    b = rng.standard_normal(c_out).astype(dtype)
    y = F.conv2d(x, w, b, s, p, d)
    g = rng.standard_normal(y.shape).astype(dtype)
    gp = rng.standard_normal((n, c_out, y.shape[2] // 2, y.shape[3] // 2)).astype(dtype)

    def fwd_bwd():
        F.conv2d(x, w, b, s, p, d)
        F.conv2d_backward(g, x, w, s, p, d)

    def pool():
        F.max_pool2d(y, 2, 2)
        F.max_pool2d_backward(gp, y, 2, 2)
    return {"forward": lambda: F.conv2d(x, w, b, s, p, d), "forward+backward": fwd_bwd,
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


def worker(library: str, repeats: int) -> None:
    """Run every case of one library and print a JSON dict of median seconds."""
    import numpy as np
    info = {}
    if library == "torch":
        import torch
        torch.set_num_threads(1)
        info["threads"] = torch.get_num_threads()
        info["mkldnn"] = torch.backends.mkldnn.is_available()
        make = _torch_cases
    else:
        from threadpoolctl import threadpool_info
        info["blas"] = [(p.get("internal_api"), p.get("version"), p.get("num_threads"))
                        for p in threadpool_info()]
        info["gemm_gflops"] = {dt: _gemm_peak(dt) for dt in DTYPES}
        make = _numpy_cases
    times = {}
    for dtype in DTYPES:
        for ci, cfg in enumerate(CONFIGS):
            cases = make(cfg, dtype, np.random.default_rng(ci))
            for case in CASES:
                times[f"{dtype}|{ci}|{case}"] = _median_time(cases[case], repeats)
    print(json.dumps({"info": info, "times": times}))


def _run_worker(library: str, repeats: int) -> dict:
    env = dict(os.environ, **{v: "1" for v in THREAD_VARS})
    out = subprocess.run([sys.executable, __file__, "--worker", library, "--repeats", str(repeats)],
                         env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _geomean(values) -> float:
    import math
    return math.exp(sum(math.log(v) for v in values) / len(values))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 timed runs per case instead of 9")
    parser.add_argument("--worker", choices=("numpy", "torch"), help=argparse.SUPPRESS)
    parser.add_argument("--repeats", type=int, default=None, help="timed runs per case")
    args = parser.parse_args()
    repeats = args.repeats or (3 if args.quick else 9)
    if args.worker:
        worker(args.worker, repeats)
        return
    scratch, torch = _run_worker("numpy", repeats), _run_worker("torch", repeats)
    print(f"threads: {', '.join(f'{v}=1' for v in THREAD_VARS)}; torch threads "
          f"{torch['info']['threads']} (mkldnn {torch['info']['mkldnn']}); numpy BLAS "
          f"{scratch['info']['blas']}")
    peak = scratch["info"]["gemm_gflops"]
    print("single-thread GEMM peak (numpy matmul 1536^3): "
          + ", ".join(f"{dt} {peak[dt]:.1f} GFLOP/s" for dt in DTYPES))
    print(f"median of {repeats} runs after warm-up; ratio = scratch time / torch time\n")
    header = f"{'dtype':8} {'config (N, Cin->Cout, H, k, s, p, d)':38} {'case':17} " \
             f"{'scratch ms':>10} {'torch ms':>9} {'ratio':>6} {'%peak':>6}"
    print(header)
    print("-" * len(header))
    ratios = {}
    for dtype in DTYPES:
        for ci, cfg in enumerate(CONFIGS):
            n, c_in, c_out, size, k, s, p, d = cfg
            name = f"({n}, {c_in}->{c_out}, {size}, {k}, {s}, {p}, {d})"
            for case in CASES:
                key = f"{dtype}|{ci}|{case}"
                a, b = scratch["times"][key], torch["times"][key]
                ratios.setdefault((dtype, case), []).append(a / b)
                share = ""
                if case == "forward":
                    share = f"{100 * _conv_flops(cfg) / a / 1e9 / peak[dtype]:5.1f}%"
                print(f"{dtype:8} {name:38} {case:17} {1e3 * a:10.2f} {1e3 * b:9.2f} "
                      f"{a / b:6.2f} {share:>6}")
    print("\ngeometric mean of ratios over the six configs (scratch / torch):")
    for (dtype, case), values in ratios.items():
        print(f"  {dtype:8} {case:17} {_geomean(values):5.2f}x")


if __name__ == "__main__":
    if "--worker" in sys.argv:  # before NumPy or torch is imported anywhere
        for var in THREAD_VARS:
            os.environ[var] = "1"
    main()
