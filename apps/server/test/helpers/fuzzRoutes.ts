// The fuzz test's routes and requests. Routes are read off the app's one root router (every layer, with the
// schemas its validate() middlewares were made with), so a new route is fuzzed without anyone listing it. For
// each route: near-valid requests (right shape, real ids, the principals it lets in) and mutated ones (one thing
// wrong: a field, the raw body, the content type, the query string, a path parameter, a header, the method).
import type Router from '@koa/router';
import fc from 'fast-check';
import type Koa from 'koa';
import type { z } from 'zod';
import { type InputSource, validatedInputOf } from '../../src/middlewares/validate';
import {
  deepNest,
  type Hints,
  invalid,
  type JsonSchema,
  jsonSchemaOf,
  nearValid,
  ODD_STRINGS,
  walkOf,
  withOwn,
} from './fuzzSchema';
import { idsFor, type Pools, PRINCIPALS, type Principal } from './fuzzWorld';

export interface FuzzRoute {
  key: string;
  method: string;
  path: string | RegExp;
  paramNames: string[];
  inputs: Partial<Record<InputSource, JsonSchema>>;
  zod: Partial<Record<InputSource, z.ZodType>>;
}

/** Every method + path of every router the app uses, with the schemas of its validate() middlewares. */
export function routesOf(app: Koa): FuzzRoute[] {
  const routes: FuzzRoute[] = [];
  for (const middleware of app.middleware) {
    const router = (middleware as { router?: Router }).router;
    if (!router) continue;
    for (const layer of router.stack) {
      if (!layer.methods.length) continue;
      const zod: FuzzRoute['zod'] = {};
      for (const fn of layer.stack) {
        const tagged = validatedInputOf(fn);
        if (tagged) zod[tagged.source] = tagged.schema;
      }
      const inputs: FuzzRoute['inputs'] = {};
      for (const [source, schema] of Object.entries(zod) as [InputSource, z.ZodType][])
        inputs[source] = jsonSchemaOf(schema);
      for (const method of layer.methods) {
        if (method === 'HEAD') continue;
        routes.push({
          key: `${method} ${String(layer.path)}`,
          method,
          path: layer.path,
          paramNames: layer.paramNames.map((p) => String(p.name)),
          inputs,
          zod,
        });
      }
    }
  }
  return routes;
}

function fieldNames(node: JsonSchema | undefined, out: Set<string>, depth = 0): void {
  if (!node || depth > 8) return;
  for (const [k, v] of Object.entries(node.properties ?? {})) {
    out.add(k);
    fieldNames(v, out, depth + 1);
  }
  for (const n of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])]) fieldNames(n, out, depth + 1);
  if (node.items) fieldNames(node.items, out, depth + 1);
}

/** The names that point at collections: path segments before a parameter, and fields named ...Id or ...Ids. */
export function idNamesOf(routes: readonly FuzzRoute[]): string[] {
  const names = new Set<string>();
  for (const route of routes) {
    if (typeof route.path === 'string') {
      const segments = route.path.split('/');
      segments.forEach((s, i) => {
        if (s.startsWith(':') && i > 0) names.add(segments[i - 1] ?? '');
      });
    }
    const fields = new Set<string>();
    for (const schema of Object.values(route.inputs)) fieldNames(schema, fields);
    for (const f of fields) if (/Ids?$/.test(f)) names.add(f);
  }
  return [...names];
}

export interface FuzzRequest {
  kind: 'valid' | 'mutated';
  /** What was changed from a near-valid request (for the report). */
  mutation: string;
  /** Who sends it: chosen when it is sent, from the principals the route lets in (see principalOf). */
  pick: number;
  /** Sent as any principal at all (most requests come from one the route lets in). */
  stray: boolean;
  method: string;
  /** As sent on the request line: already percent-encoded (or deliberately not). */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Replaces the principal's Authorization header (a garbage token). */
  authorization?: string;
  /** Sends the principal's token with its signature spoiled. */
  tamper?: boolean;
  /** Replaces headers the POS signer computed (a stale timestamp, a bad signature...). */
  posOverrides?: Record<string, string>;
}

const hasBody = (method: string) => !['GET', 'HEAD', 'OPTIONS', 'DELETE'].includes(method);

// ---- Paths ----

/** The literal start of a RegExp route (/^\/h5\/.*\/ -> /h5/). */
function regexPrefix(re: RegExp): string {
  let out = '';
  const src = re.source.replace(/^\^/, '');
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] ?? '';
    if (ch === '\\') {
      out += src[++i] ?? '';
      continue;
    }
    if ('.*+?()[]{}|$'.includes(ch)) break;
    out += ch;
  }
  return out;
}

const BAD_PARAMS: readonly string[] = [
  'abc',
  '0',
  '-1',
  'g'.repeat(24),
  '0'.repeat(23),
  '0'.repeat(25),
  'ABCDEF0123456789ABCDEF01',
  '%00',
  '%',
  '%zz',
  '%E0%A4%A',
  '%2e%2e',
  '..',
  '%2F',
  '%20',
  encodeURIComponent('{"$gt":""}'),
  encodeURIComponent('$where'),
  encodeURIComponent('__proto__'),
  'constructor',
  encodeURIComponent('😀'),
  encodeURIComponent('\u202E'),
  'x'.repeat(2_000),
  'null',
  'undefined',
  '1e308',
  'NaN',
];

function paramValue(pools: Pools, route: FuzzRoute, name: string): fc.Arbitrary<string> {
  const segments = typeof route.path === 'string' ? route.path.split('/') : [];
  const before = segments[segments.indexOf(`:${name}`) - 1] ?? '';
  const own = name === 'id' ? idsFor(pools, before) : (pools.values.get(name) ?? []);
  const parts: fc.WeightedArbitrary<string>[] = [
    { weight: 1, arbitrary: fc.stringMatching(/^[0-9a-f]{24}$/) },
    { weight: 1, arbitrary: fc.constantFrom(...pools.all) },
  ];
  if (own.length) parts.push({ weight: 6, arbitrary: fc.constantFrom(...own) });
  return fc.oneof(...parts).map(encode);
}

function pathArb(pools: Pools, route: FuzzRoute, badParam?: string): fc.Arbitrary<string> {
  if (route.path instanceof RegExp) {
    const prefix = regexPrefix(route.path);
    const good = fc
      .array(fc.stringMatching(/^[a-z0-9._-]{1,12}$/), { minLength: 0, maxLength: 3 })
      .map((parts) => prefix + parts.join('/'));
    if (badParam === undefined) return good;
    return fc.constantFrom(
      `${prefix}..`,
      `${prefix}../..`,
      `${prefix}.`,
      `${prefix}assets/`,
      `${prefix}..%2f..%2fpackage.json`,
      `${prefix}%2e%2e/%2e%2e/%2e%2e/etc/passwd`,
      `${prefix}..%5c..%5cpackage.json`,
      `${prefix}index.html%00.js`,
      `${prefix}%E0%A4%A`,
      `${prefix}${'a/'.repeat(300)}`,
      `${prefix}.env`,
      `${prefix}%2F%2Fevil.example`,
      `${prefix}${encodeURIComponent('😀')}`,
    );
  }
  const template = route.path;
  const names = route.paramNames;
  const values = fc.tuple(
    ...names.map((n) => (n === badParam ? fc.constantFrom(...BAD_PARAMS) : paramValue(pools, route, n))),
  );
  return (names.length ? values : fc.constant([] as string[])).map((vals) => {
    let out = template;
    names.forEach((n, i) => {
      out = out.replace(`:${n}`, vals[i] ?? '');
    });
    return out;
  });
}

// ---- Query strings ----

/** encodeURIComponent, except that a lone surrogate goes out as the bytes of its (invalid) UTF-8 form. */
function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text].map((ch) => (/[\uD800-\uDFFF]/.test(ch) ? '%ED%A0%80' : encodeURIComponent(ch))).join('');
  }
}

/** Node refuses request heads over 16 KiB itself (431, before the app sees them): keep query strings well below. */
const MAX_QUERY = 6_000;

function serializeQuery(value: unknown): string {
  return queryText(value).slice(0, MAX_QUERY);
}

function queryText(value: unknown): string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return value === undefined ? '' : `q=${encode(JSON.stringify(value))}`;
  }
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const key = encode(k);
    const items = Array.isArray(v) ? v : [v];
    for (const item of items) {
      const text = item === null ? '' : typeof item === 'object' ? JSON.stringify(item) : String(item);
      parts.push(`${key}=${encode(text)}`);
    }
  }
  return parts.join('&');
}

function rawQueries(schema: JsonSchema | undefined): fc.Arbitrary<string> {
  const keys = Object.keys(schema?.properties ?? {});
  const key = keys.length ? fc.constantFrom(...keys) : fc.constant('limit');
  return fc.oneof(
    key.map((k) => `${k}=1&${k}=2`),
    key.map((k) => `${k}[]=1`),
    key.map((k) => `${k}[a]=1`),
    key.map((k) => `${k}=%zz`),
    key.map((k) => `${k}=%E0%A4%A`),
    key.map((k) => `${k}=%00`),
    key.map((k) => `${k}=`),
    key.map((k) => `${k}`),
    key.map((k) => `${k}=${'9'.repeat(400)}`),
    key.map((k) => `${k}=${'x'.repeat(6_000)}`),
    fc.constantFrom(
      '__proto__=1',
      '__proto__[isAdmin]=1',
      'constructor[prototype][isAdmin]=1',
      '&&&=&',
      '=x',
      '%=%',
      'a=1;b=2',
      '+=+',
      `${'k'.repeat(200)}=1`,
      Array.from({ length: 300 }, (_, i) => `p${i}=${i}`).join('&'),
    ),
    fc.constantFrom(...ODD_STRINGS.slice(0, 30)).map((s) => `q=${encode(s)}`),
  );
}

// ---- Bodies ----

const RAW_BODIES: readonly (string | Buffer)[] = [
  '{',
  '{"a":',
  '[1,]',
  '{"a":1,}',
  'NaN',
  '{"a":NaN}',
  '{"a":1e999}',
  '{"a":-1e999}',
  '\uFEFF{}',
  'null',
  'true',
  '123',
  '"text"',
  '',
  '[]',
  '[{}]',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  `${'{"a":'.repeat(12_000)}1${'}'.repeat(12_000)}`,
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
  "{'a':1}",
  '{"a":01}',
  '{a:1}',
  '{"a":1}{"b":2}',
  'x'.repeat(200_000),
  Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x22, 0x7d]),
  Buffer.from('{"a":1}', 'utf16le'),
];

const CONTENT_TYPES: readonly string[] = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'application/json; charset=utf-16',
  'application/json; charset=klingon',
  'application/vnd.api+json',
  'application/xml',
  'APPLICATION/JSON',
  'application/json;;;',
  'application/json, text/plain',
  'text/csv',
  'application/octet-stream',
];

/** Replaces the value of `key` in a JSON text by inserting a later duplicate (JSON.parse keeps the last one). */
function duplicateKey(json: string, key: string, value: unknown): string {
  if (!json.startsWith('{') || json === '{}') return json;
  return `${json.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(value)}}`;
}

// ---- Headers ----

const BAD_AUTH: readonly string[] = [
  'Bearer',
  'Bearer ',
  'Basic dXNlcjpwYXNz',
  `Bearer ${'x'.repeat(6_000)}`,
  'Bearer a.b.c',
  'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1NjciLCJraW5kIjoib3duZXIifQ.',
  'Bearer eyJhbGciOiJIUzI1NiJ9.e30.AAAA',
  'Token abc',
  'Bearer \u00ff\u00fe',
];

type RequestExtras = Pick<FuzzRequest, 'headers' | 'authorization' | 'tamper' | 'posOverrides' | 'mutation'>;

function headerMutation(): fc.Arbitrary<RequestExtras> {
  return fc.oneof<fc.Arbitrary<RequestExtras>[]>(
    fc.constantFrom(...BAD_AUTH).map((authorization) => ({ headers: {}, authorization, mutation: 'bad auth' })),
    fc.constant({ headers: {}, tamper: true, mutation: 'tampered token' }),
    fc.constantFrom('k'.repeat(8_000), '', ' ', '\u00e9\u00e8').map((v) => ({
      headers: { 'idempotency-key': v },
      mutation: 'odd Idempotency-Key',
    })),
    fc.constantFrom('en;q=abc,*', '', 'x'.repeat(4_000), '*', 'zh-CN,zh;q=0.9,en;q=0.8').map((v) => ({
      headers: { 'accept-language': v },
      mutation: 'odd Accept-Language',
    })),
    fc.constantFrom('r'.repeat(5_000), '\u00ff', '../../x').map((v) => ({
      headers: { 'x-request-id': v },
      mutation: 'odd X-Request-Id',
    })),
    fc.constantFrom('gzip', 'deflate', 'br', 'x-unknown', 'gzip, gzip').map((v) => ({
      headers: { 'content-encoding': v },
      mutation: 'content-encoding without encoding',
    })),
    fc
      .constantFrom<Record<string, string>>(
        { 'x-hub-timestamp': '0000000000' },
        { 'x-hub-timestamp': '9999999999' },
        { 'x-hub-timestamp': '1e9' },
        { 'x-hub-timestamp': '' },
        { 'x-hub-nonce': 'short' },
        { 'x-hub-nonce': 'n'.repeat(65) },
        { 'x-hub-nonce': '../../../../../../x' },
        { 'x-hub-signature': 'not base64!!' },
        { 'x-hub-signature': '' },
        { 'x-hub-signature': 'A'.repeat(44) },
        { 'x-hub-store': 'fz1' },
        { 'x-hub-store': 'FZ2' },
        { 'x-hub-store': 's'.repeat(300) },
        { 'x-hub-store': '$where' },
      )
      .map((posOverrides) => ({ headers: {}, posOverrides, mutation: 'tampered POS signature' })),
  );
}

// ---- Requests ----

export interface RouteArbitraries {
  valid: fc.Arbitrary<FuzzRequest>;
  mutated: fc.Arbitrary<FuzzRequest>;
}

/** The principal a request goes out as: one the route let in, or (a stray) any. */
export function principalOf(req: FuzzRequest, allowed: readonly Principal[]): Principal {
  const from = req.stray || !allowed.length ? PRINCIPALS : allowed;
  return from[req.pick % from.length] ?? 'anonymous';
}

export function routeArbitraries(route: FuzzRoute, pools: Pools, hints: Hints): RouteArbitraries {
  const bodySchema = route.inputs.body;
  const querySchema = route.inputs.query;
  const withBody = hasBody(route.method);
  const validBody: fc.Arbitrary<unknown> = bodySchema
    ? nearValid(bodySchema, walkOf(bodySchema, hints))
    : withBody
      ? fc.oneof(
          fc.constant(undefined),
          fc.constant({}),
          fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
        )
      : fc.constant(undefined);
  const validQuery: fc.Arbitrary<string> = querySchema
    ? nearValid(querySchema, walkOf(querySchema, hints)).map(serializeQuery)
    : fc.constant('');

  const assemble = (
    kind: FuzzRequest['kind'],
    mutation: string,
    parts: {
      path?: fc.Arbitrary<string>;
      query?: fc.Arbitrary<string>;
      body?: fc.Arbitrary<string | Buffer | undefined>;
      contentType?: fc.Arbitrary<string | undefined>;
      method?: fc.Arbitrary<string>;
      extra?: fc.Arbitrary<RequestExtras>;
    },
  ): fc.Arbitrary<FuzzRequest> =>
    fc
      .record({
        pick: fc.nat(),
        stray: fc.integer({ min: 0, max: 6 }).map((n) => n === 0),
        path: parts.path ?? pathArb(pools, route),
        query: parts.query ?? validQuery,
        body: parts.body ?? validBody.map((v) => (v === undefined ? undefined : JSON.stringify(v))),
        contentType: parts.contentType ?? fc.constant('application/json'),
        method: parts.method ?? fc.constant(route.method),
        extra: parts.extra ?? fc.constant<RequestExtras>({ headers: {}, mutation }),
      })
      .map(({ pick, stray, path, query, body, contentType, method, extra }) => {
        const headers: Record<string, string> = { ...extra.headers };
        if (body !== undefined && contentType !== undefined) headers['content-type'] = contentType;
        return {
          kind,
          mutation: extra.mutation,
          pick,
          stray,
          method,
          path: query ? `${path}?${query}` : path,
          headers,
          body,
          ...(extra.authorization !== undefined && { authorization: extra.authorization }),
          ...(extra.tamper && { tamper: true }),
          ...(extra.posOverrides && { posOverrides: extra.posOverrides }),
        };
      });

  const mutations: fc.WeightedArbitrary<FuzzRequest>[] = [];
  if (bodySchema) {
    const walk = walkOf(bodySchema, hints);
    mutations.push({
      weight: 8,
      arbitrary: assemble('mutated', 'body field', { body: invalid(bodySchema, walk).map((v) => JSON.stringify(v)) }),
    });
    const keys = Object.keys(bodySchema.properties ?? {});
    if (keys.length)
      mutations.push({
        weight: 1,
        arbitrary: assemble('mutated', 'duplicate JSON key', {
          body: fc
            .tuple(validBody, fc.constantFrom(...keys))
            .chain(([v, k]) =>
              invalid(bodySchema.properties?.[k] ?? {}, { ...walk, field: k }).map((bad) =>
                duplicateKey(JSON.stringify(v ?? {}), k, bad),
              ),
            ),
        }),
      });
  }
  if (withBody || bodySchema) {
    mutations.push({
      weight: 3,
      arbitrary: assemble('mutated', 'raw body', { body: fc.constantFrom(...RAW_BODIES) }),
    });
    mutations.push({
      weight: 1,
      arbitrary: assemble('mutated', 'content type', {
        contentType: fc.oneof(fc.constantFrom(...CONTENT_TYPES), fc.constant(undefined)),
        body: validBody.map((v) => JSON.stringify(v ?? {})),
      }),
    });
    mutations.push({
      weight: 1,
      arbitrary: assemble('mutated', 'prototype keys', {
        body: validBody.map((v) =>
          JSON.stringify(withOwn(withOwn(v, '__proto__', { isAdmin: true }), 'constructor', { prototype: { x: 1 } })),
        ),
      }),
    });
  } else {
    mutations.push({
      weight: 1,
      arbitrary: assemble('mutated', 'body on a GET', {
        body: fc.constantFrom('{"a":1}', '{', JSON.stringify(deepNest(1_000, 'array'))),
      }),
    });
  }
  if (querySchema) {
    mutations.push({
      weight: 6,
      arbitrary: assemble('mutated', 'query field', {
        query: invalid(querySchema, walkOf(querySchema, hints)).map(serializeQuery),
      }),
    });
  }
  mutations.push({
    weight: querySchema ? 3 : 1,
    arbitrary: assemble('mutated', 'raw query', {
      query: fc.tuple(validQuery, rawQueries(querySchema)).map(([q, raw]) => (q ? `${q}&${raw}` : raw)),
    }),
  });
  if (route.paramNames.length || route.path instanceof RegExp) {
    const bad = route.paramNames.length ? fc.constantFrom(...route.paramNames) : fc.constant('');
    mutations.push({
      weight: 6,
      arbitrary: bad.chain((name) =>
        assemble('mutated', `path parameter ${name}`, { path: pathArb(pools, route, name) }),
      ),
    });
  }
  mutations.push({ weight: 2, arbitrary: assemble('mutated', 'header', { extra: headerMutation() }) });
  mutations.push({
    weight: 1,
    arbitrary: assemble('mutated', 'method', {
      method: fc
        .constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND', 'TRACE')
        .filter((m) => m !== route.method),
    }),
  });

  return { valid: assemble('valid', 'none', {}), mutated: fc.oneof(...mutations) };
}
