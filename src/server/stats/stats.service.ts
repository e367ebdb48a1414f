import type { ApplicationStats } from '../../contracts/stats.ts';
import type { AuthContext, Tenant } from '../auth/tenant.ts';
import * as repo from './stats.repository.ts';

/** The dashboard's figures, computed in SQL in one tenant transaction (one consistent view). */
export class StatsService {
  constructor(private readonly tenant: Tenant) {}

  applications(auth: AuthContext): Promise<ApplicationStats> {
    return this.tenant(auth, async (tx) => {
      const totals = await repo.totals(tx, auth.userId);
      const weeks = await repo.weeks(tx, auth.userId);
      const rate =
        totals.applied_count === 0 ? null : totals.responded_count / totals.applied_count;
      return { ...totals, weeks, response_rate: rate };
    });
  }
}
