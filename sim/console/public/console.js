// @ts-check
/**
 * The classroom console page: renders the snapshot the console server streams (server-sent events) as Slack lays
 * it out for the person chosen in "You are", and sends what that person types or clicks back to the server, which
 * delivers it to the bot exactly as Slack would. Plain JavaScript with JSDoc types; no build step.
 */
import { escapeHtml, renderBlock, renderMessageBody } from './render.js';

/** @typedef {Record<string, any>} Json */

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** @type {Json | null} */
let snap = null;
/** @type {{ viewer: string, conversation: string, thread: { channel: string, ts: string } | null, seen: Record<string, number> }} */
const ui = { viewer: '', conversation: '', thread: null, seen: {} };
/** The modal shown now (not re-rendered while it stays open, so typing is never lost). */
let shownView = '';

const ROLE_LABEL = { student: 'Students', instructor: 'Instructors', admin: 'Admins', outsider: 'Not on the roster' };

function ctx() {
  const people = new Map((snap?.people ?? []).map((/** @type {Json} */ p) => [p.id, p]));
  const channels = new Map((snap?.conversations ?? []).map((/** @type {Json} */ c) => [c.id, c]));
  return {
    userName: (/** @type {string} */ id) =>
      id === snap?.bot.userId ? snap?.bot.name : (people.get(id)?.realName ?? people.get(id)?.name ?? id),
    channelName: (/** @type {string} */ id) => channels.get(id)?.name || id,
  };
}

async function post(/** @type {string} */ path, /** @type {Json} */ body) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.error ?? `HTTP ${res.status}`);
  return json;
}

/** Replaces a region's markup only when it changed, so focus, hover and a click in progress survive live updates. */
function setHtml(/** @type {HTMLElement} */ el, /** @type {string} */ html) {
  if (el.dataset.html === html) return false;
  el.innerHTML = html;
  el.dataset.html = html;
  return true;
}

function setStatus(/** @type {string} */ id, /** @type {string} */ text, error = false) {
  const el = $(id);
  el.textContent = text;
  el.classList.toggle('error', error);
}

/** Conversations the viewer is in: channels they are a member of, and their DM with the app. */
function visibleConversations() {
  const all = /** @type {Json[]} */ (snap?.conversations ?? []);
  return {
    channels: all.filter((c) => c.kind === 'channel' && c.members.includes(ui.viewer)),
    dms: all.filter((c) => c.kind !== 'channel' && c.members.includes(ui.viewer)),
  };
}

function conversationLabel(/** @type {Json} */ c) {
  return c.kind === 'channel' ? `${c.isPrivate ? '🔒' : '#'} ${c.name}` : `${snap?.bot.name} (app)`;
}

function timeOf(/** @type {string} */ ts) {
  return new Date(Number(ts) * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** One message as Slack lays it out; ephemeral ones carry "Only visible to you". */
function messageHtml(/** @type {Json} */ m, /** @type {string} */ channel, inThread = false) {
  const c = ctx();
  const isBot = Boolean(m.bot_id) || m.ephemeral;
  const name = m.ephemeral ? snap?.bot.name : c.userName(m.user);
  const replies =
    !inThread && m.reply_count
      ? `<button type="button" class="replies" data-thread="${escapeHtml(m.ts)}">${m.reply_count} ${m.reply_count === 1 ? 'reply' : 'replies'}</button>`
      : '';
  return `<li class="msg${m.ephemeral ? ' ephemeral' : ''}" data-ts="${escapeHtml(m.ts)}" data-channel="${escapeHtml(channel)}"${m.ephemeral ? ' data-ephemeral="true"' : ''}>
    <div class="avatar${isBot ? ' bot' : ''}" aria-hidden="true">${escapeHtml(String(name).slice(0, 1).toUpperCase())}</div>
    <div class="msg-main">
      <div class="msg-head"><span class="sender">${escapeHtml(name)}</span>${isBot ? '<span class="app-badge">APP</span>' : ''}<span class="time">${timeOf(m.ts)}</span>${m.edited ? '<span class="edited">(edited)</span>' : ''}</div>
      ${m.ephemeral ? '<div class="only-you">👁 Only visible to you</div>' : ''}
      <div class="msg-body">${renderMessageBody(m, c)}</div>
      ${replies}
    </div></li>`;
}

function ephemeralsIn(/** @type {string} */ channel, /** @type {string | undefined} */ threadTs) {
  return /** @type {Json[]} */ (snap?.ephemerals[ui.viewer] ?? [])
    .filter((e) => e.channel === channel && (threadTs ? e.thread_ts === threadTs : !e.thread_ts))
    .map((e) => ({ ...e, ephemeral: true }));
}

const byTs = (/** @type {Json} */ a, /** @type {Json} */ b) => Number(a.ts) - Number(b.ts);

function renderSidebar() {
  const { channels, dms } = visibleConversations();
  const item = (/** @type {Json} */ c) => {
    const count = c.messages.length + ephemeralsIn(c.id, undefined).length;
    const unread = c.id !== ui.conversation && count > (ui.seen[c.id] ?? 0);
    return `<li><button type="button" data-conversation="${escapeHtml(c.id)}"${c.id === ui.conversation ? ' aria-current="true"' : ''}${unread ? ' class="unread"' : ''}>${escapeHtml(conversationLabel(c))}${unread ? '<span class="visually-hidden"> (new messages)</span>' : ''}</button></li>`;
  };
  setHtml($('channels'), channels.map(item).join(''));
  setHtml($('dms'), dms.length ? dms.map(item).join('') : '<li class="help">No DM with the app yet</li>');
}

function renderConversation() {
  const conv = (snap?.conversations ?? []).find((/** @type {Json} */ c) => c.id === ui.conversation);
  const list = $('messages');
  if (!conv) {
    $('conv-title').textContent = 'No conversation';
    setHtml(list, '');
    return;
  }
  $('conv-title').textContent = conversationLabel(conv);
  $('composer-label').textContent = `Message ${conversationLabel(conv)}`;
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const items = [...conv.messages, ...ephemeralsIn(conv.id, undefined)].sort(byTs);
  const before = ui.seen[conv.id] ?? 0;
  setHtml(
    list,
    items.length
      ? items.map((m) => messageHtml(m, conv.id)).join('')
      : '<li class="help msg-empty">No messages yet.</li>',
  );
  if (items.length > before && before > 0)
    $('announcer').textContent = `${items.length - before} new in ${conversationLabel(conv)}`;
  ui.seen[conv.id] = items.length;
  if (atBottom || before === 0) list.scrollTop = list.scrollHeight;
}

function renderThread() {
  const panel = $('thread');
  const classroom = $('classroom');
  const conv = ui.thread && (snap?.conversations ?? []).find((/** @type {Json} */ c) => c.id === ui.thread?.channel);
  const parent = conv?.messages.find((/** @type {Json} */ m) => m.ts === ui.thread?.ts);
  if (!ui.thread || !parent) {
    panel.hidden = true;
    classroom.hidden = false;
    return;
  }
  panel.hidden = false;
  classroom.hidden = true;
  const items = [...parent.replies, ...ephemeralsIn(conv.id, parent.ts)].sort(byTs);
  $('thread-title').textContent = `Thread in ${conversationLabel(conv)}`;
  setHtml(
    $('thread-messages'),
    [messageHtml(parent, conv.id, true), ...items.map((m) => messageHtml(m, conv.id, true))].join(''),
  );
}

function renderClassroom() {
  const room = snap?.classroom;
  if (!room) return;
  const kinds = new Map(room.kinds.map((/** @type {Json} */ k) => [k.id, k]));
  setHtml(
    $('cluster-changes'),
    room.cluster
      .map((/** @type {Json} */ ch) => {
        const k = kinds.get(ch.id);
        return `<button type="button" class="${ch.active ? 'fix' : 'break'}" data-change="${escapeHtml(ch.id)}" data-action="${ch.active ? 'fix' : 'break'}">${escapeHtml(ch.active ? `Fix: ${k.fixLabel}` : `Break: ${k.breakLabel}`)}</button>`;
      })
      .join(''),
  );
  setHtml(
    $('students'),
    room.students
      .map((/** @type {Json} */ s) => {
        const pod = s.pod;
        const ok = pod?.phase === 'Running' && pod.ready;
        const state = pod ? `${pod.phase}${pod.reason ? ` · ${pod.reason}` : ''}` : 'no pod';
        const warning =
          pod?.lastWarning && !ok
            ? `<span class="warning" title="${escapeHtml(pod.lastWarning.message)}">${escapeHtml(pod.lastWarning.reason)}: ${escapeHtml(pod.lastWarning.message.slice(0, 140))}${pod.lastWarning.message.length > 140 ? '…' : ''}</span>`
            : '';
        const buttons = s.changes
          .map((/** @type {Json} */ ch) => {
            const k = kinds.get(ch.id);
            const label = ch.active ? `Fix: ${k.fixLabel}` : `Break: ${k.breakLabel}`;
            const disabled = !ch.active && ch.unavailable ? ` disabled title="${escapeHtml(ch.unavailable)}"` : '';
            return `<button type="button" class="${ch.active ? 'fix' : 'break'}" data-change="${escapeHtml(ch.id)}" data-action="${ch.active ? 'fix' : 'break'}" data-namespace="${escapeHtml(s.namespace)}" aria-label="${escapeHtml(`${label} in ${s.namespace}`)}"${disabled}>${escapeHtml(label)}</button>`;
          })
          .join('');
        return `<tr data-namespace="${escapeHtml(s.namespace)}"><th scope="row">${escapeHtml(s.name)}<br><code>${escapeHtml(s.namespace)}</code></th>
        <td><span class="pod-state ${ok ? 'pod-ok' : 'pod-bad'}">${ok ? '✓ ' : '✗ '}${escapeHtml(state)}</span>${warning}</td><td>${buttons}</td></tr>`;
      })
      .join(''),
  );
}

function renderModal() {
  const dialog = /** @type {HTMLDialogElement} */ ($('modal'));
  const views = /** @type {Json[]} */ (snap?.views[ui.viewer] ?? []);
  const open = views.at(-1);
  if (!open) {
    if (dialog.open) dialog.close();
    shownView = '';
    return;
  }
  if (shownView === open.id) return;
  shownView = open.id;
  const view = open.view;
  $('modal-title').textContent = view.title?.text ?? 'Modal';
  $('modal-blocks').innerHTML = (view.blocks ?? []).map((/** @type {Json} */ b) => renderBlock(b, ctx())).join('');
  $('modal-submit').textContent = view.submit?.text ?? 'Submit';
  $('modal-submit').hidden = !view.submit;
  $('modal-close').textContent = view.close?.text ?? 'Cancel';
  setStatus('modal-status', '');
  if (!dialog.open) dialog.showModal();
}

function renderViewer() {
  const select = /** @type {HTMLSelectElement} */ ($('viewer'));
  const groups = ['student', 'instructor', 'admin', 'outsider'];
  const html = groups
    .map((role) => {
      const people = (snap?.people ?? []).filter((/** @type {Json} */ p) => p.role === role);
      if (!people.length) return '';
      const options = people.map(
        (/** @type {Json} */ p) =>
          `<option value="${escapeHtml(p.id)}">${escapeHtml(p.realName)}${p.namespace ? ` (${escapeHtml(p.namespace)})` : ''}</option>`,
      );
      return `<optgroup label="${escapeHtml(ROLE_LABEL[/** @type {keyof ROLE_LABEL} */ (role)])}">${options.join('')}</optgroup>`;
    })
    .join('');
  if (select.dataset.rendered !== html) {
    select.innerHTML = html;
    select.dataset.rendered = html;
  }
  select.value = ui.viewer;
  const me = (snap?.people ?? []).find((/** @type {Json} */ p) => p.id === ui.viewer);
  $('viewer-role').textContent = me ? `${me.role}${me.namespace ? ` · ${me.namespace}` : ''}` : '';
}

function render() {
  if (!snap) return;
  if (!ui.viewer || !snap.people.some((/** @type {Json} */ p) => p.id === ui.viewer)) {
    const firstStudent = snap.people.find((/** @type {Json} */ p) => p.role === 'student');
    ui.viewer = firstStudent?.id ?? snap.people[0]?.id ?? '';
  }
  const { channels, dms } = visibleConversations();
  if (![...channels, ...dms].some((c) => c.id === ui.conversation)) {
    ui.conversation = snap.classes[0]?.channel ?? channels[0]?.id ?? '';
    ui.thread = null;
  }
  $('team').textContent = `${snap.team.name} (simulated) · bot at ${snap.botUrl}`;
  renderViewer();
  renderSidebar();
  renderConversation();
  renderThread();
  renderClassroom();
  renderModal();
}

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.get('as')) ui.viewer = String(params.get('as'));
  if (params.get('c')) ui.conversation = String(params.get('c'));
}

function writeHash() {
  history.replaceState(null, '', `#as=${encodeURIComponent(ui.viewer)}&c=${encodeURIComponent(ui.conversation)}`);
}

// Events: all delegated, so re-rendered lists keep working; every control is a real button or form (keyboard).
document.addEventListener('click', async (event) => {
  const target = /** @type {HTMLElement} */ (event.target);
  const conv = target.closest('[data-conversation]');
  if (conv instanceof HTMLElement) {
    ui.conversation = String(conv.dataset.conversation);
    ui.thread = null;
    writeHash();
    render();
    $('composer-input').focus();
    return;
  }
  const replies = target.closest('[data-thread]');
  if (replies instanceof HTMLElement) {
    ui.thread = { channel: ui.conversation, ts: String(replies.dataset.thread) };
    render();
    $('thread-close').focus();
    return;
  }
  const button = target.closest('.bk-button');
  if (button instanceof HTMLElement && !button.closest('dialog')) {
    const msg = /** @type {HTMLElement} */ (button.closest('.msg'));
    setStatus('composer-status', `Clicked “${button.textContent?.trim()}”…`);
    try {
      const res = await post('/api/action', {
        user: ui.viewer,
        channel: msg.dataset.channel,
        ts: msg.dataset.ts,
        ephemeral: msg.dataset.ephemeral === 'true',
        actionId: button.dataset.actionId,
      });
      setStatus(
        'composer-status',
        res.ok ? `The bot acknowledged “${button.textContent?.trim()}”` : `The bot answered HTTP ${res.status}`,
        !res.ok,
      );
    } catch (err) {
      setStatus('composer-status', String(/** @type {Error} */ (err).message), true);
    }
    return;
  }
  const change = target.closest('[data-change]');
  if (change instanceof HTMLElement) {
    const what = `${change.dataset.action} ${change.dataset.change}${change.dataset.namespace ? ` in ${change.dataset.namespace}` : ''}`;
    try {
      await post('/api/classroom', {
        kind: change.dataset.change,
        action: change.dataset.action,
        namespace: change.dataset.namespace,
      });
      setStatus('classroom-status', `Applied: ${what}. The kubelet retries the mount now.`);
    } catch (err) {
      setStatus('classroom-status', `Could not ${what}: ${/** @type {Error} */ (err).message}`, true);
    }
  }
});

$('thread-close').addEventListener('click', () => {
  ui.thread = null;
  render();
});

$('viewer').addEventListener('change', (event) => {
  ui.viewer = /** @type {HTMLSelectElement} */ (event.target).value;
  shownView = '';
  writeHash();
  render();
});

$('composer').addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = /** @type {HTMLInputElement} */ ($('composer-input'));
  const text = input.value.trim();
  if (!text) return;
  setStatus('composer-status', `Sending ${text}…`);
  try {
    const res = await post('/api/command', { user: ui.viewer, channel: ui.conversation, text });
    input.value = '';
    setStatus(
      'composer-status',
      text.startsWith('/')
        ? res.ok
          ? `Delivered ${text.split(' ')[0]}: the bot acknowledged in ${res.ackMs} ms`
          : res.timedOut
            ? 'The bot did not acknowledge within 3 s (Slack would show operation_timeout)'
            : `The bot answered HTTP ${res.status}`
        : 'Sent',
      !res.ok,
    );
  } catch (err) {
    setStatus('composer-status', String(/** @type {Error} */ (err).message), true);
  }
});

$('modal-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  /** @type {Record<string, Record<string, string>>} */
  const values = {};
  for (const el of $('modal-blocks').querySelectorAll('textarea, input')) {
    const field = /** @type {HTMLInputElement} */ (el);
    const block = String(field.dataset.blockId);
    values[block] = { ...values[block], [String(field.dataset.actionId)]: field.value };
  }
  setStatus('modal-status', 'Submitting…');
  try {
    const res = await post('/api/view', { user: ui.viewer, viewId: shownView, action: 'submit', values });
    for (const el of $('modal-blocks').querySelectorAll('[data-error-for]')) el.textContent = '';
    if (res.errors) {
      for (const [block, message] of Object.entries(res.errors)) {
        const el = $('modal-blocks').querySelector(`[data-error-for="${CSS.escape(block)}"]`);
        if (el) el.textContent = String(message);
      }
      setStatus('modal-status', 'Please correct the form', true);
    }
  } catch (err) {
    setStatus('modal-status', String(/** @type {Error} */ (err).message), true);
  }
});

async function closeModal() {
  if (shownView)
    await post('/api/view', { user: ui.viewer, viewId: shownView, action: 'close' }).catch(() => undefined);
}
$('modal-close').addEventListener('click', () => void closeModal());
$('modal').addEventListener('cancel', (event) => {
  event.preventDefault();
  void closeModal();
});

readHash();
window.addEventListener('hashchange', () => {
  readHash();
  render();
});
const events = new EventSource('/api/events');
events.addEventListener('state', (event) => {
  snap = JSON.parse(/** @type {MessageEvent} */ (event).data);
  $('connection').textContent = 'live';
  render();
  document.body.dataset.ready = 'true';
});
events.addEventListener('error', () => {
  $('connection').textContent = 'reconnecting…';
});
