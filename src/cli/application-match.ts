/** What the CLI needs to tell applications apart when a person names one. */
export interface ApplicationSummary {
  id: string;
  name: string;
  company_name: string;
  role_title: string;
  created_at: string;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const fold = (s: string) => s.normalize('NFC').toLocaleLowerCase().replace(/\s+/g, ' ').trim();

/** The ways a person may write an application: "Acme", "Backend Engineer", "Acme Backend Engineer". */
function spellings(a: ApplicationSummary): string[] {
  const company = fold(a.company_name);
  const role = fold(a.role_title);
  return [
    fold(a.name),
    company,
    role,
    `${company} ${role}`,
    `${company} - ${role}`,
    `${role} at ${company}`,
  ];
}

const describe = (a: ApplicationSummary) =>
  `${a.id}  ${a.company_name} — ${a.role_title} (${a.created_at.slice(0, 10)})`;

/**
 * Finds the one application `ref` names: its id, its generated name, or (case-insensitively) its
 * company, role or both. An exact match wins over a partial one, so "Acme" picks the Acme
 * application even when "Acme Robotics" exists too. Several matches are an error that lists them,
 * so the person can retry with an id: guessing would export or overwrite the wrong thing.
 */
export function matchApplication(ref: string, apps: ApplicationSummary[]): ApplicationSummary {
  const wanted = fold(ref);
  if (wanted === '') throw new Error('Name an application: its id, company or role.');
  if (UUID_RE.test(wanted)) {
    const byId = apps.find((a) => a.id.toLowerCase() === wanted);
    if (byId) return byId;
    throw new Error(`No application has the id ${ref.trim()}.`);
  }
  const exact = apps.filter((a) => spellings(a).includes(wanted));
  const candidates =
    exact.length > 0 ? exact : apps.filter((a) => spellings(a).some((s) => s.includes(wanted)));
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) {
    throw new Error(`No application matches "${ref.trim()}" (by id, company or role).`);
  }
  const shown = candidates.slice(0, 10).map(describe);
  if (candidates.length > shown.length)
    shown.push(`… and ${candidates.length - shown.length} more`);
  throw new Error(
    `${candidates.length} applications match "${ref.trim()}"; give the id of one:\n  ${shown.join('\n  ')}`,
  );
}
