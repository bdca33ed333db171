import type { Key, ReactNode } from 'react';

/** A plain list of rows (antd's List is deprecated in antd 6.6 and warns at run time). */
export function Rows<T>({
  items,
  keyOf,
  render,
  empty,
  active,
}: {
  items: readonly T[];
  keyOf: (item: T, index: number) => Key;
  render: (item: T, index: number) => ReactNode;
  empty?: ReactNode;
  active?: (item: T, index: number) => boolean;
}) {
  if (items.length === 0) return <>{empty ?? null}</>;
  return (
    <ul className="lx-rows">
      {items.map((item, i) => (
        <li key={keyOf(item, i)} className={active?.(item, i) ? 'active' : undefined}>
          {render(item, i)}
        </li>
      ))}
    </ul>
  );
}
