import { Button, ScrollView, Text, View } from '@tarojs/components';
import Taro, { useLoad } from '@tarojs/taro';
import { useState } from 'react';
import { account, errorMessage } from '../../services';
import '../../components/ui.css';
import './index.css';

type State = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; json: string };

export default function ExportPage() {
  const [state, setState] = useState<State>({ status: 'loading' });

  async function load() {
    setState({ status: 'loading' });
    try {
      const data = await account.exportData();
      setState({ status: 'ready', json: JSON.stringify(data, null, 2) });
    } catch (error) {
      setState({ status: 'error', message: errorMessage(error, '导出失败，请稍后重试') });
    }
  }

  useLoad(() => {
    void load();
  });

  async function copy(json: string) {
    try {
      await Taro.setClipboardData({ data: json });
      void Taro.showToast({ title: '已复制', icon: 'success' });
    } catch {
      void Taro.showToast({ title: '复制失败，请长按文本手动复制', icon: 'none' });
    }
  }

  return (
    <View className="page export">
      <View className="notice notice--info">这是我们保存的您的全部个人数据（JSON 格式），可复制后自行保存。</View>
      {state.status === 'loading' && (
        <View className="status">
          <Text>正在导出…</Text>
        </View>
      )}
      {state.status === 'error' && (
        <View className="status">
          <Text className="notice notice--error">{state.message}</Text>
          <Button className="btn btn--primary" onClick={() => void load()}>
            重试
          </Button>
        </View>
      )}
      {state.status === 'ready' && (
        <>
          <View className="panel">
            <ScrollView scrollY scrollX className="export-scroll">
              <Text className="export-json" userSelect>
                {state.json}
              </Text>
            </ScrollView>
          </View>
          <View className="actions">
            <Button className="btn btn--primary export-copy" onClick={() => void copy(state.json)}>
              复制全部
            </Button>
          </View>
        </>
      )}
    </View>
  );
}
