// Segments on generated data with known answers (members, orders and RFM rows straight into the engine), coupon
// pushes to a segment, and the owner's member list filtered by tier, tag and segment, sorted and paged.
import {
  AdminMemberList,
  CouponIssue,
  CouponPaths,
  CouponTemplate,
  IdentityPaths,
  Segment,
  type SegmentDefinitionInput,
  SegmentPage,
  SegmentPaths,
  SegmentPreview,
  Tag,
  TagPaths,
  windowStartMs,
} from '@member-hub/shared';
import { Types } from 'mongoose';
import { ownerToken } from './helpers/factories';
import { request } from './helpers/http';
import { clearMemberData, type SeededMember, seedMember, seedOrders, seedRfmRun } from './helpers/memberData';
import { startTestHub, type TestHub } from './helpers/testHub';

const NOW = Date.parse('2026-12-10T01:30:00+08:00');
const DAY = 86_400_000;

let hub: TestHub;
let owner: string;

beforeAll(async () => {
  hub = await startTestHub();
  hub.clock.advance(NOW - hub.clock.now());
  owner = await ownerToken(hub);
});
afterAll(async () => {
  await hub.stop();
});

const api = (method: string, path: string, json?: unknown) => request(hub.url, method, path, { token: owner, json });

async function manualTag(name: string): Promise<Tag> {
  const res = await api('POST', TagPaths.tags, { name, kind: 'manual' });
  if (res.status !== 201) throw new Error(`tag failed: ${JSON.stringify(res.body)}`);
  return Tag.parse(res.body);
}

async function preview(definition: SegmentDefinitionInput, sampleSize = 20): Promise<SegmentPreview> {
  const res = await api('POST', SegmentPaths.preview, { definition, sampleSize });
  if (res.status !== 200) throw new Error(`preview failed: ${JSON.stringify(res.body)}`);
  return SegmentPreview.parse(res.body);
}

async function createSegment(name: string, definition: SegmentDefinitionInput): Promise<Segment> {
  const res = await api('POST', SegmentPaths.segments, { name, definition });
  if (res.status !== 201) throw new Error(`segment failed: ${JSON.stringify(res.body)}`);
  return Segment.parse(res.body);
}

const oid = (tag: Tag) => new Types.ObjectId(tag.id);

/** Five active members with known tags, tiers, profiles, orders and RFM classes, and a deleted one. */
async function population() {
  const t1 = await manualTag('常客');
  const t2 = await manualTag('咖啡控');
  const t3 = await manualTag('甜点控');
  const old = new Date(NOW - 400 * DAY);
  const m1 = await seedMember(hub, {
    nickname: '一号',
    tags: [oid(t1), oid(t2)],
    tier: '金卡',
    gender: 'female',
    birthday: '1990-03-05',
    points: 500,
    phone: '13800001111',
    createdAt: old,
  });
  const m2 = await seedMember(hub, {
    nickname: '二号',
    tags: [oid(t1)],
    tier: '银卡',
    gender: 'male',
    birthday: '1991-04-10',
    points: 50,
    createdAt: old,
  });
  const m3 = await seedMember(hub, {
    nickname: '三号',
    tags: [oid(t2), oid(t3)],
    tier: '金卡',
    points: 1_500,
    phone: '13800003333',
    createdAt: new Date(NOW - 3 * DAY),
  });
  const m4 = await seedMember(hub, { nickname: '四号', gender: 'female', birthday: '1985-03-20', createdAt: old });
  const m5 = await seedMember(hub, { nickname: '五号', tags: [oid(t3)], tier: '黑钻', points: 300, createdAt: old });
  const gone = await seedMember(hub, { status: 'deleted', tags: [oid(t1)], tier: '金卡', createdAt: old });
  await seedOrders(hub, m1.id, [{ at: NOW - 2 * DAY, paidFen: 5_000 }]);
  await seedOrders(hub, m2.id, [{ at: NOW - 60 * DAY, paidFen: 5_000 }]);
  await seedOrders(hub, m4.id, [
    { at: NOW - 200 * DAY, paidFen: 5_000 },
    // Pending and refunded orders are no visits.
    { at: NOW - DAY, paidFen: 5_000, status: 'pending' },
    { at: NOW - DAY, paidFen: 5_000, refundedFen: 5_000, status: 'refunded' },
  ]);
  await seedOrders(hub, m5.id, [{ at: windowStartMs(NOW, 30), paidFen: 5_000 }]);
  await seedOrders(hub, gone.id, [{ at: NOW - DAY, paidFen: 5_000 }]);
  await seedRfmRun(hub, [
    { member: m1, class: 'important_value' },
    { member: m2, class: 'important_retain' },
    { member: m3, class: 'none' },
    { member: m4, class: 'general_winback' },
    { member: m5, class: 'important_value' },
    { member: gone, class: 'important_value' },
  ]);
  return { t1, t2, t3, m: { m1, m2, m3, m4, m5 }, gone };
}

type Population = Awaited<ReturnType<typeof population>>;

/** The population's names (m1...) of these member numbers. */
const names = (p: Population, memberNos: string[]) => {
  const byNo = new Map(Object.entries(p.m).map(([k, v]) => [v.memberNo, k]));
  return memberNos.map((no) => byNo.get(no) ?? no).sort();
};

describe('segment counts with known answers', () => {
  let p: Population;
  beforeAll(async () => {
    await clearMemberData(hub);
    p = await population();
  });

  it('tags all / any / none, tier, RFM class, activity and profile fields', async () => {
    const { t1, t2, t3 } = p;
    const cases: [SegmentDefinitionInput, string[]][] = [
      [{}, ['m1', 'm2', 'm3', 'm4', 'm5']],
      [{ tags: { all: [t1.id, t2.id] } }, ['m1']],
      [{ tags: { any: [t1.id, t3.id] } }, ['m1', 'm2', 'm3', 'm5']],
      [{ tags: { none: [t2.id] } }, ['m2', 'm4', 'm5']],
      [{ tags: { any: [t1.id], none: [t2.id] } }, ['m2']],
      [{ tiers: ['金卡'] }, ['m1', 'm3']],
      [{ rfmClasses: ['important_value'] }, ['m1', 'm5']],
      [{ rfmClasses: ['important_value'], tiers: ['黑钻'] }, ['m5']],
      [{ rfmClasses: ['none', 'general_winback'] }, ['m3', 'm4']],
      // m5's only order is at 00:00 China time on the window's first day.
      [{ activity: { activeWithinDays: 30 } }, ['m1', 'm5']],
      // m3 joined three days ago: new, not asleep; m4's pending and refunded orders are no visits.
      [{ activity: { inactiveDays: 30 } }, ['m2', 'm4']],
      [{ activity: { activeWithinDays: 90, inactiveDays: 30 } }, ['m2']],
      [{ activity: { activeWithinDays: 30 }, tags: { any: [t3.id] } }, ['m5']],
      [{ profile: { gender: 'female' } }, ['m1', 'm4']],
      [{ profile: { gender: 'unknown' } }, ['m3', 'm5']],
      [{ profile: { birthdayMonths: [3] } }, ['m1', 'm4']],
      [{ profile: { birthdayMonths: [4, 12] } }, ['m2']],
      [{ profile: { joinedWithinDays: 7 } }, ['m3']],
      [{ profile: { points: { min: 300 } } }, ['m1', 'm3', 'm5']],
      [{ profile: { points: { min: 50, max: 500 } } }, ['m1', 'm2', 'm5']],
      [{ profile: { hasPhone: true } }, ['m1', 'm3']],
      [{ profile: { hasPhone: false } }, ['m2', 'm4', 'm5']],
    ];
    for (const [definition, want] of cases) {
      const got = await preview(definition);
      expect({ definition, count: got.count }).toEqual({ definition, count: want.length });
      expect({
        definition,
        sample: names(
          p,
          got.sample.map((s) => s.memberNo),
        ),
      }).toEqual({ definition, sample: want });
    }
  });

  it('samples show masked phones and tag names only, are audited, and come in member id order', async () => {
    const got = await preview({ tags: { any: [p.t2.id] } }, 1);
    expect(got.count).toBe(2);
    expect(got.summary).toBe('带有标签「咖啡控」');
    expect(got.sample).toEqual([
      {
        memberId: p.m.m1.hex,
        memberNo: p.m.m1.memberNo,
        nickname: '一号',
        maskedPhone: '138****1111',
        tier: '金卡',
        points: 500,
        tags: [
          { id: p.t1.id, name: '常客', color: null },
          { id: p.t2.id, name: '咖啡控', color: null },
        ],
      },
    ]);
    const [audit] = await hub.deps.conn
      .collection('audit_log')
      .find({ action: 'segment.preview' })
      .sort({ at: -1, _id: -1 })
      .limit(1)
      .toArray();
    expect(audit?.details).toEqual({ count: 2, sampleShown: 1 });
    expect(JSON.stringify(await preview({ profile: { hasPhone: true } }))).not.toContain('13800001111');
  });

  it('a saved segment keeps its count; a recount sees new data', async () => {
    const seg = await createSegment('近30天活跃', { activity: { activeWithinDays: 30 } });
    expect(seg).toMatchObject({ count: 2, summary: '近 30 天有消费', countedAt: new Date(NOW).toISOString() });
    await seedOrders(hub, p.m.m3.id, [{ at: NOW - DAY, paidFen: 100 }]);
    try {
      expect(Segment.parse((await api('GET', SegmentPaths.segment(seg.id))).body).count).toBe(2);
      const recount = await api('POST', SegmentPaths.count(seg.id));
      expect(recount.status).toBe(200);
      expect(SegmentPreview.parse(recount.body).count).toBe(3);
      expect(Segment.parse((await api('GET', SegmentPaths.segment(seg.id))).body).count).toBe(3);
      const list = SegmentPage.parse((await api('GET', `${SegmentPaths.segments}?q=活跃`)).body);
      expect(list.items.map((s) => [s.name, s.count])).toEqual([['近30天活跃', 3]]);
    } finally {
      await hub.deps.conn.collection('orders').deleteMany({ memberId: p.m.m3.id });
    }
  });

  it('an RFM class matches nobody before the first RFM run', async () => {
    await hub.deps.conn.collection<{ _id: string }>('settings').deleteOne({ _id: 'rfmCurrentRun' });
    try {
      expect((await preview({ rfmClasses: ['important_value'] })).count).toBe(0);
    } finally {
      const run = await hub.deps.conn.collection<{ _id: string }>('rfm_runs').findOne({});
      await hub.deps.conn
        .collection<{ _id: string }>('settings')
        .insertOne({ _id: 'rfmCurrentRun', runId: run?._id, updatedAt: new Date(NOW) } as never);
    }
  });
});

/** Polls the campaign the way the admin page does, until it is done. */
async function issueDone(id: string) {
  let issue = CouponIssue.parse((await api('GET', CouponPaths.adminIssue(id))).body);
  for (let i = 0; i < 200 && issue.status !== 'done'; i++) {
    await new Promise((r) => setTimeout(r, 25));
    issue = CouponIssue.parse((await api('GET', CouponPaths.adminIssue(id))).body);
  }
  return issue;
}

describe('coupon pushes to a segment', () => {
  it('issue exactly to its members, keep the segment as it was, and never twice', async () => {
    await clearMemberData(hub);
    const p = await population();
    const template = await api('POST', CouponPaths.adminTemplates, {
      title: '回馈券',
      effect: { kind: 'cash_off', valueFen: 500 },
      validity: { type: 'relative', days: 30 },
    });
    const t = CouponTemplate.parse(template.body);
    // Streamed (activity) and database (tags) criteria together: m1 and m5.
    const seg = await createSegment('活跃老客', {
      activity: { activeWithinDays: 30 },
      tags: { any: [p.t1.id, p.t3.id] },
    });
    expect(seg.count).toBe(2);
    const res = await api('POST', CouponPaths.adminIssues, {
      templateId: t.id,
      target: { kind: 'segment', segmentId: seg.id },
      idempotencyKey: 'segment-push-1',
    });
    expect(res.status).toBe(202);
    const done = await issueDone(res.body.id);
    expect(done).toMatchObject({ status: 'done', total: 2, issued: 2, skipped: 0 });
    const holders = async () =>
      (
        await hub.deps.conn
          .collection('coupons')
          .find({ templateId: new Types.ObjectId(t.id) })
          .toArray()
      )
        .map((c) => (c.memberId as Types.ObjectId).toHexString())
        .sort();
    expect(await holders()).toEqual([p.m.m1.hex, p.m.m5.hex].sort());

    // The segment changes afterwards: the push still says what it was for, and a re-run reaches nobody new.
    await api('PATCH', SegmentPaths.segment(seg.id), { name: '改过的', definition: {} });
    const after = CouponIssue.parse((await api('GET', CouponPaths.adminIssue(done.id))).body);
    expect(after.target).toEqual({
      kind: 'segment',
      segmentId: seg.id,
      segment: {
        name: '活跃老客',
        definition: seg.definition,
        summary: '带有标签「常客」「甜点控」之一 且 近 30 天有消费',
      },
    });
    await hub.deps.campaigns.run(new Types.ObjectId(done.id));
    await hub.deps.conn
      .collection('coupon_issues')
      .updateOne({ _id: new Types.ObjectId(done.id) }, { $set: { status: 'running', cursor: null } });
    await hub.deps.campaigns.run(new Types.ObjectId(done.id));
    expect(await holders()).toEqual([p.m.m1.hex, p.m.m5.hex].sort());

    const missing = await api('POST', CouponPaths.adminIssues, {
      templateId: t.id,
      target: { kind: 'segment', segmentId: '0123456789abcdef01234567' },
      idempotencyKey: 'segment-push-2',
    });
    expect(missing.status).toBe(404);
    expect(await hub.deps.conn.collection('coupon_issues').countDocuments({ key: 'segment-push-2' })).toBe(0);
  });

  it('a campaign row from before segments fails with a message instead of retrying forever', async () => {
    const id = new Types.ObjectId();
    await hub.deps.conn.collection('coupon_issues').insertOne({
      _id: id,
      key: 'legacy-filter',
      templateId: new Types.ObjectId(),
      templateTitle: '旧券',
      target: { kind: 'filter', tiers: ['金卡'] },
      status: 'queued',
      total: null,
      issued: 0,
      skipped: 0,
      cursor: null,
      createdBy: '',
      createdAt: new Date(NOW),
      heartbeatAt: null,
      finishedAt: null,
      error: null,
    });
    await hub.deps.campaigns.run(id);
    const row = await hub.deps.conn.collection('coupon_issues').findOne({ _id: id });
    expect(row).toMatchObject({ status: 'failed', error: '该发放对象已不再支持，请按分群重新发放' });
  });
});

describe('the member list: filters, sort and paging', () => {
  const list = async (query: string) => {
    const res = await api('GET', `${IdentityPaths.adminMembers}?${query}`);
    if (res.status !== 200) throw new Error(`list failed: ${JSON.stringify(res.body)}`);
    return AdminMemberList.parse(res.body);
  };
  /** Every page, following `next` (from `after` when given). */
  const all = async (query: string, after?: string | null) => {
    const page = (cursor?: string | null) => list(cursor ? `${query}&after=${encodeURIComponent(cursor)}` : query);
    const pages: AdminMemberList[] = [await page(after)];
    for (let i = 0; i < 100 && pages.at(-1)?.next; i++) pages.push(await page(pages.at(-1)?.next));
    return pages;
  };

  it('filters by tier, tag and segment, with totals and tag names on the rows', async () => {
    await clearMemberData(hub);
    const p = await population();
    const gold = await list('tier=金卡&sort=memberNo&order=asc');
    expect(gold.items.map((i) => i.memberNo)).toEqual([p.m.m1.memberNo, p.m.m3.memberNo, p.gone.memberNo]);
    expect(gold.total).toBe(3);
    const tagged = await list(`tagId=${p.t1.id}&sort=memberNo&order=asc`);
    // A tag's members are its active members.
    expect(tagged.items.map((i) => i.memberNo)).toEqual([p.m.m1.memberNo, p.m.m2.memberNo]);
    expect(tagged.items[0]?.tags).toEqual([
      { id: p.t1.id, name: '常客', color: null },
      { id: p.t2.id, name: '咖啡控', color: null },
    ]);
    const seg = await createSegment('女性活跃', { activity: { activeWithinDays: 30 }, profile: { gender: 'female' } });
    const members = await list(`segmentId=${seg.id}`);
    expect(members).toMatchObject({ total: 1, next: null });
    expect(members.items.map((i) => i.memberNo)).toEqual([p.m.m1.memberNo]);
    const withTier = await list(`segmentId=${seg.id}&tier=银卡`);
    expect(withTier).toMatchObject({ total: 0, items: [] });
    const audit = await hub.deps.conn
      .collection('audit_log')
      .findOne({ action: 'member.search', 'details.segmentId': seg.id });
    expect(audit?.details).toMatchObject({ results: 1 });
    expect((await api('GET', `${IdentityPaths.adminMembers}?segmentId=0123456789abcdef01234567`)).status).toBe(404);
  });

  it('pages stay correct under ties, in both directions, for every sort', async () => {
    await clearMemberData(hub);
    const joined = new Date(NOW - 10 * DAY);
    const seeded: SeededMember[] = [];
    // Twelve members: points in ties of three, join times in ties of four.
    for (let i = 0; i < 12; i++)
      seeded.push(
        await seedMember(hub, {
          points: Math.floor(i / 3) * 10,
          createdAt: new Date(joined.getTime() + Math.floor(i / 4) * DAY),
        }),
      );
    const docs = await hub.deps.conn.collection('members').find().toArray();
    const cmp = (field: string, dir: 1 | -1) => (a: Record<string, unknown>, b: Record<string, unknown>) => {
      const x = a[field] instanceof Date ? (a[field] as Date).getTime() : (a[field] as number | string);
      const y = b[field] instanceof Date ? (b[field] as Date).getTime() : (b[field] as number | string);
      if (x !== y) return (x < y ? -1 : 1) * dir;
      return (String(a._id) < String(b._id) ? -1 : 1) * dir;
    };
    for (const [sort, field] of [
      ['points', 'points'],
      ['joined', 'createdAt'],
      ['memberNo', 'memberNo'],
    ] as const)
      for (const order of ['asc', 'desc'] as const) {
        const pages = await all(`sort=${sort}&order=${order}&limit=5`);
        const got = pages.flatMap((pg) => pg.items.map((i) => i.memberNo));
        const want = [...docs].sort(cmp(field, order === 'asc' ? 1 : -1)).map((d) => d.memberNo);
        expect({ sort, order, got }).toEqual({ sort, order, got: want });
        expect(pages.map((pg) => pg.items.length)).toEqual([5, 5, 2]);
        expect(pages.every((pg) => pg.total === 12)).toBe(true);
      }
    // A page boundary inside a tie, with a member added to the tie between pages: nobody repeated or skipped.
    const first = await list('sort=points&order=asc&limit=2');
    await seedMember(hub, { points: 0 });
    const rest = (await all('sort=points&order=asc&limit=5', first.next)).flatMap((pg) =>
      pg.items.map((i) => i.memberNo),
    );
    const seen = [...first.items.map((i) => i.memberNo), ...rest];
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expect.arrayContaining(seeded.map((s) => s.memberNo)));
    // The id of the last member shown (what pages gave before cursors) still works.
    const legacy = await list(`sort=memberNo&order=asc&limit=3&after=${seeded[2]?.hex}`);
    expect(legacy.items.map((i) => i.memberNo)).toEqual(seeded.slice(3, 6).map((s) => s.memberNo));
  });

  it('a segment the database cannot answer alone is paged by reading candidates in chunks', async () => {
    await clearMemberData(hub);
    const seeded: SeededMember[] = [];
    for (let i = 0; i < 120; i++) {
      const m = await seedMember(hub, { points: 1_000 - i });
      seeded.push(m);
      if (i % 7 === 0) await seedOrders(hub, m.id, [{ at: NOW - DAY, paidFen: 100 }]);
    }
    const seg = await createSegment('近7天来过', { activity: { activeWithinDays: 7 } });
    const want = seeded.filter((_, i) => i % 7 === 0).map((m) => m.memberNo);
    expect(seg.count).toBe(want.length);
    const pages = await all(`segmentId=${seg.id}&sort=points&order=desc&limit=4`);
    expect(pages.flatMap((pg) => pg.items.map((i) => i.memberNo))).toEqual(want);
    expect(pages[0]?.total).toBe(want.length);
  });
});

describe('bad input on every segment endpoint, and on the member list: 400 in one shape, nothing changes', () => {
  it('refuses each bad request and leaves segments as they were', async () => {
    await clearMemberData(hub);
    const tag = await manualTag('标签');
    const seg = await createSegment('已有', { tiers: ['金卡'] });
    const snapshot = async () =>
      JSON.stringify(await hub.deps.conn.collection('segments').find().sort({ _id: 1 }).toArray());
    const before = await snapshot();
    const unknownTag = '0123456789abcdef01234567';
    const cases: [string, string, unknown, string][] = [
      ['GET', `${SegmentPaths.segments}?page=0`, undefined, 'page'],
      ['POST', SegmentPaths.segments, { name: '', definition: {} }, 'name'],
      ['POST', SegmentPaths.segments, { name: '新', definition: { tiers: ['钻石'] } }, 'definition.tiers.0'],
      [
        'POST',
        SegmentPaths.segments,
        { name: '新', definition: { tags: { all: [unknownTag] } } },
        'definition.tags.all.0',
      ],
      [
        'POST',
        SegmentPaths.segments,
        { name: '新', definition: { tags: { all: [tag.id], none: [tag.id] } } },
        'definition.tags',
      ],
      [
        'POST',
        SegmentPaths.segments,
        { name: '新', definition: { activity: { inactiveDays: 0 } } },
        'definition.activity.inactiveDays',
      ],
      [
        'POST',
        SegmentPaths.segments,
        { name: '新', definition: { profile: { birthdayMonths: [13] } } },
        'definition.profile.birthdayMonths.0',
      ],
      ['POST', SegmentPaths.segments, { name: '新', definition: {}, extra: true }, ''],
      ['PATCH', SegmentPaths.segment(seg.id), {}, ''],
      ['PATCH', SegmentPaths.segment(seg.id), { definition: { rfmClasses: ['vip'] } }, 'definition.rfmClasses.0'],
      ['POST', SegmentPaths.preview, { definition: {}, sampleSize: 21 }, 'sampleSize'],
      ['POST', SegmentPaths.preview, {}, 'definition'],
      ['POST', SegmentPaths.count(seg.id), { sampleSize: -1 }, 'sampleSize'],
      ['GET', `${IdentityPaths.adminMembers}?sort=name`, undefined, 'sort'],
      ['GET', `${IdentityPaths.adminMembers}?tagId=abc`, undefined, 'tagId'],
      ['GET', `${IdentityPaths.adminMembers}?tier=钻石`, undefined, 'tier'],
      ['GET', `${IdentityPaths.adminMembers}?after=garbage`, undefined, 'after'],
      // A cursor of another sort is not a position in this one.
      ['GET', `${IdentityPaths.adminMembers}?sort=points&after=jd.1.${unknownTag}`, undefined, 'after'],
    ];
    for (const [method, path, json, field] of cases) {
      const res = await api(method, path, json);
      expect({ method, path, field, status: res.status }).toEqual({ method, path, field, status: 400 });
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: '请求参数有误' });
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
    }
    const dup = await api('POST', SegmentPaths.segments, { name: '已有', definition: {} });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('SEGMENT_NAME_TAKEN');
    expect((await api('GET', SegmentPaths.segment('nope'))).status).toBe(404);
    expect((await api('POST', SegmentPaths.count(unknownTag))).status).toBe(404);
    expect(await snapshot()).toBe(before);

    expect((await api('DELETE', SegmentPaths.segment(seg.id))).status).toBe(204);
    expect((await api('GET', SegmentPaths.segment(seg.id))).status).toBe(404);
  });
});
