"""The evaluation as one self-contained HTML page (inline CSS and SVG; nothing fetched) and as JSON."""

from __future__ import annotations

import html
from pathlib import Path

from oda.evaluate.evaluation import to_json

_CSS = """
body{font-family:Arial,Helvetica,sans-serif;margin:2rem auto;max-width:1000px;color:#0b0c0c;line-height:1.4}
h1{font-size:2rem}h2{border-top:1px solid #b1b4b6;padding-top:1rem;margin-top:2rem}
table{border-collapse:collapse;margin:0.5rem 0 1rem}th,td{border-bottom:1px solid #b1b4b6;padding:4px 10px;text-align:left}
th{background:#f3f2f1}td.n{text-align:right;font-variant-numeric:tabular-nums}
.note{color:#505a5f;font-size:0.9rem}.warn{border-left:5px solid #d4351c;padding-left:10px}
dt{font-weight:bold;margin-top:0.5rem}dd{margin-left:1rem}
"""


def _fmt(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{100 * value:.1f}%" if 0 <= value <= 1 else f"{value:,.2f}"
    return html.escape(str(value))


def _table(rows: list[dict], columns: list[str] | None = None) -> str:
    if not rows:
        return "<p class='note'>No rows.</p>"
    columns = columns or list(rows[0])
    head = "".join(f"<th>{html.escape(c.replace('_', ' '))}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td class='{'n' if isinstance(r.get(c), (int, float)) else ''}'>{_fmt(r.get(c))}</td>"
                         for c in columns) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _bars(methods: dict, key: str) -> str:
    values = [(name, m.get(key)) for name, m in methods.items() if isinstance(m.get(key), (int, float))]
    if not values:
        return ""
    width, bar = 520, 26
    rows = []
    for i, (name, value) in enumerate(values):
        length = max(1, int(380 * float(value)))
        y = i * (bar + 8)
        rows.append(f"<text x='0' y='{y + 18}' font-size='14'>{html.escape(name)}</text>"
                    f"<rect x='110' y='{y}' width='{length}' height='{bar}' fill='#1d70b8'/>"
                    f"<text x='{116 + length}' y='{y + 18}' font-size='14'>{100 * float(value):.1f}%</text>")
    height = len(values) * (bar + 8)
    return (f"<svg role='img' aria-label='{html.escape(key)} by method' width='{width}' height='{height}' "
            f">{''.join(rows)}</svg>")


def _dl(data: dict) -> str:
    items = []
    for key, value in data.items():
        if isinstance(value, dict):
            inner = _dl(value)
        elif isinstance(value, list):
            inner = "<ul>" + "".join(f"<li>{html.escape(str(v))}</li>" for v in value) + "</ul>"
        else:
            inner = html.escape(str(value))
        items.append(f"<dt>{html.escape(key.replace('_', ' ').capitalize())}</dt><dd>{inner}</dd>")
    return "<dl>" + "".join(items) + "</dl>"


def render_html(result: dict) -> str:
    methods = result["methods"]
    method_rows = [{"method": name, **{k: v for k, v in m.items() if k != "ratios"}} for name, m in methods.items()]
    exploration = result["exploration"]
    parts = [
        f"<h1>Evaluation: {html.escape(str(result['project']))}</h1>",
        f"<p>Scored as of {_fmt(result['as_of'])}; model {_fmt(result['model_version'])}; capacity "
        f"{result['capacity']} visits among {result['eligible']:,} eligible properties.</p>",
        "<h2>Methods at capacity</h2>",
    ]
    if result.get("truth"):
        parts += ["<p class='warn'>Precision and recall below are measured against the synthetic borough's truth, "
                  "which a real council never has: the honest figure over all properties.</p>",
                  _bars(methods, "precision_at_capacity")]
    parts += [_table(method_rows)]
    if "ratios" in methods.get("model", {}):
        parts.append("<p>Model precision relative to: " + ", ".join(
            f"{html.escape(k)} ×{v:.2f}" for k, v in methods["model"]["ratios"].items() if v) + "</p>")
    parts += ["<h2>Exploration slice (unbiased hit rate)</h2>",
              f"<p>{exploration.get('slice_size')} properties drawn at random from all eligible ones "
              f"({html.escape(str(exploration.get('drawn_from')))}); outcomes from "
              f"{html.escape(str(exploration.get('outcomes_from')))}.</p>",
              _table([{k: v for k, v in exploration.items() if k not in ('drawn_from', 'outcomes_from')}])]
    for backtest in result.get("backtests", []):
        parts += [f"<h2>Backtest: trained on outcomes up to {html.escape(backtest['cut'])}, tested on later visits</h2>"]
        if "skipped" in backtest:
            parts.append(f"<p class='note'>{html.escape(backtest['skipped'])}</p>")
            continue
        parts += [f"<p>{backtest['later_visits']} properties visited later with a definite finding; "
                  f"{_fmt(backtest['later_hit_rate'])} were HMOs. Later visits follow complaints, so these "
                  "figures flatter complaint-driven practice.</p>",
                  _table([{"method": n, **m} for n, m in backtest["methods"].items()])]
    fair = result["fairness"]
    parts += ["<h2>Fairness by ward</h2>",
              f"<p class='note'>Hit rates for groups with fewer than {fair['suppress_below']} flagged properties are "
              "suppressed.</p>", _table(fair["by_ward"])]
    parts += ["<h2>Fairness by deprivation decile</h2>",
              _table(fair["by_deprivation_decile"]) if fair["by_deprivation_decile"]
              else f"<p class='note'>{html.escape(fair.get('deprivation_note', ''))}</p>"]
    parts += ["<h2>Are complaints standing in for where complainers live?</h2>", _dl(result["complaint_proxy"])]
    parts += ["<h2>Transparency record (ATRS) — draft</h2>", "<h3>Tier 1</h3>",
              _dl(result["transparency"]["tier_1"]), "<h3>Tier 2</h3>", _dl(result["transparency"]["tier_2"])]
    body = "\n".join(parts)
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>oda evaluation</title>"
            f"<style>{_CSS}</style></head><body>{body}</body></html>")


def write_report(result: dict, *, html_path: Path | None = None, json_path: Path | None = None) -> None:
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(to_json(result), encoding="utf-8")
    if html_path is not None:
        html_path.parent.mkdir(parents=True, exist_ok=True)
        html_path.write_text(render_html(result), encoding="utf-8")
