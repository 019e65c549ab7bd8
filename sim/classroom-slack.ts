/**
 * The simulated classroom's Slack: a Slack simulator whose workspace is built from the scenario's roster
 * (`sim/scenarios/<name>/roster.yaml`, else the classroom's), so every student on the roster, the instructors and
 * the admins exist as Slack users, and the class channel (#kvlab-class-a, bot invited) holds them all. Its
 * settings are what the bot reads (`SLACK_API_URL`, `SLACK_BOT_TOKEN`, `SLACK_SIGNING_SECRET`, `KVLAB_CONFIG`)
 * plus a sample instructor and the class channel for people trying it by hand.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { readSimRoster, type SimRoster, simRosterPeople } from './roster.ts';
import { SCENARIOS_DIR } from './scenarios/load.ts';
import type { RateLimitOptions } from './slack/rate-limits.ts';
import { type SlackServer, startSlackServer } from './slack/server.ts';
import { createWorkspace, SAMPLE_USERS, type SlackUser } from './slack/workspace.ts';

export interface ClassroomSlack {
  server: SlackServer;
  roster: SimRoster;
  rosterPath: string;
  /** A sample instructor's user id and the class channel id. */
  instructor: string;
  channel: string;
  settings: Record<string, string>;
}

/** The roster of a scenario (a name under sim/scenarios or a directory); variants share the classroom's. */
export function scenarioRosterPath(scenario: string): string {
  const isPath = isAbsolute(scenario) || scenario.startsWith('.') || /[\\/]/.test(scenario);
  const own = join(isPath ? resolve(scenario) : join(SCENARIOS_DIR, scenario), 'roster.yaml');
  return existsSync(own) ? own : join(SCENARIOS_DIR, 'classroom', 'roster.yaml');
}

export async function startClassroomSlack(
  rosterPath: string,
  options: { rateLimits?: RateLimitOptions | false; now?: () => Date } = {},
): Promise<ClassroomSlack> {
  const roster = readSimRoster(rosterPath);
  const handles = new Set<string>();
  const users: SlackUser[] = simRosterPeople(roster).map(({ user, name, staff }) => {
    const sample = SAMPLE_USERS.find((u) => u.id === user);
    const handle = unique(handles, sample?.name ?? handleOf(name ?? user));
    const realName = name ?? sample?.realName;
    return { id: user, name: handle, ...(realName ? { realName } : {}), ...(staff ? { isAdmin: true } : {}) };
  });
  const workspace = createWorkspace({ users });
  const server = await startSlackServer({
    workspace,
    ...(options.rateLimits !== undefined ? { rateLimits: options.rateLimits } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const firstClass = roster.classes[0];
  const instructor = firstClass?.instructors[0] ?? roster.admins[0] ?? '';
  const channel = firstClass?.channel ?? workspace.channels[0]?.id ?? '';
  return {
    server,
    roster,
    rosterPath,
    instructor,
    channel,
    settings: {
      SLACK_API_URL: server.apiUrl,
      SLACK_BOT_TOKEN: workspace.bot.token,
      SLACK_SIGNING_SECRET: workspace.signingSecret,
      KVLAB_CONFIG: rosterPath,
      KVLAB_SIM_INSTRUCTOR: instructor,
      KVLAB_SIM_CHANNEL: channel,
    },
  };
}

/** `Amara Okafor` → `amara.okafor`, as Slack handles look. */
function handleOf(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '.')
      .replace(/^\.+|\.+$/g, '') || 'user'
  );
}

function unique(taken: Set<string>, handle: string): string {
  let candidate = handle;
  for (let i = 2; taken.has(candidate); i++) candidate = `${handle}${i}`;
  taken.add(candidate);
  return candidate;
}
