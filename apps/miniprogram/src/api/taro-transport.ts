import Taro from '@tarojs/taro';
import type { Transport } from './transport';

export const taroTransport: Transport = async ({ url, method, headers, body }) => {
  const response = await Taro.request<unknown>({ url, method, header: headers, data: body, dataType: 'json' });
  return { status: response.statusCode, data: response.data };
};
