import { describe, expect, it } from 'vitest';
import { bold, code, codeBlock, escapeMrkdwn, link } from '../../src/slack/mrkdwn.ts';

describe('escapeMrkdwn', () => {
  it('turns &, < and > into entities so mentions and links stay text', () => {
    expect(escapeMrkdwn('<!channel> & <@U123> <https://evil|click>')).toBe(
      '&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;https://evil|click&gt;',
    );
  });

  it('escapes an already escaped entity again, so it shows literally', () => {
    expect(escapeMrkdwn('&lt;!here&gt;')).toBe('&amp;lt;!here&amp;gt;');
  });

  it('breaks plain @here, @channel and @everyone with a word joiner', () => {
    const out = escapeMrkdwn('ping @here and @Channel, not @herewego');
    expect(out).not.toMatch(/@(here|channel|everyone)\b/i);
    expect(out.replaceAll('\u2060', '')).toBe('ping @here and @Channel, not @herewego');
  });

  it('drops control and bidi-override characters, normalises CRLF and repairs lone surrogates', () => {
    expect(escapeMrkdwn('a\u0000b\r\nc\u202Ed\tz')).toBe('ab\ncd\tz');
    expect(escapeMrkdwn('x\uD800y')).toBe('x\uFFFDy');
  });

  it('leaves other characters, emoji and non-Latin text alone', () => {
    expect(escapeMrkdwn('🔐 ключ *bold* _it_ ~s~ "q" \'a\'')).toBe('🔐 ключ *bold* _it_ ~s~ "q" \'a\'');
  });
});

describe('code', () => {
  it('wraps escaped text in one inline span, replacing backticks and line breaks', () => {
    expect(code('a`b <x>\nc')).toBe('`aˋb &lt;x&gt; c`');
  });

  it('never produces an empty span', () => {
    expect(code('')).toBe('` `');
  });
});

describe('codeBlock', () => {
  it('escapes the body (Slack parses <…> inside code blocks too)', () => {
    expect(codeBlock('<!channel> & go')).toBe('```&lt;!channel&gt; &amp; go```');
  });

  it('breaks a run of three backticks so the block cannot be closed early', () => {
    const block = codeBlock('a ``` b');
    expect(block.slice(3, -3)).not.toContain('```');
  });

  it('pads a body that starts or ends with a backtick', () => {
    expect(codeBlock('`x`')).toBe('```\u200b`x`\u200b```');
  });
});

describe('link', () => {
  it('links a plain https URL with an escaped label and &amp; in the URL', () => {
    expect(link('https://learn.microsoft.com/a?b=1&c=2', 'Docs <here>')).toBe(
      '<https://learn.microsoft.com/a?b=1&amp;c=2|Docs &lt;here&gt;>',
    );
  });

  it('shows anything else as text, so a crafted URL cannot become a disguised link', () => {
    for (const url of ['https://evil|click', 'javascript:alert(1)', 'https://x/ y', 'http://plain.example']) {
      expect(link(url, 'Docs')).not.toMatch(/</);
    }
  });
});

describe('bold', () => {
  it('bolds escaped text on one line, with a placeholder for empty text', () => {
    expect(bold('a <b>\nc')).toBe('*a &lt;b&gt; c*');
    expect(bold('  ')).toBe('_(empty)_');
  });
});

describe('escapeMrkdwn and code fences', () => {
  it('breaks backtick runs in prose too, so pasted text cannot swallow the code blocks that follow', () => {
    expect(escapeMrkdwn('see ```here')).not.toContain('```');
  });
});
