/// The inline stylesheet and the table-sorting script of HTML reports.
enum HTMLStyle {
  static let css = """
    :root { --ink: #222; --muted: #666; --line: #ddd; --ok: #009e73; --fail: #d55e00; --accent: #0072b2; }
    * { box-sizing: border-box; }
    body { margin: 0 auto; max-width: 1180px; padding: 24px 28px 48px; color: var(--ink);
      font: 15px/1.45 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; background: #fff; }
    h1 { font-size: 1.6em; margin: 0 0 12px; word-break: break-word; }
    h2 { font-size: 1.25em; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
    nav { position: sticky; top: 0; background: #fff; padding: 8px 0; border-bottom: 1px solid var(--line); z-index: 1; }
    nav a { margin-right: 14px; color: var(--accent); text-decoration: none; white-space: nowrap; }
    nav a:hover, a:hover { text-decoration: underline; }
    a { color: var(--accent); }
    table { border-collapse: collapse; margin: 8px 0 16px; font-size: 0.92em; }
    th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
    thead th { border-bottom: 2px solid #bbb; background: #f7f7f7; }
    table.kv td:first-child { color: var(--muted); }
    table.kv strong { font-weight: normal; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    table.sortable th { cursor: pointer; user-select: none; }
    table.sortable th[aria-sort="ascending"]::after { content: " ▲"; }
    table.sortable th[aria-sort="descending"]::after { content: " ▼"; }
    code { font: 0.9em "DejaVu Sans Mono", Menlo, Consolas, monospace; background: #f4f4f4; padding: 0 3px; border-radius: 3px; word-break: break-all; }
    pre { background: #f7f7f7; border: 1px solid var(--line); padding: 10px; overflow: auto; max-height: 520px; }
    pre code { background: none; padding: 0; word-break: normal; }
    figure { margin: 12px 0; }
    figure svg, figure img { max-width: 100%; height: auto; display: block; }
    img.pixelated { image-rendering: pixelated; }
    figcaption { color: var(--muted); font-size: 0.88em; margin-top: 2px; }
    .figures { display: flex; flex-wrap: wrap; gap: 8px 24px; }
    .figures figure { flex: 1 1 480px; max-width: 640px; }
    .badge { display: inline-block; padding: 0 8px; border-radius: 10px; color: #fff; font-size: 0.85em; font-weight: bold; }
    .badge.ok { background: var(--ok); }
    .badge.fail { background: var(--fail); }
    .notice { border-left: 4px solid var(--accent); background: #eef6fb; padding: 8px 12px; margin: 10px 0; }
    .notice.error { border-color: var(--fail); background: #fdf0e8; }
    details { margin: 8px 0; }
    summary { cursor: pointer; color: var(--accent); }
    footer { margin-top: 40px; color: var(--muted); font-size: 0.85em; }

    """

  /// Sorts a table's body rows by the clicked heading's column: numerically when the cells
  /// parse as numbers, else as text; a second click reverses the order.
  static let sortScript = """
    document.querySelectorAll("table.sortable th").forEach(function (th) {
      th.addEventListener("click", function () {
        var table = th.closest("table"), body = table.tBodies[0];
        var column = Array.prototype.indexOf.call(th.parentNode.children, th);
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        function key(row) {
          var text = row.cells[column] ? row.cells[column].textContent.trim() : "";
          var number = parseFloat(text.replace(/,/g, "").replace("\\u2212", "-"));
          return isNaN(number) ? text.toLowerCase() : number;
        }
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a), y = key(b), order;
          if (typeof x === typeof y) { order = x < y ? -1 : x > y ? 1 : 0; }
          else { order = typeof x === "number" ? -1 : 1; }
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });

    """
}
