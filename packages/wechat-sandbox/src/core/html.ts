const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** The sandbox's pages for testers: one plain, phone-sized layout; `style` adds a page's own rules. */
export function page(title: string, body: string, style = ''): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: -apple-system, "PingFang SC", "Microsoft YaHei", sans-serif; max-width: 28rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
label { display: block; margin: 1rem 0 .25rem; }
input, select, button { font-size: 1rem; width: 100%; padding: .5rem; box-sizing: border-box; }
button { margin-top: 1.5rem; background: #07c160; color: #fff; border: 0; border-radius: 4px; }
.hint { color: #888; font-size: .85rem; }
code { word-break: break-all; background: #f4f4f4; padding: .25rem; }
${style}</style>
</head>
<body>
${body}
</body>
</html>`;
}
