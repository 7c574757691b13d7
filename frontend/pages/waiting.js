// /c/{slug}/waiting : the stories of a circle that nobody has answered
// yet, the ones waiting longest first: a few kind words can mean a lot.
import { api, seg } from '../api.js';
import {
  append, h, pager, setTitle,
} from '../ui.js';
import { storyCard } from './common.js';
import { preferences } from './safety.js';

export default async function render({ view, params }) {
  const slug = params.slug;
  const [circle, page] = await Promise.all([
    api('GET', `/circles/${seg(slug)}`),
    api('GET', `/circles/${seg(slug)}/stories?unanswered=true&limit=20`),
    preferences(),
  ]);
  setTitle(`Waiting for a reply · ${circle.name}`);
  const list = h('ol', { class: 'cards stories' }, page.items.map((s) => storyCard(s)));
  const [more, err] = pager('Show more stories', page.next_cursor,
    (cursor) => api('GET', `/circles/${seg(slug)}/stories?unanswered=true&limit=20&cursor=${seg(cursor)}`),
    (items) => list.append(...items.map((s) => storyCard(s))));
  append(view,
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' },
      h('a', { href: '/' }, 'Circles'), ' / ', h('a', { href: `/c/${seg(slug)}` }, circle.name)),
    h('h1', { tabindex: '-1' }, 'Waiting for a reply'),
    h('p', { class: 'lede' }, `Stories in ${circle.name} that nobody has answered yet, the ones waiting longest first. A few kind words can mean a lot.`),
    page.items.length ? list : h('p', { class: 'card' }, 'Every story here has had a reply. Thank you for looking.'),
    more, err);
}
