// `npm run test:unit`: every unit and integration test in one jest run, one project per kind of code.
// Browser tests live in test/e2e with their own config.
const path = require('node:path');
const { root, swcTransform, blockNetwork } = require('./test/setup/jest-shared');

const base = {
  testEnvironment: 'node',
  setupFiles: [blockNetwork],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

/** @type {import('jest').Config} */
module.exports = {
  maxWorkers: 2,
  testTimeout: 30000,
  projects: [
    {
      ...base,
      displayName: 'server+packages',
      rootDir: root,
      roots: ['<rootDir>/packages', '<rootDir>/apps/server'],
      testMatch: ['**/*.test.ts'],
      // jose ships only ES modules; let swc turn it into CommonJS like our own code.
      transform: { '^.+\\.ts$': swcTransform(), '/node_modules/jose/.+\\.js$': swcTransform() },
      transformIgnorePatterns: ['/node_modules/(?!jose/)'],
    },
    {
      ...base,
      displayName: 'admin',
      rootDir: path.join(root, 'apps/admin'),
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.test.ts?(x)'],
      transform: { '^.+\\.tsx?$': swcTransform({ tsx: true }) },
    },
    {
      ...base,
      displayName: 'miniprogram',
      rootDir: path.join(root, 'apps/miniprogram'),
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.test.ts?(x)'],
      transform: { '^.+\\.tsx?$': swcTransform({ tsx: true }) },
    },
  ],
};
