import type { MessageCategory, MessageKind, MessagePreference, MessagePreferences } from '@member-hub/shared';
import { PlatformError } from '../platform/types';
import type { ConsentOutcome } from './askConsent';

export const MESSAGES_PAGE = '/pages/messages/index';

/** 剩余 N 次: sends left from the member's consents (never shown below zero). */
export function quotaText(quota: number): string {
  return `剩余 ${Math.max(0, quota)} 次`;
}

export const CATEGORY_TEXT: Record<MessageCategory, string> = { transactional: '服务通知', marketing: '优惠活动' };

/** The kinds turned off, as `PUT {muted}` takes them. */
export function mutedKinds(preferences: MessagePreferences): MessageKind[] {
  return preferences.preferences.filter((p) => p.muted).map((p) => p.kind);
}

/** The preferences with one kind turned off or on, to show at once and to send. */
export function withMuted(preferences: MessagePreferences, kind: MessageKind, muted: boolean): MessagePreferences {
  return { ...preferences, preferences: preferences.preferences.map((p) => (p.kind === kind ? { ...p, muted } : p)) };
}

/** "与「等级保级提醒」共用次数": kinds sent with the same template spend the same consents. */
export function sharedQuotaNote(preferences: MessagePreferences, preference: MessagePreference): string | null {
  const others = preferences.preferences
    .filter((p) => p.templateId === preference.templateId && p.kind !== preference.kind)
    .map((p) => `「${p.label}」`);
  return others.length ? `与${others.join('')}共用次数` : null;
}

export interface Toast {
  title: string;
  icon: 'success' | 'none';
}

/** What the 消息订阅 page says after the member tapped 订阅 on one kind. */
export function subscribeToast(outcome: ConsentOutcome): Toast | null {
  switch (outcome.status) {
    case 'answered':
      return outcome.accepted.length > 0
        ? { title: '订阅成功', icon: 'success' }
        : { title: '您未允许，本次未订阅', icon: 'none' };
    case 'failed':
      if (outcome.stage === 'record') return { title: '订阅未能保存，请稍后重试', icon: 'none' };
      if (outcome.error instanceof PlatformError && outcome.error.code === 'CANCELLED') return null;
      if (outcome.error instanceof PlatformError && outcome.error.code === 'UNSUPPORTED') {
        return { title: outcome.error.message, icon: 'none' };
      }
      return { title: '订阅失败，请稍后重试', icon: 'none' };
    case 'skipped':
      return null;
  }
}

/**
 * After a tap the member meant as "remind me" (订阅积分提醒): a thank-you when they allowed something, a pointer to
 * the 消息订阅 page when today's ask was already used or they turned these off. Refusals and failures stay quiet.
 */
export function remindToast(outcome: ConsentOutcome): Toast | null {
  if (outcome.status === 'answered' && outcome.accepted.length > 0) return { title: '订阅成功', icon: 'success' };
  if (outcome.status === 'skipped' && outcome.reason === 'asked-today') {
    return { title: '今天已询问过，可在「我的 › 消息订阅」中订阅', icon: 'none' };
  }
  if (outcome.status === 'skipped' && outcome.reason === 'nothing-to-ask') {
    return { title: '这些提醒已关闭，可在「我的 › 消息订阅」中打开', icon: 'none' };
  }
  return null;
}
