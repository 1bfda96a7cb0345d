// The routes of 营销活动, 后台任务 and 消息记录, through route.ts's parseHash / routeHref / navKeyOf.
import { navKeyOf, parseHash, type Route, routeHref } from './route';

const ID = '65f0c0ffee0000000000abcd';

describe('campaign routes', () => {
  it('opens the list, the editor of a new one and one campaign', () => {
    expect(parseHash('#/campaigns')).toEqual({ page: 'campaigns' });
    expect(parseHash('#/campaigns/new')).toEqual({ page: 'campaign', id: 'new' });
    expect(parseHash(`#/campaigns/${ID.toUpperCase()}`)).toEqual({ page: 'campaign', id: ID });
    expect(parseHash('#/campaigns/abc').page).toBe('notFound');
    expect(parseHash(`#/campaigns/${ID}/results`).page).toBe('notFound');
    expect(navKeyOf({ page: 'campaign', id: ID })).toBe('campaigns');
    expect(navKeyOf({ page: 'campaigns' })).toBe('campaigns');
  });
});

describe('job routes', () => {
  it('keeps the job whose runs are open, when it looks like a job name', () => {
    expect(parseHash('#/jobs')).toEqual({ page: 'jobs', job: null });
    expect(parseHash('#/jobs?job=expireDuePoints')).toEqual({ page: 'jobs', job: 'expireDuePoints' });
    expect(parseHash('#/jobs?job=%3Cscript%3E')).toEqual({ page: 'jobs', job: null });
    expect(parseHash('#/jobs/expireDuePoints').page).toBe('notFound');
    expect(navKeyOf({ page: 'jobs', job: 'rfmDaily' })).toBe('jobs');
  });
});

describe('message routes', () => {
  it('keeps known filters and drops unknown ones', () => {
    expect(parseHash('#/messages')).toEqual({ page: 'messages', status: null, kind: null });
    expect(parseHash('#/messages?status=failed&kind=birthday')).toEqual({
      page: 'messages',
      status: 'failed',
      kind: 'birthday',
    });
    expect(parseHash('#/messages?status=lost&kind=spam')).toEqual({ page: 'messages', status: null, kind: null });
    expect(parseHash('#/messages/1').page).toBe('notFound');
    expect(navKeyOf({ page: 'messages', status: null, kind: null })).toBe('messages');
  });
});

describe('links', () => {
  it.each<[Route, string]>([
    [{ page: 'campaigns' }, '#/campaigns'],
    [{ page: 'campaign', id: 'new' }, '#/campaigns/new'],
    [{ page: 'campaign', id: ID }, `#/campaigns/${ID}`],
    [{ page: 'jobs', job: null }, '#/jobs'],
    [{ page: 'jobs', job: 'sendMessages' }, '#/jobs?job=sendMessages'],
    [{ page: 'messages', status: null, kind: null }, '#/messages'],
    [{ page: 'messages', status: 'no_quota', kind: null }, '#/messages?status=no_quota'],
    [{ page: 'messages', status: 'sent', kind: 'campaign_points' }, '#/messages?status=sent&kind=campaign_points'],
  ])('%j <-> %s', (route, href) => {
    expect(routeHref(route)).toBe(href);
    expect(parseHash(href)).toEqual(route);
  });
});
