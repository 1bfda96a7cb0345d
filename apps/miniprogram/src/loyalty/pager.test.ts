import { createPager, type Page, type PagerState } from './pager';

type Entry = { id: string };
const entries = (...ids: string[]): Entry[] => ids.map((id) => ({ id }));

/** A history of three pages; `calls` records each cursor asked for. */
function setup(pages: Record<string, Page<Entry> | Error>) {
  const calls: (string | null)[] = [];
  const states: PagerState<Entry>[] = [];
  const pager = createPager<Entry>({
    load: async (after) => {
      calls.push(after);
      const page = pages[after ?? 'first'];
      if (!page) throw new Error(`no page for ${after}`);
      if (page instanceof Error) throw page;
      return page;
    },
    onChange: (state) => states.push(state),
    describeError: (error) => (error instanceof Error ? error.message : 'x'),
  });
  return { pager, calls, states };
}

describe('history pager', () => {
  it('appends each page in order and stops asking once next is null', async () => {
    const { pager, calls } = setup({
      first: { items: entries('e5', 'e4'), next: 'e4' },
      e4: { items: entries('e3', 'e2'), next: 'e2' },
      e2: { items: entries('e1'), next: null },
    });

    await pager.reload();
    expect(pager.state()).toMatchObject({ items: entries('e5', 'e4'), loaded: true, done: false, next: 'e4' });
    await pager.loadMore();
    await pager.loadMore();
    expect(pager.state().items.map((e) => e.id)).toEqual(['e5', 'e4', 'e3', 'e2', 'e1']);
    expect(pager.state()).toMatchObject({ done: true, next: null, loading: false });

    // Reaching the bottom again does nothing: the server said there is no more.
    await pager.loadMore();
    await pager.loadMore();
    expect(calls).toEqual([null, 'e4', 'e2']);
  });

  it('an empty first page is loaded and done (the page shows "还没有积分记录")', async () => {
    const { pager, calls } = setup({ first: { items: [], next: null } });
    await pager.loadMore();
    expect(pager.state()).toMatchObject({ items: [], loaded: true, done: true });
    await pager.loadMore();
    expect(calls).toEqual([null]);
  });

  it('asks for one page at a time while scroll events keep coming', async () => {
    const { pager, calls } = setup({
      first: { items: entries('e2'), next: 'e2' },
      e2: { items: entries('e1'), next: null },
    });
    await pager.reload();
    await Promise.all([pager.loadMore(), pager.loadMore(), pager.loadMore()]);
    expect(calls).toEqual([null, 'e2']);
    expect(pager.state().items.map((e) => e.id)).toEqual(['e2', 'e1']);
  });

  it('keeps the rows shown when a later page fails, and retries the same cursor', async () => {
    const pages: Record<string, Page<Entry> | Error> = {
      first: { items: entries('e2'), next: 'e2' },
      e2: new Error('网络连接失败'),
    };
    const { pager, calls } = setup(pages);
    await pager.reload();
    await pager.loadMore();
    expect(pager.state()).toMatchObject({ items: entries('e2'), error: '网络连接失败', done: false, loading: false });

    pages.e2 = { items: entries('e1'), next: null };
    await pager.loadMore();
    expect(pager.state()).toMatchObject({ items: entries('e2', 'e1'), error: null, done: true });
    expect(calls).toEqual([null, 'e2', 'e2']);
  });

  it('reload starts over from the newest page, and a page from before the reload is dropped', async () => {
    let release: (page: Page<Entry>) => void = () => {};
    const calls: (string | null)[] = [];
    let first = true;
    const pager = createPager<Entry>({
      load: (after) => {
        calls.push(after);
        if (after === 'old') return new Promise((resolve) => (release = resolve));
        const page = first ? { items: entries('old'), next: 'old' } : { items: entries('new', 'old'), next: 'old' };
        first = false;
        return Promise.resolve(page);
      },
      onChange: () => {},
    });
    await pager.reload();
    const late = pager.loadMore(); // still waiting when the member comes back to the tab
    await pager.reload();
    release({ items: entries('older'), next: null });
    await late;
    expect(pager.state().items.map((e) => e.id)).toEqual(['new', 'old']);
    expect(pager.state().done).toBe(false);
  });
});
