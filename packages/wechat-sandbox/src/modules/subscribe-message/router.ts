import Router from '@koa/router';
import { z } from 'zod';
import type { AppRegistry } from '../../apps';
import { httpErrors } from '../../core/http-errors';
import { parseJsonBody } from '../../core/validate';
import { jsonTextReply, mountWechatApi, type WechatApiRuntime } from '../../core/wechat-api';
import { wechatErrors } from '../../core/wechat-errors';
import type { AccessTokens } from '../access-token/access-tokens';
import type { Identities } from '../login/identities';
import type { MessageLang, MessageStore, MiniprogramState } from '../messages/message-store';
import { PAGE_MAX_LENGTH, PAGE_PATTERN } from '../wxacode/wxa-codes';
import { isValidSubscribeValue } from './fields';
import type { SubscribeQuotas } from './quotas';
import type { SubscribeTemplate, SubscribeTemplates } from './templates';

export interface SubscribeMessageDeps {
  runtime: WechatApiRuntime;
  apps: AppRegistry;
  accessTokens: AccessTokens;
  identities: Identities;
  subscribeTemplates: SubscribeTemplates;
  subscribeQuotas: SubscribeQuotas;
  messages: MessageStore;
}

const MINIPROGRAM_STATES: readonly MiniprogramState[] = ['developer', 'trial', 'formal'];
const LANGS: readonly MessageLang[] = ['zh_CN', 'en_US', 'zh_HK', 'zh_TW'];

/** wx.requestSubscribeMessage takes at most 3 template ids per call. */
const requestBody = z.object({
  appid: z.string().min(1),
  user: z.string().min(1).max(128),
  tmplIds: z.array(z.string().min(1)).min(1).max(3),
  /**
   * What the user did per template, as wx.requestSubscribeMessage reports it: accept, reject, ban (they turned the
   * template off) or filter (WeChat dropped it); only accept grants a send. Every template is accepted when left out.
   */
  decisions: z.record(z.string(), z.enum(['accept', 'reject', 'ban', 'filter'])).optional(),
});

/**
 * Subscription messages: subscribe/send, which spends one of the user's one-time consents per message, plus the
 * consent dialog of wx.requestSubscribeMessage for the H5 build.
 */
export function createSubscribeMessageRouter(deps: SubscribeMessageDeps): Router {
  const router = new Router();

  mountWechatApi(router, deps.runtime, {
    name: 'subscribe_send',
    method: 'POST',
    path: '/cgi-bin/message/subscribe/send',
    async handle({ query, json, setAppid }) {
      const appid = deps.accessTokens.verify(query.access_token);
      setAppid(appid);
      const body = await json();
      const openid = body.touser;
      if (typeof openid !== 'string' || !deps.identities.knows(appid, openid)) throw wechatErrors.invalidOpenid();
      const template =
        typeof body.template_id === 'string' ? deps.subscribeTemplates.find(body.template_id) : undefined;
      if (!template) throw wechatErrors.invalidTemplateId();
      const page = pageOf(body.page);
      const state = oneOf(body.miniprogram_state, MINIPROGRAM_STATES, 'formal', 'miniprogram_state');
      const lang = oneOf(body.lang, LANGS, 'zh_CN', 'lang');
      const data = dataOf(body.data, template);
      // Last, so a rejected message spends no consent.
      if (!deps.subscribeQuotas.take(appid, openid, template.template_id)) throw wechatErrors.userRefusedMessage();
      const msgid = deps.messages.nextMsgid();
      deps.messages.record({
        msgid,
        appid,
        openid,
        template_id: template.template_id,
        title: template.title,
        data,
        ...(page === undefined ? {} : { page }),
        miniprogram_state: state,
        lang,
        at: deps.runtime.clock.now(),
      });
      return jsonTextReply(`{"errcode":0,"errmsg":"ok","msgid":${msgid}}`);
    },
  });

  // The H5 build's wx.requestSubscribeMessage: the browser user's answer, in the shape the real call resolves to.
  router.post('/sandbox/subscribe-message', async (ctx) => {
    const input = await parseJsonBody(ctx, requestBody);
    if (!deps.apps.find(input.appid)) throw httpErrors.unknownApp(input.appid);
    deps.subscribeTemplates.requireAll(input.tmplIds);
    const { openid } = deps.identities.forUser(input.appid, input.user);
    const result: Record<string, string> = { errMsg: 'requestSubscribeMessage:ok' };
    for (const templateId of new Set(input.tmplIds)) {
      const decision = input.decisions?.[templateId] ?? 'accept';
      if (decision === 'accept') deps.subscribeQuotas.grant(input.appid, openid, templateId);
      result[templateId] = decision;
    }
    ctx.body = result;
  });

  return router;
}

/**
 * Optional; a page of the mini-program as app.json lists it, with an optional leading slash and query
 * (`pages/points/index?tab=log`). The sandbox knows no pages, so only the shape is checked: else 41030.
 */
function pageOf(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw wechatErrors.dataFormatError();
  const [path = '', query] = splitOnce(value.startsWith('/') ? value.slice(1) : value, '?');
  const queryOk = query === undefined || /^[^\s#]*$/.test(query);
  if (value.length > PAGE_MAX_LENGTH || !PAGE_PATTERN.test(path) || !queryOk) throw wechatErrors.invalidPage();
  return value;
}

function splitOnce(value: string, separator: string): [string, string?] {
  const at = value.indexOf(separator);
  return at < 0 ? [value] : [value.slice(0, at), value.slice(at + 1)];
}

/** An optional enumerated field: absent takes the default, not a string 47001, another string 47003. */
function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T, name: string): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw wechatErrors.dataFormatError();
  const known = allowed.find((candidate) => candidate === value);
  if (!known) throw wechatErrors.argumentInvalid(`${name} invalid`);
  return known;
}

/**
 * Every keyword of the template, `{value}` fitting its type's rule; the first that does not answers 47003 naming
 * it. Keys the template lacks are ignored, as WeChat ignores them.
 */
function dataOf(value: unknown, template: SubscribeTemplate): Record<string, { value: string }> {
  if (value !== undefined && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw wechatErrors.dataFormatError();
  }
  const given = (value ?? {}) as Record<string, unknown>;
  const data: Record<string, { value: string }> = {};
  for (const field of template.fields) {
    const empty = () => wechatErrors.argumentInvalid(`data.${field.key}.value is empty`);
    const invalid = () => wechatErrors.argumentInvalid(`data.${field.key}.value invalid`);
    const entry = given[field.key];
    if (entry === undefined) throw empty();
    if (typeof entry !== 'object' || entry === null) throw invalid();
    const text = (entry as { value?: unknown }).value;
    if (text === undefined || text === '') throw empty();
    if (typeof text !== 'string' || !isValidSubscribeValue(field.type, text)) throw invalid();
    data[field.key] = { value: text };
  }
  return data;
}
