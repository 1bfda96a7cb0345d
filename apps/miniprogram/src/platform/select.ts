import type { Platform } from './types';

export type PlatformFactories = Record<Platform['name'], () => Platform>;

/** Builds only the implementation for this build target; any other target is a configuration mistake. */
export function selectPlatform(taroEnv: string | undefined, factories: PlatformFactories): Platform {
  if (taroEnv === 'weapp' || taroEnv === 'h5') return factories[taroEnv]();
  throw new Error(`不支持的运行平台：${taroEnv ?? '未设置 TARO_ENV'}（仅支持 weapp 与 h5）`);
}
