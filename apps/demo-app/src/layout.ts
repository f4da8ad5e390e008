import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

type Body = HtmlEscapedString | Promise<HtmlEscapedString>;

const styles = `
body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1d2127}
header{background:#0b3d91;color:#fff;padding:.8rem 1.5rem;display:flex;justify-content:space-between;align-items:center}
header a{color:#fff}
main{max-width:64rem;margin:1.5rem auto;padding:0 1rem}
.card{background:#fff;border:1px solid #d8dde3;border-radius:8px;padding:1.25rem;margin-bottom:1rem}
label{display:grid;gap:.3rem;font-weight:600;margin-bottom:.8rem}
input{font:inherit;padding:.45rem .6rem;border:1px solid #b7bec7;border-radius:6px}
button{font:inherit;padding:.45rem 1rem;border-radius:6px;border:1px solid #0b3d91;background:#0b3d91;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b3d91}
table{width:100%;border-collapse:collapse;background:#fff}
th,td{text-align:left;padding:.5rem;border-bottom:1px solid #e3e7eb}
.error{background:#fdecea;color:#b42318;padding:.6rem;border-radius:6px}
.ok{background:#e3f5e9;color:#17663a;padding:.6rem;border-radius:6px}
pre{white-space:pre-wrap;background:#f7f8fa;padding:.6rem;border-radius:6px}
`;

export function page(title: string, body: Body, nav?: Body) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${title} · GoToMeeting (autoprov demo app)</title>
        <style>
          ${raw(styles)}
        </style>
      </head>
      <body>
        <header><strong>GoToMeeting Admin Center</strong><span>${nav ?? ''}</span></header>
        <main>${body}</main>
      </body>
    </html>`;
}
