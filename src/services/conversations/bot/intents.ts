import { foldText } from '../../tickets/ticket-filter';

/**
 * What a buyer's words ask for before any answer is looked up. All lists are
 * folded (lower case, no diacritics, see foldText) and matched as whole
 * words, so "Gặp NHÂN VIÊN!" and "gap nhan vien" both match "gap nhan vien".
 */

/** Asking for a person: handed off at once, the AI is not asked. */
export const HANDOFF_PHRASES = [
  'gap nhan vien',
  'nhan vien',
  'nguoi that',
  'gap nguoi',
  'tu van vien',
  'cham soc khach hang',
  'cskh',
  'talk to agent',
  'talk to a human',
  'real person',
  'human',
  'agent',
  'operator',
].map(foldText);

/** A reply to the bot's answer that rejects it, matched anywhere in the message. */
export const NEGATIVE_PHRASES = [
  'khong dung',
  'sai roi',
  'khong phai',
  'chua dung',
  'khong giup',
  'khong huu ich',
  'tra loi sai',
  'not helpful',
  'wrong answer',
  'that is wrong',
  'thats wrong',
  'not what i asked',
].map(foldText);

/**
 * Short words that reject an answer only when they are the whole message:
 * "no" inside a sentence is often Vietnamese "nó" ("it"), and "sai" or
 * "không" start many ordinary questions.
 */
export const NEGATIVE_WORDS = ['no', 'nope', 'sai', 'khong', 'ko', 'wrong'].map(foldText);

/** Folded, punctuation turned into spaces, padded: `hasPhrase` then matches whole words only. */
export function words(text: string): string {
  return ` ${foldText(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;
}

const hasPhrase = (padded: string, phrase: string): boolean => padded.includes(` ${phrase} `);

export function asksForHuman(text: string): boolean {
  const padded = words(text);
  return HANDOFF_PHRASES.some((phrase) => hasPhrase(padded, phrase));
}

export function rejectsAnswer(text: string): boolean {
  const padded = words(text);
  return (
    NEGATIVE_WORDS.includes(padded.trim()) ||
    NEGATIVE_PHRASES.some((phrase) => hasPhrase(padded, phrase))
  );
}
