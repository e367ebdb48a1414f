import { useMutation } from '@tanstack/react-query';
import type { User } from '../../../../contracts/users.ts';
import { api } from '../../../lib/api-client.ts';
import { saveBlob } from '../../../lib/download.ts';
import { signedOut, updateUser } from '../../../lib/session-store.ts';

export const useUpdateProfile = () =>
  useMutation({
    mutationFn: (body: { email?: string; first_name?: string; last_name?: string }) =>
      api<User>('PATCH', '/users/me', { body }),
    onSuccess: updateUser,
  });

export const useChangePassword = () =>
  useMutation({
    mutationFn: (body: { current_password: string; new_password: string }) =>
      api<void>('POST', '/users/me/password', { body }),
  });

export const useDeleteAccount = () =>
  useMutation({
    mutationFn: (password: string) => api<void>('DELETE', '/users/me', { body: { password } }),
    onSuccess: () => signedOut('Your account and all its data have been deleted.'),
  });

/** Everything the user owns, as a JSON file download (built in memory: the token stays private). */
export async function downloadExport(): Promise<void> {
  const data = await api<unknown>('GET', '/users/me/export');
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  saveBlob(blob, `jobforge-export-${new Date().toISOString().slice(0, 10)}.json`);
}
