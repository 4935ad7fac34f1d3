// A USWDS table with its caption and column headers; rows are the children. It stacks into cards on phones,
// where each cell's data-label names its column.
import type { ComponentChildren } from 'preact';

interface DataTableProps {
  caption: string;
  columns: string[];
  /** Extra USWDS modifiers, e.g. "usa-table--striped width-full". */
  variant?: string;
  testId?: string;
  children: ComponentChildren;
}

export function DataTable({ caption, columns, variant, testId, children }: DataTableProps) {
  return (
    <table class={['usa-table usa-table--stacked', variant].filter(Boolean).join(' ')} data-testid={testId}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th scope="col" key={column}>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
