import { parseArgs } from 'node:util';
import { startWechatSandbox } from './sandbox';

const USAGE = `Usage: wechat-sandbox [--port 4100] [--host 127.0.0.1] [--app appid:secret]...

Plays WeChat's mini-program server APIs for development. Default app: wx_sandbox_app:sandbox_secret.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4100' },
      host: { type: 'string', default: '127.0.0.1' },
      app: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid --port ${values.port}`);
  const apps = (values.app ?? []).map((pair) => {
    const separator = pair.indexOf(':');
    if (separator <= 0 || separator === pair.length - 1) throw new Error('--app must look like appid:secret');
    return { appid: pair.slice(0, separator), secret: pair.slice(separator + 1) };
  });
  const sandbox = await startWechatSandbox({ port, host: values.host, apps, log: (line) => console.log(line) });
  console.log(
    `wechat-sandbox listening on ${sandbox.url} (apps: ${sandbox.control
      .apps()
      .map((a) => a.appid)
      .join(', ')})`,
  );
  console.log(`manual login page: ${sandbox.url}/sandbox/login`);
  const shutdown = () => {
    sandbox.stop().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  process.exit(1);
});
