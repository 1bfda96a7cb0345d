// 消息记录, the pure part: the filters' options, the counts strip (every status, in the contract's order, with the
// total), and how a message reads (its kind, when it went or is due).
import {
  formatPoints,
  type MessageCategory,
  MessageKind,
  MessageKindInfo,
  type OutboxMessage,
  type OutboxPage,
  OutboxStatus,
  OutboxStatusLabels,
} from '@member-hub/shared';
import { formatDateTime } from '../../format';
import type { MessagesRoute } from '../../opsRoutes';

export const STATUS_OPTIONS: readonly (readonly [OutboxStatus, string])[] = OutboxStatus.options.map(
  (status) => [status, OutboxStatusLabels[status]] as const,
);

export const KIND_OPTIONS: readonly (readonly [MessageKind, string])[] = MessageKind.options.map(
  (kind) => [kind, MessageKindInfo[kind].label] as const,
);

const CATEGORY_LABELS: Record<MessageCategory, string> = { transactional: '交易通知', marketing: '营销' };

export function kindText(kind: MessageKind): string {
  return MessageKindInfo[kind]?.label ?? kind;
}

export function categoryText(category: MessageCategory): string {
  return CATEGORY_LABELS[category] ?? category;
}

export function statusText(status: OutboxStatus): string {
  return OutboxStatusLabels[status] ?? status;
}

export interface CountChip {
  /** null: 全部. */
  status: OutboxStatus | null;
  label: string;
  count: number;
  text: string;
}

/** 全部 first, then each status in the contract's order, each with its count (0 when the server left it out). */
export function countChips(counts: OutboxPage['counts']): CountChip[] {
  const each = OutboxStatus.options.map((status) => ({
    status,
    label: statusText(status),
    count: counts[status] ?? 0,
  }));
  const total = each.reduce((sum, chip) => sum + chip.count, 0);
  return [{ status: null, label: '全部', count: total }, ...each].map((chip) => ({
    ...chip,
    text: `${chip.label} ${formatPoints(chip.count)}`,
  }));
}

/** The list with other filters: the pages seen start over (the page keys its list by the filters). */
export function filteredRoute(route: MessagesRoute, change: Partial<Omit<MessagesRoute, 'page'>>): MessagesRoute {
  return { ...route, ...change };
}

/** The line under the time: when it went, when it is due, or nothing. */
export function deliveryText(message: Pick<OutboxMessage, 'status' | 'sentAt' | 'notBefore' | 'createdAt'>): string {
  if (message.sentAt) return `发送于 ${formatDateTime(message.sentAt)}`;
  if (message.status === 'pending' && message.notBefore > message.createdAt) {
    return `计划 ${formatDateTime(message.notBefore)} 后发送`;
  }
  return '';
}

/** A key for the filters: the list (and the pages seen) starts over when it changes. */
export function filterKey(route: MessagesRoute): string {
  return `${route.status ?? ''}|${route.kind ?? ''}`;
}
