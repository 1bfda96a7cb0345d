// Answers in the shape of the tags, segments and imports contracts, for the API and form tests.
import {
  EMPTY_SEGMENT_DEFINITION,
  type ImportDetail,
  type ImportDryRun,
  type ImportJob,
  type Segment,
  type Tag,
} from '@member-hub/shared';

export const TAG_ID = '65f0c0ffee0000000000aaaa';
export const OTHER_TAG_ID = '65f0c0ffee0000000000bbbb';
export const SEGMENT_ID = '65f0c0ffee0000000000cccc';
export const STORE_ID = '65f0c0ffee0000000000dddd';
export const IMPORT_ID = '65f0c0ffee0000000000eeee';

export const ruleTag: Tag = {
  id: TAG_ID,
  name: '金卡会员',
  kind: 'rule',
  description: '',
  color: '#d4a017',
  rule: { all: [{ kind: 'tier', tiers: ['金卡'] }] },
  ruleText: '金卡',
  memberCount: 3,
  evaluatedAt: '2030-01-01T00:00:00.000Z',
  pendingEvaluation: false,
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
};

export const manualTag: Tag = {
  ...ruleTag,
  id: OTHER_TAG_ID,
  name: '老顾客',
  kind: 'manual',
  color: null,
  rule: null,
  ruleText: null,
  memberCount: 0,
  evaluatedAt: null,
};

export const segment: Segment = {
  id: SEGMENT_ID,
  name: '金卡人群',
  description: '',
  definition: { ...EMPTY_SEGMENT_DEFINITION, tags: { all: [TAG_ID], any: [], none: [] } },
  summary: '带有标签「金卡会员」',
  count: 3,
  countedAt: '2030-01-01T00:00:00.000Z',
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
};

export const queuedJob: ImportJob = {
  importId: IMPORT_ID,
  state: 'queued',
  processed: 0,
  total: 4,
  created: 0,
  linked: 0,
  skipped: 0,
  bad: 0,
  pointsEntered: 0,
  fenEntered: 0,
  startedAt: null,
  finishedAt: null,
  error: null,
};

export const importDetail: ImportDetail = {
  importId: IMPORT_ID,
  fileName: '会员.csv',
  format: 'csv',
  sizeBytes: 120,
  sha256: 'ab'.repeat(32),
  rowCount: 4,
  header: ['手机号', '姓名', '积分'],
  state: 'uploaded',
  mapping: null,
  validation: null,
  job: { ...queuedJob, state: 'uploaded', total: 0 },
  createdBy: 'owner',
  createdAt: '2030-01-01T00:00:00.000Z',
};

export const dryRun: ImportDryRun = {
  importId: IMPORT_ID,
  rows: 4,
  create: 2,
  link: 1,
  skip: 0,
  bad: 1,
  points: 300,
  balanceFen: 50_000,
  checkedAt: '2030-01-01T00:00:00.000Z',
};
