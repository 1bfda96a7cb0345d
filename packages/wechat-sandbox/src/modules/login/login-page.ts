import { escapeHtml, page } from '../../core/html';

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
