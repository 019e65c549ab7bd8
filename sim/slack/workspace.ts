/**
 * The Slack workspace the simulator serves: the team, the installed kvlab app (bot user, bot id, app id, bot token,
 * app-level token, signing secret), the people and the channels with their members. It is plain data so a scenario
 * or `kvlab sim` can describe a classroom, and the driver can fill slash-command fields (`team_domain`,
 * `user_name`, `channel_name`) from it exactly as Slack would.
 */
import { randomBytes } from 'node:crypto';

/** A person in the workspace (`users.info` shape, reduced to what kvlab and the driver use). */
export interface SlackUser {
  /** `U…` (or `W…` on Enterprise Grid). */
  id: string;
  /** The handle Slack sends as `user_name` / `user.username`. */
  name: string;
  realName?: string;
  isAdmin?: boolean;
  isBot?: boolean;
}

/** A public or private channel. DMs are created at run time by `conversations.open`. */
export interface SlackChannel {
  /** `C…` (public or private; Slack no longer issues `G…` for new private channels). */
  id: string;
  /** Without the leading `#`. */
  name: string;
  isPrivate?: boolean;
  isArchived?: boolean;
  /** User ids of the human members. */
  members: string[];
  /** Whether the app's bot user was invited (`/invite @kvlab`); without it posts fail with `not_in_channel`. */
  botIsMember: boolean;
}

/** The installed app: everything a composition root needs to talk to the simulator. */
export interface SlackBot {
  /** The bot's user id (`auth.test` `user_id`, Bolt's `context.botUserId`). */
  userId: string;
  /** `B…` (`auth.test` `bot_id`, Bolt's `context.botId`). */
  botId: string;
  /** `A…` (`api_app_id` in every request Slack sends). */
  appId: string;
  /** Display name of the bot user. */
  name: string;
  /** `xoxb-…`, accepted as `Authorization: Bearer` or a `token` form field. */
  token: string;
}

export interface SlackWorkspace {
  team: { id: string; name: string; domain: string };
  bot: SlackBot;
  /** Key of the `X-Slack-Signature` HMAC; give the same value to Bolt as `signingSecret`. */
  signingSecret: string;
  /**
   * App-level token (`xapp-1-A…`, scope `connections:write`) for Socket Mode: the only token `apps.connections.open`
   * accepts; give it to Bolt as `appToken` (kvlab: `SLACK_APP_TOKEN`).
   */
  appToken: string;
  /** Deprecated verification token Slack still sends as `token` in commands and payloads. */
  verificationToken: string;
  users: SlackUser[];
  channels: SlackChannel[];
}

/** What may be shown to anyone (the simulator's `/sim/workspace`): no bot or app token, no secrets. */
export type SlackTeamView = Pick<SlackWorkspace, 'team' | 'users' | 'channels'> & { bot: Omit<SlackBot, 'token'> };

export interface CreateWorkspaceOptions {
  team?: Partial<SlackWorkspace['team']>;
  bot?: Partial<SlackBot>;
  signingSecret?: string;
  appToken?: string;
  verificationToken?: string;
  /** Replaces the sample people. */
  users?: SlackUser[];
  /** Replaces the sample channels. */
  channels?: SlackChannel[];
}

/** Sample people: one instructor (workspace admin) and three students. */
export const SAMPLE_USERS: readonly SlackUser[] = [
  { id: 'U0INSTRUCT', name: 'ines', realName: 'Ines Instructor', isAdmin: true },
  { id: 'U0STUDENTA', name: 'alice', realName: 'Alice Student' },
  { id: 'U0STUDENTB', name: 'bob', realName: 'Bob Student' },
  { id: 'U0STUDENTC', name: 'carol', realName: 'Carol Student' },
];

/**
 * Builds a workspace; without options it is the sample classroom: `#kvlab-class-a` and `#kvlab-alerts` with the
 * bot invited, `#random` without it, and a private `#instructors` the bot is not in. Tokens and the signing secret
 * are random per call unless given, so no test can depend on a fixed credential.
 */
export function createWorkspace(options: CreateWorkspaceOptions = {}): SlackWorkspace {
  const users = options.users ?? SAMPLE_USERS.map((u) => ({ ...u }));
  const everyone = users.filter((u) => !u.isBot).map((u) => u.id);
  const admins = users.filter((u) => u.isAdmin).map((u) => u.id);
  return {
    team: { id: 'T0KVLAB001', name: 'kvlab Lab', domain: 'kvlab-lab', ...options.team },
    bot: {
      userId: 'U0KVLABBOT',
      botId: 'B0KVLABBOT',
      appId: 'A0KVLABAPP',
      name: 'kvlab',
      token: `xoxb-${digits(12)}-${digits(13)}-${randomBytes(12).toString('base64url')}`,
      ...options.bot,
    },
    signingSecret: options.signingSecret ?? randomBytes(16).toString('hex'),
    appToken:
      options.appToken ??
      `xapp-1-${options.bot?.appId ?? 'A0KVLABAPP'}-${digits(13)}-${randomBytes(32).toString('hex')}`,
    verificationToken: options.verificationToken ?? randomBytes(12).toString('base64url'),
    users,
    channels: options.channels ?? [
      { id: 'C0CLASSA01', name: 'kvlab-class-a', members: everyone, botIsMember: true },
      { id: 'C0ALERTS01', name: 'kvlab-alerts', members: admins, botIsMember: true },
      { id: 'C0RANDOM01', name: 'random', members: everyone, botIsMember: false },
      { id: 'C0INSTRS01', name: 'instructors', isPrivate: true, members: admins, botIsMember: false },
    ],
  };
}

/** Finds a person by id (`U…`) or handle (`alice`, `@alice`). */
export function findUser(workspace: Pick<SlackWorkspace, 'users'>, idOrName: string): SlackUser | undefined {
  const key = idOrName.replace(/^@/, '');
  return workspace.users.find((u) => u.id === key || u.name === key);
}

/** Finds a channel by id (`C…`) or name (`kvlab-class-a`, `#kvlab-class-a`). */
export function findChannel(workspace: Pick<SlackWorkspace, 'channels'>, idOrName: string): SlackChannel | undefined {
  const key = idOrName.replace(/^#/, '');
  return workspace.channels.find((c) => c.id === key || c.name === key);
}

function digits(n: number): string {
  return Array.from(randomBytes(n), (b) => String(b % 10)).join('');
}
