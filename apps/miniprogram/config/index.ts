import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

// The shared package ships raw TypeScript; Taro only compiles files it is told about.
const sharedSource = path.resolve(__dirname, '../../../packages/shared');
// zod (the shared schemas' runtime) ships ES2020+ syntax (`??`, `?.`) that older WeChat clients cannot parse, and
// the mini-program build does not transpile node_modules unless told to.
const zodSource = path.dirname(require.resolve('zod/package.json', { paths: [sharedSource] }));

// npm keeps this plugin in the workspace's own node_modules (its optional `vite@^4` peer clashes with the admin's
// Vite), where Taro's runtime packages at the root cannot find it; point them at it.
const frameworkReact = path.dirname(require.resolve('@tarojs/plugin-framework-react/package.json'));
function resolveFrameworkReact(chain: { resolve: { alias: { set(key: string, value: string): unknown } } }) {
  chain.resolve.alias.set('@tarojs/plugin-framework-react', frameworkReact);
}

const config: UserConfigExport<'webpack5'> = {
  projectName: 'member-hub-miniprogram',
  designWidth: 750,
  deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
  sourceRoot: 'src',
  outputRoot: `dist/${process.env.TARO_ENV}`,
  plugins: [],
  // Empty means "same origin as the page" (the server serves the H5 build under /h5/).
  defineConstants: { API_BASE: JSON.stringify(process.env.API_BASE ?? '') },
  copy: { patterns: [], options: {} },
  framework: 'react',
  compiler: { type: 'webpack5', prebundle: { enable: false } },
  cache: { enable: false },
  mini: {
    compile: { include: [sharedSource, zodSource] },
    webpackChain: resolveFrameworkReact,
    postcss: {
      pxtransform: { enable: true, config: {} },
    },
  },
  h5: {
    publicPath: '/h5/',
    staticDirectory: 'static',
    router: { mode: 'hash' },
    compile: { include: [sharedSource] },
    webpackChain: resolveFrameworkReact,
    postcss: {
      autoprefixer: { enable: true, config: {} },
    },
  },
};

export default defineConfig<'webpack5'>(config);
