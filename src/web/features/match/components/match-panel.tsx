import { useState } from 'react';
import { Link } from 'react-router';
import { cn } from '../../../components/ui/cn.ts';
import { EmptyState, QueryError, Spinner } from '../../../components/ui/feedback.tsx';
import { useDocuments } from '../../documents/api/documents.ts';
import { useResumes } from '../../resumes/api/resumes.ts';
import { ResumeSelect } from '../../resumes/components/resume-select.tsx';
import { isNoResume, useMatch } from '../api/match.ts';
import {
  groupRequirements,
  statusChanges,
  STATUS_ORDER,
  type Requirement,
  type Status,
} from '../match-logic.ts';

const STATUS_LABELS: Record<Status, string> = {
  met: 'Met',
  partial: 'Partly met',
  missing: 'Missing',
};
/** A symbol as well as a colour: the status reads without colour too. */
const STATUS_ICON: Record<Status, string> = { met: '✓', partial: '◐', missing: '✗' };
const STATUS_CLASS: Record<Status, string> = {
  met: 'text-emerald-800 dark:text-emerald-300',
  partial: 'text-amber-800 dark:text-amber-300',
  missing: 'text-rose-800 dark:text-rose-300',
};

function RequirementItem({ r }: { r: Requirement }) {
  return (
    <li className="flex flex-col gap-1">
      <span>
        {r.text}{' '}
        <span className="text-xs text-slate-600 dark:text-slate-400">
          ({r.importance === 'must' ? 'must-have' : 'nice to have'})
        </span>
      </span>
      {r.evidence.length > 0 && (
        <ul aria-label="Evidence from the resume" className="flex flex-col gap-1">
          {r.evidence.map((q, i) => (
            <li key={i}>
              <blockquote className="border-l-2 border-slate-300 pl-2 text-xs text-slate-700 italic dark:border-slate-600 dark:text-slate-300">
                {q}
              </blockquote>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

interface Analysis {
  score: number;
  requirements: Requirement[];
  missing_keywords: string[];
}

function AnalysisColumn({
  title,
  analysis,
  testId,
  delta,
}: {
  title: string;
  analysis: Analysis;
  testId: string;
  delta?: number;
}) {
  const groups = groupRequirements(analysis.requirements);
  return (
    <section aria-label={title} className="flex min-w-0 flex-col gap-3" data-testid={testId}>
      <h3 className="font-semibold">{title}</h3>
      {analysis.requirements.length > 0 && (
        <p className="flex items-baseline gap-2">
          <span className="text-3xl font-bold tabular-nums" data-testid="match-score">
            {analysis.score}
          </span>
          <span className="text-sm text-slate-600 dark:text-slate-300">/ 100 match</span>
          {delta !== undefined && delta !== 0 && (
            <span className="text-sm font-medium">
              ({delta > 0 ? '+' : '−'}
              {Math.abs(delta)} after tailoring)
            </span>
          )}
        </p>
      )}
      {analysis.requirements.length === 0 && (
        <p className="text-sm text-slate-600 dark:text-slate-300">
          No score: no requirements could be read from the job description. A list of requirements
          (one per line or bullet) in the posting gives one.
        </p>
      )}
      {STATUS_ORDER.map((s) =>
        groups[s].length === 0 ? null : (
          <div key={s}>
            <h4 className={cn('mb-1 text-sm font-semibold', STATUS_CLASS[s])}>
              <span aria-hidden="true">{STATUS_ICON[s]} </span>
              {STATUS_LABELS[s]} ({groups[s].length})
            </h4>
            <ul className="flex list-disc flex-col gap-2 pl-5 text-sm">
              {groups[s].map((r, i) => (
                <RequirementItem key={i} r={r} />
              ))}
            </ul>
          </div>
        ),
      )}
      {analysis.missing_keywords.length > 0 && (
        <div>
          <h4 className="mb-1 text-sm font-semibold">Keywords the resume lacks</h4>
          <ul className="flex flex-wrap gap-1" data-testid="missing-keywords">
            {analysis.missing_keywords.map((k) => (
              <li
                key={k}
                className="rounded-full border border-slate-300 px-2 py-0.5 text-xs dark:border-slate-600"
              >
                {k}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/**
 * How the resume meets the posting: score, requirements met / partly met / missing with the
 * resume lines that show them, missing keywords; beside it the tailored resume's, when drafted.
 * Analysed against the resume the tailored resume was drafted from (else the primary); with
 * several resumes the user can pick another. Without any resume there is nothing to ask the API.
 */
export function MatchPanel({ applicationId }: { applicationId: string }) {
  const resumes = useResumes();
  const documents = useDocuments(applicationId);
  const [picked, setPicked] = useState<string>();
  // Wait for the documents too: they say which resume the tailored one was drafted from, and
  // analysing the primary first would ask twice and briefly show the wrong analysis.
  if (resumes.isPending || documents.isPending) return <Spinner label="Loading resumes…" />;
  if (resumes.isError)
    return <QueryError error={resumes.error} retry={() => void resumes.refetch()} />;
  const items = resumes.data.items;
  const draftedFrom = documents.data?.items.find((d) => d.document_type === 'optimized_resume')
    ?.grounding?.checked_against_resume_id;
  const source =
    items.find((r) => r.id === picked) ??
    items.find((r) => r.id === draftedFrom) ??
    items.find((r) => r.is_primary) ??
    items[0];
  if (!source) return <NoResume />;
  return (
    <div className="flex flex-col gap-3">
      {items.length > 1 && (
        <div className="max-w-sm">
          <ResumeSelect
            label="Match against"
            hint={
              source.id === draftedFrom
                ? 'The resume the tailored resume was drafted from'
                : undefined
            }
            resumes={items}
            value={source.id}
            onChange={setPicked}
          />
        </div>
      )}
      <Analysis applicationId={applicationId} resumeId={source.id} />
    </div>
  );
}

function NoResume() {
  return (
    <EmptyState title="No resume to match yet">
      <Link to="/resumes">Add your resume</Link> to see how it meets this posting.
    </EmptyState>
  );
}

function Analysis({ applicationId, resumeId }: { applicationId: string; resumeId: string }) {
  const match = useMatch(applicationId, resumeId);
  if (match.isPending) return <Spinner label="Analysing the match…" />;
  if (match.isError) {
    if (isNoResume(match.error)) return <NoResume />;
    return <QueryError error={match.error} retry={() => void match.refetch()} />;
  }
  const m = match.data;
  const t = m.tailored;
  const changes = t ? statusChanges(m.requirements, t.requirements) : null;
  return (
    <div className="flex flex-col gap-3" data-testid="match-panel">
      {t && changes && (
        <p className="text-sm" data-testid="match-summary">
          {m.requirements.length > 0 ? (
            <>
              Tailoring (version {t.version}) moved the score from {m.score} to {t.score}:{' '}
              {changes.improved} requirement{changes.improved === 1 ? '' : 's'} better met
              {changes.worsened > 0 ? `, ${changes.worsened} less` : ''}.{' '}
            </>
          ) : (
            <>Tailored resume, version {t.version}. </>
          )}
          {t.grounding.grounded
            ? 'Every line of it traces back to your resume.'
            : `${t.grounding.ungrounded.length} line${t.grounding.ungrounded.length === 1 ? '' : 's'} cannot be traced to your resume: see “Compare with source resume”.`}
        </p>
      )}
      <div className={cn('grid gap-4', t && 'md:grid-cols-2')}>
        <AnalysisColumn
          title={t ? 'Before: your resume' : 'Your resume'}
          analysis={m}
          testId="match-before"
        />
        {t && (
          <AnalysisColumn
            title="After: tailored resume"
            analysis={t}
            testId="match-after"
            delta={t.score - m.score}
          />
        )}
      </div>
    </div>
  );
}
