// What an acceptable email address is, for every input that takes one.
import { badInput } from '@pyairtable/common/errors';
import { checkedEmail } from '@pyairtable/common/identity';

const EMAIL_MAX_LENGTH = 254;
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The address in its stored form, or BAD_USER_INPUT naming `field`. */
export function validEmail(raw: string, field: string): string {
  const email = checkedEmail(raw, field);
  if (email.length > EMAIL_MAX_LENGTH || !EMAIL_SHAPE.test(email)) throw badInput(field, 'Email address is not valid');
  return email;
}
