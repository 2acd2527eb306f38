/** Development: the mail caught instead of sent, kept in memory for the router's /dev/mailbox page. */
import { randomUUID } from 'node:crypto';

export interface CaughtMail {
  id: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  /** The http(s) links of the plain-text part, in order, each once. */
  links: string[];
  caughtAt: Date;
}

export type MailToCatch = Pick<CaughtMail, 'to' | 'from' | 'subject' | 'text' | 'html'>;

const LINK = /https?:\/\/[^\s<>"')\]]+/g;

/** The http(s) links of a plain-text body, in order, each once; a sentence's final stop is not part of one. */
export function linksIn(text: string): string[] {
  return [...new Set((text.match(LINK) ?? []).map((link) => link.replace(/[.,;:!?]+$/, '')))];
}

/**
 * The newest `capacity` caught messages, newest first. One mailbox can be shared by every service of one
 * process (`npm start` runs the whole graph in one), so the router lists what the subgraphs caught.
 */
export class DevMailbox {
  private readonly messages: CaughtMail[] = [];

  constructor(private readonly capacity = 200) {}

  add(message: MailToCatch): CaughtMail {
    const caught: CaughtMail = { ...message, id: randomUUID(), links: linksIn(message.text), caughtAt: new Date() };
    this.messages.unshift(caught);
    this.messages.length = Math.min(this.messages.length, this.capacity);
    return caught;
  }

  /** Newest first. */
  list(): readonly CaughtMail[] {
    return [...this.messages];
  }

  get(id: string): CaughtMail | undefined {
    return this.messages.find((message) => message.id === id);
  }

  clear(): void {
    this.messages.length = 0;
  }
}
