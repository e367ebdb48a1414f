import type { ApiApp, AppDeps } from '../http/api.ts';

export function importsRoutes(_app: ApiApp, _deps: AppDeps): void {}
