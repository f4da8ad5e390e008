import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import { AppError } from '@autoprov/contract';

const estimator = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary },
  graphs: common.adjacencyGraphs,
  translations: en.translations,
});

/** zxcvbn's 3: "safely unguessable", resists an offline attack on a slow hash. */
const minimumScore = 3;

/**
 * Why this password is too easy to guess, or null. `personal` holds what an attacker would try
 * first: the admin's e-mail and name (and their parts).
 */
export function passwordWeakness(password: string, personal: readonly string[]): string | null {
  const inputs = ['autoprov', ...personal.flatMap((p) => [p, ...p.split(/[@.\s_+-]+/)])].filter((p) => p.length >= 3);
  const result = estimator.check(password, inputs);
  if (result.score >= minimumScore) return null;
  return ['Too easy to guess.', result.feedback.warning, ...result.feedback.suggestions].filter(Boolean).join(' ');
}

/** Refuses a weak password with the reason next to its field (S-6). */
export function assertStrongPassword(password: string, personal: readonly string[], field = 'password'): void {
  const weakness = passwordWeakness(password, personal);
  if (weakness) throw new AppError('validation_failed', 'Some fields need attention.', { [field]: weakness });
}
