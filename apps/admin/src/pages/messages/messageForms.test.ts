import { MessageKind, OutboxStatus } from '@member-hub/shared';
import {
  categoryText,
  countChips,
  deliveryText,
  filteredRoute,
  filterKey,
  KIND_OPTIONS,
  kindText,
  STATUS_OPTIONS,
  statusText,
} from './messageForms';

describe('labels', () => {
  it('names every status and kind in Chinese', () => {
    expect(STATUS_OPTIONS.map(([status]) => status)).toEqual(OutboxStatus.options);
    expect(KIND_OPTIONS.map(([kind]) => kind)).toEqual(MessageKind.options);
    expect(statusText('no_quota')).toBe('无订阅次数');
    expect(statusText('uncertain')).toBe('结果未知');
    expect(kindText('birthday')).toBe('生日礼遇');
    expect(kindText('campaign_points')).toBe('活动赠积分');
    expect(categoryText('marketing')).toBe('营销');
    expect(categoryText('transactional')).toBe('交易通知');
  });
});

describe('countChips', () => {
  it('starts with the total and keeps the contract’s order', () => {
    const counts = {
      pending: 2,
      sending: 0,
      sent: 1_200,
      no_quota: 30,
      suppressed: 4,
      failed: 5,
      uncertain: 1,
    };
    const chips = countChips(counts);
    expect(chips.map((chip) => chip.text)).toEqual([
      '全部 1,242',
      '待发送 2',
      '发送中 0',
      '已发送 1,200',
      '无订阅次数 30',
      '已拦截 4',
      '失败 5',
      '结果未知 1',
    ]);
    expect(chips[0]?.status).toBeNull();
    expect(chips[6]).toMatchObject({ status: 'failed', count: 5 });
  });
});

describe('filters', () => {
  it('changes one filter and keys the list by both', () => {
    const route = { page: 'messages' as const, status: null, kind: 'birthday' as const };
    expect(filteredRoute(route, { status: 'failed' })).toEqual({
      page: 'messages',
      status: 'failed',
      kind: 'birthday',
    });
    expect(filterKey(route)).toBe('|birthday');
    expect(filterKey(filteredRoute(route, { kind: null, status: 'sent' }))).toBe('sent|');
  });
});

describe('deliveryText', () => {
  it('says when it went, or when a held message is due', () => {
    const created = '2030-01-01T01:00:00.000Z';
    expect(
      deliveryText({ status: 'sent', sentAt: '2030-01-01T01:00:05.000Z', notBefore: created, createdAt: created }),
    ).toMatch(/^发送于 2030-01-01 \d{2}:00$/);
    expect(
      deliveryText({ status: 'pending', sentAt: null, notBefore: '2030-01-01T02:00:00.000Z', createdAt: created }),
    ).toMatch(/^计划 2030-01-01 \d{2}:00 后发送$/);
    expect(deliveryText({ status: 'pending', sentAt: null, notBefore: created, createdAt: created })).toBe('');
    expect(deliveryText({ status: 'failed', sentAt: null, notBefore: created, createdAt: created })).toBe('');
  });
});
