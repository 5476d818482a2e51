// `npm run admin -- <command>`: brands and channels through the running API's admin routes.
import { runAdminCli } from './admin/main.js';

process.exitCode = await runAdminCli(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
