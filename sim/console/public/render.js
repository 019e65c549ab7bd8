// @ts-check
/**
 * Block Kit and mrkdwn as Slack's clients lay them out, for the classroom console. Everything is built as HTML text
 * in which every piece of message text has been escaped first; formatting is applied afterwards and only ever adds
 * fixed tags. So `&lt;!channel&gt;` shows as the text `<!channel>`, and no message can inject markup.
 * Plain JavaScript (no build step), typed with JSDoc; imported by console.js and by the tests.
 */

/** @typedef {{ userName: (id: string) => string, channelName?: (id: string) => string }} RenderContext */
/** @typedef {Record<string, any>} Block */

const HTML_ESCAPES = /** @type {Record<string, string>} */ ({
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
});

/** @param {unknown} text */
export function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Slack's three entities (the only ones it defines) back to characters. @param {string} text */
export function decodeEntities(text) {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

// Placeholders for pieces rendered apart (code, control sequences): private-use characters, removed from input.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = /\uE000(\d+)\uE001/g;

/**
 * One mrkdwn string to HTML: ``` blocks, `code`, control sequences `<@U…>`, `<#C…|name>`, `<!here>`, `<url|label>`,
 * then *bold*, _italic_, ~strike~, `>` quotes and line breaks. Entities decode to the characters they stand for.
 * @param {string} source
 * @param {RenderContext} ctx
 */
export function mrkdwn(source, ctx) {
  /** @type {string[]} */
  const pieces = [];
  const keep = (/** @type {string} */ html) => `${OPEN}${pieces.push(html) - 1}${CLOSE}`;
  let text = String(source ?? '').replace(/[\uE000\uE001]/g, '');
  text = text.replace(/```([\s\S]*?)```/g, (_m, body) => keep(`<pre class="mk-pre">${codeText(body, ctx)}</pre>`));
  text = text.replace(/`([^`\n]+)`/g, (_m, body) => keep(`<code class="mk-code">${codeText(body, ctx)}</code>`));
  text = text.replace(/<([^<>\n]+)>/g, (_m, inner) => keep(controlSequence(inner, ctx)));
  let html = escapeHtml(decodeEntities(text));
  html = html
    .replace(/(^|[^\p{L}\p{N}*])\*(?=\S)([^*\n]*?\S)\*(?![\p{L}\p{N}*])/gu, '$1<b>$2</b>')
    .replace(/(^|[^\p{L}\p{N}_])_(?=\S)([^_\n]*?\S)_(?![\p{L}\p{N}_])/gu, '$1<i>$2</i>')
    .replace(/(^|[^\p{L}\p{N}~])~(?=\S)([^~\n]*?\S)~(?![\p{L}\p{N}~])/gu, '$1<s>$2</s>');
  html = html
    .split('\n')
    .map((line) => (line.startsWith('&gt; ') ? `<span class="mk-quote">${line.slice(5)}</span>` : line))
    .join('\n')
    .replace(/\n/g, '<br>');
  // Pieces may hold placeholders of their own (code inside nothing else), so restore until none is left.
  for (let i = 0; i < 3 && html.includes(OPEN); i++)
    html = html.replace(PLACEHOLDER, (_m, n) => pieces[Number(n)] ?? '');
  return html;
}

/** Code keeps its characters; control sequences inside it show as their text (Slack parses them there too). */
function codeText(/** @type {string} */ body, /** @type {RenderContext} */ ctx) {
  return body
    .split(/(<[^<>\n]+>)/)
    .map((part) =>
      /^<[^<>\n]+>$/.test(part) ? sequenceLabel(part.slice(1, -1), ctx) : escapeHtml(decodeEntities(part)),
    )
    .join('');
}

/** The text a control sequence shows, escaped. */
function sequenceLabel(/** @type {string} */ inner, /** @type {RenderContext} */ ctx) {
  const [target = '', label] = inner.split('|', 2);
  if (/^@[UW]/.test(target)) return escapeHtml(`@${ctx.userName(target.slice(1))}`);
  if (target.startsWith('#C')) return escapeHtml(`#${label ?? ctx.channelName?.(target.slice(1)) ?? target.slice(1)}`);
  if (target.startsWith('!')) return escapeHtml(label ?? `@${target.slice(1).split('^')[0]}`);
  return escapeHtml(decodeEntities(label ?? target));
}

/** `<@U…>`, `<#C…|name>`, `<!here>`, `<!subteam^…|@group>`, `<!date^…|fallback>`, `<url|label>`. */
function controlSequence(/** @type {string} */ inner, /** @type {RenderContext} */ ctx) {
  const [target = '', label] = inner.split('|', 2);
  if (/^@[UW]/.test(target)) return `<span class="mention">${sequenceLabel(inner, ctx)}</span>`;
  if (target.startsWith('#C')) return `<span class="mention">${sequenceLabel(inner, ctx)}</span>`;
  if (/^!(here|channel|everyone)$/.test(target))
    return `<span class="mention mention-broadcast">@${target.slice(1)}</span>`;
  if (target.startsWith('!')) return `<span class="mention">${sequenceLabel(inner, ctx)}</span>`;
  const href = decodeEntities(target);
  if (/^(https?:|mailto:)/i.test(href)) {
    return `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow" target="_blank">${escapeHtml(decodeEntities(label ?? target))}</a>`;
  }
  return escapeHtml(`<${decodeEntities(inner)}>`);
}

/** A text object: mrkdwn or plain_text. @param {Block | undefined} t @param {RenderContext} ctx */
export function textObject(t, ctx) {
  if (!t) return '';
  return t.type === 'mrkdwn' ? mrkdwn(String(t.text ?? ''), ctx) : escapeHtml(t.text).replace(/\n/g, '<br>');
}

/** An interactive element (buttons click through the driver; others are shown). @param {Block} el @param {Block} block @param {RenderContext} ctx */
function element(el, block, ctx) {
  if (el.type === 'button') {
    const style = el.style === 'primary' || el.style === 'danger' ? ` bk-button-${el.style}` : '';
    return `<button type="button" class="bk-button${style}" data-action-id="${escapeHtml(el.action_id)}" data-block-id="${escapeHtml(block.block_id ?? '')}">${textObject(el.text, ctx)}</button>`;
  }
  if (el.type === 'image') return `<img class="bk-thumb" src="" alt="${escapeHtml(el.alt_text)}">`;
  return `<span class="bk-unsupported">[${escapeHtml(el.type)}]</span>`;
}

/** Rich text elements (text with styles, link, user, channel, emoji, broadcast). @param {Block[]} elements @param {RenderContext} ctx */
function richInline(elements, ctx) {
  return (elements ?? [])
    .map((el) => {
      /** @type {string} */
      let html;
      if (el.type === 'text') html = escapeHtml(el.text).replace(/\n/g, '<br>');
      else if (el.type === 'link')
        html = /^(https?:|mailto:)/i.test(String(el.url))
          ? `<a href="${escapeHtml(el.url)}" rel="noopener noreferrer nofollow" target="_blank">${escapeHtml(el.text ?? el.url)}</a>`
          : escapeHtml(el.text ?? el.url);
      else if (el.type === 'user')
        html = `<span class="mention">@${escapeHtml(ctx.userName(String(el.user_id)))}</span>`;
      else if (el.type === 'channel')
        html = `<span class="mention">#${escapeHtml(ctx.channelName?.(String(el.channel_id)) ?? el.channel_id)}</span>`;
      else if (el.type === 'broadcast')
        html = `<span class="mention mention-broadcast">@${escapeHtml(el.range)}</span>`;
      else if (el.type === 'emoji')
        html = el.unicode
          ? escapeHtml(
              String.fromCodePoint(
                ...String(el.unicode)
                  .split('-')
                  .map((h) => Number.parseInt(h, 16)),
              ),
            )
          : `:${escapeHtml(el.name)}:`;
      else html = '';
      const s = el.style ?? {};
      if (s.code) html = `<code class="mk-code">${html}</code>`;
      if (s.bold) html = `<b>${html}</b>`;
      if (s.italic) html = `<i>${html}</i>`;
      if (s.strike) html = `<s>${html}</s>`;
      return html;
    })
    .join('');
}

/** @param {Block} part @param {RenderContext} ctx @returns {string} */
function richPart(part, ctx) {
  if (part.type === 'rich_text_section') return `<p class="rt-section">${richInline(part.elements, ctx)}</p>`;
  if (part.type === 'rich_text_preformatted') return `<pre class="mk-pre">${richInline(part.elements, ctx)}</pre>`;
  if (part.type === 'rich_text_quote')
    return `<blockquote class="rt-quote">${richInline(part.elements, ctx)}</blockquote>`;
  if (part.type === 'rich_text_list') {
    const tag = part.style === 'ordered' ? 'ol' : 'ul';
    const items = (part.elements ?? []).map(
      (/** @type {Block} */ item) => `<li>${richInline(item.elements, ctx)}</li>`,
    );
    return `<${tag} class="rt-list">${items.join('')}</${tag}>`;
  }
  return '';
}

/** One block. @param {Block} block @param {RenderContext} ctx */
export function renderBlock(block, ctx) {
  switch (block.type) {
    case 'section': {
      const text = block.text ? `<div class="bk-text">${textObject(block.text, ctx)}</div>` : '';
      const fields = block.fields?.length
        ? `<div class="bk-fields">${block.fields.map((/** @type {Block} */ f) => `<div class="bk-field">${textObject(f, ctx)}</div>`).join('')}</div>`
        : '';
      const accessory = block.accessory
        ? `<div class="bk-accessory">${element(block.accessory, block, ctx)}</div>`
        : '';
      return `<div class="bk bk-section"><div class="bk-main">${text}${fields}</div>${accessory}</div>`;
    }
    case 'header':
      return `<div class="bk bk-header" role="heading" aria-level="3">${textObject(block.text, ctx)}</div>`;
    case 'divider':
      return '<hr class="bk bk-divider">';
    case 'context':
      return `<div class="bk bk-context">${(block.elements ?? [])
        .map((/** @type {Block} */ el) =>
          el.type === 'image' ? element(el, block, ctx) : `<span>${textObject(el, ctx)}</span>`,
        )
        .join('')}</div>`;
    case 'actions':
      return `<div class="bk bk-actions">${(block.elements ?? []).map((/** @type {Block} */ el) => element(el, block, ctx)).join('')}</div>`;
    case 'rich_text':
      return `<div class="bk bk-rich">${(block.elements ?? []).map((/** @type {Block} */ p) => richPart(p, ctx)).join('')}</div>`;
    case 'image':
      return `<div class="bk bk-image">[image: ${escapeHtml(block.alt_text)}]</div>`;
    case 'input':
      return renderInput(block, ctx);
    default:
      return `<div class="bk bk-unsupported">[${escapeHtml(block.type)} block]</div>`;
  }
}

/** A modal's input block: label, the input, its hint. @param {Block} block @param {RenderContext} ctx */
function renderInput(block, ctx) {
  const el = block.element ?? {};
  const id = `input-${escapeHtml(block.block_id)}`;
  const attrs = `id="${id}" name="${escapeHtml(el.action_id)}" data-block-id="${escapeHtml(block.block_id)}" data-action-id="${escapeHtml(el.action_id)}"${block.optional ? '' : ' required'}${el.max_length ? ` maxlength="${Number(el.max_length)}"` : ''}${el.placeholder ? ` placeholder="${escapeHtml(el.placeholder.text)}"` : ''}`;
  const control = el.multiline
    ? `<textarea ${attrs} rows="10" spellcheck="false">${escapeHtml(el.initial_value ?? '')}</textarea>`
    : `<input type="text" ${attrs} value="${escapeHtml(el.initial_value ?? '')}">`;
  const hint = block.hint ? `<p class="bk-hint">${textObject(block.hint, ctx)}</p>` : '';
  return `<div class="bk bk-input"><label for="${id}">${textObject(block.label, ctx)}</label>${control}${hint}<p class="bk-error" data-error-for="${escapeHtml(block.block_id)}" role="alert"></p></div>`;
}

/** A message's body: its blocks, else its text as mrkdwn (as Slack shows it). @param {{text?: string, blocks?: Block[]}} message @param {RenderContext} ctx */
export function renderMessageBody(message, ctx) {
  if (message.blocks?.length) return message.blocks.map((b) => renderBlock(b, ctx)).join('');
  return `<div class="bk bk-text">${mrkdwn(message.text ?? '', ctx)}</div>`;
}
