// The class filter of the members and churn lists: 全部分类 or one of the nine.
import type { RfmClass } from '@member-hub/shared';
import { classOptions } from './rfmForms';

export function ClassFilter({
  className,
  value,
  onChange,
}: {
  className: string;
  value: RfmClass | null;
  onChange(value: RfmClass | null): void;
}) {
  const options = classOptions();
  return (
    <label className="inline-field">
      <span>分类</span>
      <select
        className={`input ${className}`}
        value={value ?? ''}
        onChange={(event) => onChange(options.find(([known]) => known === event.target.value)?.[0] ?? null)}
      >
        <option value="">全部分类</option>
        {options.map(([rfmClass, name]) => (
          <option key={rfmClass} value={rfmClass}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
