import { Link } from 'react-router';
import { documentType } from '../../../../contracts/documents.ts';
import { QueryError, Spinner } from '../../../components/ui/feedback.tsx';
import { StatusBadge } from '../../applications/components/status.tsx';
import { DOCUMENT_LABELS } from '../../documents/api/documents.ts';
import { useSimilar } from '../api/similar.ts';

/** Cosine similarity as a whole percentage: 1 is the same wording. */
export const percent = (score: number): number => Math.round(Math.min(1, Math.max(0, score)) * 100);

/** "87% alike" */
export const alike = (score: number): string => `${percent(score)}% alike`;

/**
 * The API answers the nearest applications however far they are; one that shares nothing with
 * this posting (under 1%) is not "similar" and is left out.
 */
export const isAlike = (score: number): boolean => percent(score) > 0;

/**
 * "Similar applications": past applications whose postings read like this one, each linking to
 * its workspace and to the documents drafted for it (opened on that document's tab), so an
 * earlier cover letter or tailored resume can be reused.
 */
export function SimilarApplications({ applicationId }: { applicationId: string }) {
  const similar = useSimilar(applicationId);
  if (similar.isPending) return <Spinner label="Finding similar applications…" />;
  if (similar.isError)
    return <QueryError error={similar.error} retry={() => void similar.refetch()} />;
  const items = similar.data.items.filter((i) => isAlike(i.score));
  if (items.length === 0) {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="similar-empty">
        None yet: your other applications will be listed here when their postings read alike.
      </p>
    );
  }
  return (
    <ul className="flex flex-col gap-3" aria-label="Similar applications" data-testid="similar">
      {items.map(({ application: a, score, documents }) => (
        <li key={a.id} className="flex flex-col gap-1 text-sm">
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <Link to={`/applications/${a.id}`} className="font-medium">
              {a.role_title} at {a.company_name}
            </Link>
            <StatusBadge status={a.status} />
          </div>
          <p className="text-xs text-slate-600 dark:text-slate-400">
            {alike(score)} · added {new Date(a.created_at).toLocaleDateString()}
          </p>
          {documents.length > 0 && (
            <ul
              className="flex flex-wrap gap-x-3 gap-y-1"
              aria-label={`Documents of ${a.role_title} at ${a.company_name}`}
            >
              {[...documents]
                .sort(
                  (x, y) =>
                    documentType.options.indexOf(x.document_type) -
                    documentType.options.indexOf(y.document_type),
                )
                .map((d) => (
                  <li key={d.id}>
                    <Link to={`/applications/${a.id}?document=${d.document_type}`}>
                      {DOCUMENT_LABELS[d.document_type]}
                    </Link>
                  </li>
                ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}
