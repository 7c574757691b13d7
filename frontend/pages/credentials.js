// The parts /join, /signin, /recover and /me share to ask for a handle
// and a passphrase.
import {
  busy, clearErrors, field, formError, h, showError,
} from '../ui.js';

export const passphraseHint = 'Choose a passphrase: four or more ordinary words in a row, like “kettle orchard lamp winter”. At least 15 characters, and not one you use anywhere else.';

// showPasswordToggle shows or hides what is typed in password fields. Its
// label avoids the word "password", so "Password" names one field only.
export function showPasswordToggle(...inputs) {
  const box = h('input', { type: 'checkbox', id: `show-${inputs[0].id}` });
  box.addEventListener('change', () => {
    for (const i of inputs) i.type = box.checked ? 'text' : 'password';
  });
  return h('div', { class: 'check' }, box, h('label', { for: box.id }, 'Show what I type'));
}

export function handleField(attrs = {}) {
  return field({ label: 'Handle', name: 'handle', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true, ...attrs });
}

// passwordRefusals sends the refusals of a new passphrase to its field.
export function passwordRefusals(input) {
  return { password_too_short: input, password_too_long: input, password_too_common: input };
}

// credentialsForm is the form of /join, /signin and /recover: its fields,
// the toggle for the password field, one button and an error line. send
// runs with the button busy; a refusal goes to the field its code names
// in refusals, or else to the error line.
export function credentialsForm({ fields, password, label, send, refusals }) {
  const err = formError();
  const button = h('button', { type: 'submit', class: 'button primary' }, label);
  const form = h('form', { class: 'stack', novalidate: true },
    ...fields.map((f) => f.wrap), showPasswordToggle(password.input),
    h('div', { class: 'form-actions' }, button), err);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(button, async () => {
      try {
        await send();
      } catch (e) {
        showError(e, refusals, err);
      }
    });
  });
  return form;
}
