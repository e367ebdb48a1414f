import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { Resume } from '../../../../contracts/resumes.ts';
import { cn } from '../../../components/ui/cn.ts';
import { EmptyState, QueryError, Spinner } from '../../../components/ui/feedback.tsx';
import { Field, Select } from '../../../components/ui/field.tsx';
import { diffRows, diffStats, type Part, type Row } from '../../../lib/diff.ts';
import { useResumes } from '../../resumes/api/resumes.ts';

const DEL =
  'rounded-sm bg-rose-200 text-rose-950 line-through decoration-rose-800 dark:bg-rose-900 dark:text-rose-50 dark:decoration-rose-200';
const INS =
  'rounded-sm bg-emerald-200 text-emerald-950 no-underline dark:bg-emerald-900 dark:text-emerald-50';

function Parts({ parts, mark }: { parts: Part[]; mark: 'del' | 'ins' }) {
  const Tag = mark;
  return parts.map((p, i) =>
    p.changed ? (
      <Tag key={i} className={mark === 'del' ? DEL : INS}>
        {p.text}
      </Tag>
    ) : (
      <span key={i}>{p.text}</span>
    ),
  );
}

const cell = 'w-1/2 border-t border-slate-200 px-2 py-0.5 align-top dark:border-slate-700';

function DiffRow({ row }: { row: Row }) {
  switch (row.kind) {
    case 'same':
      return (
        <tr>
          <td className={cell}>{row.left}</td>
          <td className={cell}>{row.right}</td>
        </tr>
      );
    case 'changed':
      return (
        <tr>
          <td className={cn(cell, 'bg-rose-50 dark:bg-rose-950/40')}>
            <Parts parts={row.left} mark="del" />
          </td>
          <td className={cn(cell, 'bg-emerald-50 dark:bg-emerald-950/40')}>
            <Parts parts={row.right} mark="ins" />
          </td>
        </tr>
      );
    case 'removed':
      return (
        <tr>
          <td className={cn(cell, 'bg-rose-50 dark:bg-rose-950/40')}>
            <del className={DEL}>{row.left}</del>
          </td>
          <td className={cell} />
        </tr>
      );
    case 'added':
      return (
        <tr>
          <td className={cell} />
          <td className={cn(cell, 'bg-emerald-50 dark:bg-emerald-950/40')}>
            <ins className={INS}>{row.right}</ins>
          </td>
        </tr>
      );
  }
}

/** The diff itself: Markdown source lines, aligned, the changes highlighted. */
export function DiffTable({ source, tailored }: { source: Resume; tailored: string }) {
  const rows = useMemo(() => diffRows(source.content, tailored), [source.content, tailored]);
  const stats = diffStats(rows);
  return (
    <div className="flex flex-col gap-2">
      <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="diff-summary">
        {stats.changed} lines changed, {stats.added} added, {stats.removed} removed. Removed text is{' '}
        <del className={DEL}>struck through</del>, new text is{' '}
        <ins className={INS}>highlighted</ins>.
      </p>
      <div className="overflow-x-auto rounded-md border border-slate-200 dark:border-slate-700">
        <table className="w-full table-fixed font-mono text-xs leading-relaxed break-words whitespace-pre-wrap">
          <caption className="sr-only">
            {source.name} beside the tailored resume, line by line
          </caption>
          <thead>
            <tr className="bg-slate-100 text-left font-sans dark:bg-slate-800">
              <th scope="col" className="px-2 py-1 font-semibold">
                Source: {source.name}
              </th>
              <th scope="col" className="px-2 py-1 font-semibold">
                Tailored resume
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <DiffRow key={i} row={r} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** The tailored resume beside a source resume (the primary unless another is chosen). */
export function ResumeComparison({ tailored }: { tailored: string }) {
  const resumes = useResumes();
  const [chosen, setChosen] = useState<string | null>(null);
  if (resumes.isPending) return <Spinner label="Loading resumes…" />;
  if (resumes.isError)
    return <QueryError error={resumes.error} retry={() => void resumes.refetch()} />;
  const items = resumes.data.items;
  const source = items.find((r) => r.id === chosen) ?? items.find((r) => r.is_primary) ?? items[0];
  if (!source) {
    return (
      <EmptyState title="No resume to compare with">
        <Link to="/resumes">Add your resume</Link> to see what the tailoring changed.
      </EmptyState>
    );
  }
  return (
    <div className="flex flex-col gap-3" data-testid="resume-comparison">
      {items.length > 1 && (
        <div className="max-w-xs">
          <Field label="Compare with">
            {(p) => (
              <Select {...p} value={source.id} onChange={(e) => setChosen(e.target.value)}>
                {items.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                    {r.is_primary ? ' (primary)' : ''}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
      )}
      <DiffTable source={source} tailored={tailored} />
    </div>
  );
}
