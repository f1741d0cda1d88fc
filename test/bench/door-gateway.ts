// For `npm run bench:pipeline` with BENCH_DOOR=1: a gateway in its own process that only takes the pushes
// (BACKGROUND_WORK=false), on the benchmark's database, beside the benchmark's gateway that does the work. Its
// settings come as one JSON argument; it prints `listening <port>` once it answers.
import { loadConfig } from '../../config/load.js';
import { startGateway } from '../../gateway/main.js';

const env = JSON.parse(process.argv[2]!) as Record<string, string>;
const gw = await startGateway(loadConfig({ ...env, BACKGROUND_WORK: 'false', PORT: '0' }), { quiet: true });
process.stdout.write(`listening ${new URL(gw.url).port}\n`);
process.on('SIGTERM', () => void gw.stop().then(() => process.exit(0)));
