const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

function page(title: string, body: string): string {
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
</style>
</head>
<body>
${body}
</body>
</html>`;
}

export interface LoginFormInput {
  appids: string[];
  selectedAppid?: string;
  redirect?: string;
  error?: string;
}

export function renderLoginForm(input: LoginFormInput): string {
  const options = input.appids
    .map(
      (appid) =>
        `<option value="${escapeHtml(appid)}"${appid === input.selectedAppid ? ' selected' : ''}>${escapeHtml(appid)}</option>`,
    )
    .join('');
  const error = input.error ? `<p role="alert" style="color:#c00">${escapeHtml(input.error)}</p>` : '';
  const redirect = input.redirect
    ? `<input type="hidden" name="redirect" value="${escapeHtml(input.redirect)}">
<p class="hint">登录后将跳转到：${escapeHtml(input.redirect)}</p>`
    : '';
  return page(
    '微信登录（沙箱）',
    `<h1>微信登录（沙箱）</h1>
<p class="hint">模拟 wx.login：选择一个测试用户，获取一次性登录 code（5 分钟内有效，只能使用一次）。</p>
${error}
<form method="post" action="/sandbox/login">
<label for="appid">小程序 AppID</label>
<select id="appid" name="appid">${options}</select>
<label for="user">用户名</label>
<input id="user" name="user" placeholder="例如：张三" autocomplete="off">
<label for="openid">或直接填写 openid</label>
<input id="openid" name="openid" placeholder="填写后忽略用户名" autocomplete="off">
${redirect}
<button type="submit">获取登录 code</button>
</form>`,
  );
}

export function renderLoginCode(input: { appid: string; openid: string; code: string }): string {
  return page(
    '登录 code（沙箱）',
    `<h1>登录 code</h1>
<p>AppID：<code>${escapeHtml(input.appid)}</code></p>
<p>openid：<code>${escapeHtml(input.openid)}</code></p>
<p>code：<code id="code">${escapeHtml(input.code)}</code></p>
<p class="hint">把 code 交给开发者服务器调用 code2Session。code 5 分钟内有效，只能使用一次。</p>
<p><a href="/sandbox/login?appid=${encodeURIComponent(input.appid)}">再获取一个</a></p>`,
  );
}
