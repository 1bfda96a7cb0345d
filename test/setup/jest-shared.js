// What every jest project here shares: swc for TypeScript, and the guard that fails any non-loopback socket.
const path = require('node:path');

const root = path.resolve(__dirname, '../..');

/** @param {{ tsx?: boolean }} [options] */
function swcTransform(options = {}) {
  return [
    '@swc/jest',
    {
      jsc: {
        target: 'es2022',
        parser: { syntax: 'typescript', tsx: Boolean(options.tsx) },
        ...(options.tsx && { transform: { react: { runtime: 'automatic' } } }),
      },
      module: { type: 'commonjs' },
    },
  ];
}

const blockNetwork = path.join(root, 'test/setup/block-network.ts');

module.exports = { root, swcTransform, blockNetwork };
