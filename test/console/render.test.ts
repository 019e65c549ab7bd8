/**
 * The console's Block Kit and mrkdwn renderer (sim/console/public/render.js, plain browser JavaScript) on its own:
 * escaping first, formatting after, so text from a cluster or a person can never become markup or a mention.
 */
import { describe, expect, it } from 'vitest';

const render = await import(new URL('../../sim/console/public/render.js', import.meta.url).href);
const ctx = {
  userName: (id: string) => ({ U0INSTRUCT: 'Ines Instructor' })[id] ?? id,
  channelName: () => 'kvlab-alerts',
};
const md = (text: string): string => render.mrkdwn(text, ctx);

describe('mrkdwn', () => {
  it('applies Slack formatting: *bold*, _italic_, ~strike~, `code`, ```blocks``` and line breaks', () => {
    expect(md('*bold* _italic_ ~gone~ `kubectl get pods`')).toBe(
      '<b>bold</b> <i>italic</i> <s>gone</s> <code class="mk-code">kubectl get pods</code>',
    );
    expect(md('a\n```x *not bold*\ny```')).toBe('a<br><pre class="mk-pre">x *not bold*\ny</pre>');
    expect(md('db_password and snake_case_name')).toBe('db_password and snake_case_name');
  });

  it('renders control sequences: mentions, channels, links, broadcasts', () => {
    expect(md('<@U0INSTRUCT>')).toBe('<span class="mention">@Ines Instructor</span>');
    expect(md('<#C0ALERTS01>')).toBe('<span class="mention">#kvlab-alerts</span>');
    expect(md('<https://learn.microsoft.com/a?b=1&amp;c=2|the docs>')).toBe(
      '<a href="https://learn.microsoft.com/a?b=1&amp;c=2" rel="noopener noreferrer nofollow" target="_blank">the docs</a>',
    );
    expect(md('<!here>')).toContain('mention-broadcast');
  });

  it('shows escaped text as the characters it stands for, never as a mention, link or markup', () => {
    const html = md(
      '&lt;!channel&gt; &lt;@U0INSTRUCT&gt; &lt;https://evil.example|x&gt; a &amp;&amp; b &lt;img src=x onerror=alert(1)&gt;',
    );
    expect(html).toBe(
      '&lt;!channel&gt; &lt;@U0INSTRUCT&gt; &lt;https://evil.example|x&gt; a &amp;&amp; b &lt;img src=x onerror=alert(1)&gt;',
    );
    expect(html).not.toMatch(/<(span|a|img)\b/);
  });

  it('keeps markup out of attributes and refuses script links', () => {
    expect(md('<https://a.example/"onmouseover="alert(1)|x>')).toContain(
      'href="https://a.example/&quot;onmouseover=&quot;alert(1)"',
    );
    expect(md('<javascript:alert(1)|click>')).not.toContain('<a ');
    // Escaped text inside code stays text; placeholder characters in the input cannot smuggle a piece in.
    expect(md('`&lt;b&gt;` \uE0000\uE001')).toBe('<code class="mk-code">&lt;b&gt;</code> 0');
  });
});

describe('Block Kit', () => {
  it('lays out section text, fields and an accessory button; header, divider, context and actions', () => {
    const html = [
      { type: 'header', text: { type: 'plain_text', text: 'Class *a*' } },
      {
        type: 'section',
        block_id: 'b1',
        text: { type: 'mrkdwn', text: '*Verdict*' },
        fields: [{ type: 'mrkdwn', text: '`student-01`' }],
        accessory: { type: 'button', action_id: 'kvlab_rerun', text: { type: 'plain_text', text: 'Re-run' } },
      },
      { type: 'divider' },
      { type: 'context', elements: [{ type: 'mrkdwn', text: '_checked_' }] },
      {
        type: 'actions',
        elements: [{ type: 'button', style: 'danger', action_id: 'x', text: { type: 'plain_text', text: 'Mute' } }],
      },
    ]
      .map((b) => render.renderBlock(b, ctx))
      .join('');
    expect(html).toContain('<div class="bk bk-header" role="heading" aria-level="3">Class *a*</div>');
    expect(html).toContain('<b>Verdict</b>');
    expect(html).toContain('<div class="bk-field"><code class="mk-code">student-01</code></div>');
    expect(html).toContain('data-action-id="kvlab_rerun" data-block-id="b1">Re-run</button>');
    expect(html).toContain('<hr class="bk bk-divider">');
    expect(html).toContain('<i>checked</i>');
    expect(html).toContain('class="bk-button bk-button-danger"');
  });

  it('renders rich text with styles, lists and escaped text; falls back to the text without blocks', () => {
    const rich = render.renderBlock(
      {
        type: 'rich_text',
        elements: [
          { type: 'rich_text_section', elements: [{ type: 'text', text: '<b>x</b>', style: { bold: true } }] },
          {
            type: 'rich_text_list',
            style: 'ordered',
            elements: [{ type: 'rich_text_section', elements: [{ type: 'user', user_id: 'U0INSTRUCT' }] }],
          },
        ],
      },
      ctx,
    );
    expect(rich).toContain('<b>&lt;b&gt;x&lt;/b&gt;</b>');
    expect(rich).toContain('<ol class="rt-list"><li><span class="mention">@Ines Instructor</span></li></ol>');
    expect(render.renderMessageBody({ text: 'plain *text*' }, ctx)).toBe(
      '<div class="bk bk-text">plain <b>text</b></div>',
    );
  });
});
