#!/usr/bin/python3
"""Draws a Grafana dashboard's panels from a real Prometheus, in the dashboard's own layout.

Grafana is not packaged for this project's build machines, so this evaluates every panel's PromQL against
Prometheus's HTTP API (the queries Grafana would send, with its variables set to "All") and draws the
results in the dashboard's grid with matplotlib, in Grafana's dark colours. Stat, time series and table
panels are supported: the ones docs/grafana/natboot-dashboard.json uses.

    render_dashboard.py --prometheus URL --dashboard FILE --start EPOCH --end EPOCH --out PNG
"""
import argparse
import json
import math
import re
import urllib.parse
import urllib.request
from datetime import datetime

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyBboxPatch  # noqa: E402

BACKGROUND = "#111217"
PANEL = "#181b1f"
BORDER = "#2c3235"
TEXT = "#ccccdc"
MUTED = "#8e8e9e"
GRID = "#2a2d33"
PALETTE = ["#73BF69", "#FADE2A", "#5794F2", "#FF9830", "#F2495C", "#B877D9", "#8AB8FF", "#FF780A"]
NAMED = {"green": "#73BF69", "red": "#F2495C", "orange": "#FF9830", "yellow": "#FADE2A", "blue": "#5794F2"}

ROW_PX = 30
GAP_PX = 8


def query(base, expr, start=None, end=None, step=None):
    if start is None:
        url = base + "/api/v1/query?" + urllib.parse.urlencode({"query": expr, "time": end})
    else:
        url = base + "/api/v1/query_range?" + urllib.parse.urlencode(
            {"query": expr, "start": start, "end": end, "step": step})
    with urllib.request.urlopen(url, timeout=10) as response:
        answer = json.load(response)
    if answer.get("status") != "success":
        raise RuntimeError(f"Prometheus refused {expr!r}: {answer}")
    return answer["data"]["result"]


def substitute(expr, rate_interval, interval=None):
    expr = expr.replace("$__rate_interval", rate_interval)
    if interval:
        expr = expr.replace("$__interval", interval)
    return re.sub(r"\$(application|instance)\b", ".*", expr)


def legend(template, labels):
    if not template:
        return ", ".join(f"{k}={v}" for k, v in labels.items() if k != "__name__") or "value"
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: labels.get(m.group(1), ""), template).strip()


def format_value(value, unit, decimals=None):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "NaN"
    if unit == "s":
        if abs(value) < 1:
            return f"{value * 1000:.1f} ms"
        return f"{value:.1f} s" if abs(value) < 60 else f"{value / 60:.1f} min"
    if unit == "ops":
        return f"{value:.2f} ops/s"
    if decimals == 0 or float(value).is_integer():
        return f"{value:.0f}"
    return f"{value:.2f}"


def threshold_color(panel, value):
    steps = panel.get("fieldConfig", {}).get("defaults", {}).get("thresholds", {}).get("steps")
    if not steps or value is None or math.isnan(value):
        return PALETTE[0]
    color = steps[0]["color"]
    for step in steps[1:]:
        if value >= step["value"]:
            color = step["color"]
    return NAMED.get(color, color)


def frame(fig, panel, box):
    x, y, w, h = box
    fig.patches.append(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0,rounding_size=0.002",
                                      transform=fig.transFigure, facecolor=PANEL, edgecolor=BORDER,
                                      linewidth=1, zorder=-10))
    fig.text(x + 0.006, y + h - 0.012, panel["title"], color=TEXT, fontsize=10, fontweight="bold",
             va="top", ha="left")


def inner(box, fig_h_px, top_px=28, pad_px=10, left=0.005):
    x, y, w, h = box
    return [x + left, y + pad_px / fig_h_px, w - left - 0.006, h - (top_px + pad_px) / fig_h_px]


def draw_stat(fig, panel, box, fig_h_px, args, step, rate):
    unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit")
    decimals = panel.get("fieldConfig", {}).get("defaults", {}).get("decimals")
    expr = substitute(panel["targets"][0]["expr"], rate)
    result = query(args.prometheus, expr, end=args.end)
    value = float(result[0]["value"][1]) if result else float("nan")
    color = threshold_color(panel, value) if "thresholds" in panel["fieldConfig"]["defaults"] else PALETTE[2]
    series = query(args.prometheus, expr, args.start, args.end, step)
    ax = fig.add_axes(inner(box, fig_h_px))
    ax.set_facecolor(PANEL)
    ax.axis("off")
    if series:
        points = [(float(t), float(v)) for t, v in series[0]["values"] if not math.isnan(float(v))]
        if points:
            xs, ys = zip(*points)
            ax.fill_between(xs, ys, color=color, alpha=0.18, linewidth=0)
            ax.plot(xs, ys, color=color, alpha=0.6, linewidth=1)
            low, high = min(ys), max(ys)
            ax.set_ylim(low - 0.1 * (high - low or 1), high + 1.8 * (high - low or 1))
    ax.text(0.5, 0.55, format_value(value, unit, decimals), color=color, fontsize=26, fontweight="bold",
            ha="center", va="center", transform=ax.transAxes)


def draw_timeseries(fig, panel, box, fig_h_px, args, step, rate):
    defaults = panel.get("fieldConfig", {}).get("defaults", {})
    custom = defaults.get("custom", {})
    unit = defaults.get("unit")
    ax = fig.add_axes(inner(box, fig_h_px, top_px=32, pad_px=34, left=0.038))
    ax.set_facecolor(PANEL)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.tick_params(colors=MUTED, labelsize=7, length=0)
    ax.grid(True, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    lines = []
    # A panel's own minimum interval is its step, as in Grafana: bars of increase() then do not overlap.
    interval = panel.get("interval")
    if interval:
        step = str(int(interval.rstrip("s")))
    for target in panel["targets"]:
        expr = substitute(target["expr"], rate, interval)
        for series in query(args.prometheus, expr, args.start, args.end, step):
            points = [(datetime.fromtimestamp(float(t)), float(v)) for t, v in series["values"]]
            lines.append((legend(target.get("legendFormat"), series["metric"]), points))
    lines.sort(key=lambda line: line[0])
    stacked_base = None
    for index, (name, points) in enumerate(lines):
        color = PALETTE[index % len(PALETTE)]
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        if custom.get("drawStyle") == "bars":
            width = (float(step) / 86400) * 0.9
            stacked_base = stacked_base or {}
            bottoms = [stacked_base.get(x, 0.0) for x in xs]
            ax.bar(xs, ys, width=width, bottom=bottoms, color=color, alpha=0.85, label=name)
            for x, y, b in zip(xs, ys, bottoms):
                stacked_base[x] = b + y
        elif custom.get("stacking", {}).get("mode") == "normal":
            stacked_base = stacked_base or {}
            bottoms = [stacked_base.get(x, 0.0) for x in xs]
            tops = [b + (0 if math.isnan(y) else y) for b, y in zip(bottoms, ys)]
            ax.step(xs, tops, where="post", color=color, linewidth=1.2, label=name)
            ax.fill_between(xs, bottoms, tops, step="post", color=color, alpha=0.25, linewidth=0)
            for x, top in zip(xs, tops):
                stacked_base[x] = top
        else:
            ax.plot(xs, ys, color=color, linewidth=1.3, label=name)
            ax.fill_between(xs, ys, color=color, alpha=0.08, linewidth=0)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%H:%M:%S"))
    ax.set_xlim(datetime.fromtimestamp(args.start), datetime.fromtimestamp(args.end))
    if defaults.get("decimals") == 0:
        ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(
        lambda v, _: format_value(v, unit, defaults.get("decimals"))))
    if not lines:
        ax.text(0.5, 0.5, "No data", color=MUTED, ha="center", va="center", transform=ax.transAxes)
    else:
        ax.legend(loc="upper left", bbox_to_anchor=(-0.05, -0.1), ncol=4, frameon=False, fontsize=7,
                  labelcolor=TEXT, handlelength=1.2)


def draw_table(fig, panel, box, fig_h_px, args, step, rate):
    rows = {}
    columns = []
    rename = {}
    for transformation in panel.get("transformations", []):
        rename.update(transformation.get("options", {}).get("renameByName", {}))
    for target in panel["targets"]:
        column = rename.get(f"Value #{target['refId']}", target["refId"])
        columns.append((column, target["refId"]))
        for series in query(args.prometheus, substitute(target["expr"], rate), end=args.end):
            key = (series["metric"].get("mapping", ""), series["metric"].get("transport", ""))
            rows.setdefault(key, {})[column] = float(series["value"][1])
    header = [rename.get("mapping", "mapping"), rename.get("transport", "transport")] + [c for c, _ in columns]
    cells = []
    for (mapping, transport), values in sorted(rows.items()):
        cells.append([mapping, transport] + [format_value(values.get(c), None) if c == "External port"
                                             else f"{values.get(c, float('nan')):.1f}" for c, _ in columns])
    ax = fig.add_axes(inner(box, fig_h_px))
    ax.axis("off")
    if not cells:
        ax.text(0.5, 0.5, "No data", color=MUTED, ha="center", va="center", transform=ax.transAxes)
        return
    table = ax.table(cellText=cells, colLabels=header, loc="upper center", cellLoc="left", colLoc="left")
    table.auto_set_font_size(False)
    table.set_fontsize(9)
    table.scale(1, 1.6)
    for (row, _), cell in table.get_celld().items():
        cell.set_edgecolor(BORDER)
        cell.set_facecolor(PANEL if row else "#22252b")
        cell.get_text().set_color(TEXT if row else MUTED)


DRAW = {"stat": draw_stat, "timeseries": draw_timeseries, "table": draw_table}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prometheus", required=True)
    parser.add_argument("--dashboard", required=True)
    parser.add_argument("--start", type=float, required=True)
    parser.add_argument("--end", type=float, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--rate-interval", default="20s")
    args = parser.parse_args()
    with open(args.dashboard, encoding="utf-8") as source:
        dashboard = json.load(source)
    panels = dashboard["panels"]
    rows = max(p["gridPos"]["y"] + p["gridPos"]["h"] for p in panels)
    header_px = 44
    height_px = header_px + rows * (ROW_PX + GAP_PX) + GAP_PX
    fig = plt.figure(figsize=(args.width / 100, height_px / 100), dpi=100, facecolor=BACKGROUND)
    fig.text(0.008, 1 - 14 / height_px, dashboard["title"], color=TEXT, fontsize=14, va="top")
    span = f"{datetime.fromtimestamp(args.start):%Y-%m-%d %H:%M:%S} to {datetime.fromtimestamp(args.end):%H:%M:%S}"
    fig.text(0.992, 1 - 16 / height_px, span + "  ·  application: All  ·  instance: All", color=MUTED,
             fontsize=9, va="top", ha="right")
    step = str(max(1, int((args.end - args.start) / 300)))
    column_px = (args.width - GAP_PX) / 24
    for panel in panels:
        grid = panel["gridPos"]
        x_px = GAP_PX + grid["x"] * column_px
        w_px = grid["w"] * column_px - GAP_PX
        top_px = header_px + grid["y"] * (ROW_PX + GAP_PX)
        h_px = grid["h"] * (ROW_PX + GAP_PX) - GAP_PX
        box = (x_px / args.width, 1 - (top_px + h_px) / height_px, w_px / args.width, h_px / height_px)
        frame(fig, panel, box)
        DRAW[panel["type"]](fig, panel, box, height_px, args, step, args.rate_interval)
    fig.savefig(args.out, facecolor=BACKGROUND)
    print(f"wrote {args.out} ({len(panels)} panels)")


if __name__ == "__main__":
    main()
