/**
 * Building blocks for self-contained HTML reports: escaping, a page shell with inline CSS
 * (no external assets, opens offline), and small layout helpers. Pure string functions.
 */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export interface PageOptions {
  title: string;
  /** Short line under the title (dataset names, date of the run as given by the caller). */
  subtitle?: string;
  /** Body HTML (already escaped where needed). */
  body: string;
  /** A JSON value embedded as `<script type="application/json" id="synthops-data">` for tools and the UI. */
  data?: unknown;
}

/** A complete HTML document with the shared stylesheet. */
export function htmlPage(opts: PageOptions): string {
  const data =
    opts.data === undefined
      ? ''
      : `<script type="application/json" id="synthops-data">${JSON.stringify(opts.data).replace(/</g, '\\u003c')}</script>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(opts.title)}</title><style>${CSS}</style></head>
<body><header><h1>${escapeHtml(opts.title)}</h1>${opts.subtitle ? `<p class="sub">${escapeHtml(opts.subtitle)}</p>` : ''}</header>
<main>${opts.body}</main>
<footer>Made with synthops. This report contains summary statistics only, never rows of the real data.</footer>
${data}</body></html>`;
}

/** A titled section. */
export function section(title: string, inner: string, opts: { id?: string; intro?: string } = {}): string {
  return `<section${opts.id ? ` id="${escapeHtml(opts.id)}"` : ''}><h2>${escapeHtml(title)}</h2>${
    opts.intro ? `<p class="intro">${escapeHtml(opts.intro)}</p>` : ''
  }${inner}</section>`;
}

/** A status badge: good / warn / bad / info. */
export function badge(text: string, tone: 'good' | 'warn' | 'bad' | 'info' = 'info'): string {
  return `<span class="badge ${tone}">${escapeHtml(text)}</span>`;
}

/** A plain table from a header and rows of cells (cells are escaped unless wrapped with `raw()`). */
export function htmlTable(header: string[], rows: (string | number | RawHtml | null)[][], opts: { className?: string } = {}): string {
  const cell = (c: string | number | RawHtml | null) => (c === null ? '—' : c instanceof RawHtml ? c.html : escapeHtml(c));
  return `<table class="${opts.className ?? 'data'}"><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** Marks a string as trusted HTML for `htmlTable`. */
export class RawHtml {
  constructor(readonly html: string) {}
}
export const raw = (html: string) => new RawHtml(html);

/** A grid of chart cards. */
export function chartGrid(cards: { title: string; svg: string; caption?: string }[]): string {
  return `<div class="grid">${cards
    .map((c) => `<figure class="card"><figcaption>${escapeHtml(c.title)}</figcaption>${c.svg}${c.caption ? `<p class="cap">${escapeHtml(c.caption)}</p>` : ''}</figure>`)
    .join('')}</div>`;
}

const CSS = `
:root{--fg:#1d2433;--muted:#5b6475;--bg:#fff;--line:#e3e6ec;--good:#1a7f37;--warn:#9a6700;--bad:#cf222e;--info:#0969da;--real:#4c78a8;--synth:#f58518}
*{box-sizing:border-box}body{margin:0;font:14px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:24px 32px 8px;border-bottom:1px solid var(--line)}h1{margin:0;font-size:22px}.sub{margin:4px 0 12px;color:var(--muted)}
main{padding:8px 32px 32px;max-width:1280px}section{margin:28px 0}h2{font-size:18px;margin:0 0 8px}.intro{color:var(--muted);margin:0 0 12px;max-width:820px}
table.data{border-collapse:collapse;width:100%;margin:8px 0}table.data th,table.data td{border-bottom:1px solid var(--line);padding:6px 10px;text-align:left;vertical-align:top}
table.data th{font-weight:600;color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.03em}td.num{text-align:right;font-variant-numeric:tabular-nums}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;color:#fff}.badge.good{background:var(--good)}.badge.warn{background:var(--warn)}.badge.bad{background:var(--bad)}.badge.info{background:var(--info)}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:16px}figure.card{margin:0;border:1px solid var(--line);border-radius:8px;padding:10px}
figcaption{font-weight:600;margin-bottom:6px}.cap{color:var(--muted);font-size:12px;margin:6px 0 0}svg{max-width:100%;height:auto}
.summary{display:flex;flex-wrap:wrap;gap:12px}.tile{border:1px solid var(--line);border-radius:8px;padding:12px 16px;min-width:180px}.tile .v{font-size:26px;font-weight:700}.tile .l{color:var(--muted);font-size:12px}
footer{padding:16px 32px;color:var(--muted);font-size:12px;border-top:1px solid var(--line)}
`;
