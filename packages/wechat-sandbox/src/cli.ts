import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_APP } from './apps';
import { ensureSandboxPayKeys, PAY_KEYS_FILE } from './modules/pay/keys';
import { startWechatSandbox } from './sandbox';

const USAGE = `Usage: wechat-sandbox [--port 4100] [--host 127.0.0.1] [--app appid:secret]... [--pay-keys-dir dir]

Plays WeChat's mini-program server APIs for development. Default app: wx_sandbox_app:sandbox_secret.
--pay-keys-dir also plays WeChat Pay for the first app, with the keys in <dir>/${PAY_KEYS_FILE}
(made there on first use; point the server at the same file).`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '4100' },
      host: { type: 'string', default: '127.0.0.1' },
      app: { type: 'string', multiple: true },
      'pay-keys-dir': { type: 'string' },
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
  const payKeysDir = values['pay-keys-dir'];
  const pay = payKeysDir
    ? { keys: ensureSandboxPayKeys({ dir: payKeysDir, appid: (apps[0] ?? DEFAULT_APP).appid }) }
    : undefined;
  const sandbox = await startWechatSandbox({ port, host: values.host, apps, pay, log: (line) => console.log(line) });
  console.log(
    `wechat-sandbox listening on ${sandbox.url} (apps: ${sandbox.control
      .apps()
      .map((a) => a.appid)
      .join(', ')})`,
  );
  console.log(`manual login page: ${sandbox.url}/sandbox/login`);
  if (pay && payKeysDir) {
    console.log(`WeChat Pay: mchid ${pay.keys.mchid}, keys in ${path.join(payKeysDir, PAY_KEYS_FILE)}`);
  }
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
