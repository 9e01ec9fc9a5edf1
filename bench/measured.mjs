// Runs one measured task in its own process and prints {"ms", "maxRssMB"} as the last line, so
// peak memory belongs to that task alone.
//   node bench/measured.mjs gatelog <gatelog args...>     the real CLI (built in dist/)
//   node bench/measured.mjs duckdb-read-json-auto FILE DB  DuckDB's own loader, the baseline
import { DuckDBInstance } from '@duckdb/node-api';

const [task, ...args] = process.argv.slice(2);
const t0 = performance.now();
if (task === 'gatelog') {
  const { main } = await import('../dist/cli/main.js');
  const code = await main(args);
  if (code !== 0) {
    console.error(`gatelog ${args.join(' ')} exited ${code}`);
    process.exit(code);
  }
} else if (task === 'duckdb-read-json-auto') {
  const [file, db] = args;
  const instance = await DuckDBInstance.create(db);
  const con = await instance.connect();
  await con.run(`CREATE TABLE t AS SELECT * FROM read_json_auto('${file.replace(/'/g, "''")}')`);
  await con.run('CHECKPOINT');
  con.closeSync();
  instance.closeSync();
} else {
  console.error(`unknown task ${task}`);
  process.exit(1);
}
const ms = performance.now() - t0;
console.log(JSON.stringify({ ms: Math.round(ms), maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
