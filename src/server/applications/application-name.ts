/**
 * The seed's generated application name, kept so that names stay comparable with imported seed
 * data: lower(regexp_replace(x, '[^a-zA-Z0-9]', '_', 'g')) for company and role, then the UTC
 * creation date as YYYY_MM_DD. The `u` flag makes one character (an emoji, say) one underscore, as
 * in PostgreSQL, rather than one per UTF-16 unit.
 */
export function applicationName(companyName: string, roleTitle: string, createdAt: Date): string {
  const slug = (s: string) => s.replace(/[^a-zA-Z0-9]/gu, '_').toLowerCase();
  const date = createdAt.toISOString().slice(0, 10).replaceAll('-', '_');
  return `${slug(companyName)}_${slug(roleTitle)}_${date}`;
}
