import { runCheck } from './cli';

/** `npm run check -- <url|file> --service <name> [--spec <module>]` (standalone until the `obskit` bin dispatches here). */
runCheck(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 2;
  },
);
