import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AiSettings,
  AiSettingsBody,
  AiStatus,
  TestConnectionBody,
  TestConnectionResult,
} from '../../../../contracts/ai.ts';
import { api } from '../../../lib/api-client.ts';

export const useAiSettings = () =>
  useQuery({
    queryKey: ['ai', 'settings'],
    queryFn: ({ signal }) => api<AiSettings>('GET', '/users/me/ai-settings', { signal }),
  });

export const useAiStatus = () =>
  useQuery({
    queryKey: ['ai', 'status'],
    queryFn: ({ signal }) => api<AiStatus>('GET', '/ai/status', { signal }),
  });

export function useSaveAiSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: AiSettingsBody) => api<AiSettings>('PUT', '/users/me/ai-settings', { body }),
    onSuccess: (saved) => {
      qc.setQueryData(['ai', 'settings'], saved);
      return qc.invalidateQueries({ queryKey: ['ai', 'status'] });
    },
  });
}

export const useTestConnection = () =>
  useMutation({
    mutationFn: (body: TestConnectionBody) =>
      api<TestConnectionResult>('POST', '/ai/test-connection', {
        body: body ?? undefined,
      }),
  });
