/** What one schema check found: `failures` fail it (and `npm run schema:check`); `notes` are printed only. */
export interface CheckResult {
  check: string;
  ok: boolean;
  failures: string[];
  notes: string[];
}

export function checkResult(check: string, failures: string[], notes: string[]): CheckResult {
  return { check, ok: failures.length === 0, failures, notes };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
