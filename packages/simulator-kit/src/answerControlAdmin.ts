import type http from 'node:http';
import type { FaultRule } from './faultRules.js';

/** A change the control accepted or refused, as its HTTP answer. */
export interface ControlAnswer {
  status: number;
  body: unknown;
}

/** What the admin endpoints read and change: the control's state behind `/_admin/`. */
export interface ControlAdminHandlers {
  config(): unknown;
  applyConfig(body: unknown): ControlAnswer;
  addRule(body: unknown): ControlAnswer;
  faults(): readonly FaultRule[];
  clearFaults(): void;
  /** False when no rule has the id. */
  removeFault(id: string): boolean;
  reset(): Promise<void>;
  traffic(): unknown;
  /** Each vendor request's start and end per connection. */
  calls(): unknown;
  clearCalls(): void;
}

const maxBodyBytes = 64 * 1024;

function sendJson(res: http.ServerResponse, status: number, body: unknown): true {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
  return true;
}

async function readJson(req: http.IncomingMessage): Promise<{ value: unknown } | string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return 'Body over 64 KiB.';
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { value: {} };
  try {
    return { value: JSON.parse(text) };
  } catch {
    return 'Body is not valid JSON.';
  }
}

/**
 * The control protocol's HTTP surface: `/_admin/health`, `config`, `faults`, `faults/{id}`,
 * `reset`, `traffic` and `calls`. False for any other request, which the simulator answers itself.
 */
export async function answerControlAdmin(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  control: ControlAdminHandlers,
): Promise<boolean> {
  const path = new URL(req.url ?? '/', 'http://simulator.invalid').pathname;
  const match = /^\/_admin\/([a-z-]+)(?:\/(\d+))?$/.exec(path);
  if (!match) return false;
  const [, action, argument] = match;
  switch (`${req.method} ${action}${argument === undefined ? '' : '/id'}`) {
    case 'GET health':
      return sendJson(res, 200, { ok: true });
    case 'GET config':
      return sendJson(res, 200, control.config());
    case 'POST config':
    case 'POST faults': {
      const body = await readJson(req);
      if (typeof body === 'string') {
        return sendJson(res, 400, { error: 'invalid_request', message: body });
      }
      const answer =
        action === 'config' ? control.applyConfig(body.value) : control.addRule(body.value);
      return sendJson(res, answer.status, answer.body);
    }
    case 'GET faults':
      return sendJson(res, 200, { faults: control.faults() });
    case 'DELETE faults':
      control.clearFaults();
      return sendJson(res, 200, { faults: control.faults() });
    case 'DELETE faults/id': {
      const removed = control.removeFault(argument!);
      return sendJson(res, removed ? 200 : 404, { faults: control.faults() });
    }
    case 'POST reset':
      await control.reset();
      return sendJson(res, 200, control.config());
    case 'GET traffic':
      return sendJson(res, 200, control.traffic());
    case 'GET calls':
      return sendJson(res, 200, control.calls());
    case 'DELETE calls':
      control.clearCalls();
      return sendJson(res, 200, control.calls());
    default:
      return false;
  }
}
