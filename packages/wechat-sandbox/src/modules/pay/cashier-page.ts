import { escapeHtml, page } from '../../core/html';
import type { PaymentRequest } from './payments';

const STYLE = `.amount { font-size: 2.25rem; font-weight: 600; text-align: center; margin: 1.5rem 0 .5rem; }
.center { text-align: center; }
button.secondary { background: #f2f2f2; color: #222; }
button:disabled { opacity: .5; }
`;

/**
 * What the buttons do, in the browser: post the choice to /sandbox/pay/cashier/confirm, tell a window that opened
 * this one (postMessage {type:'wxpay', result}), then go back to return_url with `wxpay=<result>` appended at the
 * very end, so it also lands inside a hash route ("…/#/pay?x=1" gets "&wxpay=ok").
 */
const SCRIPT = `(function () {
  var data = JSON.parse(document.getElementById('wxpay-data').textContent);
  var buttons = document.querySelectorAll('button[data-action]');
  function withResult(url, result) {
    var afterHash = url.slice(url.lastIndexOf('#') + 1);
    return url + (afterHash.indexOf('?') >= 0 ? '&' : '?') + 'wxpay=' + encodeURIComponent(result);
  }
  function finish(reply) {
    document.getElementById('wxpay-status').textContent = reply.errMsg;
    if (window.opener) window.opener.postMessage({ type: 'wxpay', result: reply.result }, '*');
    if (data.returnUrl) window.location.href = withResult(data.returnUrl, reply.result);
  }
  buttons.forEach(function (button) {
    button.addEventListener('click', function () {
      var action = button.getAttribute('data-action');
      buttons.forEach(function (each) { each.disabled = true; });
      if (action === 'back') return finish({ result: 'fail', errMsg: data.errMsg });
      fetch('/sandbox/pay/cashier/confirm', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(Object.assign({}, data.payment, { action: action }))
      })
        .then(function (response) { return response.json(); })
        .then(finish, function () { finish({ result: 'fail', errMsg: 'requestPayment:fail 网络错误' }); });
    });
  });
})();`;

/** JSON inside <script>: "<" escaped so no value can close the tag. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function cashierPage(body: string, data: Record<string, unknown>): string {
  return page(
    '微信支付（沙箱）',
    `<h1 class="center">微信支付（沙箱）</h1>
${body}
<p id="wxpay-status" class="hint center" role="status"></p>
<script id="wxpay-data" type="application/json">${scriptJson(data)}</script>
<script>${SCRIPT}</script>`,
    STYLE,
  );
}

export interface CashierView {
  amount: string;
  description: string;
  mchid: string;
  outTradeNo: string;
  payment: PaymentRequest;
  returnUrl?: string;
}

export function renderCashier(view: CashierView): string {
  return cashierPage(
    `<p class="amount" id="wxpay-amount">¥${escapeHtml(view.amount)}</p>
<p class="center" id="wxpay-description">${escapeHtml(view.description)}</p>
<p class="hint center">收款方：沙箱商户（商户号 ${escapeHtml(view.mchid)}）· 订单号 ${escapeHtml(view.outTradeNo)}</p>
<button type="button" id="wxpay-pay" data-action="pay">确认支付</button>
<button type="button" id="wxpay-cancel" class="secondary" data-action="cancel">取消</button>
<button type="button" id="wxpay-fail" class="secondary" data-action="fail">模拟失败</button>
<p class="hint">模拟 wx.requestPayment：确认支付后微信支付会向商户的 notify_url 发送支付成功通知。</p>`,
    { payment: view.payment, returnUrl: view.returnUrl },
  );
}

/** A payment that cannot start: the reason, and (with a return_url) a way back that reports the failure. */
export function renderCashierError(error: string, returnUrl?: string): string {
  const back = returnUrl
    ? '<button type="button" id="wxpay-back" class="secondary" data-action="back">返回商户</button>'
    : '';
  return cashierPage(`<p role="alert" id="wxpay-error" style="color:#c00">${escapeHtml(error)}</p>\n${back}`, {
    returnUrl,
    errMsg: `requestPayment:fail ${error}`,
  });
}
