// Issue 7 benchmark, one run: top-up order creation through the HTTP API (latency, with the JSAPI call to the
// sandbox inside), then WeChat Pay notifications handled per second (verify + decrypt + credit, over HTTP) against
// the cost of the RSA verify and AES-GCM decrypt alone, done in one process with node:crypto.
import { createCipheriv, createDecipheriv, createSign, createVerify, randomBytes, randomUUID } from 'node:crypto';
import { WalletPaths } from '@member-hub/shared';
import { ensureSandboxPayKeys } from '@member-hub/wechat-sandbox';
import { createLogger } from '../src/logger';
import { memberModel } from '../src/modules/members/model';
import { startHub } from '../src/runtime';
import { benchConfig, load, seedMembers, startEngine } from './harness';

const MEMBERS = 20_000;
const TOP_UPS = 2_000;
const CONCURRENCY = 16;

async function main(): Promise<void> {
  const engine = await startEngine();
  const config = benchConfig(engine.uri);
  config.wechat.appid = 'bench'; // the seeded members' WeChat app
  const keys = ensureSandboxPayKeys({ dir: null, appid: 'bench' });
  const hub = await startHub({ config, logger: createLogger('silent'), sandboxPayKeys: keys });
  try {
    await seedMembers(config.database.uri, MEMBERS);
    const pkg = await hub.deps.wallet.createPackage({
      name: '充500送50',
      payFen: 50_000,
      bonusFen: 5_000,
      validFrom: null,
      validUntil: null,
      perMemberLimit: null,
      active: true,
      sort: 0,
    });
    const members = await memberModel(hub.deps.conn).find({}, { _id: 1 }).limit(TOP_UPS).lean();
    const tokens = await Promise.all(
      members.map(async (m) => (await hub.deps.tokens.issue({ kind: 'member', id: m._id.toHexString() })).token),
    );

    // 1. Top-up orders through the API: our row, the JSAPI order at the sandbox (signed, verified), paySign.
    const created = await load({
      kind: 'bursts',
      concurrency: CONCURRENCY,
      requests: tokens.map((token, i) => ({
        method: 'POST',
        url: `${hub.url}${WalletPaths.myTopUps}`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ packageId: pkg._id.toHexString(), idempotencyKey: `bench-topup-${i}-padding` }),
      })),
    });

    // 2. The notifications WeChat Pay would send for them, built as it builds them.
    const orders = await hub.deps.conn.collection('pay_orders').find({ kind: 'top_up' }).toArray();
    const key = Buffer.from(keys.apiV3Key);
    const now = Math.floor(Date.now() / 1000);
    const notifications = orders.map((o) => {
      const transaction = {
        appid: keys.appid,
        mchid: keys.mchid,
        out_trade_no: o.outTradeNo,
        transaction_id: `42000${randomBytes(11).toString('hex').slice(0, 22)}`,
        trade_type: 'JSAPI',
        trade_state: 'SUCCESS',
        trade_state_desc: '支付成功',
        bank_type: 'OTHERS',
        success_time: new Date().toISOString().replace(/\.\d+Z$/, '+00:00'),
        payer: { openid: 'bench' },
        amount: { total: o.amountFen, payer_total: o.amountFen, currency: 'CNY', payer_currency: 'CNY' },
      };
      const nonce = randomBytes(6).toString('hex');
      const cipher = createCipheriv('aes-256-gcm', key, nonce);
      cipher.setAAD(Buffer.from('transaction'));
      const ciphertext = Buffer.concat([
        cipher.update(JSON.stringify(transaction)),
        cipher.final(),
        cipher.getAuthTag(),
      ]);
      const body = JSON.stringify({
        id: randomUUID(),
        create_time: new Date().toISOString(),
        resource_type: 'encrypt-resource',
        event_type: 'TRANSACTION.SUCCESS',
        summary: '支付成功',
        resource: {
          original_type: 'transaction',
          algorithm: 'AEAD_AES_256_GCM',
          ciphertext: ciphertext.toString('base64'),
          associated_data: 'transaction',
          nonce,
        },
      });
      const headerNonce = randomBytes(16).toString('hex');
      const signature = createSign('RSA-SHA256')
        .update(`${now}\n${headerNonce}\n${body}\n`)
        .sign(keys.platformPrivateKeyPem, 'base64');
      return {
        body,
        headers: {
          'content-type': 'application/json',
          'wechatpay-timestamp': String(now),
          'wechatpay-nonce': headerNonce,
          'wechatpay-signature': signature,
          'wechatpay-serial': keys.platformPublicKeyId,
        },
      };
    });

    // 3. The floor: verify and decrypt alone, in one process.
    const floorStart = performance.now();
    for (const n of notifications) {
      const h = n.headers;
      const ok = createVerify('RSA-SHA256')
        .update(`${h['wechatpay-timestamp']}\n${h['wechatpay-nonce']}\n${n.body}\n`)
        .verify(keys.platformPublicKeyPem, h['wechatpay-signature'], 'base64');
      if (!ok) throw new Error('bench notification does not verify');
      const r = JSON.parse(n.body).resource;
      const raw = Buffer.from(r.ciphertext, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, r.nonce);
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      decipher.setAAD(Buffer.from(r.associated_data));
      JSON.parse(Buffer.concat([decipher.update(raw.subarray(0, raw.length - 16)), decipher.final()]).toString());
    }
    const floor = notifications.length / ((performance.now() - floorStart) / 1000);

    // 4. The hub: the same notifications over HTTP, each verified, decrypted and credited.
    const handled = await load({
      kind: 'bursts',
      concurrency: CONCURRENCY,
      requests: notifications.map((n) => ({ method: 'POST', url: `${hub.url}${WalletPaths.payNotify}`, ...n })),
    });
    const credited = await hub.deps.conn
      .collection('ledger_entries')
      .countDocuments({ reason: 'top_up', account: 'walletPrincipal' });
    if (credited !== notifications.length) throw new Error(`credited ${credited} of ${notifications.length}`);

    console.log(
      `member hub payments benchmark: ${MEMBERS.toLocaleString('en')} members, ${TOP_UPS.toLocaleString('en')} top-ups, ${CONCURRENCY} concurrent`,
    );
    console.log(
      `top-up order creation (API + JSAPI)  ${Math.round(created.rps).toString().padStart(6)} /s   p50 ${created.p50.toFixed(1)} ms   p99 ${created.p99.toFixed(1)} ms`,
    );
    console.log(
      `notifications handled (HTTP)         ${Math.round(handled.rps).toString().padStart(6)} /s   p50 ${handled.p50.toFixed(1)} ms   p99 ${handled.p99.toFixed(1)} ms   (${credited} credited once each)`,
    );
    console.log(`RSA verify + AES-GCM decrypt alone   ${Math.round(floor).toString().padStart(6)} /s   (one process)`);
    console.log(`ratio handled / crypto alone         ${(handled.rps / floor).toFixed(2)}`);
  } finally {
    await hub.stop();
    engine.child.kill('SIGTERM');
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
