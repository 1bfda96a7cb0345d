// Boot: validate the environment and config, start the hub, print where everything is, stop cleanly on signals.
import { loadConfig } from './config';
import { ConfigError, parseEnv } from './env';
import { startScheduler } from './jobs/scheduler';
import { createLogger } from './logger';
import { startHub } from './runtime';

async function main(): Promise<void> {
  const config = loadConfig(parseEnv(process.env));
  const logger = createLogger(config.log.level);
  const hub = await startHub({ config, logger });
  hub.deps.metrics.collectProcessMetrics();
  const scheduler = startScheduler(hub.deps);
  const lines = [
    '',
    '会员中心已启动 / member hub is up',
    `  H5 mini-program : ${hub.url}/h5/`,
    `  Admin page      : ${hub.url}/admin/`,
    `  API             : ${hub.url}/api/v1`,
    `  WeChat sandbox  : ${hub.sandboxUrl ?? '(off: real WeChat)'}${hub.sandboxUrl ? ` (login page ${hub.sandboxUrl}/sandbox/login)` : ''}`,
    `  Database        : ${config.database.uri ? 'MONGODB_URI' : `mongo-lite ${config.database.dataDir ?? '(in memory)'}`}`,
    config.bootstrapOwner && config.env !== 'production'
      ? `  Owner login     : ${config.bootstrapOwner.username} (password from config/default.json)`
      : '',
    '',
  ];
  process.stdout.write(`${lines.filter((l, i) => l !== '' || i === 0 || i === lines.length - 1).join('\n')}\n`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    scheduler.stop();
    await hub.stop();
    process.stdout.write('会员中心已停止 / member hub stopped cleanly\n');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  // A bad setting (in the environment, or a key file it names) is the operator's to fix: its lines, no stack trace.
  if (err instanceof ConfigError) console.error(err.message);
  else console.error('会员中心启动失败 / member hub failed to start:', err);
  process.exit(1);
});
