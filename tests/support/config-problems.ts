/** What a settings loader refuses: the problems its ConfigError names (none when the settings load). */
import { ConfigError } from '@pyairtable/common/config';

export function configProblems<Env>(load: (env: Env) => unknown, env: Env): string[] {
  try {
    load(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

/** The settings named by those problems ("SETTING: message" → "SETTING"). */
export function settingsNamed(problems: readonly string[]): string[] {
  return problems.map((problem) => problem.slice(0, problem.indexOf(':')));
}
