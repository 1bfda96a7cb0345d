// The tag calls against the shared fetch stub: list state in the query, bodies, DELETE, and the answers' schemas.
import { ApiError } from '../api';
import { answerOnce, sentRequest, stubFetch } from '../testing/fetch-stub';
import { manualTag, ruleTag, TAG_ID } from '../testing/segment-fixtures';
import {
  changeTagMembers,
  createTag,
  deleteTag,
  evaluateTags,
  getTagEvaluation,
  listAllTags,
  listTags,
  tagListPath,
  updateTag,
} from './tags';

const fetchMock = stubFetch();
const sent = () => sentRequest(fetchMock);

describe('tags', () => {
  it('pages the list with search, kind and sort', async () => {
    expect(tagListPath({ sort: 'created', pageNo: 1 })).toBe('/api/v1/admin/tags?sort=created&page=1&pageSize=20');
    expect(tagListPath({ q: ' 金 ', kind: 'rule', sort: 'members', pageNo: 3 })).toBe(
      '/api/v1/admin/tags?q=%E9%87%91&kind=rule&sort=members&page=3&pageSize=20',
    );
    const page = { items: [ruleTag], total: 1, page: 1, pageSize: 20 };
    answerOnce(fetchMock, 200, page);
    await expect(listTags('tok', { sort: 'name', pageNo: 1 })).resolves.toEqual(page);
    expect(sent()).toMatchObject({ method: 'GET', auth: 'Bearer tok' });
  });

  it('reads every page for the pickers', async () => {
    answerOnce(fetchMock, 200, { items: [ruleTag], total: 2, page: 1, pageSize: 100 });
    answerOnce(fetchMock, 200, { items: [manualTag], total: 2, page: 2, pageSize: 100 });
    await expect(listAllTags('tok')).resolves.toEqual([ruleTag, manualTag]);
    expect(fetchMock.mock.calls.map(([url]) => url)).toEqual([
      '/api/v1/admin/tags?sort=name&page=1&pageSize=100',
      '/api/v1/admin/tags?sort=name&page=2&pageSize=100',
    ]);
  });

  it('creates, patches and deletes', async () => {
    const body = {
      name: '金卡会员',
      kind: 'rule' as const,
      rule: { all: [{ kind: 'tier' as const, tiers: ['金卡' as const] }] },
    };
    answerOnce(fetchMock, 201, ruleTag);
    await expect(createTag('tok', body)).resolves.toEqual(ruleTag);
    expect(sent()).toEqual({ url: '/api/v1/admin/tags', method: 'POST', auth: 'Bearer tok', body });

    fetchMock.mockReset();
    answerOnce(fetchMock, 200, { ...ruleTag, name: '金卡' });
    await expect(updateTag('tok', TAG_ID, { name: '金卡' })).resolves.toMatchObject({ name: '金卡' });
    expect(sent()).toMatchObject({ url: `/api/v1/admin/tags/${TAG_ID}`, method: 'PATCH', body: { name: '金卡' } });

    fetchMock.mockReset();
    answerOnce(fetchMock, 204, undefined);
    await expect(deleteTag('tok', TAG_ID)).resolves.toBeUndefined();
    expect(sent()).toMatchObject({ url: `/api/v1/admin/tags/${TAG_ID}`, method: 'DELETE', body: undefined });
  });

  it('passes TAG_IN_USE through with its message', async () => {
    answerOnce(fetchMock, 409, { error: { code: 'TAG_IN_USE', message: '该标签正被分群使用，请先修改这些分群' } });
    const error = await deleteTag('tok', TAG_ID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'TAG_IN_USE', status: 409 });
  });

  it('adds members in bulk and reads the result', async () => {
    const result = { tagId: TAG_ID, action: 'add', matched: 2, changed: 1, notFound: ['10000009'], memberCount: 5 };
    answerOnce(fetchMock, 200, result);
    const body = { action: 'add' as const, target: { kind: 'members' as const, memberNos: ['10000001', '10000002'] } };
    await expect(changeTagMembers('tok', TAG_ID, body)).resolves.toEqual(result);
    expect(sent()).toMatchObject({ url: `/api/v1/admin/tags/${TAG_ID}/members`, method: 'POST', body });
  });

  it('starts an evaluation and reads its status', async () => {
    answerOnce(fetchMock, 202, { started: true, alreadyRunning: false });
    await expect(evaluateTags('tok')).resolves.toEqual({ started: true, alreadyRunning: false });
    expect(sent()).toMatchObject({ url: '/api/v1/admin/tags/evaluate', method: 'POST', body: {} });

    fetchMock.mockReset();
    const run = {
      id: 'r1',
      trigger: 'manual',
      status: 'done',
      startedAt: '2030-01-01T00:00:00.000Z',
      finishedAt: '2030-01-01T00:00:01.000Z',
      members: 10,
      added: 3,
      removed: 0,
      rfmRunId: null,
      tags: [{ tagId: TAG_ID, name: '金卡会员', memberCount: 3, added: 3, removed: 0 }],
      ms: 1000,
      error: null,
    };
    answerOnce(fetchMock, 200, { running: false, latest: run });
    await expect(getTagEvaluation('tok')).resolves.toEqual({ running: false, latest: run });
    expect(sent().url).toBe('/api/v1/admin/tags/evaluation');
  });

  it('refuses an answer that is not a tag page', async () => {
    answerOnce(fetchMock, 200, { items: [{ id: 1 }], total: 1 });
    await expect(listTags('tok', { sort: 'name', pageNo: 1 })).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE' });
  });
});
