"""Chart images (PNG) for the Word bulletins, drawn with matplotlib's Agg backend (no display).

Chinese labels need a CJK font: Noto Sans CJK SC comes with the project's dependencies (mplfonts),
and a font installed on the machine is used before it; none is ever downloaded. Without one, the charts label units and channels
with their codes and English names, and `cjk_font_note()` says so for the bulletin's note.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import logging
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib import pyplot as plt
from matplotlib.axes import Axes
from matplotlib.figure import Figure

log = logging.getLogger("hexie.insights")

# Families that cover simplified Chinese, most common first on Linux servers and desktops.
PREFERRED_CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei", "Noto Serif CJK SC", "AR PL UMing CN", "AR PL UKai CN", "Droid Sans Fallback",
    "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC", "STHeiti",
)
NO_CJK_NOTE = (
    "本机未安装中文字体，图表中的单位以区划代码、渠道以英文标注。"
    "No CJK font is installed: the charts label units by division code and channels in English."
)
PALETTE = ("#c0392b", "#2c7fb8", "#f39c12", "#27ae60", "#8e44ad", "#16a085", "#7f8c8d")


def _packaged_cjk_font() -> str | None:
    """Noto Sans CJK SC as installed with the project's dependencies (the mplfonts package), if present."""
    try:
        spec = importlib.util.find_spec("mplfonts")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "fonts" / "NotoSansCJKsc-Regular.otf"
    return str(path) if path.is_file() else None


@functools.lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed font with Chinese glyphs, or None."""
    known = {f.name for f in font_manager.fontManager.ttflist}
    for family in PREFERRED_CJK_FAMILIES:
        if family in known:
            return family
    packaged = _packaged_cjk_font()
    if packaged is not None:
        font_manager.fontManager.addfont(packaged)
        return font_manager.FontProperties(fname=packaged).get_name()
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return None
    try:
        out = subprocess.run(  # noqa: S603 - fixed arguments, the binary found on PATH
            [fc_list, ":lang=zh", "file", "family"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for line in out.splitlines():
        path, _sep, families = line.partition(":")
        if not families.strip():
            continue
        try:
            font_manager.fontManager.addfont(path.strip())
        except (OSError, RuntimeError, ValueError):
            continue
        name = font_manager.FontProperties(fname=path.strip()).get_name()
        log.info("bulletin charts use the CJK font %s (%s)", name, path.strip())
        return name
    return None


def cjk_font_note() -> str:
    return "" if cjk_font() else NO_CJK_NOTE


def _rc() -> dict[str, object]:
    family = cjk_font()
    return {"font.family": [family, "DejaVu Sans"] if family else ["DejaVu Sans"], "axes.unicode_minus": False,
            "font.size": 9}


def _figure(width: float = 7.0, height: float = 3.6) -> tuple[Figure, Axes]:
    fig, ax = plt.subplots(figsize=(width, height), dpi=150, layout="constrained")
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


def bar_chart(labels: Sequence[str], values: Sequence[float], *, title: str, ylabel: str = "") -> bytes:
    """Vertical bars, one per label, each with its value on top."""
    with plt.rc_context(_rc()):
        fig, ax = _figure()
        bars = ax.bar(range(len(values)), values, color=PALETTE[1])
        many = len(labels) > 6
        ax.set_xticks(range(len(labels)), list(labels), rotation=30 if many else 0, ha="right" if many else "center")
        ax.bar_label(bars, fmt="%g", fontsize=8)
        ax.grid(axis="y", alpha=0.3)
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        return _png(fig)


def hbar_chart(labels: Sequence[str], values: Sequence[float], *, title: str) -> bytes:
    """Horizontal bars, the first label on top."""
    with plt.rc_context(_rc()):
        fig, ax = _figure(height=max(2.4, 0.35 * len(labels) + 1))
        bars = ax.barh(list(labels)[::-1], list(values)[::-1], color=PALETTE[0])
        ax.bar_label(bars, fmt="%g", fontsize=8)
        ax.grid(axis="x", alpha=0.3)
        ax.set_title(title)
        return _png(fig)


def line_chart(labels: Sequence[str], series: dict[str, Sequence[float]], *, title: str) -> bytes:
    """One line per series over the labels (months or weeks)."""
    with plt.rc_context(_rc()):
        fig, ax = _figure()
        for i, (name, values) in enumerate(series.items()):
            ax.plot(range(len(values)), values, marker="o", color=PALETTE[i % len(PALETTE)], label=name)
        step = max(1, len(labels) // 12)
        ax.set_xticks(range(0, len(labels), step), [labels[i] for i in range(0, len(labels), step)])
        ax.grid(axis="y", alpha=0.3)
        ax.set_title(title)
        if len(series) > 1:
            ax.legend()
        return _png(fig)
