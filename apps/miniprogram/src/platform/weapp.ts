import type Taro from '@tarojs/taro';
import { apiErrorFor, describeCause } from '../api/client';
import { ApiError } from '../api/errors';
import { subscribeDecisions } from './subscribe';
import { type Platform, PlatformError } from './types';

/** The slice of the Taro API this implementation calls, so tests can hand in a fake. */
export type WeappApi = Pick<
  typeof Taro,
  'login' | 'scanCode' | 'requestPayment' | 'requestSubscribeMessage' | 'downloadFile' | 'getFileSystemManager'
>;

export function createWeappPlatform(api: WeappApi): Platform {
  return {
    name: 'weapp',
    async login() {
      const { code } = await api.login();
      if (!code) throw new PlatformError('FAILED', '微信登录失败，请稍后重试');
      return { code };
    },
    async scanCode() {
      try {
        const { result } = await api.scanCode({ onlyFromCamera: false });
        return result;
      } catch (error) {
        throw toPlatformError(error, '扫码已取消');
      }
    },
    async requestPayment({ timeStamp, nonceStr, package: prepay, signType, paySign }) {
      try {
        await api.requestPayment({ timeStamp, nonceStr, package: prepay, signType, paySign });
        return 'paid';
      } catch (error) {
        throw toPlatformError(error, '支付已取消');
      }
    },
    // WeChat shows its own titles. It fails (rather than answering) when the call did not come from a tap, when the
    // member switched subscription messages off for this app, or for a template id it does not know.
    async requestSubscribeMessage(templateIds) {
      let result: object;
      try {
        result = await api.requestSubscribeMessage({ tmplIds: templateIds, entityIds: [] });
      } catch (error) {
        throw toPlatformError(error, '已取消订阅');
      }
      return subscribeDecisions(templateIds, result);
    },
    async getPhoneNumberCode(detail) {
      if (detail?.code) return detail.code;
      throw new PlatformError('CANCELLED', '未获得手机号授权');
    },
    // The server's host must be on the mini-program's downloadFile domain list, like its request domain.
    async loadImage(url, headers) {
      let answer: { statusCode: number; tempFilePath: string };
      try {
        answer = await api.downloadFile({ url, header: headers });
      } catch (cause) {
        throw new ApiError('NETWORK_ERROR', '网络连接失败，请检查网络后重试', 0, describeCause(cause));
      }
      if (answer.statusCode >= 200 && answer.statusCode < 300) return answer.tempFilePath;
      // A refusal is saved to the temp file like an image would be: read the error body from it.
      throw apiErrorFor(answer.statusCode, readJsonFile(api, answer.tempFilePath));
    },
  };
}

function readJsonFile(api: WeappApi, path: string): unknown {
  try {
    return JSON.parse(String(api.getFileSystemManager().readFileSync(path, 'utf8')));
  } catch {
    return null;
  }
}

/** WeChat reports a user backing out as a failure whose errMsg ends in "cancel". */
function toPlatformError(error: unknown, cancelledMessage: string): PlatformError {
  const errMsg = typeof error === 'object' && error !== null && 'errMsg' in error ? String(error.errMsg) : '';
  if (/cancel/i.test(errMsg)) return new PlatformError('CANCELLED', cancelledMessage);
  return new PlatformError('FAILED', errMsg ? `操作失败：${errMsg}` : '操作失败，请稍后重试');
}
