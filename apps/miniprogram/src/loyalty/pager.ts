/** One page of a cursor-paged list. */
export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface PagerState<T> {
  items: T[];
  /** Cursor for the next page; null once the last page arrived. */
  next: string | null;
  /** True once the first page arrived (so "empty" means really empty). */
  loaded: boolean;
  /** No more pages after this one. */
  done: boolean;
  loading: boolean;
  /** What went wrong with the last page asked for; the items already shown stay. */
  error: string | null;
}

export interface Pager<T> {
  state(): PagerState<T>;
  /** Starts again from the newest page (on show, after a new purchase...). */
  reload(): Promise<void>;
  /** The next page, unless one is loading or the last one arrived; call freely on every scroll to the bottom. */
  loadMore(): Promise<void>;
}

/**
 * Infinite-scroll state for a cursor-paged list: pages are appended in order, a page that answers late after a
 * reload is dropped, and nothing more is asked once the server says `next: null`.
 */
export function createPager<T>({
  load,
  onChange,
  describeError = () => '加载失败，请稍后重试',
}: {
  load: (after: string | null) => Promise<Page<T>>;
  onChange: (state: PagerState<T>) => void;
  describeError?: (error: unknown) => string;
}): Pager<T> {
  let state: PagerState<T> = { items: [], next: null, loaded: false, done: false, loading: false, error: null };
  // Bumped on reload, so a page asked for before it is not appended to the new list.
  let generation = 0;

  function set(patch: Partial<PagerState<T>>) {
    state = { ...state, ...patch };
    onChange(state);
  }

  async function fetchPage(after: string | null, replace: boolean) {
    const mine = generation;
    set({ loading: true, error: null });
    try {
      const page = await load(after);
      if (mine !== generation) return;
      set({
        items: replace ? page.items : [...state.items, ...page.items],
        next: page.next,
        done: page.next === null,
        loaded: true,
        loading: false,
      });
    } catch (error) {
      if (mine !== generation) return;
      set({ loading: false, error: describeError(error) });
    }
  }

  return {
    state: () => state,
    reload() {
      generation += 1;
      state = { ...state, loading: false };
      return fetchPage(null, true);
    },
    loadMore() {
      if (state.loading || state.done) return Promise.resolve();
      if (!state.loaded) return fetchPage(null, true);
      return fetchPage(state.next, false);
    },
  };
}
