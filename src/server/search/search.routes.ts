import type { ApiApp, AppDeps } from '../http/api.ts';

export function searchRoutes(_app: ApiApp, _deps: AppDeps): void {}
