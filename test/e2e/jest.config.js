// Browser tests: start everything with the README's start command and drive the H5 build and the admin page
// in Debian's headless Chromium. One worker: the machine has two cores and Chromium wants both.
const { root, swcTransform, blockNetwork } = require('../setup/jest-shared');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: root,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swcTransform() },
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.e2e.ts'],
  setupFiles: [blockNetwork],
  maxWorkers: 1,
  testTimeout: 240000,
};
