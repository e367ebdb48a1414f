import type { ApiApp, AppDeps } from '../http/api.ts';

export function applicationsRoutes(_app: ApiApp, _deps: AppDeps): void {}
