// One jest run for every Node-side workspace. Browser tests live in test/e2e with their own config.
/** @type {import('jest').Config} */
const swc = ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }];
module.exports = {
  testEnvironment: 'node',
  // jose ships only ES modules; let swc turn it into CommonJS like our own code.
  transform: { '^.+\\.ts$': swc, '/node_modules/jose/.+\\.js$': swc },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  roots: ['<rootDir>/packages', '<rootDir>/apps/server'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  setupFiles: ['<rootDir>/test/setup/block-network.ts'],
  maxWorkers: 2,
  testTimeout: 30000,
};
