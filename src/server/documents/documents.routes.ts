import type { ApiApp, AppDeps } from '../http/api.ts';

export function documentsRoutes(_app: ApiApp, _deps: AppDeps): void {}
