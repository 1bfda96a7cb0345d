// The segment calls against the shared fetch stub.
import { EMPTY_SEGMENT_DEFINITION } from '@member-hub/shared';
import { answerOnce, sentRequest, stubFetch } from '../testing/fetch-stub';
import { SEGMENT_ID, segment } from '../testing/segment-fixtures';
import {
  countSegment,
  createSegment,
  deleteSegment,
  getSegment,
  listAllSegments,
  listSegments,
  previewSegment,
  segmentListPath,
  updateSegment,
} from './segments';

const fetchMock = stubFetch();
const sent = () => sentRequest(fetchMock);

const preview = {
  count: 3,
  countedAt: '2030-01-01T00:00:00.000Z',
  summary: '金卡',
  sample: [
    {
      memberId: 'm1',
      memberNo: '10000001',
      nickname: null,
      maskedPhone: '138****0001',
      tier: '金卡',
      points: 10,
      tags: [],
    },
  ],
};

describe('segments', () => {
  it('pages the list and reads every page for pickers', async () => {
    expect(segmentListPath({ q: '金', pageNo: 2 })).toBe('/api/v1/admin/segments?q=%E9%87%91&page=2&pageSize=20');
    const page = { items: [segment], total: 1, page: 1, pageSize: 20 };
    answerOnce(fetchMock, 200, page);
    await expect(listSegments('tok', { pageNo: 1 })).resolves.toEqual(page);
    fetchMock.mockReset();
    answerOnce(fetchMock, 200, { ...page, pageSize: 100 });
    await expect(listAllSegments('tok')).resolves.toEqual([segment]);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('reads, creates, patches and deletes one', async () => {
    answerOnce(fetchMock, 200, segment);
    await expect(getSegment('tok', SEGMENT_ID)).resolves.toEqual(segment);
    expect(sent().url).toBe(`/api/v1/admin/segments/${SEGMENT_ID}`);

    fetchMock.mockReset();
    const body = { name: '金卡人群', definition: segment.definition };
    answerOnce(fetchMock, 201, segment);
    await expect(createSegment('tok', body)).resolves.toEqual(segment);
    expect(sent()).toMatchObject({ url: '/api/v1/admin/segments', method: 'POST', body });

    fetchMock.mockReset();
    answerOnce(fetchMock, 200, { ...segment, name: '金卡' });
    await updateSegment('tok', SEGMENT_ID, { name: '金卡' });
    expect(sent()).toMatchObject({ method: 'PATCH', body: { name: '金卡' } });

    fetchMock.mockReset();
    answerOnce(fetchMock, 204, undefined);
    await expect(deleteSegment('tok', SEGMENT_ID)).resolves.toBeUndefined();
    expect(sent()).toMatchObject({ url: `/api/v1/admin/segments/${SEGMENT_ID}`, method: 'DELETE' });
  });

  it('previews a definition with the sample size, and recounts a saved one', async () => {
    answerOnce(fetchMock, 200, preview);
    await expect(previewSegment('tok', EMPTY_SEGMENT_DEFINITION)).resolves.toEqual(preview);
    expect(sent()).toEqual({
      url: '/api/v1/admin/segments/preview',
      method: 'POST',
      auth: 'Bearer tok',
      body: { definition: EMPTY_SEGMENT_DEFINITION, sampleSize: 5 },
    });

    fetchMock.mockReset();
    answerOnce(fetchMock, 200, preview);
    await expect(countSegment('tok', SEGMENT_ID)).resolves.toMatchObject({ count: 3 });
    expect(sent()).toMatchObject({ url: `/api/v1/admin/segments/${SEGMENT_ID}/count`, method: 'POST' });
  });

  it('refuses a preview whose sample members are not in the contract shape', async () => {
    answerOnce(fetchMock, 200, { ...preview, sample: [{ memberNo: '10000001' }] });
    await expect(previewSegment('tok', {})).rejects.toMatchObject({ code: 'UNEXPECTED_RESPONSE' });
  });
});
