"""Draw ``ratios.png`` (run with the benchmark venv's matplotlib): ``python -m benchmarks._chart IN OUT``."""

from __future__ import annotations

import json
import sys

__all__ = ["main"]


def main() -> None:
    """Left: ours relative to the comparator (higher is better) with each target; right: memory."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with open(sys.argv[1], encoding="utf-8") as handle:
        data = json.load(handle)
    bars, memory = data["bars"], data["memory"]
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(13, 0.45 * max(len(bars), len(memory)) + 2), width_ratios=[3, 2]
    )
    labels = [b["label"] for b in bars][::-1]
    values = [b["value"] for b in bars][::-1]
    goals = [b["goal"] for b in bars][::-1]
    colors = ["#2a9d8f" if v >= g else "#e76f51" for v, g in zip(values, goals, strict=True)]
    left.barh(labels, values, color=colors)
    left.scatter(goals, labels, marker="|", s=300, color="black", label="target", zorder=3)
    for y, v in enumerate(values):
        left.text(v, y, f" {v:.2f}x", va="center", fontsize=8)
    left.set_xlabel("ours relative to the comparator (higher is better; 1/ratio for times)")
    left.legend(loc="lower right")
    left.tick_params(axis="y", labelsize=8)
    mlabels = [m["label"] for m in memory][::-1]
    mvalues = [m["value"] for m in memory][::-1]
    mcolors = ["#2a9d8f" if "ours" in lab else "#8d99ae" for lab in mlabels]
    right.barh(mlabels, mvalues, color=mcolors)
    right.axvline(data["limit"], color="black", linestyle="--", label="64 MiB limit")
    for y, v in enumerate(mvalues):
        right.text(v, y, f" {v:.0f}", va="center", fontsize=8)
    right.set_xscale("symlog", linthresh=64)
    right.set_xlabel("peak RSS above baseline, MiB (worst run)")
    right.legend(loc="lower right")
    right.tick_params(axis="y", labelsize=8)
    fig.suptitle(data.get("title", "apertur_ext vs apertur-sdk 0.2.0 vs raw httpx"))
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=110)


if __name__ == "__main__":
    main()
