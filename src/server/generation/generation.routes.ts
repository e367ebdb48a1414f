import type { ApiApp, AppDeps } from '../http/api.ts';

export function generationRoutes(_app: ApiApp, _deps: AppDeps): void {}
