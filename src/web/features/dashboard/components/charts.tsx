import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ApplicationStats } from '../../../../contracts/stats.ts';
import { Card } from '../../../components/ui/feedback.tsx';

const FUNNEL = [
  ['draft', 'Draft'],
  ['applied', 'Applied'],
  ['interview', 'Interview'],
  ['offer', 'Offer'],
  ['rejected', 'Rejected'],
] as const;

/** The two charts, each with a table fallback that screen readers get instead of the SVG. */
export default function Charts({ stats }: { stats: ApplicationStats }) {
  const byStatus = FUNNEL.map(([key, label]) => ({ label, count: stats.by_status[key] }));
  const weeks = stats.weeks.map((w) => ({ ...w, label: w.week_start.slice(5) }));
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card>
        <h2 className="mb-2 font-semibold">Applications by status</h2>
        <div aria-hidden="true" className="h-56">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart
              data={byStatus}
              layout="vertical"
              margin={{ left: 16 }}
              accessibilityLayer={false}
            >
              <CartesianGrid strokeDasharray="3 3" horizontal={false} />
              <XAxis type="number" allowDecimals={false} />
              <YAxis type="category" dataKey="label" width={72} />
              <Tooltip />
              <Bar dataKey="count" fill="#6366f1" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <table className="sr-only">
          <caption>Applications by status</caption>
          <tbody>
            {byStatus.map((r) => (
              <tr key={r.label}>
                <th scope="row">{r.label}</th>
                <td data-testid={`funnel-${r.label.toLowerCase()}`}>{r.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Card>
        <h2 className="mb-2 font-semibold">Per week (last 12 weeks)</h2>
        <div aria-hidden="true" className="h-56">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={weeks} accessibilityLayer={false}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="label" />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Bar dataKey="added" name="Added" fill="#94a3b8" isAnimationActive={false} />
              <Bar dataKey="applied" name="Applied" fill="#6366f1" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
        <table className="sr-only">
          <caption>Applications added and applied for per week</caption>
          <thead>
            <tr>
              <th scope="col">Week of</th>
              <th scope="col">Added</th>
              <th scope="col">Applied</th>
            </tr>
          </thead>
          <tbody>
            {stats.weeks.map((w) => (
              <tr key={w.week_start}>
                <th scope="row">{w.week_start}</th>
                <td>{w.added}</td>
                <td>{w.applied}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </div>
  );
}
