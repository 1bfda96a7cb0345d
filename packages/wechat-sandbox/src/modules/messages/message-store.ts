/**
 * Messages the sandbox has "delivered" to users. Subscription messages (`/cgi-bin/message/subscribe/send`)
 * will record here; until then the list stays empty.
 */
export interface SentMessage {
  kind: 'subscribe';
  appid: string;
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogram_state?: string;
  lang?: string;
  sentAt: number;
}

export class MessageStore {
  private messages: SentMessage[] = [];

  record(message: SentMessage): void {
    this.messages.push(message);
  }

  list(filter: { touser?: string } = {}): SentMessage[] {
    return this.messages.filter((message) => filter.touser === undefined || message.touser === filter.touser);
  }

  reset(): void {
    this.messages = [];
  }
}
