import { crc32, inflateSync } from 'node:zlib';
import { qrLayout, qrModules } from '../src/modules/wxacode/png';
import { APP, type Harness, OTHER_APP, startHarness } from './harness';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.sandbox.stop());
beforeEach(async () => {
  h.sandbox.control.reset();
  token = (await h.stableToken()).body.access_token;
});

interface CodeReply {
  status: number;
  contentType: string;
  bytes: Buffer;
  // biome-ignore lint/suspicious/noExplicitAny: error bodies are asserted field by field
  json: any;
}

/** Posts `body` (or `raw`) with the current token, another one, or none (`accessToken: null`). */
async function getCode(body: unknown, options: { accessToken?: string | null; raw?: string } = {}): Promise<CodeReply> {
  const accessToken = options.accessToken === undefined ? token : options.accessToken;
  const query = accessToken === null ? '' : `?access_token=${encodeURIComponent(accessToken)}`;
  const response = await fetch(`${h.sandbox.url}/wxa/getwxacodeunlimit${query}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: options.raw ?? JSON.stringify(body),
  });
  const contentType = response.headers.get('content-type') ?? '';
  const bytes = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    contentType,
    bytes,
    json: contentType.includes('json') ? JSON.parse(bytes.toString('utf8')) : undefined,
  };
}

/** Decodes the sandbox's PNGs (8-bit greyscale, filter 0), checking every chunk's CRC on the way. */
function decodePng(png: Buffer): { width: number; height: number; pixel(x: number, y: number): number } {
  expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  const types: string[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length)).toBe(crc32(png.subarray(offset + 4, offset + 8 + length)));
    types.push(type);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([...data.subarray(8)]).toEqual([8, 0, 0, 0, 0]);
    }
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  expect(types[0]).toBe('IHDR');
  expect(types.at(-1)).toBe('IEND');
  const pixels = inflateSync(Buffer.concat(idat));
  expect(pixels.length).toBe((width + 1) * height);
  for (let y = 0; y < height; y += 1) expect(pixels[y * (width + 1)]).toBe(0);
  return { width, height, pixel: (x, y) => pixels[y * (width + 1) + 1 + x] ?? -1 };
}

/** Whether the image shows the QR code of `text`: every module's centre pixel dark or light as it should be. */
function showsQrOf(png: Buffer, text: string): boolean {
  const image = decodePng(png);
  const modules = qrModules(text);
  const { scale, offset } = qrLayout(modules.length, image.width);
  const centre = (index: number) => offset + index * scale + Math.floor(scale / 2);
  return modules.every((row, y) => row.every((dark, x) => image.pixel(centre(x), centre(y)) === (dark ? 0 : 255)));
}

describe('POST /wxa/getwxacodeunlimit', () => {
  it('answers a PNG (430 px by default) of the QR code of page?scene=, and records it', async () => {
    const reply = await getCode({ scene: 'm=abc123&s=1', page: 'pages/member/index' });
    expect(reply.status).toBe(200);
    expect(reply.contentType).toBe('image/png');
    const image = decodePng(reply.bytes);
    expect([image.width, image.height]).toEqual([430, 430]);
    expect(showsQrOf(reply.bytes, 'pages/member/index?scene=m%3Dabc123%26s%3D1')).toBe(true);
    expect(showsQrOf(reply.bytes, 'pages/member/index?scene=other')).toBe(false);

    expect(h.sandbox.control.wxacodes()).toEqual([
      {
        appid: APP.appid,
        scene: 'm=abc123&s=1',
        page: 'pages/member/index',
        width: 430,
        check_path: true,
        env_version: 'release',
        text: 'pages/member/index?scene=m%3Dabc123%26s%3D1',
        at: h.clock.ms,
      },
    ]);
    const listed = await h.get('/__control/wxacodes');
    expect(listed.body).toEqual({ wxacodes: h.sandbox.control.wxacodes() });
  });

  it('draws the same bytes for the same request, other bytes for another scene', async () => {
    const first = await getCode({ scene: 'a1', page: 'pages/index/index' });
    const again = await getCode({ scene: 'a1', page: 'pages/index/index' });
    const other = await getCode({ scene: 'a2', page: 'pages/index/index' });
    expect(again.bytes.equals(first.bytes)).toBe(true);
    expect(other.bytes.equals(first.bytes)).toBe(false);
  });

  it('takes every allowed scene character, the home page by default, and the other fields', async () => {
    const scene = "09AZaz!#$&'()*+,/:;=?@-._~";
    const reply = await getCode({ scene, width: 1280, check_path: false, env_version: 'trial', auto_color: false });
    expect(reply.contentType).toBe('image/png');
    expect(decodePng(reply.bytes).width).toBe(1280);
    expect(showsQrOf(reply.bytes, `?scene=${encodeURIComponent(scene)}`)).toBe(true);
    expect((await getCode({ scene: 'x', page: '', env_version: 'develop' })).contentType).toBe('image/png');
    expect(
      h.sandbox.control.wxacodes().map(({ page, check_path, env_version }) => ({ page, check_path, env_version })),
    ).toEqual([
      { page: undefined, check_path: false, env_version: 'trial' },
      { page: undefined, check_path: true, env_version: 'develop' },
    ]);
  });

  it('draws widths outside 280..1280 at the nearest bound', async () => {
    expect(decodePng((await getCode({ scene: 'w', width: 100 })).bytes).width).toBe(280);
    expect(decodePng((await getCode({ scene: 'w', width: 5000 })).bytes).width).toBe(1280);
    expect(h.sandbox.control.wxacodes().map((code) => code.width)).toEqual([280, 1280]);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['33 characters', 'a'.repeat(33)],
    ['a space', 'a b'],
    ['a percent sign', 'a%20b'],
    ['Chinese', '会员'],
    ['a quote', 'a"b'],
  ])('answers a scene that is %s with 40169, as JSON', async (_, scene) => {
    const reply = await getCode({ scene, page: 'pages/index/index' });
    expect(reply.status).toBe(200);
    expect(reply.contentType).toMatch(/^application\/json/);
    expect(reply.json).toEqual({
      errcode: 40169,
      errmsg: expect.stringMatching(/^invalid length for scene, or the data is not json string, rid: /),
    });
  });

  it('takes a scene of exactly 32 characters', async () => {
    expect((await getCode({ scene: 'a'.repeat(32) })).contentType).toBe('image/png');
  });

  it.each([
    ['a leading slash', '/pages/index/index'],
    ['a query', 'pages/index/index?id=1'],
    ['a trailing slash', 'pages/index/'],
    ['an empty segment', 'pages//index'],
    ['a space', 'pages/index index'],
    ['a URL', 'https://example.com/x'],
    ['over 1024 characters', `pages/${'a'.repeat(1100)}`],
  ])('answers a page with %s with 41030', async (_, page) => {
    const reply = await getCode({ scene: 'a1', page });
    expect(reply.contentType).toMatch(/^application\/json/);
    expect(reply.json).toEqual({ errcode: 41030, errmsg: expect.stringMatching(/^invalid page, rid: /) });
  });

  it('answers an unknown env_version with 40097, and wrongly typed fields or a non-JSON body with 47001', async () => {
    expect((await getCode({ scene: 'a1', env_version: 'beta' })).json.errcode).toBe(40097);
    for (const body of [
      { scene: 12345 },
      { scene: 'a1', page: 7 },
      { scene: 'a1', width: '430' },
      { scene: 'a1', width: 430.5 },
      { scene: 'a1', check_path: 'false' },
      { scene: 'a1', env_version: 1 },
      { scene: 'a1', is_hyaline: 'yes' },
      { scene: 'a1', line_color: 'black' },
    ]) {
      expect([body, (await getCode(body)).json?.errcode]).toEqual([body, 47001]);
    }
    expect((await getCode(undefined, { raw: 'scene=a1' })).json.errcode).toBe(47001);
    expect(h.sandbox.control.wxacodes()).toEqual([]);
  });

  it('checks access_token first: missing 41001, unknown or revoked 40001, expired 42001', async () => {
    const body = { scene: 'a1' };
    expect((await getCode(body, { accessToken: null })).json.errcode).toBe(41001);
    expect((await getCode({ scene: 'a'.repeat(40) }, { accessToken: 'forged' })).json.errcode).toBe(40001);
    await h.post('/__control/tokens/invalidate');
    expect((await getCode(body)).json.errcode).toBe(40001);
    token = (await h.stableToken()).body.access_token;
    await h.post('/__control/tokens/expire');
    expect((await getCode(body)).json.errcode).toBe(42001);
    expect(h.sandbox.control.wxacodes()).toEqual([]);
  });

  it('answers GET with 43002', async () => {
    const reply = await h.get(`/wxa/getwxacodeunlimit?access_token=${token}`);
    expect(reply.body.errcode).toBe(43002);
  });

  it('records the app of the token, and the control API filters by appid and scene', async () => {
    await getCode({ scene: 'one' });
    const otherToken = (await h.stableToken(false, OTHER_APP)).body.access_token;
    await getCode({ scene: 'two' }, { accessToken: otherToken });
    expect(h.sandbox.control.wxacodes({ appid: OTHER_APP.appid }).map((code) => code.scene)).toEqual(['two']);
    expect((await h.get('/__control/wxacodes?scene=one')).body.wxacodes).toEqual([
      expect.objectContaining({ appid: APP.appid, scene: 'one' }),
    ]);
    const calls = (await h.get('/__control/calls?api=getwxacodeunlimit')).body.calls;
    expect(calls.map((call: { appid: string; errcode: number }) => [call.appid, call.errcode])).toEqual([
      [APP.appid, 0],
      [OTHER_APP.appid, 0],
    ]);
    await h.post('/__control/reset');
    expect((await h.get('/__control/wxacodes')).body).toEqual({ wxacodes: [] });
  });

  it('answers an injected failure as JSON, then works again', async () => {
    const injected = await h.post('/__control/failures', { api: 'getwxacodeunlimit', errcode: 45009, count: 1 });
    expect(injected.status).toBe(201);
    const failed = await getCode({ scene: 'a1' });
    expect(failed.contentType).toMatch(/^application\/json/);
    expect(failed.json.errcode).toBe(45009);
    expect((await getCode({ scene: 'a1' })).contentType).toBe('image/png');
    expect(h.sandbox.control.wxacodes()).toHaveLength(1);
  });
});
