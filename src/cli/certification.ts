// `pss certification`: certification records from the command line (bulk import of certified peers).
import type { Command } from 'commander';

export function registerCertification(program: Command): void {
  program.command('certification').description('Certification records: bulk import of already-certified peers');
}
