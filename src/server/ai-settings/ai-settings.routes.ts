import type { ApiApp, AppDeps } from '../http/api.ts';

export function aiSettingsRoutes(_app: ApiApp, _deps: AppDeps): void {}
