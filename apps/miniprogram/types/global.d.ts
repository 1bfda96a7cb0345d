/// <reference types="@tarojs/taro" />

// Replaced at build time by config/index.ts `defineConstants`; empty means same origin as the page.
declare const API_BASE: string;

declare module '*.css';

declare namespace NodeJS {
  interface ProcessEnv {
    /** Set by the Taro CLI to the build target and inlined into the bundle. */
    TARO_ENV: 'weapp' | 'h5' | 'swan' | 'alipay' | 'tt' | 'qq' | 'jd' | 'harmony' | undefined;
  }
}
