import type { ApiApp, AppDeps } from '../http/api.ts';

export function statsRoutes(_app: ApiApp, _deps: AppDeps): void {}
