import {
  type ConsentScene,
  type MessageKind,
  MessagePaths,
  MessagePreferences,
  type SubscribeDecisionValue,
} from '@member-hub/shared';
import type { ApiClient } from '../api/client';
import type { Session } from '../session/session';

/** The member's subscription messages: what each kind has left, which are turned off, and recording consents. */
export interface MessageService {
  preferences(): Promise<MessagePreferences>;
  /** Turns these kinds off (all others on); answers with the preferences as they are now. */
  setMuted(muted: MessageKind[]): Promise<MessagePreferences>;
  /** What the consent sheet answered in `scene`; each accept is one more send of that template. */
  recordConsent(scene: ConsentScene, decisions: Record<string, SubscribeDecisionValue>): Promise<MessagePreferences>;
}

export function createMessageService({ api, session }: { api: ApiClient; session: Session }): MessageService {
  const authed = <T>(call: () => Promise<T>) => session.withSession(call);
  return {
    preferences: () => authed(() => api.get(MessagePaths.myPreferences, MessagePreferences)),
    setMuted: (muted) => authed(() => api.put(MessagePaths.myPreferences, { muted }, MessagePreferences)),
    recordConsent: (scene, decisions) =>
      authed(() => api.post(MessagePaths.myConsents, { scene, decisions }, MessagePreferences)),
  };
}
