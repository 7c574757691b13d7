// own.js: a member's own writing: edit it, or delete it (after a question).
import { api, seg } from '../api.js';
import {
  busy, clearErrors, field, formError, h, modal, showError,
} from '../ui.js';
import { themeBoxes } from './safety.js';

/**
 * deleteButton makes a "Delete" button that asks first, in a dialog, and
 * then deletes the story or reply and calls done.
 */
export function deleteButton(kind, id, describedBy, done) {
  const what = kind === 'stories' ? 'story' : 'reply';
  const err = formError();
  const yes = h('button', { type: 'button', class: 'button danger' }, `Delete ${what}`);
  const no = h('button', { type: 'button', class: 'button' }, 'Keep it');
  const dlg = modal(`Delete this ${what}?`,
    h('p', null, kind === 'stories'
      ? 'Its title and words leave the circle for good, and it reads as removed. Replies from others stay.'
      : 'Its words leave the thread for good, and it reads as removed. Replies to it stay.'),
    h('div', { class: 'form-actions' }, yes, no), err);
  no.addEventListener('click', () => dlg.close());
  yes.addEventListener('click', () => busy(yes, async () => {
    err.textContent = '';
    try {
      await api('DELETE', `/${kind}/${seg(id)}`);
      dlg.close();
      await done();
    } catch (e) {
      showError(e, null, err);
    }
  }));
  const button = h('button', { type: 'button', class: 'button small quiet', 'aria-describedby': describedBy }, 'Delete');
  button.addEventListener('click', () => dlg.open(button));
  return [button, dlg.dialog];
}

/** The form to edit one's own story; saved(story) gets the new story. */
export function editStoryForm(story, saved, cancelled) {
  const title = field({ label: 'Title', name: 'title', maxlength: 200, value: story.title || '' });
  const body = field({ label: 'Story', name: 'body', multiline: true, rows: 12, maxlength: 20000, value: story.body || '' });
  const warning = field({ label: 'Content warning', name: 'content_warning', maxlength: 100, value: story.content_warning || '', hint: 'Optional. Leave it empty to take the warning away.' });
  const themes = themeBoxes(story.themes || []);
  const err = formError();
  const save = h('button', { type: 'submit', class: 'button primary' }, 'Save changes');
  const cancel = h('button', { type: 'button', class: 'button' }, 'Cancel');
  cancel.addEventListener('click', cancelled);
  const form = h('form', { class: 'stack edit-form', novalidate: true },
    title.wrap, body.wrap, warning.wrap, themes.wrap, h('div', { class: 'form-actions' }, save, cancel), err);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(save, async () => {
      try {
        const out = await api('PATCH', `/stories/${seg(story.id)}`, {
          title: title.input.value, body: body.input.value, content_warning: warning.input.value.trim(), themes: themes.values(),
        });
        await saved(out);
      } catch (e) {
        showError(e, { invalid_title: title.input, invalid_body: body.input, invalid_content_warning: warning.input }, err);
      }
    });
  });
  return { form, focus: () => title.input.focus() };
}

/** The form to edit one's own reply; saved(reply) gets the new reply. */
export function editReplyForm(reply, saved, cancelled) {
  const body = field({ label: 'Edit reply', name: 'edit-reply', multiline: true, rows: 4, maxlength: 10000, value: reply.body || '' });
  const themes = themeBoxes(reply.themes || []);
  const err = formError();
  const save = h('button', { type: 'submit', class: 'button primary small' }, 'Save changes');
  const cancel = h('button', { type: 'button', class: 'button small' }, 'Cancel');
  cancel.addEventListener('click', cancelled);
  const form = h('form', { class: 'stack edit-form', novalidate: true }, body.wrap, themes.wrap, h('div', { class: 'form-actions' }, save, cancel), err);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(save, async () => {
      try {
        const out = await api('PATCH', `/replies/${seg(reply.id)}`, { body: body.input.value, themes: themes.values() });
        await saved(out);
      } catch (e) {
        showError(e, { invalid_body: body.input }, err);
      }
    });
  });
  return { form, focus: () => body.input.focus() };
}
