// Browser tests: start everything with the README's start command and drive the H5 build and the admin page
// in Debian's headless Chromium. One worker: the machine has two cores and Chromium wants both.
const path = require('node:path');
const root = path.resolve(__dirname, '../..');
/** @type {import('jest').Config} */
module.exports = {
  rootDir: root,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
  },
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.ts'],
  setupFiles: ['<rootDir>/test/setup/block-network.ts'],
  maxWorkers: 1,
  testTimeout: 240000,
};
