// /c/{slug}/new : share a story (or, for facilitators, post guidance).
import { api, seg } from '../api.js';
import {
  append, busy, clearErrors, drafts, field, formError, h, keepDraft, setTitle, showError,
} from '../ui.js';
import { guidelinesCard, heldBack } from './care.js';
import { joinCircle } from './common.js';
import { themeBoxes } from './safety.js';
import { checkBeforeSending, storyText } from './precheck.js';

export default async function render(ctx) {
  const { view, params, query, navigate } = ctx;
  const slug = params.slug;
  const circle = await api('GET', `/circles/${seg(slug)}`);
  const guidance = circle.is_facilitator && query.get('kind') === 'guidance';
  const heading = guidance ? 'Post guidance' : 'Share a story';
  setTitle(`${heading} · ${circle.name}`);
  const crumbs = h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
    h('a', { href: '/' }, 'Circles'), ' / ', h('a', { href: `/c/${seg(slug)}` }, circle.name));

  if (!circle.is_member) {
    append(view, crumbs,
      h('h1', { tabindex: '-1' }, heading),
      h('p', null, `To share in ${circle.name}, join it first.`),
      joinCircle(circle, async () => navigate(location.pathname + location.search, { replace: true })));
    return;
  }

  const draftKey = `${guidance ? 'guidance' : 'story'}:${slug}`;
  const title = field({ label: 'Title', name: 'title', required: true, maxlength: 200, autocomplete: 'off' });
  const body = field({
    label: guidance ? 'Guidance' : 'Story', name: 'body', multiline: true, rows: 12, required: true, maxlength: 20000,
    hint: guidance ? 'It will show at the top of the circle, marked as guidance from you.' : 'Share as much or as little as you like. Keep names, places and workplaces out, yours and other people’s.',
  });
  const warning = field({
    label: 'Content warning', name: 'content_warning', maxlength: 100, autocomplete: 'off',
    hint: 'Optional. A few words, like “hospital stay in detail”, hide your story until a reader chooses to open it.',
  });
  keepDraft(title.input, `${draftKey}:title`);
  keepDraft(body.input, `${draftKey}:body`);
  keepDraft(warning.input, `${draftKey}:cw`);
  const themes = themeBoxes();
  let pin = null;
  if (guidance) {
    pin = h('input', { type: 'checkbox', id: 'pin-it', checked: true });
  }
  const err = formError();
  // The guidelines to agree to before writing, here from the start or
  // after the API held a story back.
  const agreed = async () => title.input.focus();
  const care = h('div', { class: 'care-slot' },
    circle.guidelines && !circle.guidelines.accepted_by_me ? guidelinesCard(circle, { onAgreed: agreed }) : null);
  const button = h('button', { type: 'submit', class: 'button primary' }, guidance ? 'Post guidance' : 'Share');
  const form = h('form', { class: 'stack', novalidate: true },
    title.wrap, body.wrap, warning.wrap, themes.wrap,
    pin ? h('div', { class: 'check' }, pin, h('label', { for: 'pin-it' }, 'Pin it to the top of the circle')) : null,
    h('div', { class: 'form-actions' }, button, h('a', { class: 'button quiet', href: `/c/${seg(slug)}` }, 'Cancel')),
    err);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    await busy(button, async () => {
      if (!(await checkBeforeSending(storyText(title.input.value, body.input.value), body.input))) return;
      let story;
      try {
        story = await api('POST', `/circles/${seg(slug)}/stories`, {
          title: title.input.value,
          body: body.input.value,
          content_warning: warning.input.value.trim(),
          themes: themes.values(),
          kind: guidance ? 'guidance' : 'story',
        });
      } catch (e) {
        if (await heldBack(e, care, slug, agreed)) {
          care.querySelector('.agree button')?.focus();
          return;
        }
        showError(e, {
          invalid_title: title.input, invalid_body: body.input, invalid_content_warning: warning.input,
        }, err);
        return;
      }
      for (const part of ['title', 'body', 'cw']) drafts.set(`${draftKey}:${part}`, '');
      let note = null;
      if (pin && pin.checked) {
        try {
          await api('PUT', `/stories/${seg(story.id)}/pin`);
        } catch (e) {
          note = `Your guidance is posted, but it could not be pinned: ${e.message}`;
        }
      }
      navigate(`/s/${seg(story.id)}`, { flash: { crisis: story.crisis_resources, message: note, shared: true } });
    });
  });
  append(view, crumbs,
    h('h1', { tabindex: '-1' }, heading),
    h('p', { class: 'lede' }, guidance
      ? `Guidance for everyone in ${circle.name}.`
      : `For the people of ${circle.name}. Take your time; what you type here is kept in this tab until you share it.`),
    care,
    form);
}
