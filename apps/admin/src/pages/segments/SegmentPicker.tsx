// Picking a saved segment for a coupon push: the segments by name, and the one picked counted now (the server
// stores the count on it), so the owner sees how many members the push will reach before sending it.
import { useCallback } from 'react';
import { countSegment, listAllSegments } from '../../api/segments';
import { inputClass } from '../../forms';
import { routeHref } from '../../route';
import { FieldWithError, InlineError } from '../../ui';
import { useLoad } from '../../useLoad';
import { memberCountText, savedCountText } from './segmentForms';

export function SegmentPicker({
  id,
  value,
  error,
  onChange,
}: {
  id: string;
  value: string;
  error: string | undefined;
  onChange(segmentId: string): void;
}) {
  const segments = useLoad(listAllSegments);
  const list = segments.state.data ?? [];
  const countNow = useCallback(
    (token: string) => (value === '' ? Promise.resolve(null) : countSegment(token, value)),
    [value],
  );
  const count = useLoad(countNow);
  const live = count.state.data;

  return (
    <div className="segment-picker">
      <FieldWithError path="segmentId" label="分群" htmlFor={id} error={error}>
        <select id={id} className={inputClass(error)} value={value} onChange={(event) => onChange(event.target.value)}>
          <option value="">{segments.state.status === 'loading' ? '加载中…' : '请选择分群'}</option>
          {list.map((segment) => (
            <option key={segment.id} value={segment.id}>
              {segment.name}（{savedCountText({ count: segment.count, countedAt: null })}）
            </option>
          ))}
        </select>
      </FieldWithError>
      {segments.state.status === 'failed' && <InlineError message={segments.state.message} />}
      {segments.state.status === 'ready' && list.length === 0 && (
        <p className="muted">
          还没有分群，请先到 <a href={routeHref({ page: 'segment', id: 'new' })}>分群</a> 新建。
        </p>
      )}
      {value !== '' && (
        <p className="muted issue-target-preview" role="status">
          {live && count.state.status === 'ready' ? (
            <>
              将发给{' '}
              <strong className="segment-live-count" data-count={live.count}>
                {memberCountText(live.count)}
              </strong>
              ：{live.summary}
            </>
          ) : count.state.status === 'failed' ? (
            <span className="inline-error">{count.state.message}</span>
          ) : (
            '正在统计人数…'
          )}
        </p>
      )}
    </div>
  );
}
