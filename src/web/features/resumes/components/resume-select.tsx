import type { Resume } from '../../../../contracts/resumes.ts';
import { Field, Select } from '../../../components/ui/field.tsx';

/** A labelled choice among the user's resumes, the primary one marked. */
export function ResumeSelect({
  label,
  hint,
  resumes,
  value,
  onChange,
}: {
  label: string;
  hint?: string | undefined;
  resumes: Pick<Resume, 'id' | 'name' | 'is_primary'>[];
  value: string;
  onChange: (id: string) => void;
}) {
  return (
    <Field label={label} {...(hint ? { hint } : {})}>
      {(p) => (
        <Select {...p} value={value} onChange={(e) => onChange(e.target.value)}>
          {resumes.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
              {r.is_primary ? ' (primary)' : ''}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}
