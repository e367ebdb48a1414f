import type { ApiApp, AppDeps } from '../http/api.ts';

export function resumesRoutes(_app: ApiApp, _deps: AppDeps): void {}
