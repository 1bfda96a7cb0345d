// Creates an owner account (or resets its password):
//   npm run create-owner -w apps/server -- --username boss --password 'a-long-password'
// Add --export-personal-data to let this owner export full phone numbers (kept when the password is reset later).
// Uses MONGODB_URI when set, else the development mongo-lite journal under .data/mongo.
import { parseArgs } from 'node:util';
import { loadConfig } from '../config';
import { ConfigError, parseEnv } from '../env';
import { createLogger } from '../logger';
import { startHub } from '../runtime';

async function run(): Promise<void> {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      password: { type: 'string' },
      'export-personal-data': { type: 'boolean', default: false },
    },
  });
  if (!values.username || !values.password || values.password.length < 8) {
    console.error(
      'usage: create-owner --username NAME --password PASSWORD (at least 8 characters) [--export-personal-data]',
    );
    process.exit(1);
  }
  const config = loadConfig(parseEnv(process.env));
  // Only the database is needed: no listening port conflicts, no bootstrap owner.
  const hub = await startHub({
    config: { ...config, server: { ...config.server, port: 0, host: '127.0.0.1' }, bootstrapOwner: null },
    logger: createLogger('silent'),
  });
  try {
    const grant = values['export-personal-data'] ? (['export_personal_data'] as const) : [];
    const { created } = await hub.deps.owners.upsertOwner(values.username, values.password, [...grant]);
    console.log(created ? `owner "${values.username}" created` : `owner "${values.username}" password reset`);
    if (grant.length) console.log(`owner "${values.username}" may export full phone numbers`);
  } finally {
    await hub.stop();
  }
}

run().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
