import { randomDigits } from '../../core/ids';

export type MiniprogramState = 'developer' | 'trial' | 'formal';
export type MessageLang = 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW';

/** A subscription message the sandbox accepted (subscribe/send), as the control API and the admin page read it. */
export interface SentMessage {
  /** WeChat's msgid: an int64, so a decimal string here (it does not fit a JavaScript number). */
  msgid: string;
  appid: string;
  openid: string;
  template_id: string;
  /** The template's title, so a log reads without looking the id up. */
  title: string;
  /** The template's keywords only, as the user's card shows them. */
  data: Record<string, { value: string }>;
  /** Where tapping the card leads; absent: nowhere. */
  page?: string;
  miniprogram_state: MiniprogramState;
  lang: MessageLang;
  /** Sandbox time (epoch ms) it was accepted. */
  at: number;
}

export interface MessageFilter {
  appid?: string;
  openid?: string;
  template_id?: string;
  /** Epoch ms: only messages accepted at or after it. */
  since?: number;
}

/** Messages the sandbox has "delivered" to users, oldest first. */
export class MessageStore {
  private messages: SentMessage[] = [];
  // Real msgids are 19-digit numbers; starting past 2^53 makes a client that reads them as numbers visibly wrong.
  private lastMsgid = 3_000_000_000_000_000_000n + BigInt(randomDigits(15));

  /** The msgid of the next message, unique for this sandbox's life (reset keeps counting). */
  nextMsgid(): string {
    this.lastMsgid += 1n;
    return this.lastMsgid.toString();
  }

  record(message: SentMessage): void {
    this.messages.push(message);
  }

  list(filter: MessageFilter = {}): SentMessage[] {
    return this.messages
      .filter(
        (message) =>
          (filter.appid === undefined || message.appid === filter.appid) &&
          (filter.openid === undefined || message.openid === filter.openid) &&
          (filter.template_id === undefined || message.template_id === filter.template_id) &&
          (filter.since === undefined || message.at >= filter.since),
      )
      .map((message) => structuredClone(message));
  }

  /** Forgets every message; returns how many there were. */
  reset(): number {
    const count = this.messages.length;
    this.messages = [];
    return count;
  }
}
