// `mongo-lite --port 27017 --data .data/mongo`: runs the server until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startMongoLite } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '27017' },
      host: { type: 'string', default: '127.0.0.1' },
      data: { type: 'string' },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port ${values.port}`);
  const server = await startMongoLite({ port, host: values.host, dataDir: values.data });
  console.log(`mongo-lite listening on ${server.uri}${values.data ? ` (data: ${values.data})` : ' (in memory)'}`);
  const shutdown = () => {
    server.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
