// The hash routes of 营销活动, 后台任务, 消息记录 and 数据备份 (route.ts takes them in): `#/campaigns`, `#/campaigns/new`,
// `#/campaigns/<id>`, `#/jobs?job=<name>` (the job whose runs are open), `#/messages?status=…&kind=…` and `#/backup`.
import { MessageKind, OutboxStatus } from '@member-hub/shared';

export type OpsRoute =
  /** 营销活动: the list, and one campaign (`id` 'new' for the editor of a new one). */
  | { page: 'campaigns' }
  | { page: 'campaign'; id: string }
  /** 后台任务: every job, and the run history of `job` (null: none open). */
  | { page: 'jobs'; job: string | null }
  | MessagesRoute
  /** 数据备份: the full backup download. */
  | { page: 'backup' };

/** 消息记录: the outbox filtered by status and kind (null = 全部); the pages seen are kept by the page itself. */
export interface MessagesRoute {
  page: 'messages';
  status: OutboxStatus | null;
  kind: MessageKind | null;
}

export type OpsNavKey = 'campaigns' | 'jobs' | 'messages' | 'backup';

const OBJECT_ID = /^[0-9a-f]{24}$/i;
/** The server's job names: camelCase words. */
const JOB_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/;

export const CAMPAIGNS: OpsRoute = { page: 'campaigns' };
export const JOBS: OpsRoute = { page: 'jobs', job: null };
export const MESSAGES: MessagesRoute = { page: 'messages', status: null, kind: null };
export const BACKUP: OpsRoute = { page: 'backup' };

function oneOf<T extends string>(options: readonly T[], value: string | null): T | null {
  return options.find((known) => known === value) ?? null;
}

/** The route of `#/<first>/<second>?query` when it is one of these sections; null when it is not a page of theirs. */
export function parseOpsHash(first: string, second: string | undefined, query: URLSearchParams): OpsRoute | null {
  switch (first) {
    case 'campaigns':
      if (second === undefined) return CAMPAIGNS;
      return second === 'new' || OBJECT_ID.test(second) ? { page: 'campaign', id: second.toLowerCase() } : null;
    case 'jobs': {
      if (second !== undefined) return null;
      const job = query.get('job');
      return { page: 'jobs', job: job && JOB_NAME.test(job) ? job : null };
    }
    case 'messages':
      if (second !== undefined) return null;
      return {
        page: 'messages',
        status: oneOf(OutboxStatus.options, query.get('status')),
        kind: oneOf(MessageKind.options, query.get('kind')),
      };
    case 'backup':
      return second === undefined ? BACKUP : null;
    default:
      return null;
  }
}

export function opsHref(route: OpsRoute): string {
  switch (route.page) {
    case 'campaigns':
      return '#/campaigns';
    case 'campaign':
      return `#/campaigns/${encodeURIComponent(route.id)}`;
    case 'jobs':
      return route.job ? `#/jobs?job=${encodeURIComponent(route.job)}` : '#/jobs';
    case 'messages': {
      const query = new URLSearchParams();
      if (route.status) query.set('status', route.status);
      if (route.kind) query.set('kind', route.kind);
      const text = query.toString();
      return text === '' ? '#/messages' : `#/messages?${text}`;
    }
    case 'backup':
      return '#/backup';
  }
}

export function opsNavKey(route: OpsRoute): OpsNavKey {
  return route.page === 'campaign' ? 'campaigns' : route.page;
}
