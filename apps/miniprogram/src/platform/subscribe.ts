import type { SubscribeDecision } from './types';

/** wx.requestSubscribeMessage takes 1 to 3 template ids per call. */
export const MAX_TEMPLATES_PER_ASK = 3;

const DECISIONS: ReadonlySet<string> = new Set<SubscribeDecision>(['accept', 'reject', 'ban', 'filter']);

/**
 * One decision per asked template from what WeChat (or the sandbox) answered: `{errMsg, <id>: 'accept' | 'reject' |
 * 'ban' | 'filter'}`. A template missing from the answer, or answered with something else, counts as 'reject':
 * only an explicit 'accept' lets us send.
 */
export function subscribeDecisions(templateIds: string[], result: object): Record<string, SubscribeDecision> {
  const answers = result as Record<string, unknown>;
  const decisions: Record<string, SubscribeDecision> = {};
  for (const id of templateIds) {
    const answer = answers[id];
    decisions[id] = typeof answer === 'string' && DECISIONS.has(answer) ? (answer as SubscribeDecision) : 'reject';
  }
  return decisions;
}
