import { formatFen, formatPoints } from '@member-hub/shared';
import { type FormEvent, useCallback, useState } from 'react';
import { listMembers } from '../../api/members';
import { formatDateTime } from '../../format';
import { type CursorStack, currentCursor, FIRST_PAGE } from '../../pagination';
import { navigate, routeHref } from '../../route';
import { ErrorBanner, OrDash, PageHeader, Pager, TableRows } from '../../ui';
import { useLoad } from '../../useLoad';

const COLUMNS = 7;
const QUERY_MAX = 40;

/** Kept while the tab is open, so coming back from a member's detail shows the same search and page. */
let lastView: { query: string; pages: CursorStack } = { query: '', pages: FIRST_PAGE };

export function MembersPage() {
  const [input, setInput] = useState(lastView.query);
  const [query, setQuery] = useState(lastView.query);
  const [pages, setPages] = useState<CursorStack>(lastView.pages);
  const [inputError, setInputError] = useState<string | null>(null);
  lastView = { query, pages };

  const after = currentCursor(pages);
  const load = useCallback((token: string) => listMembers(token, { q: query, after }), [query, after]);
  const { state, reload } = useLoad(load);
  const list = state.data;

  function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const q = input.trim();
    if (q.length > QUERY_MAX) {
      setInputError(`搜索内容最多 ${QUERY_MAX} 个字`);
      return;
    }
    setInputError(null);
    if (q === query && pages === FIRST_PAGE) reload();
    setQuery(q);
    setPages(FIRST_PAGE);
  }

  function clear() {
    setInput('');
    setInputError(null);
    setQuery('');
    setPages(FIRST_PAGE);
  }

  const loading = state.status === 'loading';
  return (
    <section className="page">
      <PageHeader title="会员" description="按手机号、会员号或昵称查找会员" />

      <form className="toolbar" onSubmit={search}>
        <input
          className="input member-search-input"
          type="search"
          aria-label="搜索会员"
          placeholder="手机号 / 会员号 / 昵称"
          maxLength={QUERY_MAX + 10}
          value={input}
          onChange={(event) => setInput(event.target.value)}
        />
        <button className="button button-primary member-search-submit" type="submit">
          搜索
        </button>
        {query !== '' && (
          <button className="button button-text" type="button" onClick={clear}>
            清空
          </button>
        )}
      </form>
      <ErrorBanner message={inputError} />
      {state.status === 'failed' && <ErrorBanner message={state.message} />}

      <div className="card table-card" aria-busy={loading}>
        <table className="table">
          <thead>
            <tr>
              <th>会员号</th>
              <th>昵称</th>
              <th>手机</th>
              <th>等级</th>
              <th className="num">积分</th>
              <th className="num">储值余额</th>
              <th>注册时间</th>
            </tr>
          </thead>
          <tbody className={loading && list ? 'is-stale' : undefined}>
            <TableRows
              rows={list?.items ?? null}
              loading={loading}
              colSpan={COLUMNS}
              empty={query === '' ? '暂无数据' : `没有找到与「${query}」匹配的会员`}
            >
              {(member) => (
                <tr
                  key={member.memberId}
                  className="member-row is-clickable"
                  data-member-id={member.memberId}
                  onClick={() => navigate({ page: 'member', id: member.memberId })}
                >
                  <td>
                    <a href={routeHref({ page: 'member', id: member.memberId })} className="mono">
                      {member.memberNo}
                    </a>
                    {member.status !== 'active' && (
                      <span className="tag-merged">{member.status === 'merged' ? '已合并' : '已注销'}</span>
                    )}
                  </td>
                  <td>
                    <OrDash value={member.nickname} />
                  </td>
                  <td className="mono">
                    <OrDash value={member.maskedPhone} />
                  </td>
                  <td>{member.tier}</td>
                  <td className="num">{formatPoints(member.points)}</td>
                  <td className="num">{formatFen(member.storedValueFen)}</td>
                  <td>{formatDateTime(member.createdAt)}</td>
                </tr>
              )}
            </TableRows>
          </tbody>
        </table>
        <Pager pages={pages} next={list?.next ?? null} busy={loading} onChange={setPages} />
      </div>
    </section>
  );
}
