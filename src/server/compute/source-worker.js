// The compute pool's thread entry while the server runs from its TypeScript sources (decision
// 062). Node 20 does not apply the parent's `--import tsx` loader hooks in worker threads, so
// this plain JavaScript module registers tsx in the thread, then loads the TypeScript worker
// module the pool names. A compiled build does not use it: the pool loads compute.worker.js.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { default: runTask } = await import(workerData.module);

export default runTask;
