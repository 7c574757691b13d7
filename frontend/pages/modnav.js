// modnav.js: the moderation pages' own small navigation.
import { h } from '../ui.js';

export default function modNav() {
  const link = (href, text) => h('a', { href, 'aria-current': location.pathname === href ? 'page' : null }, text);
  return h('nav', { class: 'subnav', 'aria-label': 'Moderation' },
    h('ul', null,
      h('li', null, link('/moderation', 'Queue')),
      h('li', null, link('/moderation/members', 'Member actions')),
      h('li', null, link('/moderation/log', 'Log')),
      h('li', null, link('/moderation/appeals', 'Appeals'))));
}
