// The message outbox for the owner: newest first, filtered by status and kind, paged by cursor, with how many
// messages there are in each status (for the kind filtered, whatever the status filter).
import { type MessageKind, MessagePaths, OutboxPage, type OutboxStatus } from '@member-hub/shared';
import { apiRequest } from '../api';
import { buildQuery } from './query';

export const OUTBOX_PAGE_SIZE = 50;

export interface OutboxParams {
  status?: OutboxStatus | null;
  kind?: MessageKind | null;
  /** The cursor of the page (the `next` of the page before); null for the newest. */
  after?: string | null;
  limit?: number;
}

export function outboxPath({ status, kind, after, limit = OUTBOX_PAGE_SIZE }: OutboxParams = {}): string {
  return `${MessagePaths.adminOutbox}${buildQuery({ status, kind, limit, after })}`;
}

export function listOutbox(token: string, params: OutboxParams = {}): Promise<OutboxPage> {
  return apiRequest(outboxPath(params), { token, schema: OutboxPage });
}
