// Loaded into every test worker (ava's `require`): once a file's tests and hooks are done, its worker exits at once.
// ava frees a worker's slot only when its process exits, and timers a stopped gateway leaves behind (Agenda arms one
// per upcoming job and never clears it) kept each worker alive for up to 30 s after its last test.
import { registerCompletionHandler } from 'ava';
import { profileThisWorker } from './profile.js';

profileThisWorker();

registerCompletionHandler(() => {
  process.exit();
});
