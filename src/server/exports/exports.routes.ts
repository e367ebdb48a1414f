import type { ApiApp, AppDeps } from '../http/api.ts';

export function exportsRoutes(_app: ApiApp, _deps: AppDeps): void {}
