import type { ResumeImport } from '../../contracts/imports.ts';
import type { ComputePool } from '../compute/compute-pool.ts';
import { importErrors, MAX_RESUME_FILE_BYTES } from './import-errors.ts';

/**
 * Reads a resume file into Markdown for the user to review; stores nothing. Used by the API and
 * by `jobforge import-resume`. The size is checked here, the parsing runs in the compute pool
 * (its thread count bounds the memory PDF and DOCX reads can take at once); a file that takes
 * longer than the pool's deadline or more than a thread's heap is refused as too complex.
 */
export async function readResumeFile(
  compute: ComputePool,
  filename: string,
  bytes: Uint8Array,
): Promise<ResumeImport> {
  if (bytes.length === 0) throw importErrors.empty();
  if (bytes.length > MAX_RESUME_FILE_BYTES) throw importErrors.tooLarge();
  return compute.run('readResumeFile', { filename, bytes }, 'Reading the file');
}
